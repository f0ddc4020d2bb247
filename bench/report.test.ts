import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildReport, formatTable, machineFacts, resultFileName } from './report.ts';
import type { ScenarioResult } from './suite.ts';

const scenario = (
  name: string,
  throughput: number,
  p99: number,
  extra: Partial<ScenarioResult> = {},
): ScenarioResult => ({
  name,
  description: name,
  operation: `GET /${name}`,
  role: 'subject',
  connections: 10,
  seconds: 10,
  operations: throughput * 10,
  throughput,
  latencyMs: { p50: p99 / 2, p90: p99 * 0.9, p99, max: p99 * 2, mean: p99 / 2 },
  errors: { total: 0, byKind: {} },
  bytesPerOperation: 100,
  cpu: { serverThread: 0.9, clientThread: 0.2, machine: 1 },
  ...extra,
});

const context = {
  startedAt: new Date('2026-12-01T14:03:05.678Z'),
  finishedAt: new Date('2026-12-01T14:04:05.000Z'),
  commit: null,
  machine: machineFacts(undefined, 0.5),
  options: { seconds: 10, warmupSeconds: 2, rounds: 3, connections: 10 },
};

describe('buildReport', () => {
  it('divides each subject by its baseline and checks targets', () => {
    const report = buildReport(
      { name: 'demo', description: 'demo' },
      {
        scenarios: [
          scenario('raw', 1000, 10, { role: 'baseline' }),
          scenario('api', 250, 40, { baseline: 'raw', targets: { throughputRatio: 0.2, p99Ratio: 3 } }),
        ],
      },
      context,
    );
    const [raw, api] = report.scenarios;
    assert.equal(raw!.ratio, undefined);
    assert.deepEqual(api!.ratio, { baseline: 'raw', throughput: 0.25, p50: 4, p99: 4 });
    assert.deepEqual(
      api!.checks!.map((check) => [check.target, check.met]),
      [
        ['p99 ratio ≤', false],
        ['throughput ratio ≥', true],
      ],
    );
    assert.equal(report.ok, false, 'a missed target fails the run');
    assert.match(formatTable(report), /MISSED p99 ratio ≤ 3/);
  });

  it('checks an open-loop p99 at the rate achieved, and the rate itself', () => {
    const openLoop = (sentRate: number, keptUp: boolean): ScenarioResult['openLoop'] => ({
      offeredRate: 500,
      sentRate,
      scheduled: 5000,
      sent: sentRate * 10,
      sendLagMs: { p99: 0.4, max: 3 },
      serviceLatencyMs: { p50: 5, p90: 10, p99: 20, max: 40, mean: 6 },
      maxInFlight: 30,
      sockets: 512,
      keptUp,
    });
    const report = buildReport(
      { name: 'demo', description: 'demo' },
      {
        scenarios: [
          scenario('fast', 499, 30, { openLoop: openLoop(500, true), targets: { p99Ms: 50 } }),
          scenario('behind', 300, 30, { openLoop: openLoop(500, false), targets: { p99Ms: 50 } }),
        ],
      },
      context,
    );
    const [fast, behind] = report.scenarios;
    assert.deepEqual(fast!.checks, [
      { target: 'p99Ms ≤', limit: 50, actual: 30, met: true, atRate: 499 },
      { target: 'rate ≥', limit: 475, actual: 499, met: true },
    ]);
    assert.deepEqual(
      behind!.checks!.map((check) => [check.target, check.met]),
      [
        ['p99Ms ≤', true],
        ['rate ≥', false],
      ],
      'a good p99 at a rate the server did not reach does not count',
    );
    assert.equal(report.ok, false);
    const timedOut = buildReport(
      { name: 'demo', description: 'demo' },
      {
        scenarios: [
          scenario('none', 0, 0, { operations: 0, targets: { p99Ms: 50 } }),
          scenario('some', 400, 30, { errors: { total: 3, byKind: { timeout: 3 } }, targets: { p99Ms: 50 } }),
        ],
      },
      context,
    );
    assert.deepEqual(
      timedOut.scenarios.map((s) => s.checks![0]!.met),
      [false, false],
      'no answers, or answers missing to timeouts, do not meet a latency target',
    );
    const table = formatTable(report);
    assert.match(table, /fast: open loop at 500\/s, sent 500\/s .*client kept up/);
    assert.match(table, /behind: .*client DID NOT keep up/);
  });

  it('fails a run with failed requests and refuses an unknown baseline', () => {
    const errors = { total: 2, byKind: { 'status 500': 2 } };
    assert.equal(
      buildReport({ name: 'demo', description: 'demo' }, { scenarios: [scenario('api', 10, 1, { errors })] }, context)
        .ok,
      false,
    );
    assert.throws(
      () =>
        buildReport(
          { name: 'demo', description: 'demo' },
          { scenarios: [scenario('api', 10, 1, { baseline: 'nope' })] },
          context,
        ),
      /unknown baseline/,
    );
  });
});

describe('resultFileName', () => {
  it('uses the ISO 8601 basic format, safe on every file system', () => {
    assert.equal(resultFileName('platform', new Date('2026-12-01T14:03:05.678Z')), 'platform-20261201T140305Z.json');
  });
});
