/**
 * `minxin ocds compile [--versioned] [--schema-version 1.0|1.1] [--schema FILE] FILE...`:
 * ocdskit-compatible merging of OCDS releases — one compiled (or versioned)
 * release per contracting process, one JSON text per line on standard output,
 * ocids ascending. `-` reads standard input (copied to a temporary file, so
 * an unsorted input can be read twice).
 *
 * Skipped lines and left-out processes are named on standard error as
 * `FILE:LINE: problem`; the output is still complete for the rest and the
 * exit status is then 3. A missing ocid, a missing date, an unknown or mixed
 * OCDS version stop the command with one line and exit status 3.
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { rulesFromSchema, type MergeRules, type OcdsVersion } from '../../../algorithms/ocds-merge/index.ts';
import { AppError, UsageError, type CliCommand, type CliIo } from '../../../platform/standalone.ts';
import { compileStream, type CompileInput } from './ocds-compile.ts';

/** Exit status when something was skipped or left out (as for other bad input). */
const EXIT_PARTIAL = 3;

function schemaVersionOption(value: string | boolean | undefined): OcdsVersion | undefined {
  if (value === undefined) return undefined;
  if (value === '1.0' || value === '1.1') return value;
  throw new UsageError('--schema-version must be 1.0 or 1.1');
}

function schemaRules(value: string | boolean | undefined, cwd: string): MergeRules | undefined {
  if (typeof value !== 'string') return undefined;
  let schema: unknown;
  try {
    schema = JSON.parse(readFileSync(path.resolve(cwd, value), 'utf8'));
  } catch (error) {
    throw new AppError('validation_failed', `${value}: not a readable JSON schema: ${(error as Error).message}`);
  }
  return rulesFromSchema(schema);
}

/** A progress bar on standard error, only when it is a terminal. */
function progressBar(): ((file: number, files: number, done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let shown = -1;
  return (file, files, done, total) => {
    const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
    if (percent === shown) return;
    shown = percent;
    const filled = Math.round(percent / 5);
    process.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(20 - filled)}] ${String(percent).padStart(3)}% file ${file}/${files}${percent === 100 && file === files ? '\n' : ''}`);
  };
}


async function run(values: Record<string, string | boolean | undefined>, files: string[], io: CliIo): Promise<number> {
  if (files.length === 0) throw new UsageError('at least one FILE is required');
  const schemaVersion = schemaVersionOption(values['schema-version']);
  const rules = schemaRules(values.schema, io.cwd);
  let spoolDir: string | undefined;
  try {
    const inputs: CompileInput[] = [];
    for (const file of files) {
      if (file !== '-') {
        inputs.push({ path: path.resolve(io.cwd, file), name: file });
        continue;
      }
      spoolDir ??= mkdtempSync(path.join(tmpdir(), 'minxin-ocds-stdin-'));
      const copy = path.join(spoolDir, `stdin-${inputs.length}.json`);
      await pipeline(process.stdin, createWriteStream(copy));
      inputs.push({ path: copy, name: '-' });
    }
    const stats = compileStream(inputs, (line) => io.stdout(line), {
      versioned: values.versioned === true,
      schemaVersion,
      rules,
      onWarning: (message) => io.stderr(`warning: ${message}`),
      onProgress: progressBar(),
    });
    if (stats.skipped + stats.conflicts > 0) {
      io.stderr(`minxin ocds compile: ${stats.processes} process(es) written; ${stats.skipped} line(s) skipped, ${stats.conflicts} process(es) left out`);
      return EXIT_PARTIAL;
    }
    return 0;
  } finally {
    if (spoolDir) rmSync(spoolDir, { recursive: true, force: true });
  }
}

/** `minxin ocds compile`. */
export const ocdsCompileCommands: CliCommand[] = [
  {
    name: 'ocds compile',
    summary: 'Merge OCDS releases into compiled (or versioned) releases, one per line (as ocdskit compile)',
    usage: 'minxin ocds compile [--versioned] [--schema-version 1.0|1.1] [--schema RELEASE-SCHEMA.json] FILE...   (FILE: release/record package, release, JSON Lines, or - for standard input)',
    options: {
      versioned: { type: 'boolean' },
      'schema-version': { type: 'string' },
      schema: { type: 'string' },
    },
    run: (args, io) => run(args.values, args.positionals, io),
  },
];
