// `npm run bench [-- <suite> …] [--seconds N] [--warmup N] [--rounds N] [--connections N] [--rate N] [--database auto|postgres|pglite]`
// Runs the named suites (all when none is named) one after another, writes
// one JSON file per suite to bench/results/ and prints a table per suite.
// Exit codes: 0 measured cleanly, 1 failed requests, a missed target or a
// suite that threw, 2 bad usage. See docs/benchmarks.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildReport, formatTable, gitCommit, machineFacts, resultFileName } from './report.ts';
import type { BenchOptions, BenchSuite } from './suite.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const suitesDir = path.join(here, 'suites');
const resultsDir = path.join(here, 'results');

const USAGE = `Usage: npm run bench [-- <suite> …] [options]

Suites: ${availableSuites().join(', ')} (all when none is named)

Options:
  --seconds N        measured seconds per scenario, over all rounds (default 10)
  --warmup N         discarded warm-up seconds before each scenario's first round (default 2)
  --rounds N         interleave the scenarios in N rounds of seconds/N each (default 3)
  --connections N    concurrent keep-alive connections of closed-loop scenarios (default 10)
  --rate N           requests per second of open-loop scenarios (default: each suite's, voices 500)
  --database KIND    auto (a PostgreSQL server if one answers, else PGlite), postgres or pglite (default auto)
  -h, --help         this text

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), DEMO_SEED.`;

function availableSuites(): string[] {
  return fs
    .readdirSync(suitesDir)
    .filter((file) => file.endsWith('.bench.ts'))
    .map((file) => file.slice(0, -'.bench.ts'.length))
    .sort();
}

function usageError(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function parseOptions(): { suites: string[]; options: Omit<BenchOptions, 'signal' | 'log' | 'env'> } {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        seconds: { type: 'string', default: '10' },
        warmup: { type: 'string', default: '2' },
        connections: { type: 'string', default: '10' },
        rounds: { type: 'string', default: '3' },
        rate: { type: 'string' },
        database: { type: 'string', default: 'auto' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    usageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const number = (name: string, raw: string, min: number, max: number, whole: boolean): number => {
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max || (whole && !Number.isInteger(value))) {
      usageError(`--${name} must be ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  };
  const database = values.database;
  if (database !== 'auto' && database !== 'postgres' && database !== 'pglite')
    usageError(`--database must be auto, postgres or pglite, got "${database}"`);
  const known = availableSuites();
  const unknown = positionals.filter((name) => !known.includes(name));
  if (unknown.length > 0) usageError(`Unknown suite: ${unknown.join(', ')}`);
  return {
    suites: positionals.length > 0 ? [...new Set(positionals)] : known,
    options: {
      seconds: number('seconds', values.seconds, 0.1, 3600, false),
      warmupSeconds: number('warmup', values.warmup, 0, 600, false),
      connections: number('connections', values.connections, 1, 1024, true),
      rounds: number('rounds', values.rounds, 1, 100, true),
      ...(values.rate === undefined ? {} : { rate: number('rate', values.rate, 1, 100_000, false) }),
      database,
    },
  };
}

async function loadSuite(name: string): Promise<BenchSuite> {
  const module = (await import(path.join(suitesDir, `${name}.bench.ts`))) as { suite?: BenchSuite };
  if (!module.suite || module.suite.name !== name)
    throw new Error(`bench/suites/${name}.bench.ts must export \`suite\` named "${name}"`);
  return module.suite;
}

const { suites, options } = parseOptions();
const controller = new AbortController();
// The first Ctrl-C stops measuring and lets suites clean up (servers, schemas); a second one kills.
process.once('SIGINT', () => {
  console.error('\nInterrupted: cleaning up (Ctrl-C again to kill)');
  controller.abort();
});

let failed = false;
for (const name of suites) {
  const suite = await loadSuite(name);
  const startedAt = new Date();
  const loadAverage = os.loadavg()[0] ?? 0;
  console.error(`▶ ${suite.name}: ${suite.description}`);
  try {
    const result = await suite.run({
      ...options,
      env: process.env,
      signal: controller.signal,
      log: (line) => console.error(`  ${line}`),
    });
    const report = buildReport(suite, result, {
      startedAt,
      finishedAt: new Date(),
      commit: gitCommit(),
      machine: machineFacts(result.database, loadAverage),
      options: {
        seconds: options.seconds,
        warmupSeconds: options.warmupSeconds,
        rounds: options.rounds,
        connections: options.connections,
        ...(options.rate === undefined ? {} : { rate: options.rate }),
      },
    });
    fs.mkdirSync(resultsDir, { recursive: true });
    const file = path.join(resultsDir, resultFileName(suite.name, startedAt));
    fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\n${formatTable(report)}\n→ ${path.relative(process.cwd(), file)}\n`);
    if (!report.ok) failed = true;
  } catch (error) {
    failed = true;
    if (controller.signal.aborted) console.error(`✖ ${suite.name} interrupted; nothing written`);
    else
      console.error(
        `✖ ${suite.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
  }
  if (controller.signal.aborted) break;
}
process.exitCode = failed ? 1 : 0;
