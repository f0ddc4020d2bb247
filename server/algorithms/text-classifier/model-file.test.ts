import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { loadClassifier } from './classifier.ts';
import { decodeModel, encodeModel, FORMAT_VERSION, ModelFileError, type ModelContents } from './model-file.ts';
import { smallTrainingSet, TAXONOMY } from './test-fixtures.ts';
import { trainClassifier } from './train.ts';

let bytes: Uint8Array;
let contents: ModelContents;
before(() => {
  bytes = trainClassifier(smallTrainingSet(), { taxonomy: TAXONOMY, seed: 3, folds: 2 }).bytes;
  contents = decodeModel(bytes);
});

function refusal(file: Uint8Array): string {
  try {
    loadClassifier(file);
  } catch (error) {
    assert.ok(error instanceof ModelFileError, `expected ModelFileError, got ${String(error)}`);
    return error.reason;
  }
  assert.fail('the file was accepted');
}

describe('model file', () => {
  test('round-trips: decoding what was encoded gives the same bytes again', () => {
    assert.deepEqual(encodeModel(contents), bytes);
    assert.equal(Buffer.from(bytes.subarray(0, 8)).toString('latin1'), 'MINXINTC');
    assert.equal(Buffer.from(bytes).readUInt16LE(8), FORMAT_VERSION);
  });

  test('refuses what is not a Minxin model', () => {
    assert.match(refusal(new Uint8Array(0)), /^not a Minxin model/);
    assert.match(refusal(Buffer.from('{"labels": ["a"]}')), /^not a Minxin model/);
    assert.match(refusal(Buffer.from('MINXIN')), /^not a Minxin model/);
  });

  test('refuses a truncated file', () => {
    assert.match(refusal(bytes.subarray(0, 20)), /^truncated/);
    assert.match(refusal(bytes.subarray(0, bytes.length - 1)), /^truncated/);
    assert.match(refusal(Buffer.concat([bytes, Buffer.from([0])])), /unexpected bytes after the payload/);
  });

  test('refuses a file whose payload changed', () => {
    const damaged = Uint8Array.from(bytes);
    damaged[damaged.length - 100]! ^= 0x40;
    assert.match(refusal(damaged), /^checksum mismatch/);
  });

  test('refuses another format version, naming it', () => {
    const future = Uint8Array.from(bytes);
    Buffer.from(future.buffer).writeUInt16LE(2, 8);
    assert.equal(refusal(future), 'format v2 not supported (this Minxin reads v1)');
  });

  test('refuses a header that does not match its sections or says nonsense', () => {
    assert.match(refusal(encodeModel({ ...contents, idf: contents.idf.subarray(1) })), /^mismatched sections/);
    assert.match(refusal(encodeModel({ ...contents, header: { ...contents.header, bias: [1] } })), /^invalid header: bias/);
    assert.match(refusal(encodeModel({ ...contents, header: { ...contents.header, labels: ['城乡建设', '城乡建设', '交通运输'] } })), /^invalid header: labels repeat/);
    assert.match(refusal(encodeModel({ ...contents, header: { ...contents.header, temperature: -1 } })), /^invalid header: temperature/);
  });
});
