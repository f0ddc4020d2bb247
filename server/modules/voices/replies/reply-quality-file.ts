/**
 * The file form of reply scoring (`minxin replies score --input FILE.jsonl`):
 * one message with its reply per line (`id`, `title`, `body`, `time`,
 * `reply`, `reply_time`, as in the teddy2020 replies file), checked field by
 * field, and one JSON line of scores per input line. Pure.
 */
import { REPLY_QUALITY_METHOD, scoreReply, type DimensionScore, type ReplyDelay, type ReplyQuality } from '../../../algorithms/reply-quality/index.ts';
import { DEFAULT_SLA_POLICY } from '../deadlines/deadline.ts';
import { localDateOf, workingDaysBetweenDates } from './reply-quality.ts';

/** Characters a text field may hold: a message or reply longer than this is not one. */
export const MAX_FIELD_CHARS = 100_000;
/** The limit replies are timed against when the file does not say: the SLA fallback, 15 working days. */
export const DEFAULT_LIMIT_DAYS = DEFAULT_SLA_POLICY.fallback.amount;

/** One line of the input, checked. */
export interface ReplyRecord {
  readonly id: string | number;
  readonly title: string;
  readonly body: string;
  readonly reply: string;
  /** The local dates of message and reply (`YYYY-MM-DD`), both or neither. */
  readonly dates: { readonly message: string; readonly reply: string } | null;
}

/** A problem with one field of one line, printed as `FILE:LINE: field: problem`. */
export interface LineProblem {
  readonly line: number;
  readonly field: string;
  readonly problem: string;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * A time as the file writes it: local wall-clock time (`2019-04-25T09:32:09`,
 * the city's zone implied), a bare date, or an instant with an offset.
 * Returns the city's local date, or a problem.
 */
export function localDateOfField(value: unknown): { date: string } | { problem: string } {
  if (typeof value !== 'string') return { problem: 'must be a date and time such as 2019-04-25T09:32:09' };
  const text = value.trim();
  if (WITH_OFFSET.test(text)) {
    const instant = new Date(text);
    return Number.isNaN(instant.getTime()) ? { problem: `"${clip(text)}" is not a valid time` } : { date: localDateOf(instant) };
  }
  const match = LOCAL.exec(text);
  if (!match) return { problem: `"${clip(text)}" is not a date and time such as 2019-04-25T09:32:09` };
  const [, y, m, d, hh = '0', mm = '0', ss = '0'] = match;
  const check = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d), Number(hh), Number(mm), Number(ss)));
  const valid =
    check.getUTCFullYear() === Number(y) && check.getUTCMonth() === Number(m) - 1 && check.getUTCDate() === Number(d) && Number(hh) < 24 && Number(mm) < 60 && Number(ss) < 60;
  return valid && Number(y) >= 1970 ? { date: `${y}-${m}-${d}` } : { problem: `"${clip(text)}" is not a valid date` };
}

const clip = (text: string): string => (text.length > 40 ? `${text.slice(0, 40)}…` : text);

/**
 * Checks one line. Every problem of the line is listed; a line that is not
 * a JSON object is one problem.
 */
export function parseReplyLine(text: string, line: number): { record: ReplyRecord } | { problems: LineProblem[] } {
  const problems: LineProblem[] = [];
  const problem = (field: string, message: string): void => void problems.push({ line, field, problem: message });
  if (text.includes('\u0000')) return { problems: [{ line, field: 'line', problem: 'contains binary data (a NUL byte)' }] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { problems: [{ line, field: 'line', problem: `not valid JSON (${(error as Error).message})` }] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { problems: [{ line, field: 'line', problem: 'must be a JSON object' }] };
  const row = parsed as Record<string, unknown>;
  const { id } = row;
  if (id === undefined || id === null) problem('id', 'missing');
  else if (!((typeof id === 'number' && Number.isSafeInteger(id)) || (typeof id === 'string' && id.trim() !== '' && id.length <= 200)))
    problem('id', 'must be a whole number or a non-empty string of at most 200 characters');
  const textField = (field: string, required: boolean): string => {
    const value = row[field];
    if (value === undefined || value === null) {
      if (required) problem(field, 'missing');
      return '';
    }
    if (typeof value !== 'string') {
      problem(field, 'must be a string');
      return '';
    }
    if (value.length > MAX_FIELD_CHARS) problem(field, `longer than ${MAX_FIELD_CHARS.toLocaleString('en')} characters`);
    else if (required && value.trim() === '') problem(field, 'is empty');
    return value;
  };
  const title = textField('title', false);
  const body = textField('body', true);
  const reply = textField('reply', true);
  let dates: ReplyRecord['dates'] = null;
  const hasTime = row.time !== undefined && row.time !== null;
  const hasReplyTime = row.reply_time !== undefined && row.reply_time !== null;
  const message = hasTime ? localDateOfField(row.time) : null;
  const replied = hasReplyTime ? localDateOfField(row.reply_time) : null;
  if (message && 'problem' in message) problem('time', message.problem);
  if (replied && 'problem' in replied) problem('reply_time', replied.problem);
  if (hasTime !== hasReplyTime) {
    problem(hasTime ? 'reply_time' : 'time', `missing while ${hasTime ? 'time' : 'reply_time'} is given (give both or neither)`);
  } else if (message && replied && 'date' in message && 'date' in replied) {
    if (replied.date < message.date) problem('reply_time', `is before time (${replied.date} < ${message.date})`);
    else dates = { message: message.date, reply: replied.date };
  }
  if (problems.length > 0) return { problems };
  return { record: { id: id as string | number, title, body, reply, dates } };
}

/** One output line: the scores, the delay and the cues, for the record with this id. */
export interface ReplyScoreLine {
  readonly id: string | number;
  readonly method: string;
  readonly relevance: number;
  readonly completeness: number;
  readonly explainability: number;
  readonly timeliness: number | null;
  readonly overall: number;
  readonly delay: ReplyDelay | null;
  readonly reasons: Record<'relevance' | 'completeness' | 'explainability' | 'timeliness', DimensionScore['cues']>;
}

/**
 * Scores a checked record; its delay is counted in working days on the
 * city's calendar (years the calendar lacks count Monday to Friday) against
 * `limitDays`.
 */
export function scoreReplyRecord(record: ReplyRecord, limitDays: number = DEFAULT_LIMIT_DAYS): ReplyScoreLine {
  const delay: ReplyDelay | null = record.dates && {
    elapsed: Math.max(0, workingDaysBetweenDates(record.dates.message, record.dates.reply)),
    limit: limitDays,
    unit: 'working_days',
  };
  return scoreLineOf(record.id, scoreReply({ title: record.title, body: record.body, reply: record.reply, delay }), delay);
}

/** The output form of a score. */
export function scoreLineOf(id: string | number, quality: ReplyQuality, delay: ReplyDelay | null): ReplyScoreLine {
  return {
    id,
    method: REPLY_QUALITY_METHOD,
    relevance: quality.relevance.score,
    completeness: quality.completeness.score,
    explainability: quality.explainability.score,
    timeliness: quality.timeliness?.score ?? null,
    overall: quality.overall,
    delay,
    reasons: {
      relevance: quality.relevance.cues,
      completeness: quality.completeness.cues,
      explainability: quality.explainability.cues,
      timeliness: quality.timeliness?.cues ?? [],
    },
  };
}
