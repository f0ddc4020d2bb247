/**
 * The column-mapping file of a hotline import (docs/hotline-import.md): which
 * column of an export holds what, and how values become ours (kinds, taxonomy
 * paths, district and department codes, instants). Pure: reading the mapping
 * and turning one row into a `HotlineRow` or its problems touch no database.
 */
import { z } from 'zod';
import { normaliseColumnName } from '../../../platform/index.ts';
import { CASE_KINDS, MAX_BODY_LENGTH, MAX_TITLE_LENGTH, type CaseKind } from '../cases/voices.ts';

/** The longest reply kept, in characters: replies in exports run long (teddy2020 has 7,883). */
export const MAX_REPLY_LENGTH = 20_000;
export const MAX_SOURCE_ID_LENGTH = 200;

const column = z.string().trim().min(1, 'a column name').max(200);
const timeZone = z
  .string()
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'an IANA time zone such as Asia/Shanghai');
const timeFormat = z.enum(['auto', 'unix-seconds', 'unix-ms']);
const unknownPolicy = z.enum(['empty', 'reject']);

/** A column, or a column with options: the short form is `"title"`. */
const textField = z.union([column, z.object({ column }).strict()]);
const timeField = z.union([
  column,
  z.object({ column, format: timeFormat.optional(), timeZone: timeZone.optional() }).strict(),
]);
const valueMap = z.record(z.string(), z.string().trim().min(1, 'a non-empty target'));
/** A column whose values are looked up (after an optional `pattern` picks part of them), or a constant. */
const mappedField = z.union([
  column,
  z
    .object({
      column,
      /** A regular expression; its first capture group (or the whole match) is the value looked up. */
      pattern: z.string().optional(),
      map: valueMap.optional(),
      /** A value the map (or the city) does not know: leave the field empty (default) or reject the row. */
      unknown: unknownPolicy.optional(),
    })
    .strict(),
  z.object({ constant: z.string().trim().min(1) }).strict(),
]);

export const hotlineMappingSchema = z
  .object({
    $schema: z.string().optional(),
    description: z.string().optional(),
    sourceSystem: z.string().trim().regex(/^[A-Za-z0-9._-]{1,40}$/, 'letters, digits, . _ - only, at most 40'),
    sourceId: textField,
    title: textField,
    body: textField,
    submittedAt: timeField,
    kind: mappedField,
    category: mappedField.optional(),
    district: mappedField.optional(),
    department: mappedField.optional(),
    reply: textField.optional(),
    repliedAt: timeField.optional(),
    /** What a case with a reply becomes: `closed` (default) or left `replied`. */
    finalState: z.enum(['closed', 'replied']).optional(),
    /** The default time zone of every time column without its own. */
    timeZone: timeZone.optional(),
  })
  .strict()
  .refine((mapping) => (mapping.reply === undefined) === (mapping.repliedAt === undefined), {
    message: 'give both reply and repliedAt, or neither',
    path: ['repliedAt'],
  });

export type HotlineMappingFile = z.infer<typeof hotlineMappingSchema>;

interface TimeSpec {
  readonly column: string;
  readonly format: z.infer<typeof timeFormat>;
  readonly timeZone: string;
}

export type MappedSpec =
  | { readonly constant: string }
  | { readonly column: string; readonly pattern: RegExp | null; readonly map: ReadonlyMap<string, string> | null; readonly unknown: 'empty' | 'reject' };

/** A checked mapping, column names normalised as the tabular reader gives them. */
export interface HotlineMapping {
  readonly sourceSystem: string;
  readonly sourceId: string;
  readonly title: string;
  readonly body: string;
  readonly submittedAt: TimeSpec;
  readonly kind: MappedSpec;
  readonly category: MappedSpec | null;
  readonly district: MappedSpec | null;
  readonly department: MappedSpec | null;
  readonly reply: string | null;
  readonly repliedAt: TimeSpec | null;
  readonly finalState: 'closed' | 'replied';
}

/** A problem with the mapping itself: `path` names the setting (`kind.map.投诉`). */
export interface MappingProblem {
  readonly path: string;
  readonly message: string;
}

export class MappingError extends Error {
  readonly problems: MappingProblem[];
  constructor(file: string, problems: MappingProblem[]) {
    super(`${file}: the mapping is not valid: ${problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ')}`);
    this.name = 'MappingError';
    this.problems = problems;
  }
}

const columnOf = (field: string | { column: string }): string => normaliseColumnName(typeof field === 'string' ? field : field.column);

/**
 * Checks a parsed mapping file and returns it ready for use.
 *
 * @throws MappingError listing every problem by setting path.
 */
export function parseHotlineMapping(raw: unknown, file = 'mapping'): HotlineMapping {
  const result = hotlineMappingSchema.safeParse(raw);
  if (!result.success) {
    throw new MappingError(
      file,
      result.error.issues.map((issue) => ({ path: issue.path.join('.') || '(root)', message: issue.message })),
    );
  }
  const mapping = result.data;
  const problems: MappingProblem[] = [];
  const zone = mapping.timeZone ?? 'Asia/Shanghai';
  const time = (field: z.infer<typeof timeField>): TimeSpec => ({
    column: columnOf(field),
    format: typeof field === 'string' ? 'auto' : (field.format ?? 'auto'),
    timeZone: typeof field === 'string' ? zone : (field.timeZone ?? zone),
  });
  const mapped = (path: string, field: z.infer<typeof mappedField> | undefined): MappedSpec | null => {
    if (field === undefined) return null;
    if (typeof field === 'string') return { column: columnOf(field), pattern: null, map: null, unknown: 'empty' };
    if ('constant' in field) return { constant: field.constant };
    let pattern: RegExp | null = null;
    if (field.pattern !== undefined) {
      try {
        pattern = new RegExp(field.pattern, 'u');
      } catch (error) {
        problems.push({ path: `${path}.pattern`, message: `not a regular expression: ${(error as Error).message}` });
      }
    }
    return { column: columnOf(field), pattern, map: field.map ? new Map(Object.entries(field.map)) : null, unknown: field.unknown ?? 'empty' };
  };
  const kind = mapped('kind', mapping.kind)!;
  const kindTargets = 'constant' in kind ? [['kind.constant', kind.constant]] : [...(kind.map ?? new Map<string, string>())].map(([from, to]) => [`kind.map.${from}`, to]);
  for (const [path, target] of kindTargets) {
    if (!CASE_KINDS.includes(target as CaseKind)) problems.push({ path: path!, message: `"${target}" is not one of ${CASE_KINDS.join(', ')}` });
  }
  const checked: HotlineMapping = {
    sourceSystem: mapping.sourceSystem,
    sourceId: columnOf(mapping.sourceId),
    title: columnOf(mapping.title),
    body: columnOf(mapping.body),
    submittedAt: time(mapping.submittedAt),
    kind,
    category: mapped('category', mapping.category),
    district: mapped('district', mapping.district),
    department: mapped('department', mapping.department),
    reply: mapping.reply === undefined ? null : columnOf(mapping.reply),
    repliedAt: mapping.repliedAt === undefined ? null : time(mapping.repliedAt),
    finalState: mapping.finalState ?? 'closed',
  };
  if (problems.length > 0) throw new MappingError(file, problems);
  return checked;
}

/** The columns the mapping reads; the file must have them all (other columns are ignored). */
export function columnsRead(mapping: HotlineMapping): string[] {
  const columns = [mapping.sourceId, mapping.title, mapping.body, mapping.submittedAt.column, mapping.reply, mapping.repliedAt?.column];
  for (const spec of [mapping.kind, mapping.category, mapping.district, mapping.department]) if (spec && 'column' in spec) columns.push(spec.column);
  return [...new Set(columns.filter((name): name is string => typeof name === 'string'))];
}

/** The targets a mapping names that the city must know: taxonomy paths, region and department codes. */
export function targetsOf(mapping: HotlineMapping): { categories: Map<string, string>; districts: Map<string, string>; departments: Map<string, string> } {
  const collect = (name: string, spec: MappedSpec | null): Map<string, string> => {
    const targets = new Map<string, string>();
    if (!spec) return targets;
    if ('constant' in spec) targets.set(`${name}.constant`, spec.constant);
    else for (const [from, to] of spec.map ?? []) targets.set(`${name}.map.${from}`, to);
    return targets;
  };
  return { categories: collect('category', mapping.category), districts: collect('district', mapping.district), departments: collect('department', mapping.department) };
}

// ───────────────────────────── times ─────────────────────────────

const LOCAL_TIME = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** The offset of `zone` from UTC at `instant`, in minutes. */
function offsetMinutes(zone: string, instant: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string): number => Number(parts.find((part) => part.type === type)?.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((local - Math.floor(instant / 1000) * 1000) / 60_000);
}

/**
 * An instant from a cell: ISO-like `2019-04-25T09:32:09`, `2019/4/25 9:32`,
 * a date alone, with an optional offset (else wall time in `timeZone`), or a
 * Unix time. Null when the text is not a time.
 */
export function parseTime(text: string, spec: Pick<TimeSpec, 'format' | 'timeZone'>): Date | null {
  const value = text.trim();
  if (spec.format !== 'auto') {
    if (!/^\d+(\.\d+)?$/.test(value)) return null;
    const date = new Date(Number(value) * (spec.format === 'unix-seconds' ? 1000 : 1));
    return Number.isNaN(date.getTime()) ? null : date;
  }
  const match = LOCAL_TIME.exec(value);
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '0', offset] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (new Date(wall).getUTCDate() !== day) return null; // 2019-02-30
  if (offset) {
    if (offset.toUpperCase() === 'Z') return new Date(wall);
    const sign = offset.startsWith('-') ? -1 : 1;
    const digits = offset.slice(1).replace(':', '');
    return new Date(wall - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000);
  }
  let instant = wall - offsetMinutes(spec.timeZone, wall) * 60_000;
  instant = wall - offsetMinutes(spec.timeZone, instant) * 60_000;
  return new Date(instant);
}

// ───────────────────────────── rows ─────────────────────────────

/** One row as the import stores it; references still as codes and paths. */
export interface HotlineRow {
  readonly line: number;
  readonly sourceId: string;
  readonly title: string;
  readonly body: string;
  readonly submittedAt: Date;
  readonly kind: CaseKind;
  readonly categoryPath: string | null;
  readonly districtCode: string | null;
  readonly departmentCode: string | null;
  readonly reply: { readonly text: string; readonly at: Date } | null;
}

/** What the city knows, to resolve mapped values: taxonomy paths, district and department codes. */
export interface CityVocabulary {
  readonly categories: ReadonlySet<string>;
  readonly districts: ReadonlySet<string>;
  readonly departments: ReadonlySet<string>;
}

/** A problem with one row: the field is the mapping's name for it (`submittedAt`), never the cell's content. */
export interface RowProblem {
  readonly line: number;
  readonly field: string;
  readonly message: string;
}

function lookUp(spec: MappedSpec, values: Record<string, string>): { value: string | null; raw: string } {
  if ('constant' in spec) return { value: spec.constant, raw: spec.constant };
  let raw = (values[spec.column] ?? '').trim();
  if (spec.pattern && raw !== '') {
    const match = spec.pattern.exec(raw);
    raw = match ? (match[1] ?? match[0]) : '';
  }
  if (raw === '') return { value: null, raw };
  return { value: spec.map ? (spec.map.get(raw) ?? null) : raw, raw };
}

/** Turns one data row into a `HotlineRow`, or lists its problems. */
export function parseHotlineRow(
  mapping: HotlineMapping,
  vocabulary: CityVocabulary,
  line: number,
  values: Record<string, string>,
): { row: HotlineRow } | { problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const problem = (field: string, message: string): void => void problems.push({ line, field, message });
  const cell = (name: string): string => (values[name] ?? '').trim();

  const sourceId = cell(mapping.sourceId);
  if (sourceId === '') problem('sourceId', 'required');
  else if (sourceId.length > MAX_SOURCE_ID_LENGTH) problem('sourceId', `at most ${MAX_SOURCE_ID_LENGTH} characters`);
  const title = cell(mapping.title);
  if (title.length < 1 || title.length > MAX_TITLE_LENGTH) problem('title', `1 to ${MAX_TITLE_LENGTH} characters`);
  const body = cell(mapping.body);
  if (body.length < 1 || body.length > MAX_BODY_LENGTH) problem('body', `1 to ${MAX_BODY_LENGTH} characters`);
  const submittedText = cell(mapping.submittedAt.column);
  const submittedAt = submittedText === '' ? null : parseTime(submittedText, mapping.submittedAt);
  if (submittedText === '') problem('submittedAt', 'required');
  else if (!submittedAt) problem('submittedAt', 'not a date and time (e.g. 2019-04-25 09:32:09)');

  const kind = lookUp(mapping.kind, values);
  if (kind.value === null) problem('kind', kind.raw === '' ? 'required' : `"${kind.raw}" is not in the kind map`);
  else if (!CASE_KINDS.includes(kind.value as CaseKind)) problem('kind', `"${kind.value}" is not one of ${CASE_KINDS.join(', ')}`);

  const reference = (field: string, spec: MappedSpec | null, known: ReadonlySet<string>, what: string): string | null => {
    if (!spec) return null;
    const found = lookUp(spec, values);
    if (found.value !== null && known.has(found.value)) return found.value;
    if (found.raw !== '' && 'unknown' in spec && spec.unknown === 'reject') problem(field, `"${found.raw}" is not ${what}`);
    return null;
  };
  const categoryPath = reference('category', mapping.category, vocabulary.categories, 'a known category');
  const districtCode = reference('district', mapping.district, vocabulary.districts, 'a known district');
  const departmentCode = reference('department', mapping.department, vocabulary.departments, 'a known department');

  let reply: HotlineRow['reply'] = null;
  if (mapping.reply !== null && mapping.repliedAt !== null) {
    const text = cell(mapping.reply);
    const atText = cell(mapping.repliedAt.column);
    if (text !== '' || atText !== '') {
      const at = atText === '' ? null : parseTime(atText, mapping.repliedAt);
      if (text === '') problem('reply', 'required when repliedAt is given');
      else if (text.length > MAX_REPLY_LENGTH) problem('reply', `at most ${MAX_REPLY_LENGTH} characters`);
      if (atText === '') problem('repliedAt', 'required when there is a reply');
      else if (!at) problem('repliedAt', 'not a date and time (e.g. 2019-05-10 14:56:53)');
      else if (submittedAt && at.getTime() < submittedAt.getTime()) problem('repliedAt', 'before the message was submitted');
      if (problems.length === 0 && at) reply = { text, at };
    }
  }
  if (problems.length > 0) return { problems };
  return {
    row: { line, sourceId, title, body, submittedAt: submittedAt!, kind: kind.value as CaseKind, categoryPath, districtCode, departmentCode, reply },
  };
}
