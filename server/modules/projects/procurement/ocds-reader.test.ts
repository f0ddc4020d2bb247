import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isAppError } from '../../../platform/index.ts';
import { mergeReleases, mergeRulesFor } from '../../../algorithms/ocds-merge/index.ts';
import { compileStream } from './ocds-compile.ts';
import { WHOLE_TEXT_LIMIT, readOcdsFile, readReleaseAt, type ReaderEvent } from './ocds-reader.ts';

const release = (ocid: string, id: string, date: string, rest: Record<string, unknown> = {}) => ({ ocid, id, date, tag: ['tender'], ...rest });

describe('readOcdsFile', () => {
  let dir: string;
  const file = async (name: string, content: string | Buffer): Promise<string> => {
    const full = path.join(dir, name);
    await writeFile(full, content);
    return full;
  };
  const read = (full: string, buffer?: { maxBufferedBytes: number }): ReaderEvent[] => [...readOcdsFile(full, { buffer })];
  const releasesOf = (events: ReaderEvent[]) => events.flatMap((event) => (event.kind === 'release' ? [event] : []));

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'minxin-ocds-reader-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('JSON Lines: CRLF, blank lines, invalid JSON and invalid UTF-8 lines (skipped with their numbers), releases and packages', async () => {
    const lines = [
      Buffer.from(`${JSON.stringify(release('a', '1', 'd'))}\r\n\n   \n{"broken": \n`),
      Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d, 0x0a]),
      Buffer.from(`${JSON.stringify({ version: '1.1', releases: [release('b', '1', 'd', { parties: [] })] })}\n42`),
    ];
    const events = read(await file('mixed.jsonl', Buffer.concat(lines)));
    assert.deepEqual(
      events.map((event) => [event.kind, event.line, event.kind === 'release' ? event.release.ocid : event.kind === 'skipped' ? event.message.split(':')[0] : event.version]),
      [
        ['release', 1, 'a'],
        ['skipped', 4, 'line is invalid JSON'],
        ['skipped', 5, 'line caused an I/O error'],
        ['release', 6, 'b'],
        ['package', 6, '1.1'],
        ['skipped', 7, 'not a release or package (not a JSON object)'],
      ],
    );
    assert.equal(releasesOf(events)[0]!.version, '1.0');
  });

  test('a pretty-printed package is scanned element by element; version after releases settles at the end; strings with quotes and brackets', async () => {
    const tricky = release('x"]}', '1', '2020', { title: 'a \\"quoted\\" [bracket] {brace} \\\\', parties: [] });
    const text = `{\n  "uri": "u",\n  "releases": [\n    ${JSON.stringify(tricky, null, 2)},\n    null,\n    ${JSON.stringify(release('y', '2', '2021'))}\n  ],\n  "version": "1.1"\n}\n`;
    const full = await file('pretty.json', text);
    const events = read(full);
    const releases = releasesOf(events);
    assert.deepEqual(
      releases.map((event) => [event.release.ocid, event.version]),
      [
        ['x"]}', undefined],
        ['y', undefined],
      ],
    );
    assert.deepEqual(releases[0]!.release, tricky);
    assert.equal(releases[0]!.line, 4);
    assert.deepEqual(events.at(-1), { kind: 'package', file: full, line: 1, type: 'release-package', version: '1.1' });
    for (const event of releases) assert.deepEqual(readReleaseAt(event.location), event.release);
  });

  test('a one-line package bigger than a JSON Lines text is scanned too, and each release can be read back', async () => {
    const many = Array.from({ length: 2000 }, (_, index) => release(`ocds-${index}`, '1', '2020', { description: 'x'.repeat(200) }));
    const text = JSON.stringify({ version: '1.0', releases: many });
    assert.ok(text.length > WHOLE_TEXT_LIMIT);
    const events = read(await file('one-line.json', `${text}\n`));
    const releases = releasesOf(events);
    assert.equal(releases.length, 2000);
    assert.deepEqual(readReleaseAt(releases[1234]!.location), many[1234]);
    assert.deepEqual(releases[1234]!.release, many[1234]);
  });

  test('memory stays bounded: a 12 MB pretty-printed package is read holding at most a few MiB', async () => {
    const many = Array.from({ length: 12_000 }, (_, index) => release(`ocds-${String(index).padStart(6, '0')}`, '1', '2020', { description: 'y'.repeat(800) }));
    const text = JSON.stringify({ version: '1.1', releases: many }, null, 1);
    assert.ok(text.length > 10_000_000);
    const buffer = { maxBufferedBytes: 0 };
    const count = releasesOf(read(await file('big.json', text), buffer)).length;
    assert.equal(count, 12_000);
    assert.ok(buffer.maxBufferedBytes <= 2 * 1024 * 1024 + 2000, `held ${buffer.maxBufferedBytes} bytes`);
  });

  test('a byte-order mark at the start of a file is skipped', async () => {
    const events = read(await file('bom.json', `\uFEFF${JSON.stringify({ version: '1.1', releases: [release('a', '1', 'd')] }, null, 2)}`));
    assert.deepEqual(releasesOf(events).map((event) => event.release.ocid), ['a']);
  });

  test('a syntax error in a pretty-printed document stops reading, naming the line', async () => {
    const full = await file('bad.json', '{\n  "releases": [\n    {"ocid": "a",}\n  ]\n}\n');
    assert.throws(() => read(full), (error) => isAppError(error) && /bad\.json:3: releases\[0\]: invalid JSON/.test(error.message));
  });
});

describe('compileStream memory', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'minxin-ocds-stream-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const group = (index: number) => [1, 2, 3, 4].map((version) => release(`ocds-${String(index).padStart(6, '0')}`, `${version}`, `2020-01-0${version}`, { awards: [{ id: `a${version % 2}`, status: version > 2 ? 'active' : 'pending' }] }));

  test('input grouped by ascending ocid is merged holding one group (4 releases) at a time; shuffled input gives the same output by the index', async () => {
    const releases = Array.from({ length: 5000 }, (_, index) => group(index)).flat();
    const sortedFile = path.join(dir, 'sorted.jsonl');
    await writeFile(sortedFile, releases.map((item) => JSON.stringify(item)).join('\n'));
    const sortedOut: string[] = [];
    const streamed = compileStream([sortedFile], (line) => sortedOut.push(line), { schemaVersion: '1.1' });
    assert.equal(streamed.mode, 'streamed');
    assert.equal(streamed.processes, 5000);
    assert.equal(streamed.releases, 20_000);
    assert.equal(streamed.maxHeldReleases, 4);

    const shuffled = releases.map((item, index) => ({ item, key: (index * 7919) % releases.length })).sort((a, b) => a.key - b.key).map(({ item }) => item);
    const shuffledFile = path.join(dir, 'shuffled.jsonl');
    await writeFile(shuffledFile, shuffled.map((item) => JSON.stringify(item)).join('\n'));
    const shuffledOut: string[] = [];
    const indexed = compileStream([shuffledFile], (line) => shuffledOut.push(line), { schemaVersion: '1.1' });
    assert.equal(indexed.mode, 'indexed');
    assert.equal(indexed.maxHeldReleases, 4);
    assert.deepEqual(shuffledOut, sortedOut);
    assert.deepEqual(JSON.parse(sortedOut[0]!).awards, [
      { id: 'a1', status: 'active' },
      { id: 'a0', status: 'active' },
    ]);
  });

  test('output beyond the 8 MiB memory spool goes through a temporary file and comes back line for line (a line of 1.5 MB included)', async () => {
    const releases = Array.from({ length: 3000 }, (_, index) => release(`ocds-${String(index).padStart(6, '0')}`, '1', '2020', { description: index === 1500 ? 'z'.repeat(1_500_000) : `${index} ${'w'.repeat(3000)} 青岛` }));
    const input = path.join(dir, 'spool.jsonl');
    await writeFile(input, releases.map((item) => JSON.stringify(item)).join('\n'));
    const out: string[] = [];
    const stats = compileStream([input], (line) => out.push(line), { schemaVersion: '1.1' });
    assert.equal(stats.mode, 'streamed');
    assert.deepEqual(
      out,
      releases.map((item) => JSON.stringify(mergeReleases([item], { rules: mergeRulesFor('1.1') }))),
    );
  });
});
