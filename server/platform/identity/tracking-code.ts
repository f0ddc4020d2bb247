import { randomInt } from 'node:crypto';

/**
 * Tracking codes let a citizen follow a message without an account. They are
 * read over the phone, so the alphabet leaves out look-alikes (0/O, 1/I/L),
 * and the last character is a check character that catches any single typo
 * and any swap of two neighbours (a weighted sum modulo the prime 31).
 */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'; // 31 characters

/** A fresh code such as `MX-7K3D-9QH2-W`: 8 random characters (~40 bits) plus a check character. */
export function issueTrackingCode(random: (max: number) => number = randomInt): string {
  const body = Array.from({ length: 8 }, () => ALPHABET[random(ALPHABET.length)]).join('');
  return formatTrackingCode(body + checkCharacter(body));
}

/** Normalises what a person typed (case, spaces, dashes); undefined when it cannot be a valid code. */
export function normaliseTrackingCode(input: string): string | undefined {
  // The prefix is optional, and a code's own characters may start with MX too: strip it only from 11 characters.
  const cleaned = input.toUpperCase().replace(/[\s-]/g, '').replace(/^MX(?=.{9}$)/, '');
  if (cleaned.length !== 9 || [...cleaned].some((char) => !ALPHABET.includes(char))) return undefined;
  const body = cleaned.slice(0, 8);
  return checkCharacter(body) === cleaned[8] ? formatTrackingCode(cleaned) : undefined;
}

function checkCharacter(body: string): string {
  let sum = 0;
  for (let index = 0; index < body.length; index += 1) sum += (index + 1) * ALPHABET.indexOf(body[index]!);
  return ALPHABET[sum % ALPHABET.length]!;
}

function formatTrackingCode(chars: string): string {
  return `MX-${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}
