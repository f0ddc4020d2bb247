/**
 * `minxin pair --instance FILE --output PAIRS.jsonl [--scenario full|plain]
 * [--same-district] [--skills] [--change-penalty N] [--fairness N]
 * [--time-limit S]`: the certified optimal pairing of a JSON Lines instance,
 * no database (docs/pairing-optimizer.md, docs/cli.md). Flags override the
 * scenario's defaults. A bad line stops it as `FILE:LINE: field: problem`
 * (exit 3); an infeasible instance lists every household that cannot be
 * served and why (exit 1). Either way no output file is written; the output
 * appears whole (written aside, then renamed).
 */
import { createReadStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { PairingInputError, scenarioOptions, solvePairing, type PairingOptions, type PairingProgress, type PairingResult } from '../../algorithms/pairing/index.ts';
import { UsageError, type CliCommand, type CliIo } from '../../platform/standalone.ts';
import { InstanceReader } from './pair-instance-file.ts';

/** A longer line is not one record. */
const MAX_LINE_CHARS = 100_000;
/** Infeasible households listed one per line, then a count of the rest. */
const MAX_LISTED = 50;

function wholeOption(name: string, value: string | boolean | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw new UsageError(`--${name} must be a whole number ≥ 0`);
  return Number(value);
}

function optionsOf(values: Record<string, string | boolean | undefined>): PairingOptions {
  const scenario = values.scenario ?? 'full';
  if (scenario !== 'full' && scenario !== 'plain') throw new UsageError('--scenario must be full or plain');
  const base = scenarioOptions(scenario);
  const changePenalty = wholeOption('change-penalty', values['change-penalty']);
  const fairness = wholeOption('fairness', values.fairness);
  let timeLimitSeconds: number | undefined;
  if (values['time-limit'] !== undefined) {
    timeLimitSeconds = Number(values['time-limit']);
    if (typeof values['time-limit'] !== 'string' || !Number.isFinite(timeLimitSeconds) || timeLimitSeconds <= 0) throw new UsageError('--time-limit must be a number of seconds > 0');
  }
  return {
    sameDistrict: base.sameDistrict || values['same-district'] === true,
    skills: base.skills || values.skills === true,
    changePenalty: changePenalty ?? base.changePenalty,
    fairness: fairness ?? base.fairness,
    ...(timeLimitSeconds !== undefined ? { timeLimitSeconds } : {}),
  };
}

const integer = (value: number): string => Math.round(value).toLocaleString('en');

function summary(file: string, result: PairingResult, options: PairingOptions, seconds: { read: number; solve: number; total: number }, moved: number): string {
  const switches = [options.sameDistrict ? 'same district' : undefined, options.skills ? 'skills' : undefined, `change penalty ${options.changePenalty}`, `fairness ${options.fairness}`].filter(Boolean).join(', ');
  return [
    `${file}: ${integer(result.stats.households)} households, ${integer(result.stats.cadres)} cadres (${switches})`,
    `  status ${result.status}${result.certified ? ' (certified: every eligible pair priced, lower bound = cost)' : ''}`,
    `  cost ${integer(result.cost)}  lower bound ${Number.isNaN(result.lowerBound) ? '-' : integer(result.lowerBound)}  gap ${Number.isNaN(result.gap) ? '-' : `${(result.gap * 100).toFixed(3)}%`}`,
    `  ${integer(moved)} households change cadre; working graph ${integer(result.stats.arcs)} pairs (${integer(result.stats.initialArcs)} nearest at first)`,
    `  time: read ${seconds.read.toFixed(2)} s, solver ${seconds.solve.toFixed(2)} s, total ${seconds.total.toFixed(2)} s`,
  ].join('\n');
}

async function run(values: Record<string, string | boolean | undefined>, io: CliIo): Promise<number> {
  if (typeof values.instance !== 'string' || values.instance === '') throw new UsageError('--instance FILE is required');
  if (typeof values.output !== 'string' || values.output === '') throw new UsageError('--output PAIRS.jsonl is required');
  const options = optionsOf(values);
  const started = performance.now();
  const input = values.instance;
  const reader = new InstanceReader();
  let line = 0;
  const lines = createInterface({ input: createReadStream(path.resolve(io.cwd, input), { encoding: 'utf8' }), crlfDelay: Infinity });
  try {
    for await (const raw of lines) {
      line += 1;
      const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (text.trim() === '') continue;
      const problem = text.length > MAX_LINE_CHARS ? { line, field: 'line', problem: `longer than ${MAX_LINE_CHARS.toLocaleString('en')} characters` } : reader.read(text, line);
      if (problem) {
        io.stderr(`${input}:${problem.line}: ${problem.field}: ${problem.problem}`);
        return 3;
      }
    }
  } catch (error) {
    io.stderr(`${input}:${line}: file: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    return 3;
  }
  const finished = reader.finish();
  if ('problem' in finished) {
    io.stderr(`${input}:${finished.problem.line}: ${finished.problem.field}: ${finished.problem.problem}`);
    return 3;
  }
  const { instance } = finished;
  const read = performance.now();
  let lastProgress = read;
  const onProgress = (progress: PairingProgress): void => {
    const now = performance.now();
    if (now - lastProgress < 1000 || progress.phase === 'done') return;
    lastProgress = now;
    io.stderr(`${input}: ${progress.phase} ${integer(progress.done)}/${integer(progress.total)} (${((now - started) / 1000).toFixed(1)} s)`);
  };
  let result: PairingResult;
  try {
    result = solvePairing(instance, { ...options, onProgress, clock: () => performance.now() });
  } catch (error) {
    if (error instanceof PairingInputError) {
      io.stderr(`${input}: instance: ${error.message}`);
      return 3;
    }
    throw error;
  }
  const solved = performance.now();
  const output = path.resolve(io.cwd, values.output);
  if (result.status === 'infeasible') {
    await rm(output, { force: true });
    const unserved = result.unserved ?? [];
    io.stderr(`${input}: infeasible: ${integer(unserved.length)} of ${integer(instance.households.length)} households cannot be served; no output written`);
    for (const entry of unserved.slice(0, MAX_LISTED)) io.stderr(`  ${entry.household}: ${entry.reason}`);
    if (unserved.length > MAX_LISTED) io.stderr(`  … and ${integer(unserved.length - MAX_LISTED)} more`);
    return 1;
  }
  const body = result.assignments.map((pair) => `{"household":${JSON.stringify(pair.household)},"cadre":${JSON.stringify(pair.cadre)}}\n`).join('');
  const aside = `${output}.${process.pid}.partial`;
  await writeFile(aside, body);
  await rename(aside, output);
  const current = new Map(instance.households.map((household) => [household.id, household.currentCadre]));
  const moved = result.assignments.filter((pair) => current.get(pair.household) !== undefined && current.get(pair.household) !== pair.cadre).length;
  io.stderr(summary(input, result, options, { read: (read - started) / 1000, solve: (solved - read) / 1000, total: (performance.now() - started) / 1000 }, moved));
  return 0;
}

/** `minxin pair`: the certified optimal pairing of a JSON Lines instance (docs/pairing-optimizer.md). */
export const pairCommands: CliCommand[] = [
  {
    name: 'pair',
    summary: 'Pair cadres with households in difficulty optimally (certified min-cost flow) from a JSON Lines instance',
    usage: 'minxin pair --instance FILE --output PAIRS.jsonl [--scenario full|plain] [--same-district] [--skills] [--change-penalty N] [--fairness N] [--time-limit S]',
    options: {
      instance: { type: 'string' },
      output: { type: 'string' },
      scenario: { type: 'string' },
      'same-district': { type: 'boolean' },
      skills: { type: 'boolean' },
      'change-penalty': { type: 'string' },
      fairness: { type: 'string' },
      'time-limit': { type: 'string' },
    },
    async run({ values, positionals }, io) {
      if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
      return run(values, io);
    },
  },
];
