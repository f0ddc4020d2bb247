/**
 * The contract every benchmark suite fulfils. A suite lives in
 * `bench/suites/<name>.bench.ts` and exports `suite: BenchSuite`; the runner
 * (`bench/run.ts`) finds it by file name, runs it, adds machine facts and
 * baseline ratios, writes `bench/results/<name>-<timestamp>.json` and prints
 * a table. See docs/benchmarks.md.
 */
import { mergeLoads, runLoad, summarise, type LatencySummary, type LoadRequest, type LoadResult } from './load.ts';
import { runTimed } from './timed.ts';

/** What the runner hands every suite: the command line, already validated. */
export interface BenchOptions {
  /** Measured seconds per scenario, in total over all rounds. */
  readonly seconds: number;
  /** Discarded seconds before a scenario's first round. */
  readonly warmupSeconds: number;
  /**
   * Scenarios run interleaved in this many rounds (A B C A B C …), each
   * measuring seconds / rounds, so drift in the machine's load during the
   * run falls on baseline and subjects alike.
   */
  readonly rounds: number;
  /** Concurrent connections (closed loop) for HTTP scenarios. */
  readonly connections: number;
  /** `--rate`: requests per second for the open-loop scenarios of suites that have them; undefined means each suite's default. */
  readonly rate?: number;
  /** Which database to run on: a PostgreSQL server if one answers (`auto`), or insist on one. */
  readonly database: 'auto' | 'postgres' | 'pglite';
  /** The environment, read once by the runner; suites read nothing else. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted on Ctrl-C: stop measuring, clean up (drop schemas, close servers), rethrow. */
  readonly signal: AbortSignal;
  /** Progress lines for a human; results go in the returned value. */
  readonly log: (line: string) => void;
}

/** Where a suite's data lived, recorded in the result's machine facts. */
export interface DatabaseFacts {
  readonly kind: 'postgres' | 'pglite';
  /** `select version()`. */
  readonly version: string;
  /** Server address without credentials and the throw-away schema, or "in memory". */
  readonly location: string;
}

/** Limits a scenario should meet; the runner checks them and exits 1 when one is missed. */
export interface ScenarioTargets {
  readonly p99Ms?: number;
  /** Most this scenario's p99 may be, as a multiple of its baseline's. */
  readonly p99Ratio?: number;
  /** Least this scenario's throughput may be, as a share of its baseline's. */
  readonly throughputRatio?: number;
}

/** What an open-loop scenario adds: the offered rate, what was achieved, and whether the client kept up. */
export interface OpenLoopSummary {
  /** Requests per second offered (the schedule). */
  readonly offeredRate: number;
  /** Requests the client sent per second of the schedule's window. */
  readonly sentRate: number;
  readonly scheduled: number;
  readonly sent: number;
  /** How late the client sent (actual − scheduled send), ms. */
  readonly sendLagMs: { readonly p99: number; readonly max: number };
  /** Answer − actual send, ms: the latency a closed loop would have reported (`latencyMs` counts from the scheduled send). */
  readonly serviceLatencyMs: LatencySummary;
  /** Most requests outstanding at once, and the sockets the client could open. */
  readonly maxInFlight: number;
  readonly sockets: number;
  /** Every request sent on schedule and never short of a socket: the latencies are the server's. */
  readonly keptUp: boolean;
}

/** One measured scenario, as a suite reports it. */
export interface ScenarioResult {
  readonly name: string;
  readonly description: string;
  /** What one operation is, e.g. `GET /api/v1/departments?limit=50`. */
  readonly operation: string;
  /** A baseline is the yardstick measured in the same run; a subject names the baseline it is divided by. */
  readonly role: 'baseline' | 'subject';
  readonly baseline?: string;
  /** Operations in flight at once: the HTTP connections, or 1 for a timed in-process operation. */
  readonly connections: number;
  /** Measured wall time. */
  readonly seconds: number;
  /** Successful operations in `seconds`. */
  readonly operations: number;
  /** Successful operations per second. */
  readonly throughput: number;
  readonly latencyMs: LatencySummary;
  readonly errors: { readonly total: number; readonly byKind: Readonly<Record<string, number>> };
  /** Mean response size, bytes: a check that the answers held what they should. */
  readonly bytesPerOperation: number;
  /**
   * CPU while measuring: the server's thread (for a timed scenario, the
   * thread running the operation) and the load generator's thread as shares
   * of one core, from thread CPU time; and the busy share of all the
   * machine's cores (server, client, database and anything else running).
   */
  readonly cpu: { readonly serverThread: number; readonly clientThread: number; readonly machine: number };
  /** Open-loop scenarios only: latency is then from each request's scheduled send time. */
  readonly openLoop?: OpenLoopSummary;
  readonly targets?: ScenarioTargets;
}

/** What a suite returns; the runner adds the rest of the result file. */
export interface SuiteResult {
  readonly database?: DatabaseFacts;
  /** Facts about the data set and setup worth keeping with the numbers (sizes, ids, setup time). */
  readonly setup?: Readonly<Record<string, unknown>>;
  readonly scenarios: readonly ScenarioResult[];
}

export interface BenchSuite {
  /** Equals the file name: `bench/suites/<name>.bench.ts`. */
  readonly name: string;
  /** One line on what the suite measures and against what. */
  readonly description: string;
  run(options: BenchOptions): Promise<SuiteResult>;
}

type ScenarioFacts = Pick<ScenarioResult, 'name' | 'description' | 'role' | 'baseline' | 'targets'>;

/** An HTTP scenario for `runHttpScenarios`: what to send where, and how to report it. */
export interface HttpScenario extends ScenarioFacts {
  /** A server on 127.0.0.1. */
  readonly port: number;
  /** Sent round-robin; the first one names the scenario's `operation`. */
  readonly requests: readonly LoadRequest[];
  /** Requests per second for an open loop (fixed schedule, up to `OPEN_LOOP_SOCKETS` sockets); unset: closed loop. */
  readonly rate?: number;
}

/**
 * Sockets an open-loop scenario may open. Far more than a healthy server
 * needs at hundreds of requests per second (rate × latency); if a stall uses
 * them all, the run reports `keptUp: false` rather than silently waiting.
 */
export const OPEN_LOOP_SOCKETS = 512;

/**
 * Measures HTTP scenarios with `runLoad` on `options.connections`
 * connections (closed loop) or at the scenario's `rate` (open loop),
 * interleaved in `options.rounds` rounds (each scenario warmed up before its
 * first round only), each scenario's rounds merged into one result. Rejects
 * when a run fails or `options.signal` aborts.
 */
export function runHttpScenarios(scenarios: readonly HttpScenario[], options: BenchOptions): Promise<ScenarioResult[]> {
  return interleave(
    scenarios,
    options,
    (scenario, seconds, warmupSeconds) =>
      runLoad({
        port: scenario.port,
        requests: scenario.requests,
        connections: scenario.rate === undefined ? options.connections : OPEN_LOOP_SOCKETS,
        ...(scenario.rate === undefined ? {} : { rate: scenario.rate }),
        seconds,
        warmupSeconds,
        signal: options.signal,
      }),
    ({ port: _port, requests, rate, ...facts }) => ({
      ...facts,
      operation: `${requests[0]!.method ?? 'GET'} ${requests[0]!.path}${rate === undefined ? '' : ` at ${rate}/s`}`,
      connections: rate === undefined ? options.connections : OPEN_LOOP_SOCKETS,
    }),
  );
}

/** An in-process scenario for `runTimedScenarios`: one operation, run back to back. */
export interface TimedScenario extends ScenarioFacts {
  /** What one operation is, e.g. `scan 1,000,000 cases for overdue deadlines`. */
  readonly operation: string;
  run(): Promise<unknown>;
}

/**
 * Like `runHttpScenarios` for work done on this thread (`runTimed`): one
 * operation at a time, interleaved in rounds, reported as `connections: 1`.
 */
export function runTimedScenarios(
  scenarios: readonly TimedScenario[],
  options: BenchOptions,
): Promise<ScenarioResult[]> {
  return interleave(
    scenarios,
    options,
    (scenario, seconds, warmupSeconds) =>
      runTimed(() => scenario.run(), { seconds, warmupSeconds, signal: options.signal }),
    ({ run: _run, ...facts }) => ({ ...facts, connections: 1 }),
  );
}

async function interleave<S extends ScenarioFacts>(
  scenarios: readonly S[],
  options: BenchOptions,
  measure: (scenario: S, seconds: number, warmupSeconds: number) => Promise<LoadResult>,
  describe: (scenario: S) => Parameters<typeof scenarioFromLoad>[0],
): Promise<ScenarioResult[]> {
  const loads = new Map<string, LoadResult[]>(scenarios.map((scenario) => [scenario.name, []]));
  const seconds = options.seconds / options.rounds;
  for (let pass = 0; pass < options.rounds; pass++) {
    for (const scenario of scenarios) {
      const warmupSeconds = pass === 0 ? options.warmupSeconds : 0;
      const rate = 'rate' in scenario ? (scenario.rate as number | undefined) : undefined;
      const concurrency =
        rate !== undefined
          ? ` at ${rate} req/s (open loop)`
          : 'port' in scenario
            ? ` on ${options.connections} connections`
            : '';
      options.log(
        `round ${pass + 1}/${options.rounds} ${scenario.name}: ${warmupSeconds ? `${warmupSeconds} s warm-up + ` : ''}${round(seconds, 2)} s${concurrency}`,
      );
      loads.get(scenario.name)!.push(await measure(scenario, seconds, warmupSeconds));
    }
  }
  return scenarios.map((scenario) => scenarioFromLoad(describe(scenario), mergeLoads(loads.get(scenario.name)!)));
}

/** A scenario result from a `runLoad` result plus what the suite knows about it. */
export function scenarioFromLoad(
  scenario: Pick<
    ScenarioResult,
    'name' | 'description' | 'operation' | 'role' | 'baseline' | 'connections' | 'targets'
  >,
  load: LoadResult,
): ScenarioResult {
  return {
    ...scenario,
    seconds: round(load.elapsedSeconds, 3),
    operations: load.ok,
    throughput: round(load.throughput, 1),
    latencyMs: load.latencyMs,
    errors: load.errors,
    bytesPerOperation: load.ok > 0 ? Math.round(load.bytes / load.ok) : 0,
    cpu: {
      serverThread: round(load.callerCpu, 3),
      clientThread: round(load.workerCpu, 3),
      machine: round(load.machineCpuBusy, 3),
    },
    ...(load.openLoop ? { openLoop: openLoopSummary(load.openLoop) } : {}),
  };
}

function openLoopSummary(open: NonNullable<LoadResult['openLoop']>): OpenLoopSummary {
  const lag = summarise(open.lag);
  return {
    offeredRate: round(open.rate, 1),
    sentRate: round(open.seconds > 0 ? open.sent / open.seconds : 0, 1),
    scheduled: open.scheduled,
    sent: open.sent,
    sendLagMs: { p99: lag.p99, max: lag.max },
    serviceLatencyMs: summarise(open.service),
    maxInFlight: open.maxInFlight,
    sockets: open.sockets,
    keptUp: open.keptUp,
  };
}

export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
