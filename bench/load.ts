import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { Histogram, type HistogramData } from './histogram.ts';
import { keptUp, type OpenLoopData } from './open-loop.ts';

/** One request the load generator sends; a list of them is sent round-robin. */
export interface LoadRequest {
  readonly method?: string;
  /** Path and query, e.g. `/api/v1/departments?limit=50`. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface LoadOptions {
  /** The port of a server on 127.0.0.1: the generator never leaves the machine. */
  readonly port: number;
  /** Sent round-robin across all connections; at least one. */
  readonly requests: readonly LoadRequest[];
  /**
   * Closed loop: keep-alive connections, each with one request in flight at a
   * time. Open loop (`rate` set): the most sockets the client may open; it
   * opens them only as requests overlap.
   */
  readonly connections: number;
  /**
   * Requests per second on a fixed schedule (open loop), independent of the
   * answers; latency is then measured from each request's scheduled send
   * time. Unset: closed loop.
   */
  readonly rate?: number;
  /** Length of the measured phase. */
  readonly seconds: number;
  /** A phase before it, on the same connections, whose results are thrown away (JIT, caches, pools). */
  readonly warmupSeconds?: number;
  /** A request unanswered after this long is abandoned and counted as a `timeout` error. Default 10 s. */
  readonly timeoutMs?: number;
  /** Statuses that count as success; default any 2xx. */
  readonly expectStatus?: readonly number[];
  /** Aborting stops the worker at once; `runLoad` then rejects. */
  readonly signal?: AbortSignal;
}

/** Latency percentiles in milliseconds. */
export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

export interface LoadResult {
  /** Successful responses in the measured phase. */
  readonly ok: number;
  /** Failed requests (unexpected status, network error, timeout) by kind, e.g. `{ "status 500": 3 }`. */
  readonly errors: { readonly total: number; readonly byKind: Readonly<Record<string, number>> };
  /** From the start of the measured phase until its last in-flight response arrived. */
  readonly elapsedSeconds: number;
  /** Successful responses per second. */
  readonly throughput: number;
  /** Latency of successful responses, µs. */
  readonly histogram: Histogram;
  readonly latencyMs: LatencySummary;
  /** Response body bytes received in the measured phase (a sanity check that answers were not empty). */
  readonly bytes: number;
  /** TCP connections opened over both phases; equals `connections` when keep-alive held. */
  readonly connectionsOpened: number;
  /**
   * CPU time of the generator's worker thread over the measured phase, as a
   * share of one core: near 1 means the client, not the server, was the limit.
   */
  readonly workerCpu: number;
  /** The same for the thread that called `runLoad` (the server, in our suites). */
  readonly callerCpu: number;
  /** Share of all cores' time that was busy machine-wide in the measured phase (server, client, database, anything else). */
  readonly machineCpuBusy: number;
  /** Open loop only: the schedule and whether the client kept to it. */
  readonly openLoop?: OpenLoopStats;
}

/** What an open-loop run adds to its result. */
export interface OpenLoopStats {
  /** Offered rate, requests per second. */
  readonly rate: number;
  /** Requests the schedule held over the measured window, and how many were sent. */
  readonly scheduled: number;
  readonly sent: number;
  /** Length of the schedule's window, seconds (`sent / seconds` is the rate the client achieved). */
  readonly seconds: number;
  /** How late the client sent, µs (actual − scheduled). */
  readonly lag: Histogram;
  /** Answer − actual send, µs: the latency a closed loop would have reported. */
  readonly service: Histogram;
  readonly maxInFlight: number;
  readonly sockets: number;
  /** Every request sent, on time (`CLIENT_LAG_TOLERANCE_MS` at p99), never short of a socket. */
  readonly keptUp: boolean;
}

/** What the worker posts back. */
export type WorkerMessage =
  | { readonly type: 'measuring' }
  | {
      readonly type: 'done';
      readonly ok: number;
      readonly errors: Record<string, number>;
      readonly elapsedMs: number;
      readonly histogram: HistogramData;
      readonly bytes: number;
      readonly connectionsOpened: number;
      /** Worker thread CPU µs (user + system) in the measured phase. */
      readonly cpuMicros: number;
      readonly openLoop?: OpenLoopData;
    }
  | { readonly type: 'failed'; readonly message: string };

/** What the worker receives as `workerData`. */
export interface WorkerInput {
  readonly port: number;
  readonly requests: readonly LoadRequest[];
  readonly connections: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly timeoutMs: number;
  readonly expectStatus: readonly number[] | null;
  /** Requests per second for an open loop; null for a closed loop. */
  readonly rate: number | null;
}

const LIMITS = { connections: 1024, seconds: 3600, warmupSeconds: 600, timeoutMs: 120_000, rate: 100_000 };

/**
 * Closed-loop HTTP load: `connections` keep-alive connections to
 * 127.0.0.1:`port`, each sending the next request as soon as the previous
 * answer has been read, for `warmupSeconds` (discarded) then `seconds`
 * (measured). Bounded: it stops by itself, and a watchdog ends the worker if
 * it overruns. Throws RangeError on bad options, and rejects if the worker
 * fails or `signal` aborts. Failed requests do not end the run; they are
 * counted in `errors` and left out of the latencies.
 *
 * The generator runs in a worker thread so it never shares an event loop
 * with the server under test; the suites keep the server on the calling
 * (main) thread. On a 2-core machine that is the honest split: one loop
 * each for server and client, the OS scheduling the threads exactly as it
 * would two processes, while a child process would add IPC to every setup
 * step and a second copy of the app without measuring anything differently.
 * The server's thread must stay otherwise idle while this runs (the caller
 * only awaits), and `workerCpu` says when the client saturated.
 *
 * A closed loop measures latency at the load it can sustain; it hides
 * queueing behind a stall (coordinated omission), so read p99 as "under
 * saturation by N connections", not as a latency at a given arrival rate.
 * With `rate` the run is an open loop instead (`open-loop.ts`): requests
 * leave on a fixed schedule whatever is outstanding, latency counts from the
 * scheduled send time, and `openLoop.keptUp` says whether the client held
 * the schedule.
 *
 * @example
 * const result = await runLoad({ port, requests: [{ path: '/health' }], connections: 10, seconds: 10, warmupSeconds: 2 });
 * result.throughput; // responses per second
 * result.latencyMs.p99;
 */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const input = validate(options);
  return new Promise<LoadResult>((resolve, reject) => {
    const worker = new Worker(new URL('./load.worker.ts', import.meta.url), { workerData: input });
    let settled = false;
    let atStart: { thread: NodeJS.CpuUsage; at: number; cpus: CpuTimes } | undefined;
    const finish = (error: Error | undefined, result?: LoadResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(watchdog);
      options.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (error) reject(error);
      else resolve(result!);
    };
    const onAbort = (): void => finish(new Error('load run aborted', { cause: options.signal?.reason }));
    // Each phase ends at most `timeoutMs` after its last send (the stragglers time out).
    const budgetMs = (input.warmupSeconds + input.seconds) * 1000 + 2 * input.timeoutMs + 15_000;
    const watchdog = setTimeout(() => finish(new Error(`load worker overran its ${budgetMs} ms budget`)), budgetMs);
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'measuring') {
        atStart = { thread: process.threadCpuUsage(), at: performance.now(), cpus: cpuTimes() };
      } else if (message.type === 'failed') {
        finish(new Error(`load worker failed: ${message.message}`));
      } else {
        const thread = atStart ? process.threadCpuUsage(atStart.thread) : { user: 0, system: 0 };
        const callerCpu = atStart ? (thread.user + thread.system) / 1000 / (performance.now() - atStart.at) : 0;
        const machineCpuBusy = atStart ? busyShare(atStart.cpus, cpuTimes()) : 0;
        const histogram = Histogram.fromData(message.histogram);
        const total = Object.values(message.errors).reduce((sum, n) => sum + n, 0);
        const elapsedSeconds = message.elapsedMs / 1000;
        const open = message.openLoop;
        const openLoop = open && openLoopStats(open);
        finish(undefined, {
          ok: message.ok,
          errors: { total, byKind: message.errors },
          elapsedSeconds,
          throughput: elapsedSeconds > 0 ? message.ok / elapsedSeconds : 0,
          histogram,
          latencyMs: summarise(histogram),
          bytes: message.bytes,
          connectionsOpened: message.connectionsOpened,
          workerCpu: message.elapsedMs > 0 ? message.cpuMicros / 1000 / message.elapsedMs : 0,
          callerCpu,
          machineCpuBusy,
          ...(openLoop ? { openLoop } : {}),
        });
      }
    });
    worker.on('error', (error) => finish(error));
    worker.on('exit', (code) => finish(new Error(`load worker exited (code ${code}) before reporting`)));
  });
}

/**
 * Several runs of the same scenario as one: counts and histograms add up,
 * CPU shares are weighted by each run's length. Lets a suite interleave
 * short rounds of its scenarios so slow drift in the machine's load falls
 * on all of them alike. Throws RangeError for an empty list.
 */
export function mergeLoads(results: readonly LoadResult[]): LoadResult {
  if (results.length === 0) throw new RangeError('nothing to merge');
  const histogram = new Histogram();
  const byKind: Record<string, number> = {};
  let ok = 0;
  let elapsedSeconds = 0;
  let bytes = 0;
  let connectionsOpened = 0;
  const weighted = { workerCpu: 0, callerCpu: 0, machineCpuBusy: 0 };
  for (const result of results) {
    histogram.merge(result.histogram);
    for (const [kind, count] of Object.entries(result.errors.byKind)) byKind[kind] = (byKind[kind] ?? 0) + count;
    ok += result.ok;
    elapsedSeconds += result.elapsedSeconds;
    bytes += result.bytes;
    connectionsOpened += result.connectionsOpened;
    for (const key of ['workerCpu', 'callerCpu', 'machineCpuBusy'] as const)
      weighted[key] += result[key] * result.elapsedSeconds;
  }
  const share = (total: number): number => (elapsedSeconds > 0 ? total / elapsedSeconds : 0);
  const openLoop = mergeOpenLoops(results);
  return {
    ok,
    errors: { total: Object.values(byKind).reduce((sum, n) => sum + n, 0), byKind },
    elapsedSeconds,
    throughput: share(ok),
    histogram,
    latencyMs: summarise(histogram),
    bytes,
    connectionsOpened,
    workerCpu: share(weighted.workerCpu),
    callerCpu: share(weighted.callerCpu),
    machineCpuBusy: share(weighted.machineCpuBusy),
    ...(openLoop ? { openLoop } : {}),
  };
}

function openLoopStats(data: OpenLoopData): OpenLoopStats {
  const lag = Histogram.fromData(data.lag);
  return {
    rate: data.rate,
    scheduled: data.scheduled,
    sent: data.sent,
    seconds: data.seconds,
    lag,
    service: Histogram.fromData(data.service),
    maxInFlight: data.maxInFlight,
    sockets: data.sockets,
    keptUp: keptUp(data, lag),
  };
}

/** Rounds of one open-loop scenario as one; undefined when they were closed-loop. Throws when mixed. */
function mergeOpenLoops(results: readonly LoadResult[]): OpenLoopStats | undefined {
  const open = results.flatMap((result) => (result.openLoop ? [result.openLoop] : []));
  if (open.length === 0) return undefined;
  if (open.length !== results.length) throw new RangeError('cannot merge open-loop and closed-loop runs');
  const lag = new Histogram();
  const service = new Histogram();
  for (const run of open) {
    lag.merge(run.lag);
    service.merge(run.service);
  }
  const sum = (key: 'scheduled' | 'sent' | 'seconds'): number => open.reduce((total, run) => total + run[key], 0);
  const seconds = sum('seconds');
  return {
    rate: open.reduce((total, run) => total + run.rate * run.seconds, 0) / seconds,
    scheduled: sum('scheduled'),
    sent: sum('sent'),
    seconds,
    lag,
    service,
    maxInFlight: Math.max(...open.map((run) => run.maxInFlight)),
    sockets: Math.min(...open.map((run) => run.sockets)),
    keptUp: open.every((run) => run.keptUp),
  };
}

/** p50/p90/p99/max/mean of a µs histogram, in milliseconds rounded to µs. */
export function summarise(histogram: Histogram): LatencySummary {
  const ms = (us: number): number => Math.round(us) / 1000;
  return {
    p50: ms(histogram.percentile(50)),
    p90: ms(histogram.percentile(90)),
    p99: ms(histogram.percentile(99)),
    max: ms(histogram.max),
    mean: ms(histogram.mean),
  };
}

function validate(options: LoadOptions): WorkerInput {
  const whole = (name: string, value: number, min: number, max: number): number => {
    if (!Number.isInteger(value) || value < min || value > max)
      throw new RangeError(`${name} must be a whole number from ${min} to ${max}, got ${value}`);
    return value;
  };
  const seconds = (name: string, value: number, min: number, max: number): number => {
    if (!Number.isFinite(value) || value < min || value > max)
      throw new RangeError(`${name} must be from ${min} to ${max} seconds, got ${value}`);
    return value;
  };
  const positive = (name: string, value: number, max: number): number => {
    if (!Number.isFinite(value) || value <= 0 || value > max)
      throw new RangeError(`${name} must be above 0 and at most ${max}, got ${value}`);
    return value;
  };
  if (options.requests.length === 0) throw new RangeError('requests must name at least one request');
  for (const request of options.requests) {
    if (!request.path.startsWith('/')) throw new RangeError(`request paths start with "/", got "${request.path}"`);
  }
  const warmupSeconds = seconds('warmupSeconds', options.warmupSeconds ?? 0, 0, LIMITS.warmupSeconds);
  return {
    port: whole('port', options.port, 1, 65535),
    requests: options.requests.map((request) => ({ ...request })),
    connections: whole('connections', options.connections, 1, LIMITS.connections),
    seconds: seconds('seconds', options.seconds, 0.1, LIMITS.seconds),
    warmupSeconds,
    timeoutMs: whole('timeoutMs', options.timeoutMs ?? 10_000, 1, LIMITS.timeoutMs),
    expectStatus: options.expectStatus ? [...options.expectStatus] : null,
    rate: options.rate === undefined ? null : positive('rate', options.rate, LIMITS.rate),
  };
}

/** Busy and total time of all cores since boot, ms; two readings give `busyShare`. */
export interface CpuTimes {
  readonly busy: number;
  readonly total: number;
}

export function cpuTimes(): CpuTimes {
  let busy = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const { user, nice, sys, idle, irq } = cpu.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + idle + irq;
  }
  return { busy, total };
}

/** The share (0..1) of all cores' time that was busy between two readings. */
export function busyShare(before: CpuTimes, after: CpuTimes): number {
  const total = after.total - before.total;
  return total > 0 ? (after.busy - before.busy) / total : 0;
}
