/**
 * MinHash: a fixed-length summary of a set of shingles whose component-wise
 * agreement estimates the Jaccard similarity of two sets (Broder 1997).
 * Permutations are `fmix32(x ^ salt_i)` with salts drawn from a seeded
 * generator, so signatures are reproducible across processes and servers.
 */
import { fmix32, seededUint32 } from './hashing.ts';

export interface MinHashParameters {
  /** Components per signature (permutations). */
  readonly permutations: number;
  /** Seed of the permutations' salts; signatures compare only under the same seed. */
  readonly seed: number;
}

/** A signature function for one parameter set: shingle hashes in, `permutations` minima out. */
export type MinHasher = (shingles: Uint32Array) => Uint32Array;

/**
 * The signature function for `parameters`. An empty shingle set gives all
 * components 0xffffffff (and `estimateJaccard` treats it as matching nothing).
 * Cost: O(permutations × shingles).
 *
 * @example const minhash = createMinHasher({ permutations: 64, seed: 7 }); minhash(shingleHashes('路灯不亮', 3))
 */
export function createMinHasher(parameters: MinHashParameters): MinHasher {
  const next = seededUint32(parameters.seed);
  const salts = Uint32Array.from({ length: parameters.permutations }, () => next());
  return (shingles) => {
    const minima = new Uint32Array(salts.length).fill(0xffffffff);
    for (const shingle of shingles) {
      for (let i = 0; i < salts.length; i += 1) {
        const value = fmix32(shingle ^ salts[i]!);
        if (value < minima[i]!) minima[i] = value;
      }
    }
    return minima;
  };
}

const EMPTY = 0xffffffff;

/** The share of components two signatures agree on: an unbiased estimate of the sets' Jaccard similarity. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length) throw new Error(`MinHash signatures of different lengths (${a.length}, ${b.length})`);
  if (a.length === 0 || a[0] === EMPTY || b[0] === EMPTY) return 0;
  let same = 0;
  for (let i = 0; i < a.length; i += 1) if (a[i] === b[i]) same += 1;
  return same / a.length;
}

/**
 * Locality-sensitive band keys: the signature cut into `bands` bands of
 * `rows` components, each band hashed with its index to one signed 32-bit
 * key. Two sets of Jaccard similarity J share at least one key with
 * probability 1 − (1 − J^rows)^bands.
 */
export function bandKeys(signature: Uint32Array, bands: number, rows: number): number[] {
  if (bands * rows > signature.length) throw new Error(`${bands} bands × ${rows} rows need ${bands * rows} components, the signature has ${signature.length}`);
  if (signature.length > 0 && signature[0] === EMPTY) return [];
  const keys: number[] = [];
  for (let band = 0; band < bands; band += 1) {
    let h = fmix32(0x9e3779b9 ^ band);
    for (let row = 0; row < rows; row += 1) h = fmix32(h ^ signature[band * rows + row]!);
    keys.push(h | 0);
  }
  return keys;
}
