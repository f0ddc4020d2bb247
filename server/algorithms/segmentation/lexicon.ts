/**
 * The word list the segmenter looks words up in: each word with its corpus
 * frequency (jieba's dictionary format, `word freq [tag]` per line), plus
 * which words are stop words. Lookups go by two 32-bit hashes of the UTF-16
 * code units, extended one unit at a time, so segmenting a message allocates
 * no substrings; every prefix of a word is present too (frequency 0) so a
 * scan can stop as soon as no longer word can start where it is.
 */
import { dict as jiebaDictionary } from '@node-rs/jieba/dict.js';

/** What a lookup found: not there, only a prefix of longer words, or a word (its id, ≥ 0). */
export const ABSENT = -2;
export const PREFIX_ONLY = -1;

/** Starting values of the two hashes. */
export const SEED_A = 0x811c9dc5 | 0;
export const SEED_B = 0x3c6ef372 | 0;

/** First hash of a code-unit sequence, one unit at a time (FNV-1a style). */
export function stepA(hash: number, unit: number): number {
  return Math.imul(hash ^ unit, 0x01000193);
}

/** Second, independent hash, so two different strings collide only with odds of about 2⁻⁶⁴. */
export function stepB(hash: number, unit: number): number {
  return Math.imul((hash + unit) ^ (hash >>> 13), 0x5bd1e995);
}

export function hashA(text: string, start = 0, end = text.length): number {
  let hash = SEED_A;
  for (let i = start; i < end; i++) hash = stepA(hash, text.charCodeAt(i));
  return hash;
}

function hashB(text: string, start = 0, end = text.length): number {
  let hash = SEED_B;
  for (let i = start; i < end; i++) hash = stepB(hash, text.charCodeAt(i));
  return hash;
}

/** A word and its frequency, as read from a dictionary, with its part-of-speech tag when the line has one. */
export interface LexiconEntry {
  readonly word: string;
  readonly frequency: number;
  readonly tag?: string;
}

/** A built lexicon as structured-clonable data (`Lexicon.share`), to hand to a worker thread. */
export interface SharedLexicon {
  /** The words in id order, joined by U+0000. */
  readonly words: string;
  readonly logProbability: Float64Array;
  readonly stop: Uint8Array;
  readonly unknownLogProbability: number;
  readonly total: number;
  readonly maxLength: number;
  readonly slots: Int32Array;
  readonly single: Int32Array;
}

/**
 * An immutable, hash-addressed word list. Build it with `createLexicon`;
 * `find` is what the segmenter calls in its inner loop.
 */
export class Lexicon {
  /** Words in id order. */
  readonly words: readonly string[];
  /** ln(frequency / total) of each word, by id. */
  readonly logProbability: Float64Array;
  /** 1 where the word is a stop word, by id. */
  readonly stop: Uint8Array;
  /** ln(1 / total): what jieba gives a character that is no word. */
  readonly unknownLogProbability: number;
  /** The frequency sum probabilities are taken over. */
  readonly total: number;
  /** Longest word, in code units. */
  readonly maxLength: number;
  /** Open addressing, three ints a slot: hash A, hash B, value. */
  readonly #slots: Int32Array;
  readonly #mask: number;
  /** Value of each one-unit string, looked up directly: most lookups are these. */
  readonly #single: Int32Array;

  /**
   * `total` is the frequency sum that probabilities are taken over; pass the
   * full dictionary's when this lexicon is a part of it, so words keep the
   * probabilities (and texts the segmentation) they had there.
   */
  constructor(entries: readonly LexiconEntry[], stopWords: ReadonlySet<string>, total?: number);
  /** Rebuilds a lexicon from `share()`'s parts (another thread's), without hashing the words again. */
  constructor(shared: SharedLexicon);
  constructor(entries: readonly LexiconEntry[] | SharedLexicon, stopWords?: ReadonlySet<string>, total?: number) {
    if (!Array.isArray(entries)) {
      const shared = entries as SharedLexicon;
      this.words = shared.words.length === 0 ? [] : shared.words.split('\u0000');
      this.logProbability = shared.logProbability;
      this.stop = shared.stop;
      this.unknownLogProbability = shared.unknownLogProbability;
      this.total = shared.total;
      this.maxLength = shared.maxLength;
      this.#slots = shared.slots;
      this.#mask = shared.slots.length / 3 - 1;
      this.#single = shared.single;
      return;
    }
    // Words in first-seen order, a repeated word's frequencies summed.
    const index = new Map<string, number>();
    const words: string[] = [];
    const frequencies: number[] = [];
    for (const { word, frequency } of entries as readonly LexiconEntry[]) {
      if (word.length === 0 || !(frequency > 0)) continue;
      const at = index.get(word);
      if (at === undefined) {
        index.set(word, words.length);
        words.push(word);
        frequencies.push(frequency);
      } else frequencies[at]! += frequency;
    }
    // Stop words are always known, so the segmenter can tell them apart even when the dictionary lacks them.
    for (const word of stopWords!) {
      if (index.has(word)) continue;
      index.set(word, words.length);
      words.push(word);
      frequencies.push(1);
    }
    let sum = 0;
    let maxLength = 1;
    let units = 0;
    for (let id = 0; id < words.length; id++) {
      sum += frequencies[id]!;
      const length = words[id]!.length;
      if (length > maxLength) maxLength = length;
      units += length - 1;
    }
    this.total = total ?? sum;
    const logTotal = Math.log(this.total);
    this.words = words;
    this.logProbability = Float64Array.from(frequencies, (frequency) => Math.log(frequency) - logTotal);
    this.stop = Uint8Array.from(words, (word) => (stopWords!.has(word) ? 1 : 0));
    this.unknownLogProbability = -logTotal;
    this.maxLength = maxLength;

    // Every prefix of two or more units takes a slot (`units` bounds their number); at most 70 % full keeps probes short.
    let capacity = 1024;
    while (capacity * 0.7 < units) capacity *= 2;
    this.#slots = new Int32Array(capacity * 3);
    for (let slot = 0; slot < capacity; slot++) this.#slots[slot * 3 + 2] = ABSENT;
    this.#mask = capacity - 1;
    this.#single = new Int32Array(65536).fill(ABSENT);
    for (let id = 0; id < words.length; id++) {
      const word = words[id]!;
      const first = word.charCodeAt(0);
      if (word.length === 1) this.#single[first] = id;
      else if (this.#single[first] === ABSENT) this.#single[first] = PREFIX_ONLY;
      let a = SEED_A;
      let b = SEED_B;
      for (let i = 0; i < word.length; i++) {
        a = stepA(a, word.charCodeAt(i));
        b = stepB(b, word.charCodeAt(i));
        // One-unit strings live in `#single`, not in the hash table.
        if (i > 0) this.#insert(a, b, i === word.length - 1 ? id : PREFIX_ONLY);
      }
    }
  }

  /**
   * The lexicon as plain data (typed arrays and one string) for another
   * thread: structured-cloned in milliseconds, where building it from the
   * dictionary again takes a second or more.
   */
  share(): SharedLexicon {
    return {
      words: this.words.join('\u0000'),
      logProbability: this.logProbability,
      stop: this.stop,
      unknownLogProbability: this.unknownLogProbability,
      total: this.total,
      maxLength: this.maxLength,
      slots: this.#slots,
      single: this.#single,
    };
  }

  #insert(a: number, b: number, value: number): void {
    const slots = this.#slots;
    let slot = (a ^ (b >>> 7)) & this.#mask;
    for (;;) {
      const at = slot * 3;
      const held = slots[at + 2]!;
      if (held === ABSENT) {
        slots[at] = a;
        slots[at + 1] = b;
        slots[at + 2] = value;
        return;
      }
      if (slots[at] === a && slots[at + 1] === b) {
        if (value !== PREFIX_ONLY) slots[at + 2] = value;
        return;
      }
      slot = (slot + 1) & this.#mask;
    }
  }

  /** The id of the word with hashes (a, b), `PREFIX_ONLY`, or `ABSENT`. */
  find(a: number, b: number): number {
    const slots = this.#slots;
    let slot = (a ^ (b >>> 7)) & this.#mask;
    for (;;) {
      const at = slot * 3;
      const held = slots[at + 2]!;
      if (held === ABSENT) return ABSENT;
      if (slots[at] === a && slots[at + 1] === b) return held;
      slot = (slot + 1) & this.#mask;
    }
  }

  /** The value of the one-unit string `unit`: a word id, `PREFIX_ONLY` or `ABSENT`. */
  findUnit(unit: number): number {
    return this.#single[unit]!;
  }

  /** The id of `text[start, end)` as a word, or a negative code. */
  lookup(text: string, start = 0, end = text.length): number {
    if (end - start === 1) return this.findUnit(text.charCodeAt(start));
    return this.find(hashA(text, start, end), hashB(text, start, end));
  }
}

/** Builds a lexicon from dictionary entries and a stop list. O(total characters). */
export function createLexicon(entries: readonly LexiconEntry[], stopWords: ReadonlySet<string>, total?: number): Lexicon {
  return new Lexicon(entries, stopWords, total);
}

/**
 * Reads a dictionary in jieba's text format (`word frequency [tag]`, one per
 * line, UTF-8), such as the one `@node-rs/jieba/dict.js` exports, keeping
 * the tag so that callers needing parts of speech (hot issues) read the
 * dictionary once. Lines without a positive frequency are skipped.
 */
export function parseDictionary(bytes: Uint8Array): LexiconEntry[] {
  const text = new TextDecoder().decode(bytes);
  const entries: LexiconEntry[] = [];
  const isSpace = (unit: number): boolean => unit === 0x20 || unit === 0x09 || unit === 0x0d || unit === 0x0b || unit === 0x0c;
  // Fields are runs of non-space characters; the first is the word, the second its frequency, the third its tag.
  const field = (from: number, end: number): [number, number] => {
    let start = from;
    while (start < end && isSpace(text.charCodeAt(start))) start++;
    let stop = start;
    while (stop < end && !isSpace(text.charCodeAt(stop))) stop++;
    return [start, stop];
  };
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const [wordStart, wordEnd] = field(start, end);
    const [countStart, countEnd] = field(wordEnd, end);
    const [tagStart, tagEnd] = field(countEnd, end);
    const frequency = countEnd > countStart ? Number(text.slice(countStart, countEnd)) : Number.NaN;
    if (wordEnd > wordStart && Number.isFinite(frequency) && frequency > 0) {
      const word = text.slice(wordStart, wordEnd);
      entries.push(tagEnd > tagStart ? { word, frequency, tag: text.slice(tagStart, tagEnd) } : { word, frequency });
    }
    start = end + 1;
  }
  return entries;
}

let jieba: Lexicon | undefined;

/**
 * jieba's whole dictionary (`@node-rs/jieba/dict.js`) as a lexicon without
 * stop words, built once per process (about 0.5 s): segmenting with it gives
 * exactly `cut(text, false)`'s words. A caller that has parsed the dictionary
 * already (for its tags) passes the `entries`, so it is not parsed twice.
 */
export function jiebaLexicon(entries?: readonly LexiconEntry[]): Lexicon {
  jieba ??= createLexicon(entries ?? parseDictionary(jiebaDictionary), new Set());
  return jieba;
}
