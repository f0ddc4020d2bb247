/**
 * A small seeded pseudo-random generator for demo data: sfc32 (Chris Doty-Humphrey's
 * "small fast chaotic" generator, 128-bit state) seeded through splitmix32. Not for
 * secrets — only so that the same seed always yields the same demo city, on every
 * platform and Node version (Math.random cannot be seeded).
 */

/** Seeded draws; every helper consumes the stream, so call order is part of the output. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. Throws RangeError if max < min. */
  int(min: number, max: number): number;
  /** A float in [min, max). */
  float(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One item, uniformly. Throws RangeError on an empty list. */
  pick<T>(items: readonly T[]): T;
  /** One item with probability proportional to its weight, e.g. `weighted([['村', 85], ['社区', 15]])`. */
  weighted<T>(items: readonly (readonly [item: T, weight: number])[]): T;
  /** A shuffled copy (Fisher–Yates); the input is left alone. */
  shuffle<T>(items: readonly T[]): T[];
  /** `count` distinct items in random order. Throws RangeError if there are too few. */
  sample<T>(items: readonly T[], count: number): T[];
  /**
   * Splits `total` into `parts` integers, each within [min, max], summing exactly to
   * `total`, varied around the mean: `split(100, 10, 8, 12)` → e.g. [11, 9, 10, 12, …].
   * Throws RangeError when the bounds cannot hold the total. O(parts).
   */
  split(total: number, parts: number, min: number, max: number): number[];
}

/**
 * Creates a generator from any finite number; fractions are truncated, and distinct
 * safe integers (negative ones too) give distinct streams.
 *
 * @example
 * const random = createRandom(42);
 * random.int(1, 6); // the same on every run
 */
export function createRandom(seed: number): Random {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const whole = Math.trunc(seed);
  const low = splitmix32(whole >>> 0);
  const high = splitmix32((Math.floor(whole / 2 ** 32) >>> 0) ^ 0x9e3779b9);
  const next = sfc32(low(), low(), high(), high());
  // The first outputs of sfc32 still echo the seed; the author's reference discards a dozen.
  for (let i = 0; i < 12; i++) next();

  const int = (min: number, max: number): number => {
    if (max < min) throw new RangeError(`int(${min}, ${max}): max < min`);
    return min + Math.floor(next() * (max - min + 1));
  };
  const at = <T>(items: readonly T[], index: number): T => {
    if (index < 0 || index >= items.length) throw new RangeError('cannot pick from an empty list');
    return items[index] as T;
  };
  const shuffle = <T>(items: readonly T[]): T[] => {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = int(0, i);
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy;
  };

  return {
    next,
    int,
    float: (min, max) => min + next() * (max - min),
    chance: (p) => next() < p,
    pick: (items) => at(items, int(0, items.length - 1)),
    weighted(items) {
      const total = items.reduce((sum, [, weight]) => sum + weight, 0);
      if (!(total > 0)) throw new RangeError('weighted() needs a positive total weight');
      let target = next() * total;
      for (const [item, weight] of items) {
        target -= weight;
        if (target < 0) return item;
      }
      // Rounding can leave target at ~0 after the loop; the last item then wins.
      return at(items, items.length - 1)[0];
    },
    shuffle,
    sample(items, count) {
      if (count > items.length) throw new RangeError(`cannot sample ${count} of ${items.length} items`);
      return shuffle(items).slice(0, count);
    },
    split(total, parts, min, max) {
      if (parts < 1 || min > max || parts * min > total || parts * max < total) {
        throw new RangeError(`cannot split ${total} into ${parts} parts within [${min}, ${max}]`);
      }
      const base = Math.floor(total / parts);
      const counts = Array.from({ length: parts }, (_, i) => base + (i < total - base * parts ? 1 : 0));
      // Moving single units between random parts keeps the sum and the bounds.
      for (let move = 0; move < parts * 2; move++) {
        const from = int(0, parts - 1);
        const to = int(0, parts - 1);
        if (from === to || (counts[from] as number) <= min || (counts[to] as number) >= max) continue;
        counts[from] = (counts[from] as number) - 1;
        counts[to] = (counts[to] as number) + 1;
      }
      return counts;
    },
  };
}

/** splitmix32: spreads a 32-bit seed into well-mixed words for sfc32's state. */
function splitmix32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
}

function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}
