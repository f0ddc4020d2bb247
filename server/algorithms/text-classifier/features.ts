/**
 * What the classifier sees of a message: three blocks of hashed features,
 * each weighted by sublinear TF × IDF and scaled to unit length, then by a
 * block weight —
 *  - `char`: character 1–3-grams of the message's content words run together
 *    (stop words removed, as in the tokenised training file);
 *  - `title`: the same n-grams of the title alone (titles say most);
 *  - `word`: the content words themselves.
 * Feature ids are hashes into fixed-size tables, so no vocabulary is needed
 * at classification time and nothing is allocated per feature.
 */
import { SEED_A, Segmenter, stepA, type Lexicon } from '../segmentation/index.ts';

/** How features are made; stored in the model so training and classification agree. */
export interface FeatureConfig {
  readonly charMinN: number;
  readonly charMaxN: number;
  /** log2 of the char block's table size. */
  readonly charBits: number;
  readonly titleMaxN: number;
  readonly titleBits: number;
  readonly wordBits: number;
  /**
   * Characters of a message that are read, title first, then body (2,000 by
   * default: the topic is set long before; longer reading scored no better in
   * cross-validation and costs time).
   */
  readonly maxChars: number;
  /** Each block's weight after it is scaled to unit length. */
  readonly weights: { readonly char: number; readonly title: number; readonly word: number };
}

export const DEFAULT_FEATURES: FeatureConfig = {
  charMinN: 1,
  charMaxN: 3,
  charBits: 18,
  titleMaxN: 3,
  titleBits: 16,
  wordBits: 17,
  maxChars: 2000,
  weights: { char: 1, title: 1, word: 1 },
};

/** A message as the classifier takes it: raw title and body, or already segmented words. */
export type ClassifierInput = { readonly title: string; readonly body: string } | { readonly tokens: readonly string[] };

/** Where each block starts in the one feature space, and its end. */
export interface FeatureLayout {
  readonly charOffset: number;
  readonly titleOffset: number;
  readonly wordOffset: number;
  readonly dimension: number;
}

export function featureLayout(config: FeatureConfig): FeatureLayout {
  const titleOffset = 2 ** config.charBits;
  const wordOffset = titleOffset + 2 ** config.titleBits;
  return { charOffset: 0, titleOffset, wordOffset, dimension: wordOffset + 2 ** config.wordBits };
}

/** A text longer than this is abnormal input: classified on its beginning, with a `huge` warning. */
export const HUGE_TEXT_CHARS = 100_000;

function mix(hash: number, salt: number): number {
  let h = Math.imul(hash ^ salt, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Bytes of idf per feature stand for idf × IDF_STEP (0: never seen in training). */
export const IDF_STEP = 20;

/** 1 + ln(count) for small counts, the common case, without calling Math.log. */
const SUBLINEAR = Float64Array.from({ length: 256 }, (_, count) => (count === 0 ? 0 : 1 + Math.log(count)));

/**
 * Sublinear TF × IDF, each block scaled to unit length and then by its
 * weight, into `out`. `idf[i]` is the idf byte of feature `indices[i]`
 * (idf × IDF_STEP; 0 for a feature never seen in training, which is then
 * left out, as a vocabulary would leave it out). Training and
 * classification both weigh through here, so they cannot drift apart.
 */
export function weighFeatures(
  indices: Int32Array,
  counts: Float64Array | Float32Array,
  idf: Uint8Array,
  size: number,
  layout: FeatureLayout,
  config: FeatureConfig,
  out: Float64Array | Float32Array,
): void {
  let charNorm = 0;
  let titleNorm = 0;
  let wordNorm = 0;
  for (let i = 0; i < size; i++) {
    const index = indices[i]!;
    const count = counts[i]!;
    const value = ((count < 256 ? SUBLINEAR[count]! : 1 + Math.log(count)) * idf[i]!) / IDF_STEP;
    out[i] = value;
    if (index < layout.titleOffset) charNorm += value * value;
    else if (index < layout.wordOffset) titleNorm += value * value;
    else wordNorm += value * value;
  }
  charNorm = charNorm > 0 ? config.weights.char / Math.sqrt(charNorm) : 0;
  titleNorm = titleNorm > 0 ? config.weights.title / Math.sqrt(titleNorm) : 0;
  wordNorm = wordNorm > 0 ? config.weights.word / Math.sqrt(wordNorm) : 0;
  for (let i = 0; i < size; i++) {
    const index = indices[i]!;
    out[i]! *= index < layout.titleOffset ? charNorm : index < layout.wordOffset ? titleNorm : wordNorm;
  }
}

/**
 * Turns inputs into sparse feature vectors. Holds reusable buffers: one per
 * thread of work. `count(input)` fills `indices`/`counts` (raw term counts)
 * and, when `idfTable` is set, each feature's idf byte in `idf`;
 * `weigh()` turns them into the final values in `values`.
 */
export class Featuriser {
  readonly config: FeatureConfig;
  readonly layout: FeatureLayout;
  readonly segmenter: Segmenter;
  /** Features of the last input: `indices[0 … size-1]`, their `counts`, then (after `weigh`) `values`. */
  indices = new Int32Array(1024);
  counts = new Float64Array(1024);
  values = new Float64Array(1024);
  idf = new Uint8Array(1024);
  size = 0;
  /** Feature f's idf byte is `idfTable[f * idfStride]`; unset while training counts. */
  idfTable: Uint8Array | null = null;
  idfStride = 1;
  /** When set (training), marks every lexicon word id the segmenter produced. */
  usedWords: Uint8Array | null = null;
  // Counting table: open addressing from feature index (+1; 0 = empty) to its position in `indices`.
  #keys = new Int32Array(4096);
  #positions = new Int32Array(4096);
  #mask = 4095;
  #usedSlots = new Int32Array(2048);
  #stream = new Uint16Array(1024);
  #streamLength = 0;

  constructor(lexicon: Lexicon, config: FeatureConfig) {
    this.config = config;
    this.layout = featureLayout(config);
    this.segmenter = new Segmenter(lexicon);
  }

  /** Counts the features of one input; returns how many distinct features it has. */
  count(input: ClassifierInput): number {
    this.size = 0;
    if ('tokens' in input) {
      this.#streamLength = 0;
      let left = this.config.maxChars;
      for (const token of input.tokens) {
        if (left <= 0) break;
        this.#addContent(token.slice(0, left), true);
        left -= token.length;
      }
      this.#charGrams(this.config.charMinN, this.config.charMaxN, this.layout.charOffset, this.config.charBits);
    } else {
      const title = input.title.slice(0, this.config.maxChars);
      this.#streamLength = 0;
      this.#addContent(title, true);
      this.#charGrams(1, this.config.titleMaxN, this.layout.titleOffset, this.config.titleBits);
      // The title's words were counted once above; the body continues the same stream.
      this.#addContent(input.body.slice(0, Math.max(0, this.config.maxChars - title.length)), true);
      this.#charGrams(this.config.charMinN, this.config.charMaxN, this.layout.charOffset, this.config.charBits);
    }
    for (let i = 0; i < this.size; i++) this.#keys[this.#usedSlots[i]!] = 0;
    // One tight loop of independent reads: the processor keeps many cache misses in flight at once.
    const table = this.idfTable;
    if (table) {
      const stride = this.idfStride;
      for (let i = 0; i < this.size; i++) this.idf[i] = table[this.indices[i]! * stride]!;
    }
    return this.size;
  }

  /** Weighs the counted features into `values` (see `weighFeatures`). */
  weigh(): void {
    weighFeatures(this.indices, this.counts, this.idf, this.size, this.layout, this.config, this.values);
  }

  /**
   * Segments `text` and appends its content words (stop words dropped) to
   * the character stream; counts each as a word feature when `words` is set.
   */
  #addContent(text: string, words: boolean): void {
    const segmenter = this.segmenter;
    const count = segmenter.segment(text);
    const units = segmenter.units;
    const wordMask = 2 ** this.config.wordBits - 1;
    for (let t = 0; t < count; t++) {
      if (segmenter.isStop(t)) {
        if (this.usedWords) this.usedWords[segmenter.ids[t]!] = 1;
        continue;
      }
      const start = segmenter.starts[t]!;
      const end = segmenter.ends[t]!;
      if (this.#streamLength + (end - start) > this.#stream.length) this.#growStream(this.#streamLength + (end - start));
      let hash = SEED_A;
      for (let x = start; x < end; x++) {
        const unit = units[x]!;
        this.#stream[this.#streamLength++] = unit;
        hash = stepA(hash, unit);
      }
      if (words) this.#add(this.layout.wordOffset + (mix(hash, 0x2545f491) & wordMask));
      if (this.usedWords && segmenter.ids[t]! >= 0) this.usedWords[segmenter.ids[t]!] = 1;
    }
  }

  #charGrams(minN: number, maxN: number, offset: number, bits: number): void {
    const stream = this.#stream;
    const length = this.#streamLength;
    const mask = 2 ** bits - 1;
    for (let i = 0; i < length; i++) {
      let hash = SEED_A;
      for (let n = 1; n <= maxN && i + n <= length; n++) {
        hash = stepA(hash, stream[i + n - 1]!);
        if (n >= minN) this.#add(offset + (mix(hash, n) & mask));
      }
    }
  }

  #add(index: number): void {
    const keys = this.#keys;
    const key = index + 1;
    let slot = Math.imul(key, 0x9e3779b1) >>> 0 & this.#mask;
    for (;;) {
      const held = keys[slot]!;
      if (held === key) {
        this.counts[this.#positions[slot]!]! += 1;
        return;
      }
      if (held === 0) break;
      slot = (slot + 1) & this.#mask;
    }
    if (this.size === this.indices.length) this.#grow();
    keys[slot] = key;
    this.#positions[slot] = this.size;
    this.#usedSlots[this.size] = slot;
    this.indices[this.size] = index;
    this.counts[this.size] = 1;
    this.size++;
    if (this.size * 2 > keys.length) this.#growTable();
  }

  #growTable(): void {
    const capacity = this.#keys.length * 2;
    this.#keys = new Int32Array(capacity);
    this.#positions = new Int32Array(capacity);
    this.#mask = capacity - 1;
    for (let i = 0; i < this.size; i++) {
      const key = this.indices[i]! + 1;
      let slot = Math.imul(key, 0x9e3779b1) >>> 0 & this.#mask;
      while (this.#keys[slot] !== 0) slot = (slot + 1) & this.#mask;
      this.#keys[slot] = key;
      this.#positions[slot] = i;
      this.#usedSlots[i] = slot;
    }
  }

  #grow(): void {
    const length = this.indices.length * 2;
    const indices = new Int32Array(length);
    indices.set(this.indices);
    const counts = new Float64Array(length);
    counts.set(this.counts);
    const usedSlots = new Int32Array(length);
    usedSlots.set(this.#usedSlots);
    const idf = new Uint8Array(length);
    idf.set(this.idf);
    this.idf = idf;
    this.indices = indices;
    this.counts = counts;
    this.#usedSlots = usedSlots;
    this.values = new Float64Array(length);
  }

  #growStream(needed: number): void {
    const stream = new Uint16Array(Math.max(needed, this.#stream.length * 2));
    stream.set(this.#stream.subarray(0, this.#streamLength));
    this.#stream = stream;
  }
}
