import assert from 'node:assert/strict';
import { test } from 'node:test';
import { issueTrackingCode, normaliseTrackingCode } from './tracking-code.ts';

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const FORMAT = new RegExp(`^MX-[${ALPHABET}]{4}-[${ALPHABET}]{4}-[${ALPHABET}]$`);

/** A seeded generator (mulberry32), so every run checks the same codes. */
function seededRandom(seed: number): (max: number) => number {
  let state = seed >>> 0;
  return (max) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * max);
  };
}

const random = seededRandom(20261201);
const SAMPLE = Array.from({ length: 300 }, () => issueTrackingCode(random));
/** The nine significant characters of a code: eight random ones and the check character. */
const charsOf = (code: string): string[] => [...code.slice(3).replaceAll('-', '')];

test('codes look like MX-XXXX-XXXX-X over an alphabet without look-alikes, and normalise to themselves', () => {
  assert.equal(ALPHABET.length, 31);
  for (const lookAlike of '01OIL') assert.ok(!ALPHABET.includes(lookAlike));
  for (const code of [...SAMPLE, issueTrackingCode()]) {
    assert.match(code, FORMAT);
    assert.equal(normaliseTrackingCode(code), code);
  }
  assert.ok(new Set(SAMPLE).size > 295, 'codes differ');
});

test('every single-character typo is detected', () => {
  for (const code of SAMPLE) {
    const chars = charsOf(code);
    chars.forEach((original, position) => {
      for (const typo of ALPHABET) {
        if (typo === original) continue;
        const typed = chars.with(position, typo).join('');
        assert.equal(
          normaliseTrackingCode(typed),
          undefined,
          `${code} with ${typo} at ${position + 1} must be refused`,
        );
      }
    });
  }
});

test('every swap of two different neighbours is detected, the check character included', () => {
  let swaps = 0;
  for (const code of SAMPLE) {
    const chars = charsOf(code);
    for (let position = 0; position + 1 < chars.length; position += 1) {
      if (chars[position] === chars[position + 1]) continue;
      const swapped = chars
        .with(position, chars[position + 1]!)
        .with(position + 1, chars[position]!)
        .join('');
      assert.equal(
        normaliseTrackingCode(swapped),
        undefined,
        `${code} with ${position + 1}↔${position + 2} swapped must be refused`,
      );
      swaps += 1;
    }
  }
  assert.ok(swaps > 2000);
});

test('what a person types is normalised: lower case, spaces, dashes and the prefix are optional', () => {
  for (const code of SAMPLE.slice(0, 50)) {
    const chars = charsOf(code).join('');
    for (const typed of [
      code.toLowerCase(),
      chars,
      chars.toLowerCase(),
      ` ${chars.slice(0, 4)} ${chars.slice(4, 8)} ${chars[8]} `,
      `mx ${chars.slice(0, 3)}-${chars.slice(3)}`,
      `MX-${chars}`,
      `\t${code}\n`,
    ]) {
      assert.equal(normaliseTrackingCode(typed), code, JSON.stringify(typed));
    }
  }
});

test('a code whose own characters start with MX is found with or without the prefix', () => {
  const indices = [ALPHABET.indexOf('M'), ALPHABET.indexOf('X'), 9, 9, 9, 9, 9, 9];
  const code = issueTrackingCode(() => indices.shift()!);
  assert.match(code, /^MX-MX/);
  for (const typed of [code, code.slice(3), code.slice(3).replaceAll('-', '').toLowerCase()]) {
    assert.equal(normaliseTrackingCode(typed), code, typed);
  }
});

test('anything that cannot be a code is refused', () => {
  const [code] = SAMPLE as [string];
  const chars = charsOf(code).join('');
  for (const typed of [
    '',
    'MX',
    chars.slice(0, 8),
    `${chars}2`,
    `XM-${chars}`,
    chars.replace(/./, '0'),
    chars.replace(/./, 'O'),
    chars.replace(/./, '_'),
    `MX-${chars}-MX`,
  ]) {
    assert.equal(normaliseTrackingCode(typed), undefined, JSON.stringify(typed));
  }
});
