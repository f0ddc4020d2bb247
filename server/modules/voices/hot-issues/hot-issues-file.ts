/**
 * The file form of hot issues (`minxin hot --input FILE.jsonl`): one message
 * per line with `id`, `user`, `title`, `time`, `body`, `likes`, `dislikes`
 * (the teddy2020 hot-messages file), checked field by field, and the report
 * lines written back (readable text or JSON lines). Pure.
 */
import type { HotIssue, HotMessage } from '../../../algorithms/hot-issues/index.ts';

/** Characters a text field may hold: longer is not a citizen's message. */
export const MAX_FIELD_CHARS = 100_000;

/** A problem with one field of one line, printed as `FILE:LINE: field: problem`. */
export interface LineProblem {
  readonly line: number;
  readonly field: string;
  readonly problem: string;
}

const CHINA_OFFSET = '+08:00';
const TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A time as the data writes it: local wall-clock time (`2019-02-28T11:25:05`,
 * China Standard Time implied, as in the data), with an offset or `Z`, or a
 * bare date (its first instant, or with `endOfDay` its last). Returns the
 * instant or a problem.
 *
 * @example parseTime('2019-02-28T11:25:05') // → { time: 2019-02-28T03:25:05.000Z }
 */
export function parseTime(value: unknown, endOfDay = false): { time: Date } | { problem: string } {
  if (typeof value !== 'string') return { problem: 'must be a date and time such as 2019-02-28T11:25:05' };
  const text = value.trim();
  const match = TIME.exec(text);
  if (!match) return { problem: `"${clip(text)}" is not a date and time such as 2019-02-28T11:25:05` };
  const [, y, mo, d, hh, mm, ss = '00', ms = '0', zone] = match;
  const dateOnly = hh === undefined;
  const offset = zone === undefined ? CHINA_OFFSET : zone === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const iso = `${y}-${mo}-${d}T${dateOnly ? '00' : hh}:${dateOnly ? '00' : mm}:${ss}.${ms.padEnd(3, '0')}${offset}`;
  const time = new Date(iso);
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  const valid = !Number.isNaN(time.getTime()) && check.getUTCMonth() === Number(mo) - 1 && check.getUTCDate() === Number(d) && Number(hh ?? 0) < 24 && Number(mm ?? 0) < 60 && Number(ss) < 60;
  if (!valid || Number(y) < 1970) return { problem: `"${clip(text)}" is not a valid date and time` };
  return { time: dateOnly && endOfDay ? new Date(time.getTime() + 86_400_000 - 1) : time };
}

const clip = (text: string): string => (text.length > 40 ? `${text.slice(0, 40)}…` : text);

/**
 * Checks one line: the first problem found, or the message. `likes` and
 * `dislikes` may be absent (a channel without them: 0); present, they are
 * whole numbers ≥ 0. A message needs a writer, a time and some text.
 */
export function parseHotLine(text: string, line: number): { message: HotMessage } | { problem: LineProblem } {
  const problem = (field: string, message: string) => ({ problem: { line, field, problem: message } });
  if (text.includes('\u0000')) return problem('line', 'contains binary data (a NUL byte)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return problem('line', `not valid JSON (${(error as Error).message.replace(/ in JSON at position.*$/, '')})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return problem('line', 'must be a JSON object');
  const row = parsed as Record<string, unknown>;
  const { id, user } = row;
  if (id === undefined || id === null) return problem('id', 'missing');
  if (!((typeof id === 'number' && Number.isSafeInteger(id)) || (typeof id === 'string' && id.trim() !== '' && id.length <= 200))) {
    return problem('id', 'must be a whole number or a non-empty string of at most 200 characters');
  }
  if (user === undefined || user === null) return problem('user', 'missing (distinct people are counted by it)');
  if (typeof user !== 'string' && typeof user !== 'number') return problem('user', 'must be a string');
  if (String(user).trim() === '' || String(user).length > 200) return problem('user', 'must be a non-empty string of at most 200 characters');
  const texts: Record<'title' | 'body', string> = { title: '', body: '' };
  for (const field of ['title', 'body'] as const) {
    const value = row[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') return problem(field, 'must be a string');
    if (value.length > MAX_FIELD_CHARS) return problem(field, `longer than ${MAX_FIELD_CHARS.toLocaleString('en')} characters`);
    texts[field] = value;
  }
  if (texts.title.trim() === '' && texts.body.trim() === '') return problem('body', 'missing or empty (and so is the title)');
  if (row.time === undefined || row.time === null) return problem('time', 'missing');
  const time = parseTime(row.time);
  if ('problem' in time) return problem('time', time.problem);
  const counts: Record<'likes' | 'dislikes', number> = { likes: 0, dislikes: 0 };
  for (const field of ['likes', 'dislikes'] as const) {
    const value = row[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) return problem(field, 'must be a whole number ≥ 0');
    counts[field] = value;
  }
  return { message: { id, user: String(user), title: texts.title, body: texts.body, time: time.time, likes: counts.likes, dislikes: counts.dislikes } };
}

/** An instant as China Standard Time with its offset: `2019-11-13T09:05:00+08:00`. */
export function chinaTime(time: Date): string {
  return `${new Date(time.getTime() + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

/** One issue as a JSON line (`--json`); see docs/cli.md for the fields. */
export function issueLine(issue: HotIssue, rank: number): Record<string, unknown> {
  return {
    rank,
    heat: issue.heat,
    from: chinaTime(issue.firstAt),
    to: chinaTime(issue.lastAt),
    place: issue.place,
    description: issue.title,
    keyTerms: issue.keyTerms,
    size: issue.size,
    people: issue.people,
    likes: issue.likes,
    dislikes: issue.dislikes,
    growth: {
      recent: issue.growth.recent,
      recentPeople: issue.growth.recentPeople,
      baseline: issue.growth.baseline,
      expected: Math.round(issue.growth.expected * 100) / 100,
      ratio: Math.round(issue.growth.ratio * 100) / 100,
      alert: issue.growth.alert,
    },
    ids: issue.members.map((member) => member.id),
  };
}

/** One issue as readable lines (the default output). */
export function issueText(issue: HotIssue, rank: number): string[] {
  const day = (time: Date): string => chinaTime(time).slice(0, 10);
  const growth = issue.growth;
  const surge = growth.alert ? ` · SURGE: ${growth.recent} in the last 7 days, ${growth.ratio.toFixed(1)}× the expected ${growth.expected.toFixed(1)}` : growth.recent > 0 ? ` · ${growth.recent} in the last 7 days` : '';
  return [
    `${String(rank).padStart(3)}. heat ${issue.heat.toFixed(1)} · ${issue.place ?? '(no place)'} · ${day(issue.firstAt)} – ${day(issue.lastAt)}`,
    `     ${issue.title}`,
    `     ${issue.keyTerms.join(' ')}`,
    `     ${issue.size} messages · ${issue.people} people · ${issue.likes} likes${issue.dislikes > 0 ? ` · ${issue.dislikes} dislikes` : ''}${surge}`,
    `     ids: ${issue.members.map((member) => member.id).join(' ')}`,
  ];
}
