/**
 * Identity documents, bank cards and vehicle plates. Each is a number with a
 * shape and, where one exists, a check digit; the check digit is what keeps
 * amounts, file numbers and order numbers of the same length unmasked.
 */
import { hasResidentIdShape, isBankCardNumber, isHongKongIdNumber, isResidentIdNumber } from './checksums.ts';
import { candidate, isAmount, starAlphanumerics, type Candidate, type Source } from './personal-data.ts';

/** 18 characters, optionally spaced 6-8-4 as on the card; or the old 15 digits. */
const RESIDENT_ID = /(?<!\d)(?:\d{6} ?\d{8} ?\d{3}[\dXx]|\d{15})(?![\dA-Za-z])/g;

/** Words that say an identity number follows: then a wrong check character is a typo, not another kind of number. */
const ID_CUE = /(?:身份证|身份号码|证件|[Ii][Dd] ?(?:[Cc]ard|[Nn]o\.?|[Nn]umber)?)(?:号码|号)?[ :]{0,3}$/;

/** `A123456(3)`, `AB987654(A)`: the check character is always written in brackets. */
const HONG_KONG_ID = /(?<![A-Za-z\d])([A-Z]{1,2}\d{6}) ?\(([\dA])\)/g;

/** Passport numbers have no check digit, so only the word 护照 / passport right before one makes it one. */
const PASSPORT =
  /(?:护照|[Pp]assport)(?:号码|号| ?[Nn]o\.?| ?[Nn]umber)? ?:? ?(?<number>[EeGgDdSsPp][A-Za-z]?\d{7,8})(?![\dA-Za-z])/g;

/**
 * Identity numbers: mainland resident IDs (checksum and birth date checked;
 * right after 身份证号 or "ID No." a wrong check character is forgiven as a
 * typo), Hong Kong identity cards (checksum checked) and passports after the
 * word 护照/passport. Only the first two characters stay (`37****************`):
 * for a resident ID that is the province, while the rest encodes the county,
 * the birth date and the sex, all of which narrow a person down.
 */
export function detectIdNumbers(source: Source): Candidate[] {
  const { ascii } = source;
  const found: Candidate[] = [];
  for (const match of ascii.matchAll(RESIDENT_ID)) {
    const value = match[0].replaceAll(' ', '');
    const isCued = ID_CUE.test(ascii.slice(Math.max(0, match.index - 12), match.index));
    if (!(isResidentIdNumber(value) || (isCued && hasResidentIdShape(value)))) continue;
    found.push(
      candidate(source, 'id_number', match.index, match.index + match[0].length, (written) =>
        starAlphanumerics(written, 2),
      ),
    );
  }
  for (const match of ascii.matchAll(HONG_KONG_ID)) {
    if (!isHongKongIdNumber(match[1]!, match[2]!)) continue;
    found.push(
      candidate(source, 'id_number', match.index, match.index + match[0].length, (written) =>
        starAlphanumerics(written, 1),
      ),
    );
  }
  for (const match of ascii.matchAll(PASSPORT)) {
    const end = match.index + match[0].length;
    const start = end - match.groups!.number!.length;
    found.push(candidate(source, 'id_number', start, end, (written) => starAlphanumerics(written, 1)));
  }
  return found;
}

/** Sixteen to nineteen digits, run together or in groups of four. */
const CARD_NUMBER = /(?<!\d)(?:\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?|\d{16,19})(?!\d)/g;

/**
 * Bank card numbers (Luhn-valid, see `isBankCardNumber`), keeping the last
 * four digits as banks do on statements: `**** **** **** 1234`.
 */
export function detectBankCards(source: Source): Candidate[] {
  const { ascii } = source;
  return [...ascii.matchAll(CARD_NUMBER)]
    .filter((match) => {
      const end = match.index + match[0].length;
      return isBankCardNumber(match[0].replace(/\D/g, '')) && !isAmount(ascii, match.index, end);
    })
    .map((match) =>
      candidate(source, 'bank_card', match.index, match.index + match[0].length, (written) =>
        starAlphanumerics(written, 0, 4),
      ),
    );
}

/**
 * The province abbreviations on mainland plates. 楚 is not one of them: the
 * shared civic corpus was pseudonymised by renaming 湘 (Hunan) to 楚, and the
 * demo city is built from that corpus, so its plates must be masked too;
 * nothing else puts 楚 straight before a plate-shaped code.
 */
const PLATE_PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼楚';

/**
 * Province, issuing-office letter, an optional separator (`京A·12345`,
 * `楚B NB305`, `楚N：8080`), then the serial: five letters and digits (six
 * for new-energy vehicles), or four and a use character (挂 trailer, 学
 * driving school, 警 police …). Citizens copy plates from memory, so a serial one character
 * short or two too long (`楚KR320`, `楚AF7U7810`) is still taken for one.
 */
const PLATE = new RegExp(
  `[${PLATE_PROVINCES}][A-Za-z](?<separator>[·•・.: -]?)(?<serial>[A-Za-z\\d]{4,5}[挂学警领港澳试超]|[A-Za-z\\d]{4,7})(?![A-Za-z\\d])`,
  'g',
);

/**
 * Vehicle plates, keeping the province, the office letter and the last two
 * characters (`鲁B***45`): enough to tell one reported car from another in a
 * thread, not enough to look the owner up. A serial needs two digits or
 * more, which every issued plate has and words in Latin letters do not.
 */
export function detectPlates(source: Source): Candidate[] {
  return [...source.ascii.matchAll(PLATE)]
    .filter((match) => (match.groups!.serial!.match(/\d/g)?.length ?? 0) >= 2)
    .map((match) =>
      candidate(source, 'plate', match.index, match.index + match[0].length, (written) => {
        const serialStart = 2 + match.groups!.separator!.length;
        return written.slice(0, serialStart) + starAlphanumerics(written.slice(serialStart), 0, 2);
      }),
    );
}
