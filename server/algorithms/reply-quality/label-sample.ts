/**
 * The reproducible choice of replies to hand-label (see labelling-guide.md):
 * a seeded pick stratified by reply length, so short boilerplate answers and
 * long investigation reports are both represented, each stratum split into a
 * part to tune the scorer on and a held-out part to report on.
 */
import { seededRandom } from '../seeded-random.ts';

export interface LabelSampleOptions {
  readonly seed: number;
  /** Length strata (equal-count bands of reply length). */
  readonly strata: number;
  /** Replies picked per stratum. */
  readonly perStratum: number;
  /** Of those, how many (the first picked) go to the tuning part; the rest are held out. */
  readonly tunePerStratum: number;
}

/** The sample as labelled: 5 strata × 24 replies, 8 of each stratum for tuning (40), 16 held out (80). */
export const LABEL_SAMPLE: LabelSampleOptions = Object.freeze({
  seed: 20_201_207,
  strata: 5,
  perStratum: 24,
  tunePerStratum: 8,
});

export interface SampledReply {
  readonly id: number;
  readonly stratum: number;
  readonly split: 'tune' | 'test';
}

/**
 * Picks the sample from `rows` (any order: they are sorted by reply length,
 * then id, first). Deterministic for a given seed and input set. Returned in
 * stratum order, then pick order.
 *
 * @example pickLabelSample(rows, LABEL_SAMPLE).filter((row) => row.split === 'test')
 */
export function pickLabelSample(
  rows: readonly { readonly id: number; readonly reply: string }[],
  options: LabelSampleOptions,
): SampledReply[] {
  const sorted = [...rows].sort((a, b) => a.reply.length - b.reply.length || a.id - b.id);
  const random = seededRandom(options.seed);
  const picked: SampledReply[] = [];
  for (let stratum = 0; stratum < options.strata; stratum += 1) {
    const band = sorted.slice(
      Math.floor((stratum * sorted.length) / options.strata),
      Math.floor(((stratum + 1) * sorted.length) / options.strata),
    );
    const ids = band.map((row) => row.id);
    // Partial Fisher–Yates: the first perStratum places are a uniform pick without replacement.
    const take = Math.min(options.perStratum, ids.length);
    for (let i = 0; i < take; i += 1) {
      const j = i + Math.floor(random() * (ids.length - i));
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
      picked.push({ id: ids[i]!, stratum, split: i < options.tunePerStratum ? 'tune' : 'test' });
    }
  }
  return picked;
}
