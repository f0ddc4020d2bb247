import { spawnSync } from 'node:child_process';
import os from 'node:os';
import type { LatencySummary } from './load.ts';
import {
  round,
  type BenchOptions,
  type BenchSuite,
  type DatabaseFacts,
  type ScenarioResult,
  type SuiteResult,
} from './suite.ts';

/** A subject divided by its baseline: >1 throughput is faster than the baseline, >1 p99 is slower. */
export interface Ratio {
  readonly baseline: string;
  readonly throughput: number;
  readonly p50: number;
  readonly p99: number;
}

/** A target checked against a scenario's numbers. */
export interface Check {
  readonly target: string;
  readonly limit: number;
  readonly actual: number;
  readonly met: boolean;
  /** Open loop: the rate (successful answers per second) the latency was measured at. */
  readonly atRate?: number;
}

/** An open-loop scenario must answer at least this share of its offered rate for its latency to count as "at" that rate. */
export const RATE_TOLERANCE = 0.95;

export type ReportedScenario = ScenarioResult & { readonly ratio?: Ratio; readonly checks?: readonly Check[] };

/** The file one suite's run writes to bench/results/. */
export interface RunReport {
  readonly suite: string;
  readonly description: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Checked-out commit, and whether the tree had uncommitted changes. */
  readonly commit: { readonly id: string; readonly dirty: boolean } | null;
  readonly machine: MachineFacts;
  readonly options: Pick<BenchOptions, 'seconds' | 'warmupSeconds' | 'rounds' | 'connections' | 'rate'>;
  readonly setup: Readonly<Record<string, unknown>>;
  readonly scenarios: readonly ReportedScenario[];
  /** False when a scenario had failed requests or missed a target. */
  readonly ok: boolean;
}

export interface MachineFacts {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGb: number;
  readonly os: string;
  readonly node: string;
  readonly v8: string;
  /** 1-minute load average when the suite started: high means the machine was busy before we began. */
  readonly loadAverage: number;
  readonly database: DatabaseFacts | null;
}

export function machineFacts(database: DatabaseFacts | undefined, loadAverage: number): MachineFacts {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGb: round(os.totalmem() / 2 ** 30, 1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    v8: process.versions.v8,
    loadAverage: round(loadAverage, 2),
    database: database ?? null,
  };
}

export function gitCommit(): RunReport['commit'] {
  const head = spawnSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' });
  if (head.status !== 0) return null;
  const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' });
  return { id: head.stdout.trim(), dirty: status.stdout.trim() !== '' };
}

/** Assembles the report: ratios to each subject's baseline, target checks, overall verdict. */
export function buildReport(
  suite: Pick<BenchSuite, 'name' | 'description'>,
  result: SuiteResult,
  context: {
    startedAt: Date;
    finishedAt: Date;
    commit: RunReport['commit'];
    machine: MachineFacts;
    options: RunReport['options'];
  },
): RunReport {
  const byName = new Map(result.scenarios.map((scenario) => [scenario.name, scenario]));
  const scenarios = result.scenarios.map((scenario): ReportedScenario => {
    const baseline = scenario.baseline === undefined ? undefined : byName.get(scenario.baseline);
    if (scenario.baseline !== undefined && !baseline)
      throw new Error(`scenario ${scenario.name} names an unknown baseline ${scenario.baseline}`);
    const ratio = baseline && ratioOf(scenario, baseline);
    const checks = scenario.targets && checksOf(scenario, ratio);
    return { ...scenario, ...(ratio ? { ratio } : {}), ...(checks ? { checks } : {}) };
  });
  const ok = scenarios.every(
    (scenario) => scenario.errors.total === 0 && (scenario.checks ?? []).every((check) => check.met),
  );
  return {
    suite: suite.name,
    description: suite.description,
    startedAt: context.startedAt.toISOString(),
    finishedAt: context.finishedAt.toISOString(),
    commit: context.commit,
    machine: context.machine,
    options: context.options,
    setup: result.setup ?? {},
    scenarios,
    ok,
  };
}

function ratioOf(subject: ScenarioResult, baseline: ScenarioResult): Ratio {
  const divide = (a: number, b: number): number => (b > 0 ? round(a / b, 3) : 0);
  return {
    baseline: baseline.name,
    throughput: divide(subject.throughput, baseline.throughput),
    p50: divide(subject.latencyMs.p50, baseline.latencyMs.p50),
    p99: divide(subject.latencyMs.p99, baseline.latencyMs.p99),
  };
}

function checksOf(scenario: ScenarioResult, ratio: Ratio | undefined): Check[] {
  const targets = scenario.targets!;
  const checks: Check[] = [];
  const open = scenario.openLoop;
  if (targets.p99Ms !== undefined) {
    // Latencies are those of successful requests: with none, or with timeouts (each slower than any
    // limit we set), the p99 is not known to be within the limit.
    const timeouts = scenario.errors.byKind['timeout'] ?? 0;
    checks.push({
      target: 'p99Ms ≤',
      limit: targets.p99Ms,
      actual: scenario.latencyMs.p99,
      met: scenario.operations > 0 && timeouts === 0 && scenario.latencyMs.p99 <= targets.p99Ms,
      ...(open ? { atRate: scenario.throughput } : {}),
    });
  }
  if (open) {
    // A latency "at N req/s" only counts if the server answered at (nearly) that rate.
    const limit = round(open.offeredRate * RATE_TOLERANCE, 1);
    checks.push({ target: 'rate ≥', limit, actual: scenario.throughput, met: scenario.throughput >= limit });
  }
  if (targets.p99Ratio !== undefined) {
    const actual = ratio?.p99 ?? Infinity;
    checks.push({ target: 'p99 ratio ≤', limit: targets.p99Ratio, actual, met: actual <= targets.p99Ratio });
  }
  if (targets.throughputRatio !== undefined) {
    const actual = ratio?.throughput ?? 0;
    checks.push({
      target: 'throughput ratio ≥',
      limit: targets.throughputRatio,
      actual,
      met: actual >= targets.throughputRatio,
    });
  }
  return checks;
}

/** `platform-20261201T140305Z.json`: ISO 8601 basic format, so the name is valid on every file system. */
export function resultFileName(suite: string, at: Date): string {
  return `${suite}-${at
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '')}.json`;
}

/** The short human summary printed after a suite. */
export function formatTable(report: RunReport): string {
  const db = report.machine.database;
  const lines = [
    `${report.suite} · ${db ? `${db.kind} (${db.version.split(/[ ,]/).slice(0, 2).join(' ')})` : 'no database'} · ${report.machine.cpus} cpus · node ${report.machine.node} · ` +
      `${report.options.connections} connections · ${report.options.warmupSeconds} s warm-up + ${report.options.seconds} s each in ${report.options.rounds} rounds · load ${report.machine.loadAverage}`,
  ];
  const header = [
    'scenario',
    'req/s',
    'p50 ms',
    'p90 ms',
    'p99 ms',
    'max ms',
    'errors',
    '× req/s',
    '× p99',
    'cpu srv/cli/all',
  ];
  const rows = report.scenarios.map((scenario) => {
    const latency: LatencySummary = scenario.latencyMs;
    const failed = (scenario.checks ?? [])
      .filter((check) => !check.met)
      .map((check) => `MISSED ${check.target} ${check.limit}`);
    return [
      scenario.name,
      Math.round(scenario.throughput).toLocaleString('en'),
      latency.p50.toFixed(2),
      latency.p90.toFixed(2),
      latency.p99.toFixed(2),
      latency.max.toFixed(2),
      String(scenario.errors.total),
      scenario.ratio ? scenario.ratio.throughput.toFixed(2) : scenario.role,
      scenario.ratio ? scenario.ratio.p99.toFixed(2) : '',
      [scenario.cpu.serverThread, scenario.cpu.clientThread, scenario.cpu.machine]
        .map((share) => `${Math.round(share * 100)}%`)
        .join('/'),
      ...failed,
    ];
  });
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => (row[column] ?? '').length)));
  const format = (row: string[]): string =>
    row
      .map((cell, column) =>
        column === 0 || column >= header.length ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  lines.push(format(header), ...rows.map(format));
  for (const scenario of report.scenarios) {
    const open = scenario.openLoop;
    if (open)
      lines.push(
        `· ${scenario.name}: open loop at ${open.offeredRate}/s, sent ${open.sentRate}/s (${open.sent}/${open.scheduled}), ` +
          `send lag p99 ${open.sendLagMs.p99} ms, service p99 ${open.serviceLatencyMs.p99} ms, ` +
          `${open.maxInFlight} in flight at most on ${open.sockets} sockets; client ${open.keptUp ? 'kept up' : 'DID NOT keep up'}`,
      );
    if (scenario.errors.total > 0)
      lines.push(
        `! ${scenario.name}: ${scenario.errors.total} failed requests ${JSON.stringify(scenario.errors.byKind)}`,
      );
  }
  return lines.join('\n');
}
