/**
 * `minxin hot --input FILE.jsonl [--from ISO] [--to ISO] --top N [--json]
 * [--half-life DAYS]`: the hot issues of a file of messages, no database.
 * Lines are streamed into the clusterer in batches; the first bad line stops
 * the run with `FILE:LINE: field: problem` (exit 3). The heat is for `--to`,
 * else for the newest message read.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createClusterer, rankHotIssues, type HotMessage } from '../../../algorithms/hot-issues/index.ts';
import { UsageError, type CliCommand, type CliIo } from '../../../platform/index.ts';
import { chinaTime, issueLine, issueText, parseHotLine, parseTime } from './hot-issues-file.ts';

/** Lines handed to the clusterer at once (one call into jieba each). */
const BATCH = 500;
/** A longer line is not one message. */
const MAX_LINE_CHARS = 400_000;

function timeOption(name: string, value: string | boolean | undefined, endOfDay: boolean): Date | undefined {
  if (value === undefined) return undefined;
  const parsed = parseTime(value, endOfDay);
  if ('problem' in parsed) throw new UsageError(`--${name} ${parsed.problem}`);
  return parsed.time;
}

function wholeOption(name: string, value: string | boolean | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || number < 1 || number > max) throw new UsageError(`--${name} must be a whole number from 1 to ${max}`);
  return number;
}

async function run(values: Record<string, string | boolean | undefined>, io: CliIo): Promise<number> {
  if (typeof values.input !== 'string' || values.input === '') throw new UsageError('--input FILE.jsonl is required');
  const top = wholeOption('top', values.top, 10, 10_000);
  const halfLifeDays = wholeOption('half-life', values['half-life'], 30, 3650);
  const from = timeOption('from', values.from, false);
  const to = timeOption('to', values.to, true);
  if (from && to && from > to) throw new UsageError('--from must not be after --to');
  const input = values.input;
  const clusterer = createClusterer();
  const seen = new Map<string, number>();
  let batch: HotMessage[] = [];
  let read = 0;
  let newest = -Infinity;
  let line = 0;
  const lines = createInterface({ input: createReadStream(path.resolve(io.cwd, input), { encoding: 'utf8' }), crlfDelay: Infinity });
  try {
    for await (const raw of lines) {
      line += 1;
      const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (text.trim() === '') continue;
      const parsed = text.length > MAX_LINE_CHARS ? { problem: { line, field: 'line', problem: `longer than ${MAX_LINE_CHARS.toLocaleString('en')} characters` } } : parseHotLine(text, line);
      if ('problem' in parsed) {
        io.stderr(`${input}:${parsed.problem.line}: ${parsed.problem.field}: ${parsed.problem.problem}`);
        return 3;
      }
      const { message } = parsed;
      const key = `${typeof message.id}:${message.id}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        io.stderr(`${input}:${line}: id: ${message.id} is already on line ${earlier}`);
        return 3;
      }
      seen.set(key, line);
      if ((from && message.time < from) || (to && message.time > to)) continue;
      read += 1;
      newest = Math.max(newest, message.time.getTime());
      batch.push(message);
      if (batch.length === BATCH) {
        clusterer.addMany(batch);
        batch = [];
      }
    }
  } catch (error) {
    io.stderr(`${input}:${line}: file: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    return 3;
  }
  clusterer.addMany(batch);
  const window = `${from ? chinaTime(from) : 'the start'} – ${to ? chinaTime(to) : 'the end'}`;
  if (read === 0) {
    if (values.json !== true) io.stdout(`${input}: no messages in ${window}.`);
    return 0;
  }
  const now = to ?? new Date(newest);
  const issues = rankHotIssues(clusterer.cluster(), { now, halfLifeDays }).slice(0, top);
  if (values.json === true) {
    issues.forEach((issue, k) => io.stdout(JSON.stringify(issueLine(issue, k + 1))));
    return 0;
  }
  io.stdout(`${input}: ${read} messages in ${window}; heat at ${chinaTime(now)} (half-life ${halfLifeDays} days); top ${issues.length}:`);
  issues.forEach((issue, k) => {
    io.stdout('');
    for (const text of issueText(issue, k + 1)) io.stdout(text);
  });
  return 0;
}

/** `minxin hot`: rank a file's messages into hot issues (docs/hot-issues.md, docs/cli.md). */
export const hotIssueCommands: CliCommand[] = [
  {
    name: 'hot',
    summary: 'Find the hot issues in a JSONL file of messages: clusters about one problem at one place, ranked by heat',
    usage: 'minxin hot --input FILE.jsonl [--from ISO] [--to ISO] --top N [--json] [--half-life DAYS]',
    options: {
      input: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      top: { type: 'string' },
      json: { type: 'boolean' },
      'half-life': { type: 'string' },
    },
    async run({ values, positionals }, io) {
      if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
      return run(values, io);
    },
  },
];
