import { performance } from 'node:perf_hooks';
import { Histogram } from './histogram.ts';
import { busyShare, cpuTimes, summarise, type LoadResult } from './load.ts';

export interface TimedOptions {
  /** Length of the measured phase; at least one operation runs whatever its length. */
  readonly seconds: number;
  /** A phase before it whose results are thrown away. */
  readonly warmupSeconds?: number;
  /** Checked between operations; aborting rejects. */
  readonly signal?: AbortSignal;
}

/**
 * Times an in-process operation (a scan, a solver, a report) run back to
 * back on the calling thread, for `warmupSeconds` (discarded) then `seconds`.
 * Returns the same shape as `runLoad`, so suites merge and report it alike:
 * `callerCpu` is this thread's CPU share, there is no client (`workerCpu` 0),
 * and an operation that throws is counted in `errors` by its `code` or name.
 * Throws RangeError on bad options; rejects when `signal` aborts.
 *
 * @example
 * const result = await runTimed(() => scanOverdue(deps, now), { seconds: 10, warmupSeconds: 2 });
 * result.latencyMs.p50; // ms per scan
 */
export async function runTimed(operation: () => Promise<unknown>, options: TimedOptions): Promise<LoadResult> {
  const warmupSeconds = options.warmupSeconds ?? 0;
  if (!(options.seconds > 0 && options.seconds <= 3600))
    throw new RangeError(`seconds must be within (0, 3600], got ${options.seconds}`);
  if (!(warmupSeconds >= 0 && warmupSeconds <= 600))
    throw new RangeError(`warmupSeconds must be within 0..600, got ${warmupSeconds}`);
  const checkAbort = (): void => {
    if (options.signal?.aborted) throw new Error('timed run aborted', { cause: options.signal.reason });
  };
  checkAbort();
  if (warmupSeconds > 0) {
    const deadline = performance.now() + warmupSeconds * 1000;
    do {
      await operation().catch(() => {});
      checkAbort();
    } while (performance.now() < deadline);
  }

  const histogram = new Histogram();
  const errors: Record<string, number> = {};
  let ok = 0;
  const cpusAtStart = cpuTimes();
  const threadAtStart = process.threadCpuUsage();
  const start = performance.now();
  const deadline = start + options.seconds * 1000;
  do {
    const begun = performance.now();
    try {
      await operation();
      histogram.record((performance.now() - begun) * 1000);
      ok += 1;
    } catch (error) {
      const kind = String((error as { code?: unknown }).code ?? (error as Error).name ?? 'Error');
      errors[kind] = (errors[kind] ?? 0) + 1;
    }
    checkAbort();
  } while (performance.now() < deadline);
  const elapsedMs = performance.now() - start;
  const thread = process.threadCpuUsage(threadAtStart);
  return {
    ok,
    errors: { total: Object.values(errors).reduce((sum, n) => sum + n, 0), byKind: errors },
    elapsedSeconds: elapsedMs / 1000,
    throughput: ok / (elapsedMs / 1000),
    histogram,
    latencyMs: summarise(histogram),
    bytes: 0,
    connectionsOpened: 0,
    workerCpu: 0,
    callerCpu: (thread.user + thread.system) / 1000 / elapsedMs,
    machineCpuBusy: busyShare(cpusAtStart, cpuTimes()),
  };
}
