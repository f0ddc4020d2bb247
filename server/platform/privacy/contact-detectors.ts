/**
 * E-mail addresses and telephone numbers. Mobile numbers are precise on their
 * own (eleven digits starting 13–19); landlines need either an area code or a
 * word that says "phone" right before them, because a bare seven- or
 * eight-digit number is far more often a count, an amount or a file number.
 */
import { candidate, isAmount, starAlphanumerics, type Candidate, type Source } from './personal-data.ts';

const EMAIL =
  /(?<![A-Za-z0-9._%+-])([A-Za-z0-9](?:[A-Za-z0-9._%+-]*[A-Za-z0-9_%+-])?)@((?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,})(?![A-Za-z0-9-])/g;

/**
 * E-mail addresses, shown as the first character of the mailbox, `***` and
 * the domain: `john.smith@example.com` → `j***@example.com`. The domain is
 * kept because it tells a reader "a QQ mailbox" or "a company address", not
 * who; the fixed `***` hides the mailbox's length.
 */
export function detectEmails(source: Source): Candidate[] {
  return [...source.ascii.matchAll(EMAIL)].map((match) =>
    candidate(source, 'email', match.index, match.index + match[0].length, (written) => {
      const at = written.indexOf('@') >= 0 ? written.indexOf('@') : written.indexOf('＠');
      return `${written[0]}***${written.slice(at)}`;
    }),
  );
}

/** One separator inside a phone number: space, no-break space, hyphen or dash. */
const SEPARATOR = '[ \\u00a0\\-\\u2014\\u2013]';

const MOBILE = new RegExp(
  `(?<![0-9+])(?<prefix>(?:\\+|00)?86${SEPARATOR}?|\\(\\+?86\\)${SEPARATOR}?)?(?<number>1[3-9]\\d${SEPARATOR}?\\d{4}${SEPARATOR}?\\d{4})(?!\\d)`,
  'g',
);

/** Area codes: 010, 02x, and the four-digit 03xx–09xx. */
const AREA_CODE = '(?:010|02\\d|0[3-9]\\d{2})';

/** A local number: seven or eight digits, never starting with 0, 1 or 9 (those are trunk, service and mobile prefixes). */
const LOCAL_NUMBER = `[2-8]\\d{2,3}${SEPARATOR}?\\d{4}`;

const LANDLINE = new RegExp(
  `(?<!\\d)(?<area>\\(${AREA_CODE}\\)|${AREA_CODE})(?<separator>${SEPARATOR}{0,3})(?<local>${LOCAL_NUMBER})(?!\\d)`,
  'g',
);

/** A local number with no area code counts only right after a word that says it is a phone number. */
const CUED_LOCAL = new RegExp(
  `(?:电话|座机|固话|手机|联系方式|联系|致电|拨打|来电|热线|传真|(?<![A-Za-z])(?:[Tt]el|TEL|[Pp]hone|PHONE|[Cc]all|[Ff]ax))(?:号码|号)?[^\\d\\n。;]{0,4}?(?<local>${LOCAL_NUMBER})(?!\\d)`,
  'g',
);

/** A further number in a list after a phone number: `电话：8805667，8805670`, `7710052或者7179355`. */
const LISTED_LOCAL = new RegExp(`(?: ?(?:[、,/;]|或者|或|及|和) ?)(?<local>${LOCAL_NUMBER})(?!\\d)`, 'y');

/**
 * Mobile and landline numbers. Mobiles keep their first three and last four
 * digits (`138****5678`, the form Chinese banks and carriers print), with any
 * `+86` prefix and the writer's spaces or dashes left in place. Landlines
 * keep the area code, which only names a city, and the last two digits of
 * the local number (`0532-******78`), enough to tell two numbers in one
 * reply apart.
 */
export function detectPhones(source: Source): Candidate[] {
  const { ascii } = source;
  const found: Candidate[] = [];

  for (const match of ascii.matchAll(MOBILE)) {
    const start = match.index;
    const end = start + match[0].length;
    if (isAmount(ascii, start, end)) continue;
    const prefixLength = match.groups!.prefix?.length ?? 0;
    found.push(
      candidate(
        source,
        'mobile',
        start,
        end,
        (written) => written.slice(0, prefixLength) + starAlphanumerics(written.slice(prefixLength), 3, 4),
      ),
    );
  }
  for (const match of ascii.matchAll(LANDLINE)) {
    const start = match.index;
    const end = start + match[0].length;
    if (isAmount(ascii, start, end)) continue;
    const localStart = end - match.groups!.local!.length;
    found.push(candidate(source, 'landline', start, end, (written) => maskLocal(written, localStart - start)));
  }
  for (const match of ascii.matchAll(CUED_LOCAL)) {
    const end = match.index + match[0].length;
    const start = end - match.groups!.local!.length;
    if (isAmount(ascii, start, end)) continue;
    found.push(candidate(source, 'landline', start, end, (written) => maskLocal(written, 0)));
  }
  return [...found, ...listedAfter(source, found)];
}

function maskLocal(written: string, localStart: number): string {
  return written.slice(0, localStart) + starAlphanumerics(written.slice(localStart), 0, 2);
}

/** The local numbers listed after each phone number found, however many follow in a row. */
function listedAfter(source: Source, phones: Candidate[]): Candidate[] {
  const listed: Candidate[] = [];
  const queue = [...phones];
  for (const phone of queue) {
    LISTED_LOCAL.lastIndex = phone.end;
    const match = LISTED_LOCAL.exec(source.ascii);
    if (!match) continue;
    const end = match.index + match[0].length;
    const start = end - match.groups!.local!.length;
    if (isAmount(source.ascii, start, end)) continue;
    const next = candidate(source, 'landline', start, end, (written) => maskLocal(written, 0));
    listed.push(next);
    queue.push(next);
  }
  return listed;
}
