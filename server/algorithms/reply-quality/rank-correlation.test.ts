import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kendallTauB, midRanks, spearman } from './rank-correlation.ts';

const close = (actual: number, expected: number): void => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} ≠ ${expected}`);

test('mid-ranks share the mean rank of a tie', () => {
  assert.deepEqual(midRanks([3, 1, 3, 2]), [3.5, 1, 3.5, 2]);
});

test('spearman and kendall on a small case without ties', () => {
  close(spearman([1, 2, 3], [1, 3, 2]), 0.5);
  close(kendallTauB([1, 2, 3], [1, 3, 2]), 1 / 3);
  close(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
  close(kendallTauB([1, 2, 3, 4], [4, 3, 2, 1]), -1);
});

test('ties on both sides are corrected for (tau-b, mid-ranks)', () => {
  // Worked by hand: 4 concordant pairs, no discordant, one tie on each side → 4 / √(5·5).
  close(kendallTauB([1, 1, 2, 3], [1, 2, 2, 3]), 0.8);
  close(spearman([1, 1, 2, 3], [1, 2, 2, 3]), 3.75 / 4.5);
});

test('a constant side has no order to agree with; bad input is refused', () => {
  assert.ok(Number.isNaN(spearman([1, 1, 1], [1, 2, 3])));
  assert.ok(Number.isNaN(kendallTauB([1, 2, 3], [2, 2, 2])));
  assert.throws(() => spearman([1, 2], [1]), RangeError);
  assert.throws(() => kendallTauB([1], [1]), RangeError);
  assert.throws(() => spearman([1, Number.NaN], [1, 2]), RangeError);
});
