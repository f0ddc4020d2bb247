import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../logger.ts';
import { startIntervalJob } from './interval-job.ts';

test('runs at once, never overlaps itself, survives a failure and waits for the run in progress on stop', async () => {
  let runs = 0;
  let active = 0;
  let maxActive = 0;
  let release!: () => void;
  const firstRunHeld = new Promise<void>((resolve) => (release = resolve));
  const job = startIntervalJob(createLogger('silent'), 'test job', 0.01, async () => {
    runs += 1;
    active += 1;
    maxActive = Math.max(maxActive, active);
    try {
      if (runs === 1) await firstRunHeld;
      if (runs === 2) throw new Error('boom');
    } finally {
      active -= 1;
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(runs, 1, 'ticks during a run are skipped');
  release();
  await new Promise((resolve) => setTimeout(resolve, 80));
  assert.ok(runs >= 3, 'a failed run does not stop the job');
  await job.stop();
  const after = runs;
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(runs, after, 'nothing runs after stop');
  assert.equal(maxActive, 1);
});
