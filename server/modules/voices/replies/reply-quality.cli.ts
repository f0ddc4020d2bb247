/**
 * `minxin replies score`: reply quality from the command line.
 *
 * `--input FILE.jsonl [--output OUT.jsonl] [--limit-days N]` scores a file of
 * messages with their replies (no database): every line is checked first, and
 * a file with any bad line writes nothing and lists each problem as
 * `FILE:LINE: field: problem` (exit 3). Otherwise one JSON line per input
 * line, same order, to OUT or stdout.
 *
 * `--stored [--all] [--city CODE]` scores the replies stored in a city's
 * database that have no score yet (or, with `--all`, re-scores every one).
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { UsageError, cliContext, withDeps, type CliCommand, type CliIo } from '../../../platform/index.ts';
import { DEFAULT_LIMIT_DAYS, parseReplyLine, scoreReplyRecord, type LineProblem } from './reply-quality-file.ts';
import { backfillReplyScores } from './reply-quality.service.ts';

/** Problems listed at most; a file with more is mostly wrong anyway. */
const MAX_PROBLEMS = 1_000;
/** A longer line is not a message with its reply. */
const MAX_LINE_CHARS = 400_000;

/** The lines of a file with their numbers (1-based), the byte-order mark dropped, blank lines skipped. */
async function* linesOf(file: string): AsyncGenerator<{ line: number; text: string }> {
  const reader = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const raw of reader) {
    line += 1;
    const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() !== '') yield { line, text };
  }
}

/** Checks the whole file: the problems (at most MAX_PROBLEMS), the count of lines to score. */
async function checkFile(file: string): Promise<{ problems: LineProblem[]; badLines: number; lines: number }> {
  const problems: LineProblem[] = [];
  const seen = new Map<string, number>();
  let badLines = 0;
  let lines = 0;
  for await (const { line, text } of linesOf(file)) {
    lines += 1;
    const parsed = text.length > MAX_LINE_CHARS ? { problems: [{ line, field: 'line', problem: `longer than ${MAX_LINE_CHARS.toLocaleString('en')} characters` }] } : parseReplyLine(text, line);
    let found = 'problems' in parsed ? parsed.problems : [];
    if ('record' in parsed) {
      const key = `${typeof parsed.record.id}:${parsed.record.id}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) found = [{ line, field: 'id', problem: `already on line ${earlier}` }];
      else seen.set(key, line);
    }
    if (found.length > 0) badLines += 1;
    for (const problem of found) if (problems.length < MAX_PROBLEMS) problems.push(problem);
  }
  return { problems, badLines, lines };
}

async function write(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

async function scoreFile(io: CliIo, values: Record<string, string | boolean | undefined>): Promise<number> {
  const input = values.input as string;
  const file = path.resolve(io.cwd, input);
  const limitDays = values['limit-days'] === undefined ? DEFAULT_LIMIT_DAYS : Number(values['limit-days']);
  if (!Number.isInteger(limitDays) || limitDays < 1 || limitDays > 365) throw new UsageError('--limit-days must be a whole number from 1 to 365');
  let checked: Awaited<ReturnType<typeof checkFile>>;
  try {
    checked = await checkFile(file);
  } catch (error) {
    io.stderr(`${input}:0: file: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    return 3;
  }
  if (checked.problems.length > 0) {
    for (const problem of checked.problems) io.stderr(`${input}:${problem.line}: ${problem.field}: ${problem.problem}`);
    io.stderr(`minxin replies score: ${checked.badLines} bad line(s) in ${input}; nothing was written`);
    return 3;
  }
  const output = typeof values.output === 'string' ? path.resolve(io.cwd, values.output) : null;
  const out = output ? createWriteStream(output, { encoding: 'utf8' }) : null;
  const failed = out ? new Promise<Error>((resolve) => out.once('error', resolve)) : null;
  try {
    if (out) await Promise.race([once(out, 'open'), failed!.then((error) => Promise.reject(error))]);
    for await (const { line, text } of linesOf(file)) {
      const parsed = parseReplyLine(text, line);
      if (!('record' in parsed)) throw new Error(`${input}:${line} changed while it was being scored`);
      const json = JSON.stringify(scoreReplyRecord(parsed.record, limitDays));
      if (out) await write(out, `${json}\n`);
      else io.stdout(json);
    }
    if (out) {
      out.end();
      await Promise.race([once(out, 'finish'), failed!.then((error) => Promise.reject(error))]);
    }
  } catch (error) {
    out?.destroy();
    io.stderr(`minxin replies score: cannot write ${values.output ?? 'the scores'}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    return 1;
  }
  io.stderr(`scored ${checked.lines} repl${checked.lines === 1 ? 'y' : 'ies'}${output ? ` into ${values.output}` : ''} (limit ${limitDays} working days)`);
  return 0;
}

export const replyQualityCommands: CliCommand[] = [
  {
    name: 'replies score',
    summary: 'Score replies for relevance, completeness, explainability and timeliness (a JSONL file, or the replies stored in a city)',
    usage: 'minxin replies score --input FILE.jsonl [--output OUT.jsonl] [--limit-days N] | --stored [--all] [--batch-size N] [--city CODE]',
    options: {
      input: { type: 'string' },
      output: { type: 'string' },
      'limit-days': { type: 'string' },
      stored: { type: 'boolean' },
      all: { type: 'boolean' },
      'batch-size': { type: 'string' },
      city: { type: 'string' },
    },
    async run({ values, positionals }, io) {
      if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
      const fromFile = typeof values.input === 'string';
      if (fromFile === (values.stored === true)) throw new UsageError('give either --input FILE.jsonl or --stored');
      if (fromFile) {
        for (const option of ['all', 'batch-size', 'city'] as const) if (values[option] !== undefined) throw new UsageError(`--${option} goes with --stored`);
        return scoreFile(io, values);
      }
      for (const option of ['output', 'limit-days'] as const) if (values[option] !== undefined) throw new UsageError(`--${option} goes with --input`);
      const batchSize = values['batch-size'] === undefined ? 500 : Number(values['batch-size']);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 2000) throw new UsageError('--batch-size must be a whole number from 1 to 2000');
      return withDeps(io, async (deps) => {
        const context = await cliContext(deps, typeof values.city === 'string' ? values.city : undefined);
        const report = await backfillReplyScores(deps, context, {
          which: values.all === true ? 'all' : 'unscored',
          batchSize,
          onBatch: (scored) => io.stderr(`scored ${scored} replies`),
        });
        io.stdout(`${report.scored} repl${report.scored === 1 ? 'y' : 'ies'} scored in ${report.batches} batch(es)`);
        return 0;
      });
    },
  },
];
