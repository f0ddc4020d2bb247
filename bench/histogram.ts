/**
 * A latency histogram in the manner of HdrHistogram: log-linear buckets of
 * whole microseconds, exact below 256 µs and within 1/128 (< 0.8 %) above,
 * in a fixed 3,328-slot array whatever the number of samples. Recording is
 * O(1) with no allocation; a percentile is one pass over the slots.
 * Histograms merge, and serialise to plain data to cross a worker boundary.
 *
 * @example
 * const histogram = new Histogram();
 * histogram.record(1_250); // µs
 * histogram.record(1_300);
 * histogram.percentile(50); // 1_255: the top of 1,250's bucket (1,248..1,255)
 * histogram.percentile(100); // 1_300: the exact maximum
 */
export class Histogram {
  /** Values at or above this (about 71 minutes in µs) are recorded as this. */
  static readonly MAX_VALUE = 2 ** 32 - 1;

  private readonly counts = new Float64Array(SLOTS);
  private total = 0;
  private sum = 0;
  private lowest = Infinity;
  private highest = 0;

  /** Rebuilds a histogram from `toData()` output, e.g. one posted by a worker. */
  static fromData(data: HistogramData): Histogram {
    if (data.counts.length !== SLOTS) throw new RangeError(`expected ${SLOTS} slots, got ${data.counts.length}`);
    const histogram = new Histogram();
    histogram.counts.set(data.counts);
    histogram.total = data.count;
    histogram.sum = data.sum;
    histogram.lowest = data.count > 0 ? data.min : Infinity;
    histogram.highest = data.max;
    return histogram;
  }

  /** Records one value in microseconds; negatives count as 0, fractions are rounded. */
  record(microseconds: number): void {
    const value = Math.min(Histogram.MAX_VALUE, Math.max(0, Math.round(microseconds)));
    this.counts[slotOf(value)]! += 1;
    this.total += 1;
    this.sum += value;
    if (value < this.lowest) this.lowest = value;
    if (value > this.highest) this.highest = value;
  }

  /** Adds every sample of `other` to this histogram. */
  merge(other: Histogram): void {
    for (let slot = 0; slot < SLOTS; slot++) this.counts[slot]! += other.counts[slot]!;
    this.total += other.total;
    this.sum += other.sum;
    this.lowest = Math.min(this.lowest, other.lowest);
    this.highest = Math.max(this.highest, other.highest);
  }

  get count(): number {
    return this.total;
  }

  get min(): number {
    return this.total === 0 ? 0 : this.lowest;
  }

  get max(): number {
    return this.highest;
  }

  get mean(): number {
    return this.total === 0 ? 0 : this.sum / this.total;
  }

  /**
   * The value at or below which `p` percent of samples fall (nearest rank),
   * reported as the top of its bucket but never above the largest sample:
   * a percentile may overstate by under 0.8 %, it never understates.
   * 0 for an empty histogram; `percentile(100)` is the exact maximum.
   */
  percentile(p: number): number {
    if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
    if (this.total === 0) return 0;
    if (p === 100) return this.highest;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    for (let slot = 0; slot < SLOTS; slot++) {
      seen += this.counts[slot]!;
      if (seen >= rank) return Math.min(this.highest, Math.max(this.lowest, slotTop(slot)));
    }
    return this.highest;
  }

  /** Plain data for postMessage or JSON; `Histogram.fromData` reverses it. */
  toData(): HistogramData {
    return { counts: Array.from(this.counts), count: this.total, sum: this.sum, min: this.min, max: this.highest };
  }
}

/** A histogram as plain data. */
export interface HistogramData {
  readonly counts: readonly number[];
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
}

/** Sub-buckets per power of two: 2^7 = 128 gives a relative error under 1/128. */
const SUB_BITS = 7;
const SUB = 1 << SUB_BITS;
/** Values below 2 × SUB get a slot each; each power of two above gets SUB slots, up to 2^32. */
const SLOTS = (32 - SUB_BITS + 1) * SUB;

/** The slot of a whole value in 0..2^32-1. Exported for the tests. */
export function slotOf(value: number): number {
  if (value < 2 * SUB) return value;
  const shift = 31 - Math.clz32(value) - SUB_BITS; // ≥ 1: how many low bits the bucket ignores
  return (shift + 1) * SUB + ((value >>> shift) - SUB);
}

/** The largest value that falls in `slot`. Exported for the tests. */
export function slotTop(slot: number): number {
  if (slot < 2 * SUB) return slot;
  const shift = Math.floor(slot / SUB) - 1;
  const sub = (slot % SUB) + SUB;
  return (sub + 1) * 2 ** shift - 1;
}
