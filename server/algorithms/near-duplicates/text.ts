/**
 * Text preparation shared by the signature's parts: one normal form, so the
 * same words typed with full-width digits, different spacing or a masked
 * phone number give the same shingles.
 */
import { hashText } from './hashing.ts';

const URL = /(?:https?:\/\/|www\.)[^\s\u4e00-\u9fff，。！？；、]*/giu;
/** Runs of masking characters left where personal data was removed (`*****`, `XXXX`). */
const MASK = /[*＊xX×]{3,}/gu;

/**
 * NFKC (full-width letters and digits become ASCII), lower case, links and
 * masks removed. Punctuation and spaces stay: places and terms are cut at them.
 */
export function normaliseText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(URL, ' ').replace(MASK, ' ');
}

/** Only letters and digits of `normalised` (no spaces, no punctuation): what shingles are cut from. */
export function lettersOf(normalised: string): string {
  return normalised.replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * The distinct hashed character n-grams of `letters` (unsigned 32-bit),
 * sorted. A text shorter than `size` gives its whole self as one shingle, so
 * that even a two-character title has a signature.
 */
export function shingleHashes(letters: string, size: number): Uint32Array {
  const seen = new Set<number>();
  if (letters.length > 0 && letters.length < size) seen.add(hashText(letters));
  for (let i = 0; i + size <= letters.length; i += 1) seen.add(hashText(letters.slice(i, i + size)));
  return Uint32Array.from([...seen].sort((a, b) => a - b));
}
