/**
 * Seeded 32-bit hashing for signatures: every hash here is a fixed function of
 * its input and a seed, so a signature computed today equals the one computed
 * on another server next year (signatures are stored and compared later).
 */

/** MurmurHash3's finaliser: a bijection on 32-bit integers that mixes every input bit into every output bit. */
export function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over the UTF-16 code units of `text`, finalised with `fmix32`: an unsigned 32-bit hash. */
export function hashText(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

export { seededUint32 } from '../seeded-random.ts';

/** An unsigned 32-bit value as PostgreSQL's signed `integer` holds it. */
export const toInt32 = (value: number): number => value | 0;
