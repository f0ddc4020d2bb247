/**
 * The vocabulary shared by the detectors: what kinds of personal data exist,
 * what a detector proposes, the text it reads, and the small helpers every
 * masking style is built from.
 */

/**
 * Every kind of personal data the masker knows, in the order detectors win
 * overlaps: an e-mail address swallows the phone number in its local part,
 * an identity number the phone-like run inside it, and so on down to names.
 */
export const PERSONAL_DATA_KINDS = [
  'email',
  'id_number',
  'bank_card',
  'mobile',
  'landline',
  'plate',
  'address_detail',
  'name',
] as const;

/** One kind of personal data: `mobile`, `landline`, `id_number`, `email`, `plate`, `bank_card`, `name` or `address_detail`. */
export type PersonalDataKind = (typeof PERSONAL_DATA_KINDS)[number];

/** One stretch of personal data: UTF-16 offsets into the text that was masked (end exclusive). */
export interface PersonalDataMatch {
  kind: PersonalDataKind;
  start: number;
  end: number;
}

/** What a detector proposes: a stretch of the input and what should be shown instead. */
export interface Candidate extends PersonalDataMatch {
  masked: string;
}

/**
 * The text a detector reads, twice: as written (to copy what is kept), and
 * with full-width forms folded to ASCII (`１３８`, `：`, `（`, `＠` typed on
 * phones), so patterns only need ASCII. Folding maps one UTF-16 unit to one,
 * so offsets into either string are offsets into both.
 */
export interface Source {
  text: string;
  ascii: string;
}

export function toSource(text: string): Source {
  return { text, ascii: toAscii(text) };
}

/** Full-width ASCII forms (U+FF01–FF5E) and the ideographic space as ASCII, one unit for one. */
export function toAscii(text: string): string {
  return text.replace(/[\uff01-\uff5e\u3000]/g, (char) =>
    char === '\u3000' ? ' ' : String.fromCharCode(char.charCodeAt(0) - 0xfee0),
  );
}

const HAN_CHARACTER = /^\p{Script=Han}$/u;

export function isHan(char: string | undefined): boolean {
  return char !== undefined && HAN_CHARACTER.test(char);
}

/** Builds a candidate for `source.text.slice(start, end)`, masked by `mask`. */
export function candidate(
  source: Source,
  kind: PersonalDataKind,
  start: number,
  end: number,
  mask: (written: string) => string,
): Candidate {
  return { kind, start, end, masked: mask(source.text.slice(start, end)) };
}

const ALPHANUMERIC = /^[0-9０-９A-Za-zＡ-Ｚａ-ｚ]$/;

/**
 * Replaces the letters and digits of `text` with `*`, except the first
 * `keepFirst` and the last `keepLast` of them. Separators (spaces, dashes,
 * brackets, unit words) stay where they are, so a number keeps its shape:
 * `starAlphanumerics('138-1234-5678', 3, 4)` is `138-****-5678`.
 */
export function starAlphanumerics(text: string, keepFirst: number, keepLast = 0): string {
  const chars = [...text];
  const total = chars.filter((char) => ALPHANUMERIC.test(char)).length;
  let seen = 0;
  return chars
    .map((char) => {
      if (!ALPHANUMERIC.test(char)) return char;
      seen += 1;
      return seen <= keepFirst || seen > total - keepLast ? char : '*';
    })
    .join('');
}

/**
 * True when the number in `ascii` ending at `end` is an amount: followed by
 * a decimal part or a unit of money or measure (`15200000000元`,
 * `4952609.59元`, `100户`), or preceded by a currency sign. Amounts are never
 * phones or cards, whatever their digits look like.
 */
export function isAmount(ascii: string, start: number, end: number): boolean {
  return (
    /^ ?(?:\.\d|元|块|角|万|亿|千|百|美元|港元|欧元|平方|㎡|米|公里|吨|度|%|个|人|户)/.test(
      ascii.slice(end, end + 4),
    ) || /[¥￥$] ?$/.test(ascii.slice(Math.max(0, start - 2), start))
  );
}
