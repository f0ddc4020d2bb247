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
