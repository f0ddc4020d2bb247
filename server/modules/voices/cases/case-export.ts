/**
 * The deadline export as a spreadsheet-safe CSV: which columns, their labels
 * in Chinese or English, one case as one row, and the CSV encoding itself.
 * Pure: `now` comes in. No personal data is ever a column: no requester,
 * contact, address, message text or reply text, only the case's own facts.
 */
import { CASE_STATES } from './case.ts';
import type { DeadlineStatus } from '../deadlines/deadline.ts';
import type { CaseKind, CaseRecord } from './voices.ts';

/** The languages the export speaks (the web app's). */
export type ExportLanguage = 'zh-CN' | 'en';

/** The export's time zone: deadlines are working days of Chinese cities. */
export const EXPORT_TIME_ZONE = 'Asia/Shanghai';

/** Excel reads a UTF-8 CSV as UTF-8 only when it starts with this byte order mark. */
export const UTF8_BOM = '\uFEFF';

/** One case as the export sees it. */
export interface ExportCase {
  readonly record: CaseRecord;
  readonly departmentName: string | null;
  readonly departmentNameEn: string | null;
  readonly escalated: boolean;
  /** The deadline at export time; null when no department owes an answer. */
  readonly sla: DeadlineStatus | null;
}

type Label = Readonly<Record<ExportLanguage, string>>;
type Cell = string | number | null;

const KINDS: Readonly<Record<CaseKind, Label>> = {
  complaint: { 'zh-CN': '投诉', en: 'Complaint' },
  request_for_help: { 'zh-CN': '求助', en: 'Request for help' },
  consultation: { 'zh-CN': '咨询', en: 'Consultation' },
  suggestion: { 'zh-CN': '建议', en: 'Suggestion' },
  praise: { 'zh-CN': '表扬', en: 'Praise' },
};

const SLA_STATES: Readonly<Record<DeadlineStatus['state'], Label>> = {
  on_time: { 'zh-CN': '正常', en: 'On time' },
  due_soon: { 'zh-CN': '即将到期', en: 'Due soon' },
  overdue: { 'zh-CN': '已超期', en: 'Overdue' },
  paused: { 'zh-CN': '已暂停', en: 'Paused' },
};

const UNITS: Readonly<Record<DeadlineStatus['unit'], Label>> = {
  working_days: { 'zh-CN': '工作日', en: 'working days' },
  hours: { 'zh-CN': '小时', en: 'hours' },
};

const YES: Label = { 'zh-CN': '是', en: 'yes' };
const NO: Label = { 'zh-CN': '否', en: 'no' };

/** The columns in order: a label per language and how to read one case. */
const COLUMNS: readonly { readonly label: Label; readonly cell: (row: ExportCase, lang: ExportLanguage) => Cell }[] = [
  { label: { 'zh-CN': '编号', en: 'Number' }, cell: ({ record }) => record.number },
  { label: { 'zh-CN': '标题', en: 'Title' }, cell: ({ record }) => record.title },
  { label: { 'zh-CN': '类型', en: 'Kind' }, cell: ({ record }, lang) => KINDS[record.kind]?.[lang] ?? record.kind },
  { label: { 'zh-CN': '分类', en: 'Category' }, cell: ({ record }) => record.categoryPath },
  { label: { 'zh-CN': '区域', en: 'District' }, cell: ({ record }) => record.districtName },
  {
    label: { 'zh-CN': '主办单位', en: 'Department' },
    cell: (row, lang) => (lang === 'en' ? (row.departmentNameEn ?? row.departmentName) : row.departmentName),
  },
  { label: { 'zh-CN': '状态', en: 'State' }, cell: ({ record }, lang) => CASE_STATES[record.snapshot.state][lang] },
  { label: { 'zh-CN': '受理时间', en: 'Accepted at' }, cell: ({ record }) => localTime(record.createdAt) },
  { label: { 'zh-CN': '办理时限', en: 'Due at' }, cell: ({ record }) => localTime(record.snapshot.dueAt) },
  {
    label: { 'zh-CN': '剩余时间（负数为超期）', en: 'Time left (negative: overdue by)' },
    cell: ({ sla }) => (sla ? (sla.unit === 'hours' ? Math.round(sla.remaining * 10) / 10 : sla.remaining) : null),
  },
  { label: { 'zh-CN': '时间单位', en: 'Unit' }, cell: ({ sla }, lang) => (sla ? UNITS[sla.unit][lang] : null) },
  {
    label: { 'zh-CN': '时限状态', en: 'SLA state' },
    cell: ({ sla }, lang) => (sla ? SLA_STATES[sla.state][lang] : null),
  },
  { label: { 'zh-CN': '紧急', en: 'Urgent' }, cell: ({ record }, lang) => (record.urgent ? YES : NO)[lang] },
  { label: { 'zh-CN': '督办', en: 'Escalated (督办)' }, cell: (row, lang) => (row.escalated ? YES : NO)[lang] },
  {
    label: { 'zh-CN': '答复时间', en: 'Replied at' },
    cell: ({ record }) => localTime(record.snapshot.reply?.at ?? null),
  },
  {
    label: { 'zh-CN': '评价（本轮平均分）', en: 'Rating (mean of this round)' },
    cell: ({ record }) => meanRating(record),
  },
];

/** The header row's labels. */
export const exportHeader = (lang: ExportLanguage): string[] => COLUMNS.map((column) => column.label[lang]);

/** One case as the cells of its row, in column order. */
export const exportCells = (row: ExportCase, lang: ExportLanguage): Cell[] =>
  COLUMNS.map((column) => column.cell(row, lang));

const LOCAL = new Intl.DateTimeFormat('sv-SE', {
  timeZone: EXPORT_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `2026-03-09 23:59` in Beijing time: what a clerk in the city reads, and Excel parses as a date. */
export function localTime(at: Date | null): string | null {
  return at ? LOCAL.format(at) : null;
}

/** The date part of `localTime`, for file names. */
export const localDate = (at: Date): string => LOCAL.format(at).slice(0, 10);

function meanRating(record: CaseRecord): number | null {
  const { ratings, round } = record.snapshot;
  const scores = ratings.filter((rating) => rating.round === round).map((rating) => rating.score);
  if (scores.length === 0) return null;
  return Math.round((scores.reduce((sum, score) => sum + score, 0) / scores.length) * 10) / 10;
}

/**
 * A text that a spreadsheet would run as a formula (= + - @, or a leading
 * tab or carriage return) gets a leading apostrophe: a citizen's title such
 * as `=HYPERLINK(...)` stays text on the clerk's machine. Numbers are left alone.
 */
export function guardFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One CSV field (RFC 4180): texts guarded and quoted when they hold a comma, quote or line break. */
export function csvField(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = guardFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line, CRLF-terminated as RFC 4180 and Excel expect. */
export const csvLine = (cells: readonly Cell[]): string => `${cells.map(csvField).join(',')}\r\n`;

/**
 * `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266 with RFC 5987
 * encoding): an ASCII fallback for old clients, the exact name for the rest.
 */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
