/**
 * One small seeded generator for every algorithm, benchmark and test that
 * must draw the same numbers on every run and machine (Math.random cannot be
 * seeded): mulberry32, 32 bits of state. Not for secrets.
 *
 * @example
 * const next = seededRandom(42);
 * next(); // the same float in [0, 1) on every run
 */
export function seededUint32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Floats in [0, 1) from `seededUint32`: the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  const next = seededUint32(seed);
  return () => next() / 4_294_967_296;
}
