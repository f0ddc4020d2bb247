/**
 * Reply templates (答复模板), pure: which templates fit a case, and filling
 * their placeholders. No I/O and no clock: `now` comes in.
 */
import { prefixCovers } from '../routing/routing.ts';
import type { CaseKind } from '../cases/voices.ts';

/** A template as stored: replaced, never edited (the chain through `replacesId` is its history). */
export interface ReplyTemplate {
  readonly id: number;
  /** null: every category; '城乡建设' covers it and everything below it. */
  readonly categoryPathPrefix: string | null;
  /** null: every kind. */
  readonly kind: CaseKind | null;
  /** null: the city's template, offered to every department; else that department's own. */
  readonly departmentId: number | null;
  readonly title: string;
  readonly body: string;
  readonly createdAt: Date;
  readonly createdBy: number | null;
  readonly retiredAt: Date | null;
  readonly replacesId: number | null;
}

/** What of a case decides which templates fit it. */
export interface TemplateTarget {
  readonly categoryPath: string | null;
  readonly kind: CaseKind;
  /** The lead department; a department's own templates fit only its cases. */
  readonly departmentId: number | null;
}

const depth = (prefix: string | null): number => (prefix === null ? 0 : prefix.split('/').length);

/** Whether a live template fits the case: category covered (or any), kind the case's (or any), the city's or the lead department's. */
export function templateFits(template: ReplyTemplate, target: TemplateTarget): boolean {
  if (template.retiredAt !== null) return false;
  if (
    template.categoryPathPrefix !== null &&
    (target.categoryPath === null || !prefixCovers(template.categoryPathPrefix, target.categoryPath))
  )
    return false;
  if (template.kind !== null && template.kind !== target.kind) return false;
  return template.departmentId === null || template.departmentId === target.departmentId;
}

/**
 * The live templates that fit a case, best first: the longest category
 * prefix, then a template for the case's kind over one for any kind, then the
 * department's own over the city's, then the newest. O(n log n).
 *
 * @example chooseTemplates(templates, { categoryPath: '城乡建设/住房管理/物业管理', kind: 'complaint', departmentId: 7 })
 */
export function chooseTemplates(templates: readonly ReplyTemplate[], target: TemplateTarget): ReplyTemplate[] {
  const score = (template: ReplyTemplate): number[] => [
    depth(template.categoryPathPrefix),
    template.kind === null ? 0 : 1,
    template.departmentId === null ? 0 : 1,
    template.id,
  ];
  return templates
    .filter((template) => templateFits(template, target))
    .map((template) => ({ template, score: score(template) }))
    .sort((a, b) => compareDescending(a.score, b.score))
    .map((entry) => entry.template);
}

function compareDescending(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < a.length; index += 1) {
    if (a[index] !== b[index]) return b[index]! - a[index]!;
  }
  return 0;
}

/** The facts a template may quote. `salutation` is the requester's name only when the reader may see personal data. */
export interface PlaceholderValues {
  readonly caseNumber: string;
  readonly caseTitle: string;
  readonly categoryPath: string | null;
  /** When the case was opened (受理). */
  readonly acceptedAt: Date;
  /** The lead department's name, and its English name when it has one. */
  readonly department: string | null;
  readonly departmentEn: string | null;
  /** How the requester asked to be called (their contact name), or null: the templates then say 市民朋友 / resident. */
  readonly salutation: string | null;
  /** Today, for {答复日期}. */
  readonly now: Date;
}

type PlaceholderKey =
  'caseNumber' | 'caseTitle' | 'category' | 'acceptedDate' | 'replyDate' | 'department' | 'salutation';

/**
 * The placeholders a template may use, each in Chinese and English. Chinese
 * ones fill Chinese values (dates as 2026年3月5日, the department's Chinese
 * name, 市民朋友 when no name may be used); English ones English values
 * (2026-03-05, the English name when there is one, "resident").
 */
export const PLACEHOLDERS: readonly {
  readonly key: PlaceholderKey;
  readonly zh: string;
  readonly en: string;
  readonly means: string;
}[] = [
  { key: 'caseNumber', zh: '案件编号', en: 'case_number', means: 'the case number, e.g. 2026-000123' },
  { key: 'caseTitle', zh: '诉求标题', en: 'case_title', means: 'the title of the case' },
  { key: 'category', zh: '诉求类别', en: 'category', means: 'the most specific name of its category' },
  { key: 'acceptedDate', zh: '受理日期', en: 'accepted_date', means: 'the day it was accepted (China time)' },
  { key: 'replyDate', zh: '答复日期', en: 'reply_date', means: 'today (China time)' },
  { key: 'department', zh: '承办单位', en: 'department', means: 'the lead department' },
  {
    key: 'salutation',
    zh: '诉求人称呼',
    en: 'salutation',
    means: "the requester's name as they gave it, only for readers allowed to see it",
  },
];

const BY_NAME = new Map<string, { key: PlaceholderKey; lang: 'zh' | 'en' }>(
  PLACEHOLDERS.flatMap((placeholder) => [
    [placeholder.zh, { key: placeholder.key, lang: 'zh' }],
    [placeholder.en, { key: placeholder.key, lang: 'en' }],
  ]),
);

/** Dates are the city's (China time, no daylight saving), whatever the server's zone. */
const DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

function dayOf(at: Date, lang: 'zh' | 'en'): string {
  const iso = DAY.format(at);
  if (lang === 'en') return iso;
  const [year, month, day] = iso.split('-');
  return `${year}年${Number(month)}月${Number(day)}日`;
}

function valueOf(key: PlaceholderKey, lang: 'zh' | 'en', values: PlaceholderValues): string | null {
  switch (key) {
    case 'caseNumber':
      return values.caseNumber;
    case 'caseTitle':
      return values.caseTitle;
    case 'category':
      return values.categoryPath === null ? null : values.categoryPath.split('/').at(-1)!;
    case 'acceptedDate':
      return dayOf(values.acceptedAt, lang);
    case 'replyDate':
      return dayOf(values.now, lang);
    case 'department':
      return lang === 'en' ? (values.departmentEn ?? values.department) : values.department;
    case 'salutation':
      return values.salutation ?? (lang === 'en' ? 'resident' : '市民朋友');
  }
}

/** A filled template: the text, and the placeholders left as written (unknown, or no value for this case). */
export interface FilledTemplate {
  readonly text: string;
  readonly unfilled: readonly string[];
}

/**
 * Replaces `{案件编号}`, `{case_number}` and the other `PLACEHOLDERS` in
 * `body`. A placeholder it does not know, or one without a value for this
 * case (no department yet, no category), stays as written and is listed in
 * `unfilled`, so the handler sees what to complete. O(length of body).
 *
 * @example fillTemplate('您反映的{诉求类别}问题（{案件编号}）已办理。', values).text
 */
export function fillTemplate(body: string, values: PlaceholderValues): FilledTemplate {
  const unfilled = new Set<string>();
  const text = body.replace(/\{([^{}\s]{1,30})\}/g, (whole, name: string) => {
    const placeholder = BY_NAME.get(name);
    const value = placeholder && valueOf(placeholder.key, placeholder.lang, values);
    if (value === undefined || value === null) {
      unfilled.add(whole);
      return whole;
    }
    return value;
  });
  return { text, unfilled: [...unfilled] };
}
