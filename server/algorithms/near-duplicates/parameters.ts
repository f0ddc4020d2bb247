/**
 * The tunable numbers of near-duplicate detection, in one place. The defaults
 * were chosen by measurement on the labelled pairs (docs/near-duplicates.md,
 * `node scripts/near-duplicates-eval.ts`).
 */

export interface NearDuplicateParameters {
  /** Characters per shingle of the text signature. */
  readonly shingleSize: number;
  /** MinHash components. */
  readonly permutations: number;
  /** Seed of the MinHash permutations: stored signatures compare only with signatures made under the same seed. */
  readonly seed: number;
  /** LSH bands × rows per band (bands × rows ≤ permutations). */
  readonly bands: number;
  readonly rows: number;
  /** Most place keys a message adds to the index (named sites only, title first). */
  readonly maxPlaceKeys: number;
  /** Problem terms kept per message. */
  readonly maxTerms: number;
  /** Weights of the three parts of the score; they sum to 1. */
  readonly weights: { readonly text: number; readonly place: number; readonly problem: number };
  /** Proposals are made at or above this score (a city's learned threshold replaces it). */
  readonly threshold: number;
  /** Only cases opened this many days before the message (or after it) are candidates. */
  readonly windowDays: number;
}

export const DEFAULT_PARAMETERS: NearDuplicateParameters = Object.freeze({
  shingleSize: 3,
  permutations: 64,
  seed: 20200417,
  bands: 32,
  rows: 2,
  maxPlaceKeys: 4,
  maxTerms: 20,
  weights: Object.freeze({ text: 0.2, place: 0.4, problem: 0.4 }),
  threshold: 0.5,
  windowDays: 60,
});
