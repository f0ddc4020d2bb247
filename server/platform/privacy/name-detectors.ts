/**
 * Personal names. Without a dictionary of everyone, a name can only be told
 * from an ordinary word by what announces it: 我叫, 姓名：, 联系人, 业主 … before
 * a Chinese name, 先生/女士/小姐 after one, "my name is", "Mr." before an
 * English one. Names anywhere else (a bare 王强益驾驶) are not found; that is
 * the price of not masking every second word.
 */
import { candidate, isHan, type Candidate, type Source } from './personal-data.ts';
import {
  COMPOUND_SURNAMES,
  LEADING_SURNAMES,
  NOT_A_FIRST_GIVEN_CHARACTER,
  NOT_A_GIVEN_CHARACTER,
  SURNAMES,
  WEAK_CONTEXT_NON_SURNAMES,
  WORDS_NOT_NAMES,
} from './surnames.ts';

/** Cues that say "a name follows" by themselves. */
const STRONG_CUES = ['我叫', '名叫', '我的名字叫', '我的名字是', '姓名是', '姓名为', '姓名叫'];

/**
 * Words a person is named after: strong when a colon follows (`联系人：张三`),
 * weak otherwise (`业主张三反映`, but also `姓名和联系方式`, `签名盖章`).
 */
// prettier-ignore
const ROLE_CUES = [
  '姓名', '签名', '署名', '联系人', '本人', '业主', '车主', '户主', '房东', '房主', '租户', '法定代表人', '法人代表', '法人',
  '负责人', '经理', '店主', '老板', '司机', '驾驶员', '当事人', '投诉人', '举报人', '申请人', '收件人', '收货人', '委托人',
  '监护人',
];

const longestFirst = (cues: string[]): string => [...cues].sort((a, b) => b.length - a.length).join('|');
/** 业主 inside 行业主管, 物业主任 … is not a cue. */
const CHINESE_CUE = new RegExp(
  `(?<strong>${longestFirst(STRONG_CUES)})|(?<![行林物事企农商产专创就职])(?<role>${longestFirst(ROLE_CUES)})(?<colon> ?: ?)?`,
  'g',
);

/** After a strong cue a name is cut short only by these: function words, 住/电/身/男/岁 … (我叫张三，男，电话…). */
const STRONG_NAME_ENDS = new Set([...NOT_A_FIRST_GIVEN_CHARACTER, ...'男性岁系户来自年镇乡村区县市省参']);

type Strength = 'strong' | 'weak';

/**
 * Chinese names after a cue, shown as the surname and one `*` per given-name
 * character: 我叫张三 → 我叫张*, 联系人：欧阳娜娜 → 联系人：欧阳**. The surname
 * alone is shared by millions and lets a reply still read naturally.
 * Already-anonymised names (张某, 黄某某) are left as they are.
 */
export function detectChineseNames(source: Source): Candidate[] {
  const found: Candidate[] = [];
  for (const cue of source.ascii.matchAll(CHINESE_CUE)) {
    const strength: Strength = cue.groups!.strong || cue.groups!.colon ? 'strong' : 'weak';
    const start = cue.index + cue[0].length;
    const name = readName(source.text, start, strength);
    if (name) found.push(maskedName(source, start, name));
  }
  for (const honorific of source.text.matchAll(/先生|女士|小姐/g)) {
    const name = nameBefore(source.text, honorific.index);
    if (name) found.push(maskedName(source, honorific.index - name.surname.length - name.given, name));
  }
  return found;
}

interface Name {
  surname: string;
  given: number;
}

function maskedName(source: Source, start: number, name: Name): Candidate {
  return candidate(
    source,
    'name',
    start,
    start + name.surname.length + name.given,
    () => name.surname + '*'.repeat(name.given),
  );
}

/**
 * A surname and one or two given-name characters starting at `start`. After a
 * weak cue the name must also end at a word boundary, so that 业主委员会 or
 * 车主方面 is not read as a person.
 */
function readName(text: string, start: number, strength: Strength): Name | undefined {
  const surname = surnameAt(text, start, strength);
  if (!surname) return undefined;
  const givenStart = start + surname.length;
  const first = text[givenStart];
  const notFirst = strength === 'strong' ? NOT_A_FIRST_GIVEN_CHARACTER : NOT_A_GIVEN_CHARACTER;
  if (!isHan(first) || notFirst.has(first!)) return undefined;
  if (WORDS_NOT_NAMES.has(surname + first)) return undefined;
  const second = text[givenStart + 1];
  const twoFit = isHan(second) && !(strength === 'strong' ? STRONG_NAME_ENDS : NOT_A_GIVEN_CHARACTER).has(second!);
  // Two given characters when they fit; after a weak cue, one if only that ends at a word boundary.
  for (const given of twoFit ? [2, 1] : [1]) {
    if (strength === 'strong' || endsAWord(text[givenStart + given])) return { surname, given };
  }
  return undefined;
}

function surnameAt(text: string, start: number, strength: Strength): string | undefined {
  const compound = COMPOUND_SURNAMES.find((surname) => text.startsWith(surname, start));
  if (compound) return compound;
  const char = text[start];
  if (char === undefined || !SURNAMES.has(char)) return undefined;
  return strength === 'weak' && WEAK_CONTEXT_NON_SURNAMES.has(char) ? undefined : char;
}

/** After a name comes punctuation, a non-Han character, or a word that cannot be part of the name. */
function endsAWord(next: string | undefined): boolean {
  return next === undefined || !isHan(next) || NOT_A_GIVEN_CHARACTER.has(next);
}

/**
 * The name right before an honorific at `at`, read backwards: 张先生 is a
 * surname only (nothing to mask), 李明先生 a surname and one given character,
 * 刘晓明先生 two. When both readings fit (感谢张明先生: 谢张明 or 张明), the
 * one starting with the more common surname wins.
 */
function nameBefore(text: string, at: number): Name | undefined {
  const [c3, c2, c1] = [text[at - 3], text[at - 2], text[at - 1]];
  if (!isHan(c1) || LEADING_SURNAMES.has(c1!) || NOT_A_GIVEN_CHARACTER.has(c1!)) return undefined;
  if (COMPOUND_SURNAMES.some((surname) => text.startsWith(surname, at - surname.length))) return undefined;
  for (const given of [2, 1]) {
    const compound = COMPOUND_SURNAMES.find((surname) => text.startsWith(surname, at - given - surname.length));
    if (compound) return { surname: compound, given };
  }
  const isWeakSurname = (char: string | undefined): boolean =>
    char !== undefined && SURNAMES.has(char) && !WEAK_CONTEXT_NON_SURNAMES.has(char);
  const threeCharacters =
    isWeakSurname(c3) && isHan(c2) && !NOT_A_FIRST_GIVEN_CHARACTER.has(c2!) && !WORDS_NOT_NAMES.has(c3! + c2!);
  const twoCharacters = isWeakSurname(c2) && !WORDS_NOT_NAMES.has(c2! + c1!);
  if (twoCharacters && (LEADING_SURNAMES.has(c2!) || !threeCharacters)) return { surname: c2!, given: 1 };
  if (threeCharacters) return { surname: c3!, given: 2 };
  return undefined;
}

/** One English name word: `John`, `McDonald`, `O'Brien`, `Smith-Jones`. */
const NAME_WORD = "[A-Z][a-z]*(?:['’-]?[A-Z][a-z]+)*[a-z]";
const NAME_WORDS = `${NAME_WORD}(?: ${NAME_WORD}){0,2}`;

/** Words that follow "contact" or a title but are not names. */
// prettier-ignore
const NOT_NAME_WORDS = new Set([
  'The', 'Us', 'Our', 'Your', 'Customer', 'Service', 'Services', 'Support', 'City', 'Office', 'Department', 'Hotline',
  'Center', 'Centre', 'Bureau', 'Team', 'Information', 'Desk', 'Police', 'Government', 'Municipal', 'Committee',
  'Hall', 'Street', 'Road', 'District', 'Admin', 'Administration', 'Management', 'Property', 'Company', 'Me', 'Him',
  'Her', 'Them', 'If', 'For', 'And', 'Or', 'On', 'At', 'In', 'To', 'By', 'Via',
]);

const ENGLISH_TITLE = new RegExp(`\\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\\.? (?<name>${NAME_WORDS})`, 'g');
const ENGLISH_PHRASE = new RegExp(
  `\\b(?:[Mm]y name is|[Mm]y name's|I am called|I'm called|[Nn]ame: ?|[Nn]amed|[Ss]igned:?|[Cc]ontact person:?)\\s+(?<name>${NAME_WORDS})`,
  'g',
);
const ENGLISH_CONTACT = new RegExp(`\\b[Cc]ontact (?<name>${NAME_WORD} ${NAME_WORDS})`, 'g');

/**
 * English names after a title or a phrase that introduces one, each word
 * shown as its initial and `***`: `Mr. Smith` → `Mr. S***`, `my name is John
 * Smith` → `my name is J*** S***`. After "contact", two capitalised words are
 * needed (`contact John Smith`, not `contact Customer Service`).
 */
export function detectEnglishNames(source: Source): Candidate[] {
  const found: Candidate[] = [];
  for (const pattern of [ENGLISH_TITLE, ENGLISH_PHRASE, ENGLISH_CONTACT]) {
    for (const match of source.ascii.matchAll(pattern)) {
      const words = match.groups!.name!.split(' ');
      const firstNotName = words.findIndex((word) => NOT_NAME_WORDS.has(word));
      const kept = firstNotName === -1 ? words : words.slice(0, firstNotName);
      if (kept.length === 0 || (pattern === ENGLISH_CONTACT && kept.length < 2)) continue;
      const start = match.index + match[0].length - match.groups!.name!.length;
      const end = start + kept.join(' ').length;
      found.push(
        candidate(source, 'name', start, end, (written) =>
          written
            .split(' ')
            .map((word) => `${word[0]}***`)
            .join(' '),
        ),
      );
    }
  }
  return found;
}
