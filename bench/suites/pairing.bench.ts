// The pairing optimizer (issue 5, docs/pairing-optimizer.md): the certified
// optimum at seed scale (7,260 cadres × 15,676 households, scenario full;
// target ≤ 1 s) against the greedy nearest-available preview; greedy
// cheapest-first; the highs LP on a reduced instance against our solver on
// the same; incremental changes (households arriving and leaving, capacity,
// a cadre leaving; target
// ≤ 10 ms each) against a full re-solve, and every change of the session
// timed by wall and CPU time per kind, split into changes on a city that can
// serve its households and changes once districts ran out of room; the whole `minxin pair` run (target ≤ 2 s) against the CLI's own
// start-up. One-off child processes measure peak RSS at seed scale and the
// 10× city (72,600 × 156,760; target ≤ 20 s, ≤ 1 GB). BENCH_PAIRING_TEN=0
// skips the 10× run; BENCH_PAIRING_TEN_SCALE changes it.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import * as highsPackage from 'highs';
import { seededRandom } from '../../server/algorithms/seeded-random.ts';
import { createPairingSession, generatePairingCity, greedyPairing, pairCost, scenarioOptions, solvePairing, type PairingInstance, type PairingOptions } from '../../server/algorithms/pairing/index.ts';
import { instanceLines } from '../../server/modules/pairing/pair-instance-file.ts';
import { round, runTimedScenarios, type BenchOptions, type BenchSuite, type SuiteResult } from '../suite.ts';

/** The kinds of change a session is timed by. */
type ChangeKind = 'household arrives' | 'household leaves' | 'capacity up' | 'capacity down' | 'capacity unchanged' | 'cadre leaves';
/**
 * `feasible`: the session served every household before and after the
 * change (issue 5's ≤ 10 ms applies to these); `noRoom`: some district had
 * households it could not serve, before or after.
 */
type Regime = 'feasible' | 'noRoom';

/** Wall and CPU milliseconds of every change of one session, by regime and kind. */
class ChangeTimes {
  private readonly times = new Map<string, { wall: number[]; cpu: number[] }>();

  /** Runs one change, timing it by performance.now() and process.cpuUsage() (this process's CPU: a loaded machine inflates wall time, not this). */
  time(kind: ChangeKind, unserved: () => number, change: () => void): void {
    const before = unserved();
    const cpu = process.cpuUsage();
    const started = performance.now();
    change();
    const wall = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const regime: Regime = before === 0 && unserved() === 0 ? 'feasible' : 'noRoom';
    const key = `${regime}\t${kind}`;
    let entry = this.times.get(key);
    if (!entry) this.times.set(key, (entry = { wall: [], cpu: [] }));
    entry.wall.push(wall);
    entry.cpu.push((used.user + used.system) / 1000);
  }

  count(regime: Regime): number {
    let count = 0;
    for (const [key, entry] of this.times) if (key.startsWith(`${regime}\t`)) count += entry.wall.length;
    return count;
  }

  summary(): Record<Regime, Record<string, { changes: number; wallMs: Quantiles; cpuMs: Quantiles }>> {
    const out: Record<Regime, Record<string, { changes: number; wallMs: Quantiles; cpuMs: Quantiles }>> = { feasible: {}, noRoom: {} };
    for (const [key, entry] of [...this.times].sort()) {
      const [regime, kind] = key.split('\t') as [Regime, ChangeKind];
      out[regime][kind] = { changes: entry.wall.length, wallMs: quantiles(entry.wall), cpuMs: quantiles(entry.cpu) };
    }
    return out;
  }
}

interface Quantiles {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

function quantiles(values: number[]): Quantiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
  return { p50: round(at(0.5), 3), p99: round(at(0.99), 3), max: round(sorted[sorted.length - 1]!, 3) };
}

const run = promisify(execFile);
const CHILD = path.resolve(import.meta.dirname, '../pairing-child.ts');
const ROOT = path.resolve(import.meta.dirname, '../..');
/** highs ships CommonJS typings for an ES module whose default export is the loader. */
type HighsLoader = () => Promise<{ solve(problem: string, options?: Record<string, unknown>): { Status: string; ObjectiveValue: number } }>;
const highsLoader = highsPackage.default as unknown as HighsLoader;

export const suite: BenchSuite = {
  name: 'pairing',
  description: 'Certified optimal pairing (min-cost flow) at seed scale vs greedy nearest-available, vs the highs LP on a reduced city; incremental changes vs a re-solve; minxin pair vs CLI start-up; 10× city in a child process',
  run: runPairing,
};

async function child(args: string[]): Promise<Record<string, unknown> & { wallSeconds: number }> {
  const started = performance.now();
  const { stdout } = await run(process.execPath, [CHILD, ...args], { cwd: ROOT, maxBuffer: 1 << 26, timeout: 30 * 60_000 });
  const facts = JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
  return { ...facts, wallSeconds: round((performance.now() - started) / 1000, 2) };
}

async function runPairing(options: BenchOptions): Promise<SuiteResult> {
  const full = scenarioOptions('full');
  const loadBefore = os.loadavg().map((value) => round(value, 2));
  options.log('generating the seed city …');
  const city = generatePairingCity({ scale: 1 });
  const optimum = solvePairing(city, full);
  const greedy = { nearest: greedyPairing(city, full, 'nearest'), cheapest: greedyPairing(city, full, 'cheapest') };
  const reduced = generatePairingCity({ seed: 7, scale: 0.03 });
  const lp = linearProgram(reduced, full);
  const highs = await highsLoader();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'minxin-bench-pairing-'));
  const instanceFile = path.join(dir, 'seed.jsonl');
  await writeFile(instanceFile, instanceLines(city, { scale: 1 }).join('\n') + '\n');

  // Incremental changes on one open session, cycling arrivals, capacity changes and departures.
  let session = createPairingSession(city, full);
  const arrivals = generatePairingCity({ seed: 2, scale: 1 }).households;
  const random = seededRandom(11);
  let changes = 0;
  const removed = new Set<string>();
  const anyCadre = (): string => city.cadres[Math.floor(random() * city.cadres.length)]!.id;
  const arrived: string[] = [];
  const times = new ChangeTimes();
  const unserved = (): number => session.unservedCount();
  const capacity = new Map(city.cadres.map((cadre) => [cadre.id, cadre.capacity]));
  let restores = 0;
  // Departures are about a millisecond now, so a timed round could empty the city: once half its cadres
  // have left, the next departure first starts a new session of the seed city (inside that timed
  // operation, outside the change's own timing).
  const restore = (): void => {
    session = createPairingSession(city, full);
    removed.clear();
    arrived.length = 0;
    for (const cadre of city.cadres) capacity.set(cadre.id, cadre.capacity);
    restores += 1;
  };
  // Households arrive and leave in turn, so the city stays as full as it was.
  const arrive = async (): Promise<void> => {
    const step = changes++;
    if (step % 2 === 1 && arrived.length > 0) {
      const leaving = arrived.splice(Math.floor(random() * arrived.length), 1)[0]!;
      times.time('household leaves', unserved, () => session.removeHousehold(leaving));
      return;
    }
    // Arrivals drawn across the whole city (the generated file lists district by district).
    const { currentCadre: _current, ...household } = arrivals[Math.floor(random() * arrivals.length)]!;
    times.time('household arrives', unserved, () => session.addHousehold({ ...household, id: `arrival-${step}` }));
    arrived.push(`arrival-${step}`);
  };
  const resize = async (): Promise<void> => {
    changes += 1;
    let cadre = anyCadre();
    while (removed.has(cadre)) cadre = anyCadre();
    const before = capacity.get(cadre)!;
    const after = 1 + Math.floor(random() * 5);
    capacity.set(cadre, after);
    times.time(after > before ? 'capacity up' : after < before ? 'capacity down' : 'capacity unchanged', unserved, () => session.setCapacity(cadre, after));
  };
  const leave = async (restoreAtHalf = true): Promise<void> => {
    if (restoreAtHalf && removed.size >= city.cadres.length / 2) restore();
    changes += 1;
    let cadre = anyCadre();
    while (removed.has(cadre)) cadre = anyCadre();
    removed.add(cadre);
    times.time('cadre leaves', unserved, () => session.removeCadre(cadre));
  };

  try {
    const scenarios = await runTimedScenarios(
      [
        { name: 'greedy-nearest', description: 'greedy nearest-available preview of the seed city (scenario full): each household in turn takes the nearest eligible cadre with room', operation: 'greedyPairing(seed city, full, nearest)', role: 'baseline', run: async () => greedyPairing(city, full, 'nearest') },
        { name: 'solve', description: 'solvePairing on the seed city, scenario full: certified optimum (candidates, shortest paths, pricing of every eligible pair)', operation: 'solvePairing(7,260 cadres × 15,676 households, full)', role: 'subject', baseline: 'greedy-nearest', run: async () => solvePairing(city, full), targets: { p99Ms: 1000 } },
        { name: 'greedy-cheapest', description: 'greedy cheapest-first preview (needs first, 16 nearest eligible pairs per household, then nearest-available)', operation: 'greedyPairing(seed city, full, cheapest)', role: 'subject', baseline: 'greedy-nearest', run: async () => greedyPairing(city, full, 'cheapest') },
        { name: 'highs-lp', description: `the highs LP (every eligible pair a column, fairness slots) on a reduced city of ${reduced.households.length} households × ${reduced.cadres.length} cadres`, operation: 'highs.solve(LP of the reduced city)', role: 'baseline', run: async () => highs.solve(lp, { output_flag: false }) },
        { name: 'solve-reduced', description: 'solvePairing on the same reduced city', operation: 'solvePairing(reduced city, full)', role: 'subject', baseline: 'highs-lp', run: async () => solvePairing(reduced, full) },
        { name: 'change-household', description: 'in turn a household arrives in an open session of the seed city (no current cadre; served by one exact shortest path) or an arrived one leaves (its room repaired)', operation: 'session.addHousehold | removeHousehold', role: 'subject', baseline: 'solve', run: arrive, targets: { p99Ms: 10 } },
        { name: 'change-capacity', description: "a random cadre's capacity becomes 1–5 in the open session: extra households served anew, or each new unit of room at a full cadre repaired by a bounded shortest-path search from that cadre backwards to the sink", operation: 'session.setCapacity', role: 'subject', baseline: 'solve', run: resize, targets: { p99Ms: 10 } },
        { name: 'change-leave', description: 'a random cadre leaves the open session; their households are served anew (once half the cadres have left, the next operation first starts a new session of the seed city)', operation: 'session.removeCadre', role: 'subject', baseline: 'solve', run: () => leave(), targets: { p99Ms: 10 } },
        { name: 'cli-idle', description: 'a cold `node` process loading the minxin CLI and doing nothing: the start-up every command pays', operation: 'node bench/pairing-child.ts idle', role: 'baseline', run: () => child(['idle']) },
        { name: 'cli', description: 'the whole `minxin pair --instance seed.jsonl --output pairs.jsonl` in a cold process (start-up, read 24,347 lines, solve, write)', operation: 'node bench/pairing-child.ts cli seed.jsonl pairs.jsonl', role: 'subject', baseline: 'cli-idle', run: () => child(['cli', instanceFile, path.join(dir, 'pairs.jsonl')]), targets: { p99Ms: 2000 } },
      ],
      options,
    );
    const timedChanges = changes;
    const feasibleAtEnd = session.unservedCount() === 0;
    // Then on, in cycles of 10 household changes, 4 capacity changes and a departure, until districts run
    // out of room and 1,500 changes were timed there (or 60,000 changes in all): that regime is reported apart.
    options.log('changes until districts run out of room …');
    while (times.count('noRoom') < 1500 && changes < timedChanges + 60_000 && removed.size < city.cadres.length * 0.9) {
      for (let i = 0; i < 10; i++) await arrive();
      for (let i = 0; i < 4; i++) await resize();
      await leave(false);
    }
    const after = session.result();
    const summary = times.summary();
    for (const regime of ['feasible', 'noRoom'] as const) {
      for (const [kind, entry] of Object.entries(summary[regime])) {
        options.log(`${regime} ${kind}: ${entry.changes} changes, wall p50 ${entry.wallMs.p50} p99 ${entry.wallMs.p99} max ${entry.wallMs.max} ms; CPU p50 ${entry.cpuMs.p50} p99 ${entry.cpuMs.p99} max ${entry.cpuMs.max} ms`);
      }
    }
    options.log('seed city in a child process (peak RSS) …');
    const seedChild = await child(['solve', '1', 'full']);
    const cliChild = await child(['cli', instanceFile, path.join(dir, 'pairs.jsonl')]);
    const idleChild = await child(['idle']);
    let ten: Record<string, unknown> | undefined;
    if (options.env.BENCH_PAIRING_TEN !== '0') {
      const scale = options.env.BENCH_PAIRING_TEN_SCALE || '10';
      options.log(`${scale}× city in a child process …`);
      ten = await child(['solve', scale, 'full']);
    }
    const gap = (cost: number): number => round((cost - optimum.cost) / optimum.cost, 4);
    return {
      setup: {
        loadAverageBefore: loadBefore,
        loadAverageAfter: os.loadavg().map((value) => round(value, 2)),
        cores: os.cpus().length,
        seed: { cadres: city.cadres.length, households: city.households.length, cost: optimum.cost, lowerBound: optimum.lowerBound, certified: optimum.certified, stats: optimum.stats },
        greedy: {
          nearest: { cost: greedy.nearest.cost, gap: gap(greedy.nearest.cost), stranded: greedy.nearest.stranded.length },
          cheapest: { cost: greedy.cheapest.cost, gap: gap(greedy.cheapest.cost), stranded: greedy.cheapest.stranded.length },
        },
        reduced: { cadres: reduced.cadres.length, households: reduced.households.length, cost: solvePairing(reduced, full).cost, highsObjective: highs.solve(lp, { output_flag: false }).ObjectiveValue },
        session: { changes, timedChanges, restores, cadresLeft: removed.size, feasibleAtEnd, status: after.status, certified: after.certified, households: after.stats.households, unserved: after.unserved?.length ?? 0 },
        changes: {
          ...summary,
          note: 'Every change of the open session (the timed scenarios above, warm-up included, then cycles of 10 household changes, 4 capacity changes and a departure until districts ran out of room), by kind: wall ms (performance.now) and CPU ms of this process (process.cpuUsage, which load does not inflate). feasible = every household served before and after the change (the issue-5 target applies); noRoom = some district could not serve its households before or after.',
        },
        seedChild,
        cliChild: { ...cliChild, summary: undefined },
        cliIdleChild: idleChild,
        ten: ten ?? 'skipped (BENCH_PAIRING_TEN=0)',
        note: 'Child processes report peak RSS (maxRSS) of their whole process: seedChild generates and solves with only the algorithm loaded; cliChild is minxin pair from a cold start, cliIdleChild the CLI loading alone. solveSeconds is wall time; solveCpuSeconds the process CPU time, which a loaded machine does not inflate.',
      },
      scenarios,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The LP of issue 5 in CPLEX LP format (as the tests' oracle). */
function linearProgram(instance: PairingInstance, options: PairingOptions): string {
  const objective: string[] = [];
  const rows: string[] = [];
  const bounds: string[] = [];
  const byCadre = new Map<number, string[]>();
  instance.households.forEach((household, h) => {
    const terms: string[] = [];
    instance.cadres.forEach((cadre, c) => {
      if (cadre.capacity === 0) return;
      if (options.sameDistrict && cadre.district !== household.district) return;
      if (options.skills && !household.needs.every((need) => cadre.skills.includes(need))) return;
      const name = `x${h}_${c}`;
      objective.push(`+ ${pairCost(cadre, household, options.changePenalty)} ${name}`);
      terms.push(name);
      let list = byCadre.get(c);
      if (!list) byCadre.set(c, (list = []));
      list.push(name);
    });
    rows.push(` h${h}: ${terms.join(' + ')} = 1`);
  });
  for (const [c, names] of byCadre) {
    const slots = Array.from({ length: instance.cadres[c]!.capacity }, (_, j) => `y${c}_${j}`);
    slots.forEach((slot, j) => {
      objective.push(`+ ${options.fairness * j} ${slot}`);
      bounds.push(` 0 <= ${slot} <= 1`);
    });
    rows.push(` c${c}: ${names.join(' + ')} - ${slots.join(' - ')} = 0`);
  }
  return `Minimize\n obj: ${objective.join(' ')}\nSubject To\n${rows.join('\n')}\nBounds\n${bounds.join('\n')}\nEnd\n`;
}
