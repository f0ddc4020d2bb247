import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonLineSplitter, parseJsonLine, type RawLine } from './json-lines.ts';
import { JsonNumber, parseOrderedJson, removeKey, stringifyOrderedJson } from './json-value.ts';

function split(chunks: (string | number[])[]): RawLine[] {
  const splitter = new JsonLineSplitter();
  const lines: RawLine[] = [];
  for (const chunk of chunks) lines.push(...splitter.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : Uint8Array.from(chunk)));
  return [...lines, ...splitter.end()];
}

test('lines end at LF only; a trailing CR is dropped, a lone CR is content; chunks split anywhere', () => {
  assert.deepEqual(split(['a\r\nb\rc\nd']), [{ line: 1, text: 'a' }, { line: 2, text: 'b\rc' }, { line: 3, text: 'd' }]);
  assert.deepEqual(split(['{"a"', ':1}\n{"b', '":2}\n']), [{ line: 1, text: '{"a":1}' }, { line: 2, text: '{"b":2}' }]);
  assert.deepEqual(split([]), []);
  assert.deepEqual(split(['\n']), [{ line: 1, text: '' }]);
  assert.deepEqual(split(['x', 'y', 'z']), [{ line: 1, text: 'xyz' }]);
});

test('invalid UTF-8 spoils only its own line, even split across chunks', () => {
  const lines = split(['{"a":1}\n', [0x22, 0xff, 0x22, 0x0a], '"\u00e9"\n', [0xc3], [0xa9, 0x0a]]);
  assert.deepEqual(lines, [{ line: 1, text: '{"a":1}' }, { line: 2, text: undefined }, { line: 3, text: '"é"' }, { line: 4, text: 'é' }]);
});

test('bad lines give the reference warnings; blank and whitespace-only lines are silent', () => {
  assert.deepEqual(parseJsonLine({ line: 3, text: undefined }, JSON.parse), { line: 3, warning: 'Line 3 caused an I/O error, skipping. [stream did not contain valid UTF-8]' });
  const broken = parseJsonLine({ line: 2, text: '{"a":' }, parseOrderedJson);
  assert.ok('warning' in broken && broken.warning!.startsWith('Line 2 is invalid JSON, skipping. ['));
  assert.deepEqual(parseJsonLine({ line: 4, text: ' \t\f' }, JSON.parse), { line: 4 });
  assert.deepEqual(parseJsonLine({ line: 5, text: '' }, JSON.parse), { line: 5 });
  const bom = parseJsonLine({ line: 6, text: '\ufeff{}' }, JSON.parse);
  assert.ok('warning' in bom && bom.warning);
  assert.deepEqual(parseJsonLine({ line: 7, text: ' [1] ' }, JSON.parse), { line: 7, value: [1] });
});

test('the ordered model keeps key order, integer-like keys, __proto__ and number literals', () => {
  const text = '{"b":1.50,"2":1e3,"1":12345678901234567890,"__proto__":{"x":-0.0},"s":"\\u00e9\\n"}';
  const value = parseOrderedJson(text);
  assert.equal(stringifyOrderedJson(value), '{"b":1.50,"2":1e3,"1":12345678901234567890,"__proto__":{"x":-0.0},"s":"é\\n"}');
  assert.ok(value instanceof Map && value.get('b') instanceof JsonNumber);
});

test('duplicate keys: last value at the first position; swap-remove on delete', () => {
  const value = parseOrderedJson('{"a":0,"b":1,"a":null,"c":2}') as Map<string, unknown>;
  assert.equal(stringifyOrderedJson(value as never), '{"a":null,"b":1,"c":2}');
  removeKey(value as never, 'a');
  assert.equal(stringifyOrderedJson(value as never), '{"c":2,"b":1}');
});

test('the ordered parser rejects what the reference rejects', () => {
  for (const bad of ['{"a":1', '[1,]', '{"a" 1}', '01', '1 2', '"\\ud800"', '"a\u0001"', '{a:1}', 'nul', '[' .repeat(129) + ']'.repeat(129)]) {
    assert.throws(() => parseOrderedJson(bad), Error, bad);
  }
  assert.equal(stringifyOrderedJson(parseOrderedJson('[' .repeat(128) + ']'.repeat(128))), '[' .repeat(128) + ']'.repeat(128));
  assert.equal(stringifyOrderedJson(parseOrderedJson('"\\ud83d\\ude00"')), '"😀"');
});
