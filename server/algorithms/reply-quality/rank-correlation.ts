/**
 * Rank correlations for validating a score against ordinal hand labels,
 * where ties are the rule (a 0–3 scale over a hundred replies): Spearman's
 * rho on mid-ranks and Kendall's tau-b, both tie-corrected.
 */

/** Mid-ranks (1-based): tied values share the mean of the ranks they span. O(n log n). */
export function midRanks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value || a.index - b.index);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.value === order[start]!.value) end += 1;
    const rank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i += 1) ranks[order[i]!.index] = rank;
    start = end + 1;
  }
  return ranks;
}

function checkPairs(x: readonly number[], y: readonly number[]): void {
  if (x.length !== y.length) throw new RangeError(`rank correlation: ${x.length} values against ${y.length}`);
  if (x.length < 2) throw new RangeError('rank correlation: needs at least two pairs');
  if (![...x, ...y].every(Number.isFinite)) throw new RangeError('rank correlation: values must be finite numbers');
}

/**
 * Spearman's rho: Pearson's correlation of the mid-ranks. NaN when either
 * side is constant (no order to agree with). O(n log n).
 *
 * @example spearman([1, 2, 3], [1, 3, 2]) // → 0.5
 */
export function spearman(x: readonly number[], y: readonly number[]): number {
  checkPairs(x, y);
  const rx = midRanks(x);
  const ry = midRanks(y);
  const mean = (x.length + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < rx.length; i += 1) {
    const dx = rx[i]! - mean;
    const dy = ry[i]! - mean;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? Number.NaN : sxy / Math.sqrt(sxx * syy);
}

/**
 * Kendall's tau-b: (concordant − discordant) / sqrt((n0 − tx)(n0 − ty)),
 * pairs tied on one side counted in that side's ties. NaN when either side
 * is constant. O(n²), which is fine for a labelled sample.
 *
 * @example kendallTauB([1, 2, 3], [1, 3, 2]) // → 0.3333…
 */
export function kendallTauB(x: readonly number[], y: readonly number[]): number {
  checkPairs(x, y);
  let concordant = 0;
  let discordant = 0;
  let tiesX = 0;
  let tiesY = 0;
  const pairs = (x.length * (x.length - 1)) / 2;
  for (let i = 0; i < x.length; i += 1) {
    for (let j = i + 1; j < x.length; j += 1) {
      const dx = Math.sign(x[i]! - x[j]!);
      const dy = Math.sign(y[i]! - y[j]!);
      if (dx === 0) tiesX += 1;
      if (dy === 0) tiesY += 1;
      if (dx !== 0 && dy !== 0) {
        if (dx === dy) concordant += 1;
        else discordant += 1;
      }
    }
  }
  const denominator = Math.sqrt((pairs - tiesX) * (pairs - tiesY));
  return denominator === 0 ? Number.NaN : (concordant - discordant) / denominator;
}
