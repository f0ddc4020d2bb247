/**
 * The oversight commands over files of OCDS compiled releases, with the
 * arguments and standard output of the reference tool `ocdscardinal`
 * (docs/ocds.md, spec §2–10):
 *
 *   minxin ocds coverage FILE
 *   minxin ocds prepare FILE --output OUT --errors ERR [--settings S]
 *   minxin ocds indicators FILE [--settings S] [--no-meta] [--map] [--count]
 *   minxin ocds init FILE [--force]
 *
 * `-` is standard input or output. Files are streamed in 1 MiB chunks; memory
 * holds one chunk plus what each command must remember. Warnings go to
 * standard error as ` WARN  minxin > <message>`; `-v` also shows INFO.
 */
import { closeSync, createReadStream, existsSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import {
  CoverageCounter,
  DEFAULT_SETTINGS,
  JsonLineSplitter,
  SETTINGS_TEMPLATE,
  SettingsError,
  createIndicatorRun,
  formatCoverage,
  formatProblemRow,
  indicatorCounts,
  indicatorOutput,
  isJsonObject,
  parseJsonLine,
  parseOrderedJson,
  prepareRelease,
  readSettings,
  stringifyOrderedJson,
  type OcdsSettings,
} from '../../../algorithms/ocds-indicators/index.ts';
import { UsageError, type CliCommand, type CliIo } from '../../../platform/standalone.ts';

const CHUNK_BYTES = 1 << 20;

type Level = 'warn' | 'info';

/** Log lines in the reference's layout; INFO only with `-v`. */
function logger(io: CliIo, verbosity: number): (level: Level, message: string) => void {
  return (level, message) => {
    if (level === 'info' && verbosity < 1) return;
    io.stderr(`${level === 'warn' ? ' WARN' : ' INFO'}  minxin > ${message}`);
  };
}

function verbosityOf(values: Record<string, unknown>): number {
  const verbose = values.verbose;
  return Array.isArray(verbose) ? verbose.length : verbose === true ? 1 : 0;
}

/** The one FILE argument (options may come before or after it). */
function inputOf(positionals: string[]): string {
  if (positionals.length === 0) throw new UsageError('the required argument FILE was not provided');
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  return positionals[0]!;
}

/** Checks that FILE is a readable file (or `-`) before anything is written. */
function checkInput(file: string, io: CliIo): string {
  if (file === '-') return file;
  const resolved = path.resolve(io.cwd, file);
  if (!existsSync(resolved)) throw new UsageError(`${file}: No such file or directory`);
  if (statSync(resolved).isDirectory()) throw new UsageError(`${file}: Is a directory, not a file`);
  return resolved;
}

function settingsOf(values: Record<string, unknown>, io: CliIo): OcdsSettings {
  const file = values.settings;
  if (typeof file !== 'string') return DEFAULT_SETTINGS;
  const resolved = path.resolve(io.cwd, file);
  if (!existsSync(resolved) || statSync(resolved).isDirectory()) throw new UsageError(`--settings ${file}: not a readable file`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(resolved));
  } catch {
    throw new UsageError(`--settings ${file}: not UTF-8 text`);
  }
  try {
    return readSettings(text);
  } catch (error) {
    if (error instanceof SettingsError) throw new UsageError(`--settings ${file}: ${error.message}`);
    throw error;
  }
}

/** Streams FILE's lines through `parse`, calling `onLine` for each parsed value and logging bad lines. */
async function eachLine<T>(file: string, parse: (text: string) => T, log: (level: Level, message: string) => void, onLine: (line: { line: number; value: T }) => void): Promise<void> {
  const splitter = new JsonLineSplitter();
  const handle = (lines: ReturnType<JsonLineSplitter['push']>): void => {
    for (const raw of lines) {
      const line = parseJsonLine(raw, parse);
      if ('value' in line) onLine(line as { line: number; value: T });
      else if (line.warning) log('warn', line.warning);
    }
  };
  const stream = file === '-' ? process.stdin : createReadStream(file, { highWaterMark: CHUNK_BYTES });
  for await (const chunk of stream) handle(splitter.push(chunk as Uint8Array));
  handle(splitter.end());
}

/** A buffered writer to a file or to standard output (`-`). */
class Output {
  private readonly fd: number | undefined;
  private buffer: string[] = [];
  private size = 0;
  private readonly io: CliIo;

  constructor(target: string, io: CliIo) {
    this.io = io;
    this.fd = target === '-' ? undefined : openSync(path.resolve(io.cwd, target), 'w');
  }

  line(text: string): void {
    if (this.fd === undefined) {
      this.io.stdout(text);
      return;
    }
    this.buffer.push(text, '\n');
    this.size += text.length + 1;
    if (this.size >= CHUNK_BYTES) this.flush();
  }

  flush(): void {
    if (this.fd === undefined || this.buffer.length === 0) return;
    writeSync(this.fd, this.buffer.join(''));
    this.buffer = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
  }
}

/** Runs `work`, turning a failure to write into `Application error: …` (exit 1), as the reference does. */
async function applicationErrors(io: CliIo, work: () => Promise<void>): Promise<number> {
  try {
    await work();
    return 0;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    io.stderr(`Application error: ${(error as Error).message}`);
    return 1;
  }
}

async function coverage(values: Record<string, unknown>, positionals: string[], io: CliIo): Promise<number> {
  const file = checkInput(inputOf(positionals), io);
  const log = logger(io, verbosityOf(values));
  const counter = new CoverageCounter();
  return applicationErrors(io, async () => {
    await eachLine(file, parseOrderedJson, log, (line) => counter.add(line.value));
    io.stdout(formatCoverage(counter.counts));
  });
}

async function prepare(values: Record<string, unknown>, positionals: string[], io: CliIo): Promise<number> {
  const file = checkInput(inputOf(positionals), io);
  if (typeof values.output !== 'string') throw new UsageError('the required option --output OUT was not provided');
  if (typeof values.errors !== 'string') throw new UsageError('the required option --errors ERR was not provided');
  const settings = settingsOf(values, io);
  const log = logger(io, verbosityOf(values));
  const outputTarget = values.output;
  const errorsTarget = values.errors;
  return applicationErrors(io, async () => {
    const output = new Output(outputTarget, io);
    const errors = new Output(errorsTarget, io);
    try {
      await eachLine(file, parseOrderedJson, log, ({ line, value }) => {
        if (!isJsonObject(value)) {
          log('warn', `Line ${line} is not a JSON object, skipping.`);
          return;
        }
        const rows = prepareRelease(value, line, settings, (message) => log('warn', message));
        output.line(stringifyOrderedJson(value));
        for (const row of rows) errors.line(formatProblemRow(row));
      });
    } finally {
      output.close();
      errors.close();
    }
  });
}

async function indicators(values: Record<string, unknown>, positionals: string[], io: CliIo): Promise<number> {
  const file = checkInput(inputOf(positionals), io);
  const settings = settingsOf(values, io);
  const log = logger(io, verbosityOf(values));
  const run = createIndicatorRun(settings, { log, explain: false });
  return applicationErrors(io, async () => {
    await eachLine(file, JSON.parse, log, (line) => run.add(line.value));
    const result = run.finish();
    io.stdout(indicatorOutput(result, { meta: values['no-meta'] !== true, map: values.map === true }));
    if (values.count === true) for (const line of indicatorCounts(result)) io.stderr(line);
  });
}

function init(values: Record<string, unknown>, positionals: string[], io: CliIo): number {
  const file = inputOf(positionals);
  if (file === '-') {
    io.stdout(SETTINGS_TEMPLATE.replace(/\n$/, ''));
    return 0;
  }
  const resolved = path.resolve(io.cwd, file);
  if (values.force === true || !existsSync(resolved)) {
    try {
      writeFileSync(resolved, SETTINGS_TEMPLATE);
    } catch (error) {
      // The reference reports the failure and still exits 0 (spec §5).
      io.stderr(`Error writing to ${file}: ${(error as Error).message}`);
      return 0;
    }
  }
  io.stdout(`Settings written to ${file}.`);
  return 0;
}

const verbose = { type: 'boolean', short: 'v', multiple: true } as const;
const settingsOption = { type: 'string', short: 's' } as const;

/** `minxin ocds coverage|prepare|indicators|init` (docs/ocds.md, docs/cli.md). */
export const ocdsOversightCommands: CliCommand[] = [
  {
    name: 'ocds coverage',
    summary: 'Count, for every field path of a JSON Lines file of OCDS compiled releases, the non-empty values',
    usage: 'minxin ocds coverage FILE',
    options: { verbose },
    run: ({ values, positionals }, io) => coverage(values, positionals, io),
  },
  {
    name: 'ocds prepare',
    summary: 'Correct data-quality problems in compiled releases before the indicators, listing the rest as CSV',
    usage: 'minxin ocds prepare FILE --output OUT --errors ERR [--settings S]',
    options: { verbose, settings: settingsOption, output: { type: 'string', short: 'o' }, errors: { type: 'string', short: 'e' } },
    run: ({ values, positionals }, io) => prepare(values, positionals, io),
  },
  {
    name: 'ocds indicators',
    summary: 'Compute red-flag indicators (R003 … R058) over a JSON Lines file of OCDS compiled releases',
    usage: 'minxin ocds indicators FILE [--settings S] [--no-meta] [--map] [--count]',
    options: { verbose, settings: settingsOption, 'no-meta': { type: 'boolean' }, map: { type: 'boolean' }, count: { type: 'boolean' } },
    run: ({ values, positionals }, io) => indicators(values, positionals, io),
  },
  {
    name: 'ocds init',
    summary: 'Write a settings template for ocds prepare and ocds indicators (every indicator enabled)',
    usage: 'minxin ocds init FILE [--force]',
    options: { verbose, force: { type: 'boolean', short: 'f' } },
    run: async ({ values, positionals }, io) => init(values, positionals, io),
  },
];
