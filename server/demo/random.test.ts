import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRandom } from './random.ts';

const draws = (seed: number, count = 8) => Array.from({ length: count }, createRandom(seed).next);

test('a seed always gives the same stream, another seed another', () => {
  assert.deepEqual(draws(1), draws(1));
  assert.notDeepEqual(draws(1), draws(2));
  assert.notDeepEqual(draws(-1), draws(2 ** 32 - 1), 'negative seeds are not folded onto positive ones');
  assert.ok(draws(3, 1000).every((x) => x >= 0 && x < 1));
  assert.throws(() => createRandom(Number.NaN), RangeError);
});

test('int stays within inclusive bounds and reaches both ends', () => {
  const random = createRandom(7);
  const seen = new Set<number>();
  for (let i = 0; i < 500; i++) seen.add(random.int(1, 6));
  assert.deepEqual([...seen].sort(), [1, 2, 3, 4, 5, 6]);
  assert.throws(() => random.int(2, 1), RangeError);
});

test('pick, shuffle and sample draw from the input without changing it', () => {
  const random = createRandom(11);
  const items = Object.freeze(['a', 'b', 'c', 'd', 'e']);
  assert.ok(items.includes(random.pick(items)));
  assert.deepEqual(random.shuffle(items).sort(), [...items]);
  const sample = random.sample(items, 3);
  assert.equal(new Set(sample).size, 3);
  assert.throws(() => random.pick([]), RangeError);
  assert.throws(() => random.sample(items, 6), RangeError);
});

test('weighted follows the weights and never picks a zero weight', () => {
  const random = createRandom(5);
  const counts = { heavy: 0, light: 0, never: 0 };
  for (let i = 0; i < 2000; i++) {
    const key = random.weighted([
      ['heavy', 9],
      ['light', 1],
      ['never', 0],
    ] as const);
    counts[key]++;
  }
  assert.equal(counts.never, 0);
  assert.ok(counts.heavy > counts.light * 5, JSON.stringify(counts));
  assert.throws(() => random.weighted([['x', 0]]), RangeError);
});

test('split sums exactly to the total within the bounds, and varies', () => {
  const random = createRandom(9);
  const parts = random.split(1400, 100, 10, 18);
  assert.equal(parts.length, 100);
  assert.equal(
    parts.reduce((a, b) => a + b, 0),
    1400,
  );
  assert.ok(parts.every((n) => n >= 10 && n <= 18));
  assert.ok(new Set(parts).size > 1);
  assert.deepEqual(
    random.split(7, 3, 2, 3).reduce((a, b) => a + b, 0),
    7,
  );
  assert.throws(() => random.split(100, 10, 11, 12), RangeError);
});
