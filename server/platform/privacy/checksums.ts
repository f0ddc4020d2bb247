/**
 * Check digits and plausibility tests that make number detection precise:
 * a run of 18 digits is only an identity number when its check character
 * and birth date agree, a run of 16–19 digits only a bank card when Luhn does.
 * All functions take ASCII (see `toAscii`).
 */

/** The first two digits of a resident ID: provinces, plus 71 Taiwan, 81 Hong Kong, 82 Macao, 83 residence permits. */
// prettier-ignore
const PROVINCE_CODES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64,
  65, 71, 81, 82, 83,
]);

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARACTERS = '10X98765432';

/**
 * True for a mainland resident identity number (GB 11643): 18 characters, a
 * known province, a real birth date between 1900 and 2099, and the ISO 7064
 * MOD 11-2 check character (`X` in either case); or the old 15-digit format
 * (no check digit, birth year 19YY). The date is checked against the calendar
 * only, never against today, so the function stays pure.
 *
 * @example isResidentIdNumber('11010519491231002X') // true
 */
export function isResidentIdNumber(value: string): boolean {
  if (!hasResidentIdShape(value)) return false;
  if (value.length === 15) return true;
  const sum = ID_WEIGHTS.reduce((total, weight, index) => total + weight * Number(value[index]), 0);
  return ID_CHECK_CHARACTERS[sum % 11] === value[17]!.toUpperCase();
}

/**
 * The same test without the check character: what a mistyped identity number
 * still looks like. Only trusted where the text says it is one (身份证号…).
 */
export function hasResidentIdShape(value: string): boolean {
  if (/^\d{17}[\dXx]$/.test(value)) {
    return (
      PROVINCE_CODES.has(Number(value.slice(0, 2))) &&
      isCalendarDate(Number(value.slice(6, 10)), Number(value.slice(10, 12)), Number(value.slice(12, 14)))
    );
  }
  if (/^\d{15}$/.test(value)) {
    return (
      PROVINCE_CODES.has(Number(value.slice(0, 2))) &&
      isCalendarDate(1900 + Number(value.slice(6, 8)), Number(value.slice(8, 10)), Number(value.slice(10, 12)))
    );
  }
  return false;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * True for a payment card number: 16–19 digits, a first digit of 3–6 (the
 * ISO/IEC 7812 industries of travel, banking and finance; UnionPay cards
 * start with 62) and a valid Luhn check digit.
 */
export function isBankCardNumber(digits: string): boolean {
  if (!/^[3-6]\d{15,18}$/.test(digits)) return false;
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * True for a Hong Kong identity card number such as `A123456(3)`, given as
 * its letters, six digits and check character (`A123456`, `3`): weights 9…2
 * over the characters (a single letter counts as a leading space, 36),
 * letters worth 10–35, and the check making the sum a multiple of 11.
 */
export function isHongKongIdNumber(body: string, check: string): boolean {
  const match = /^([A-Z]{1,2})(\d{6})$/.exec(body.toUpperCase());
  if (!match) return false;
  const letters = match[1]!.length === 1 ? ` ${match[1]}` : match[1]!;
  const values = [...letters]
    .map((char) => (char === ' ' ? 36 : char.charCodeAt(0) - 55))
    .concat([...match[2]!].map(Number));
  const sum = values.reduce((total, value, index) => total + value * (9 - index), 0);
  const expected = (11 - (sum % 11)) % 11;
  return check.toUpperCase() === (expected === 10 ? 'A' : String(expected));
}
