/**
 * Masking personal data in free text before it is shown publicly: a case's
 * title, description, reply and timeline on the public pages, in exports and
 * in the open data feeds. Pure: text in, text out, no I/O and no clock.
 *
 * How it works: every detector proposes candidates (a stretch of the input
 * and its masked form); stretches that must never be touched (web addresses,
 * tracking codes, document numbers) are fenced off; candidates are accepted
 * in the order of `PERSONAL_DATA_KINDS` (an e-mail before a phone, an
 * identity number before a phone-like run inside it), each only where no
 * accepted one overlaps it; then the text is rebuilt once.
 *
 * What is shown instead (kept enough to tell two things apart in a thread,
 * never enough to find the person):
 *
 * | kind             | example in               | shown as              |
 * |------------------|--------------------------|-----------------------|
 * | `mobile`         | `+86 138-1234-5678`      | `+86 138-****-5678`   |
 * | `landline`       | `0532-83331234`          | `0532-******34`       |
 * | `id_number`      | `370202199001011237`     | `37****************`  |
 * | `email`          | `john.smith@example.com` | `j***@example.com`    |
 * | `plate`          | `鲁B12345`, `京A·12345`  | `鲁B***45`, `京A·***45` |
 * | `bank_card`      | `6228 4800 1234 5671`    | `**** **** **** 5671` |
 * | `name`           | `我叫张三`, `Mr. Smith`  | `我叫张*`, `Mr. S***` |
 * | `address_detail` | `香港中路10号3单元501`   | `香港中路**号*单元***` |
 *
 * What a mask keeps (`138`, `5678`, `鲁B`, a surname, a road) is never a
 * whole phone, plate, name or door, so a second pass finds nothing: masking
 * is idempotent. Nothing is escaped or added either — HTML in the input stays
 * text, for the page to escape.
 */
import { detectAddressDetails } from './address-detector.ts';
import { detectEmails, detectPhones } from './contact-detectors.ts';
import { detectBankCards, detectIdNumbers, detectPlates } from './identifier-detectors.ts';
import { detectChineseNames, detectEnglishNames } from './name-detectors.ts';
import {
  PERSONAL_DATA_KINDS,
  toAscii,
  toSource,
  type Candidate,
  type PersonalDataKind,
  type PersonalDataMatch,
  type Source,
} from './personal-data.ts';

/** What to mask and what to leave readable; by default every kind, nothing kept. */
export interface MaskOptions {
  /** The kinds to mask; all of them when absent. */
  kinds?: readonly PersonalDataKind[];
  /**
   * Contact details that are public by nature and stay readable: the city's
   * hotline, a department's phone or mailbox quoted in a reply. Compared
   * ignoring spaces, dashes, brackets and case; a phone number also matches
   * when written without its area code or with `+86`.
   */
  keep?: readonly string[];
}

/** The masked text and where the personal data was. */
export interface MaskResult {
  /** The text with every personal datum found replaced by its masked form. */
  text: string;
  /** What was masked, in reading order; offsets are into the input text. */
  found: PersonalDataMatch[];
}

const DETECTORS: Record<PersonalDataKind, (source: Source) => Candidate[]> = {
  email: detectEmails,
  id_number: detectIdNumbers,
  bank_card: detectBankCards,
  mobile: detectPhones,
  landline: detectPhones,
  plate: detectPlates,
  address_detail: detectAddressDetails,
  name: (source) => [...detectChineseNames(source), ...detectEnglishNames(source)],
};

/**
 * Masks phone numbers, identity numbers, e-mail addresses, vehicle plates,
 * bank cards, personal names and door numbers in `text` (Chinese and English).
 *
 * Dates, times, amounts, counts, document numbers (`国办发〔2024〕12号`),
 * tracking codes (`MX-7K3D-9QH2-W`), service numbers (`12345`) and web
 * addresses are left alone. Linear in the length of the text.
 *
 * @example
 * maskPersonalData('我叫张三，电话13812345678').text // '我叫张*，电话138****5678'
 */
export function maskPersonalData(text: string, options: MaskOptions = {}): MaskResult {
  const source = toSource(text);
  const kinds = new Set(options.kinds ?? PERSONAL_DATA_KINDS);
  const isKept = keeper(options.keep ?? []);
  const detectors = new Set([...kinds].map((kind) => DETECTORS[kind]));
  const candidates = [...detectors]
    .flatMap((detect) => detect(source))
    .filter((found) => kinds.has(found.kind) && !isKept(found, text.slice(found.start, found.end)));
  const accepted = acceptWithoutOverlap(text.length, candidates, protectedStretches(source));
  return { text: rebuild(text, accepted), found: accepted.map(({ kind, start, end }) => ({ kind, start, end })) };
}

/**
 * The masked text alone.
 *
 * @example
 * maskText('Contact John Smith at john.smith@example.com') // 'Contact J*** S*** at j***@example.com'
 */
export function maskText(text: string): string {
  return maskPersonalData(text).text;
}

const PRIORITY = new Map(PERSONAL_DATA_KINDS.map((kind, index) => [kind, index]));

/**
 * Accepts candidates by kind priority, then reading order, then length, each
 * only if none of its characters is fenced or already taken. A map of taken
 * characters keeps this linear in the text plus the candidates' lengths.
 */
function acceptWithoutOverlap(length: number, candidates: Candidate[], fenced: Stretch[]): Candidate[] {
  const taken = new Uint8Array(length);
  const take = ({ start, end }: Stretch): void => void taken.fill(1, start, end);
  const isFree = ({ start, end }: Stretch): boolean => taken.subarray(start, end).every((mark) => mark === 0);
  fenced.forEach(take);
  const ordered = [...candidates].sort(
    (a, b) => PRIORITY.get(a.kind)! - PRIORITY.get(b.kind)! || a.start - b.start || b.end - a.end,
  );
  const accepted: Candidate[] = [];
  for (const candidate of ordered) {
    if (!isFree(candidate)) continue;
    take(candidate);
    accepted.push(candidate);
  }
  return accepted.sort((a, b) => a.start - b.start);
}

function rebuild(text: string, accepted: Candidate[]): string {
  let result = '';
  let position = 0;
  for (const { start, end, masked } of accepted) {
    result += text.slice(position, start) + masked;
    position = end;
  }
  return result + text.slice(position);
}

interface Stretch {
  start: number;
  end: number;
}

/**
 * Stretches no detector may touch: web addresses (a government page's path
 * is full of long numbers), Minxin tracking codes, and document numbers such
 * as `国办发〔2024〕12号` or `[2018]53号`.
 */
const FENCED = [
  /(?:https?:\/\/|www\.)[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+/gi,
  /\bMX-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]\b/gi,
  /[〔[【(]\s*(?:19|20)\d{2}\s*[〕\]】)]\s*第?\s*\d+\s*号/g,
];

function protectedStretches(source: Source): Stretch[] {
  return FENCED.flatMap((pattern) =>
    [...source.ascii.matchAll(pattern)].map((match) => ({ start: match.index, end: match.index + match[0].length })),
  );
}

/** Whether a candidate is one of the public contact details the caller asked to keep. */
function keeper(keep: readonly string[]): (candidate: Candidate, written: string) => boolean {
  const normalise = (value: string): string =>
    toAscii(value)
      .toLowerCase()
      .replace(/[^0-9a-z@._+]/g, '');
  const kept = keep.map(normalise).filter((value) => value.length > 0);
  if (kept.length === 0) return () => false;
  return (candidate, written) => {
    const value = normalise(written);
    if (candidate.kind !== 'mobile' && candidate.kind !== 'landline') return kept.includes(value);
    const digits = value.replace(/\D/g, '');
    return kept.some((entry) => {
      const keptDigits = entry.replace(/\D/g, '');
      const [shorter, longer] = keptDigits.length <= digits.length ? [keptDigits, digits] : [digits, keptDigits];
      return shorter.length >= 7 && longer.endsWith(shorter);
    });
  };
}
