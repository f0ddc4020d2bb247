/**
 * A pairing run's optimiser in a worker thread, so that seconds of solver CPU
 * at a city's scale never stall the API's event loop (docs/pairing.md, runs).
 * One instance per worker: it answers with progress messages while solving,
 * then the outcome or the error, and the worker ends. See `solveInWorker`.
 */
import { parentPort } from 'node:worker_threads';
import { AppError } from '../../../platform/index.ts';
import { optimise, type OptimiserInput, type OptimiserOverrides, type OptimiserOutcome, type OptimiserProgress, type Scenario } from './optimiser.ts';

export interface OptimiserWorkerRequest {
  readonly input: OptimiserInput;
  readonly scenario: Scenario;
  readonly overrides: OptimiserOverrides;
}

export type OptimiserWorkerReply =
  | { readonly progress: OptimiserProgress }
  | { readonly outcome: OptimiserOutcome }
  | { readonly error: { readonly message: string; readonly code?: string; readonly details?: unknown } };

parentPort!.once('message', (request: OptimiserWorkerRequest) => {
  const post = (reply: OptimiserWorkerReply) => parentPort!.postMessage(reply);
  try {
    post({ outcome: optimise(request.input, request.scenario, request.overrides, (progress) => post({ progress })) });
  } catch (error) {
    post({ error: error instanceof AppError ? { message: error.message, code: error.code, details: error.details } : { message: error instanceof Error ? error.message : String(error) } });
  }
});
