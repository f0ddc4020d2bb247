import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runTimedScenarios, type BenchOptions } from './suite.ts';
import { runTimed } from './timed.ts';

const options = (overrides: Partial<BenchOptions> = {}): BenchOptions => ({
  seconds: 0.2,
  warmupSeconds: 0.05,
  rounds: 2,
  connections: 10,
  database: 'pglite',
  env: {},
  signal: new AbortController().signal,
  log: () => {},
  ...overrides,
});

describe('runTimedScenarios', () => {
  it('interleaves rounds, merges them and counts failures by code', async () => {
    const order: string[] = [];
    let calls = 0;
    const results = await runTimedScenarios(
      [
        {
          name: 'noop',
          description: 'nothing',
          operation: 'resolve',
          role: 'baseline',
          run: async () => order.push('noop'),
        },
        {
          name: 'flaky',
          description: 'every third call fails',
          operation: 'tick',
          role: 'subject',
          baseline: 'noop',
          run: async () => {
            order.push('flaky');
            await new Promise((resolve) => setImmediate(resolve));
            if (++calls % 3 === 0) throw Object.assign(new Error('boom'), { code: 'E_FLAKY' });
          },
        },
      ],
      options(),
    );
    assert.deepEqual(
      results.map((result) => [result.name, result.connections, result.operation]),
      [
        ['noop', 1, 'resolve'],
        ['flaky', 1, 'tick'],
      ],
    );
    const flaky = results[1]!;
    assert.ok(flaky.operations > 0);
    assert.deepEqual(Object.keys(flaky.errors.byKind), ['E_FLAKY']);
    // Rounds alternate: noop, flaky, noop, flaky.
    const runs = order.filter((name, index) => name !== order[index - 1]);
    assert.deepEqual(runs, ['noop', 'flaky', 'noop', 'flaky']);
  });
});

describe('runTimed', () => {
  it('runs a slow operation at least once however short the phase', async () => {
    const result = await runTimed(() => new Promise((resolve) => setTimeout(resolve, 30)), { seconds: 0.001 });
    assert.equal(result.ok, 1);
    assert.equal(result.histogram.count, 1);
  });

  it('rejects when aborted and refuses a bad length', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      runTimed(async () => {}, { seconds: 1, signal: controller.signal }),
      /aborted/,
    );
    await assert.rejects(
      runTimed(async () => {}, { seconds: 0 }),
      RangeError,
    );
  });
});
