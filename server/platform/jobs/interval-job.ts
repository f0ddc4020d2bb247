import type { Logger } from '../logger.ts';

/** A background job the server runs while it is up. */
export interface IntervalJob {
  /** Stops scheduling and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Runs `work` now and then every `intervalSeconds`, never two runs at once in
 * this process (a tick during a run is skipped). Failures are logged under
 * `name` and the next tick tries again. Cross-server exclusion, where needed,
 * is the job's own business (an advisory lock inside `work`).
 */
export function startIntervalJob(logger: Logger, name: string, intervalSeconds: number, work: () => Promise<unknown>): IntervalJob {
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = (): void => {
    if (stopped || running) return;
    running = work()
      .then(() => undefined)
      .catch((error: unknown) => logger.error({ err: error }, `${name} failed`))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, intervalSeconds * 1000);
  timer.unref();
  tick();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
