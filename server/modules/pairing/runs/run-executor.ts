import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode, type PlatformDeps, type RequestContext } from '../../../platform/index.ts';
import type { OptimiserOutcome } from './optimiser.ts';
import type { OptimiserWorkerReply, OptimiserWorkerRequest } from './optimiser.worker.ts';
import { computeRun, type RunSolver } from './run.service.ts';

/**
 * Runs computed off the request (docs/pairing.md, runs): `POST /runs` stores
 * the run `queued` and hands it to this server's executor, which computes it
 * in the background with the optimiser in a worker thread, so the API's event
 * loop stays free while the solver works for seconds. Nothing but the
 * in-flight promises lives here: the run's status and progress are in the
 * database, and a server that stops takes its runs down as `failed`
 * (`close`, or the orphan sweep of another server when it crashed).
 */
export interface RunExecutor {
  /** Computes a queued run in the background. */
  start(context: RequestContext, runId: number): void;
  /** Stops the workers of runs in flight (their runs become `failed`) and waits for them. */
  close(): Promise<void>;
}

/** A worker still solving after this long is stopped and its run fails (the solver's own time limit is at most a minute). */
export const RUN_MAX_MS = 15 * 60_000;

/** A solver that runs the optimiser in a new worker thread, ended by `signal` (the server stopping) or after `RUN_MAX_MS`. */
export function solveInWorker(signal: AbortSignal): RunSolver {
  return (input, scenario, overrides, onProgress) =>
    new Promise<OptimiserOutcome>((resolve, reject) => {
      const worker = new Worker(new URL('./optimiser.worker.ts', import.meta.url));
      let settled = false;
      const tooLong = setTimeout(() => settle(() => reject(new Error(`The optimiser took more than ${RUN_MAX_MS / 60_000} minutes and was stopped`))), RUN_MAX_MS);
      tooLong.unref();
      const settle = (finish: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(tooLong);
        signal.removeEventListener('abort', stop);
        finish();
        void worker.terminate();
      };
      const stop = () => settle(() => reject(new Error('The server stopped during the run; run the optimiser again')));
      if (signal.aborted) return stop();
      signal.addEventListener('abort', stop, { once: true });
      worker.on('message', (reply: OptimiserWorkerReply) => {
        if ('progress' in reply) onProgress(reply.progress);
        else if ('outcome' in reply) settle(() => resolve(reply.outcome));
        else settle(() => reject(reply.error.code ? new AppError(reply.error.code as ErrorCode, reply.error.message, reply.error.details as Record<string, unknown> | undefined) : new Error(reply.error.message)));
      });
      worker.once('error', (error) => settle(() => reject(error)));
      worker.once('exit', (code) => settle(() => reject(new Error(`The optimiser stopped (exit ${code})`))));
      worker.postMessage({ input, scenario, overrides } satisfies OptimiserWorkerRequest);
    });
}

export function createRunExecutor(deps: PlatformDeps, solver?: RunSolver): RunExecutor {
  const stopping = new AbortController();
  const solve = solver ?? solveInWorker(stopping.signal);
  const inFlight = new Set<Promise<unknown>>();
  return {
    start(context, runId) {
      const work = computeRun(deps, context, runId, solve)
        .catch((error: unknown) => deps.logger.error({ err: error, runId }, 'pairing run failed'))
        .finally(() => inFlight.delete(work));
      inFlight.add(work);
    },
    async close() {
      stopping.abort();
      await Promise.all(inFlight);
    },
  };
}
