import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatNumber, fusedMultiplyAdd, lowerFence, quantile, roundMeta, upperFence } from './statistics.ts';

test('type 8 quantiles as in the spec examples', () => {
  const ratios = [0, 0, 100, 100, 100, 100, 100, 100, 100];
  assert.equal(roundMeta(quantile(ratios, 0.25)), 66.6667);
  assert.equal(quantile(ratios, 0.75), 100);
  assert.equal(roundMeta(lowerFence(quantile(ratios, 0.25), 100)), 16.6667);
  assert.equal(quantile([7], 0.25), 7);
  assert.equal(quantile([7], 0.75), 7);
  assert.ok(Number.isNaN(quantile([], 0.5)));
  assert.ok(Number.isNaN(quantile([1], 1.5)));
  assert.equal(quantile([3, 1, 2], 0), 1);
  assert.equal(quantile([3, 1, 2], 1), 3);
  // R058 fixture: {100, 0, 0, 0, 0} → q3 = 33.3333, fence 83.3333.
  const r058 = [100, 0, 0, 0, 0];
  assert.equal(roundMeta(quantile(r058, 0.75)), 33.3333);
  assert.equal(roundMeta(upperFence(quantile(r058, 0.25), quantile(r058, 0.75))), 83.3333);
  // R048 fixture: varieties {2,1,1,1,1} → fence 1.8333.
  const r048 = [2, 1, 1, 1, 1];
  assert.equal(roundMeta(upperFence(quantile(r048, 0.25), quantile(r048, 0.75))), 1.8333);
});

test('fused multiply-add rounds once', () => {
  assert.equal(fusedMultiplyAdd(1.5, 2, 1), 4);
  assert.equal(fusedMultiplyAdd(-1.5, 0, 3), 3);
  // (1 + 2^-52)(1 - 2^-52) - 1 = -2^-104 exactly; the unfused product rounds to 1 and gives 0.
  const e = 2 ** -52;
  assert.equal(fusedMultiplyAdd(1 + e, 1 - e, -1), -(2 ** -104));
  assert.equal((1 + e) * (1 - e) - 1, 0);
  assert.ok(Number.isNaN(fusedMultiplyAdd(NaN, 1, 1)));
});

test('meta rounding: 4 decimals, halves away from zero, non-finite as null', () => {
  assert.equal(roundMeta(0.16666), 0.1667);
  assert.equal(roundMeta(-0.00005), -0.0001);
  assert.equal(roundMeta(0.00005), 0.0001);
  assert.equal(roundMeta(NaN), null);
  assert.equal(roundMeta(Infinity), null);
});

test('numbers are written as the reference writes them', () => {
  assert.equal(formatNumber(1), '1.0');
  assert.equal(formatNumber(99), '99.0');
  assert.equal(formatNumber(0), '0.0');
  assert.equal(formatNumber(0.16666666666666666), '0.16666666666666666');
  assert.equal(formatNumber(1e16), '1e16');
  assert.equal(formatNumber(1e15), '1000000000000000.0');
  assert.equal(formatNumber(1.5e-7), '1.5e-7');
  assert.equal(formatNumber(0.00001), '0.00001');
  assert.equal(formatNumber(-2.5), '-2.5');
  assert.equal(formatNumber(123.456), '123.456');
  assert.equal(formatNumber(NaN), 'null');
});
