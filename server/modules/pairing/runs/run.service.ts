import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  AppError,
  accountIdOf,
  assertAllowed,
  inTransaction,
  isAllowed,
  recordAudit,
  requireActor,
  type PlatformDeps,
  type RequestContext,
  type Resource,
  startIntervalJob,
  type IntervalJob,
} from '../../../platform/index.ts';
import { diffPairs, pairsFingerprint, type Cadre, type Household } from '../pairing.ts';
import * as registry from '../registry/registry.repository.ts';
import { optimise, type OptimiserInput, type OptimiserOutcome, type OptimiserOverrides, type OptimiserProgress, type Scenario } from './optimiser.ts';
import * as repository from './run.repository.ts';

/**
 * Pairing runs (结对方案): a coordinator runs the optimiser over the
 * registry of the city or one district; the result is stored as a proposal
 * with its numbers (cost, lower bound, gap, certified, time, greedy preview)
 * and its diff against the current pairs (kept / changed / new / unserved /
 * ended). Current pairs enter the optimiser as each household's current
 * cadre, so the change penalty keeps them unless a change is clearly better.
 * Approving applies the diff in one transaction, refused when the pairs of
 * the area changed since the run; rejecting discards it.
 */

/** What a coordinator asks for. */
export interface RunRequest {
  readonly scenario: Scenario;
  /** One district, or the whole city (null; city-wide coordinators and admins). */
  readonly districtId: number | null;
  readonly overrides?: OptimiserOverrides | undefined;
}

const digestOf = (pairs: ReadonlyMap<number, number>): string => createHash('sha256').update(pairsFingerprint(pairs)).digest('hex');

/** The run's area; `db` is the transaction when called inside one (PGlite has one connection: the pool would wait for it forever). */
async function areaOf(db: PlatformDeps['db'], regionId: number, districtId: number | null): Promise<{ path: string; resource: Resource }> {
  if (districtId === null) return { path: `/${regionId}/`, resource: { kind: 'city' } };
  const place = await registry.findPlace(db, regionId, districtId);
  if (!place || place.level !== 'district') throw new AppError('validation_failed', `No district ${districtId}`, { errors: [{ path: 'districtId', message: 'not a district of this city' }] });
  return { path: place.path, resource: { kind: 'region', path: place.path } };
}

/** The run's instance: cadres with the capacity left after pairs outside the area, households with their current cadre. */
function instanceOf(cadres: readonly Cadre[], households: readonly Household[], pairs: ReadonlyMap<number, number>, outside: ReadonlyMap<number, number>) {
  const present = new Set(cadres.map((cadre) => cadre.id));
  return {
    cadres: cadres.map((cadre) => ({ id: cadre.id, districtId: cadre.districtId, location: cadre.location, capacity: Math.max(0, cadre.capacity - (outside.get(cadre.id) ?? 0)), skills: cadre.skills })),
    households: households
      .filter((household) => household.active)
      .map((household) => {
        const current = pairs.get(household.id);
        return {
          id: household.id,
          districtId: household.districtId,
          communityId: household.communityId,
          location: household.location,
          needs: household.needs,
          currentCadre: current !== undefined && present.has(current) ? current : null,
        };
      }),
  };
}

/** Computes an optimiser outcome: in this thread (CLI, demo city) or in a worker thread (the API, `solveInWorker`). */
export type RunSolver = (
  input: OptimiserInput,
  scenario: Scenario,
  overrides: OptimiserOverrides,
  onProgress: (progress: OptimiserProgress) => void,
) => Promise<OptimiserOutcome>;

/** The optimiser in the calling thread: for the command line and the demo city, where nothing else waits. */
export const solveInThisThread: RunSolver = async (input, scenario, overrides, onProgress) => optimise(input, scenario, overrides, onProgress);

/** A running run shows it is alive this often; one not seen for `RUN_STALE_MS` has lost its server. */
export const RUN_HEARTBEAT_MS = 2_000;
export const RUN_STALE_MS = 60_000;

/** Overall progress (0–1) of a run at a step of the optimiser: loading ≤ 0.1, solving to 0.85, preview, storing 0.95. */
function overallProgress(progress: OptimiserProgress): number {
  const fraction = progress.total > 0 ? Math.min(1, progress.done / progress.total) : 0;
  switch (progress.phase) {
    case 'candidates':
      return 0.1 + 0.2 * fraction;
    case 'augment':
      return 0.3 + 0.45 * fraction;
    case 'price':
      return 0.75 + 0.05 * fraction;
    case 'done':
      return 0.8;
    case 'preview':
      return 0.85;
  }
}

/**
 * Asks for a run over the city's or a district's registry: stored `queued`
 * and returned at once; `computeRun` then computes it (the API in the
 * background, `POST /runs` answering 202). At most one run per area at a
 * time: a run while another of the same district or of the whole city is
 * queued or running is refused (409), decided under the city's pair lock.
 */
export async function requestRun(deps: PlatformDeps, context: RequestContext, request: RunRequest): Promise<repository.PairingRun> {
  const actor = requireActor(context);
  const regionId = context.regionId;
  const area = await areaOf(deps.db, regionId, request.districtId);
  assertAllowed(actor, 'pairing.manage', area.resource);
  const overrides = Object.fromEntries(Object.entries(request.overrides ?? {}).filter(([, value]) => value !== undefined));
  const now = deps.clock();
  const id = await inTransaction(deps.db, async (trx) => {
    await repository.lockCityPairs(trx, regionId);
    const active = await repository.findActiveRun(trx, regionId, request.districtId);
    if (active) throw new AppError('conflict', `Pairing run ${active.id} of this area is still being computed; wait for it to finish`, { runId: active.id });
    const runId = await repository.insertQueuedRun(trx, regionId, { districtId: request.districtId, scenario: request.scenario, options: overrides, createdBy: accountIdOf(actor), createdAt: now });
    await recordAudit(trx, context, { action: 'pairing_run.request', resourceType: 'pairing_run', resourceId: runId, details: { scenario: request.scenario, districtId: request.districtId, ...overrides } }, now);
    return runId;
  });
  return (await repository.findRun(deps.db, regionId, id))!;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Computes a queued run: reads the area's registry, solves (through
 * `solver`), and stores the proposal with its numbers and its diff against
 * the current pairs. While it runs, its progress and a heartbeat are stored
 * every `RUN_HEARTBEAT_MS`, so any server can answer how far it is and tell
 * when its server died (`failOrphanedRuns`). A failure marks the run
 * `failed` with its message (and is thrown again with `rethrow`). A run that
 * is no longer queued (failed as orphaned) is left alone.
 */
export async function computeRun(
  deps: PlatformDeps,
  context: RequestContext,
  runId: number,
  solver: RunSolver,
  options: { rethrow?: boolean } = {},
): Promise<repository.PairingRun> {
  const regionId = context.regionId;
  if (!(await repository.startRunning(deps.db, regionId, runId, deps.clock()))) return (await repository.findRun(deps.db, regionId, runId))!;
  let latest = { progress: 0, phase: 'loading' };
  const beat = () => repository.reportProgress(deps.db, regionId, runId, latest.progress, latest.phase, deps.clock()).catch((error: unknown) => deps.logger.warn({ err: error, runId }, 'pairing run: progress not stored'));
  const heartbeat = setInterval(() => void beat(), RUN_HEARTBEAT_MS);
  heartbeat.unref();
  try {
    const run = (await repository.findRun(deps.db, regionId, runId))!;
    const area = await areaOf(deps.db, regionId, run.districtId);
    const [{ cadres, households, pairs }, outside] = await Promise.all([
      registry.loadRegistry(deps.db, regionId, area.path),
      run.districtId === null ? Promise.resolve(new Map<number, number>()) : repository.loadOutside(deps.db, regionId, area.path),
    ]);
    const instance = instanceOf(cadres, households, pairs, outside);
    latest = { progress: 0.1, phase: 'candidates' };
    const started = performance.now();
    const outcome = await solver(instance, run.scenario, run.options as OptimiserOverrides, (progress) => {
      latest = { progress: Math.max(latest.progress, overallProgress(progress)), phase: progress.phase };
    });
    const solveMs = Math.round(performance.now() - started);
    latest = { progress: 0.95, phase: 'storing' };
    const diff = diffPairs(pairs, outcome.assignments, outcome.unserved.map((entry) => entry.householdId));
    const now = deps.clock();
    await inTransaction(deps.db, async (trx) => {
      const stored = await repository.storeResult(
        trx,
        regionId,
        runId,
        {
          options: outcome.options,
          solverStatus: outcome.status,
          cost: outcome.cost,
          lowerBound: outcome.lowerBound,
          gap: outcome.gap,
          certified: outcome.certified,
          solveMs,
          greedyCost: outcome.greedyCost,
          cadres: instance.cadres.length,
          households: instance.households.length,
          diff,
          unserved: outcome.unserved,
          pairsDigest: digestOf(pairs),
          assignments: outcome.assignments,
        },
        now,
      );
      if (!stored) return;
      await recordAudit(
        trx,
        context,
        {
          action: 'pairing_run.propose',
          resourceType: 'pairing_run',
          resourceId: runId,
          details: { scenario: run.scenario, districtId: run.districtId, status: outcome.status, cost: outcome.cost, kept: diff.kept, changed: diff.changed.length, added: diff.added.length, unserved: diff.unserved.length, ended: diff.ended.length },
        },
        now,
      );
    });
  } catch (error) {
    await repository.failRun(deps.db, regionId, runId, messageOf(error), deps.clock());
    if (options.rethrow) throw error;
    if (!(error instanceof AppError)) deps.logger.error({ err: error, runId }, 'pairing run failed');
  } finally {
    clearInterval(heartbeat);
  }
  return (await repository.findRun(deps.db, regionId, runId))!;
}

/**
 * Asks for a run and computes it in this thread, for callers that wait for
 * the proposal anyway (the demo city, the command line): a failure is thrown.
 */
export async function proposeRun(deps: PlatformDeps, context: RequestContext, request: RunRequest): Promise<repository.PairingRun> {
  const queued = await requestRun(deps, context, request);
  return computeRun(deps, context, queued.id, solveInThisThread, { rethrow: true });
}

/**
 * Marks failed the runs whose server stopped showing them alive
 * (`RUN_STALE_MS`): a server that crashed or restarted mid-run. Any server
 * may do it — state lives in the database — and the sweep job does it at
 * start-up and every minute.
 */
export async function failOrphanedRuns(deps: PlatformDeps, now: Date = deps.clock()): Promise<number> {
  const failed = await repository.failOrphanedRuns(deps.db, new Date(now.getTime() - RUN_STALE_MS), 'The server computing this run stopped; run the optimiser again', now);
  if (failed.length > 0) deps.logger.warn({ runs: failed }, 'pairing runs orphaned by a stopped server marked failed');
  return failed.length;
}

/** Runs `failOrphanedRuns` at start-up and every `intervalSeconds` (default 30) while the server runs. */
export function startPairingRunSweepJob(deps: PlatformDeps, intervalSeconds = 30): IntervalJob {
  return startIntervalJob(deps.logger, 'pairing run sweep', intervalSeconds, () => failOrphanedRuns(deps));
}

async function readableRun(deps: PlatformDeps, context: RequestContext, id: number): Promise<repository.PairingRun> {
  const actor = requireActor(context);
  assertAllowed(actor, 'pairing.manage');
  const run = await repository.findRun(deps.db, context.regionId, id);
  if (!run) throw new AppError('not_found', `No pairing run ${id}`);
  const area = await areaOf(deps.db, context.regionId, run.districtId);
  if (!isAllowed(actor, 'pairing.manage', area.resource)) throw new AppError('not_found', `No pairing run ${id}`);
  return run;
}

/** One run with its diff (coordinators and admins whose area covers the run's). */
export function getRun(deps: PlatformDeps, context: RequestContext, id: number): Promise<repository.PairingRun> {
  return readableRun(deps, context, id);
}

/** The newest runs of the reader's area. */
export function listRuns(deps: PlatformDeps, context: RequestContext, limit: number): Promise<repository.PairingRun[]> {
  const actor = requireActor(context);
  assertAllowed(actor, 'pairing.manage');
  return repository.listRuns(deps.db, context.regionId, actor.scopePath, limit);
}

/**
 * Approves a proposal: its diff becomes the current pairs in one
 * transaction. Refused (409) when the run is no longer a proposal, or when
 * the area's pairs changed since the run (another approval): run again.
 */
export async function approveRun(deps: PlatformDeps, context: RequestContext, id: number): Promise<repository.PairingRun> {
  const actor = requireActor(context);
  await readableRun(deps, context, id);
  const regionId = context.regionId;
  const now = deps.clock();
  await inTransaction(deps.db, async (trx) => {
    await repository.lockCityPairs(trx, regionId);
    const run = (await repository.findRun(trx, regionId, id, { forUpdate: true }))!;
    if (run.status !== 'proposed') throw new AppError('conflict', `Pairing run ${id} is already ${run.status}`);
    if (run.solverStatus === 'infeasible' && run.diff.added.length + run.diff.changed.length + run.diff.kept === 0) {
      throw new AppError('conflict', `Pairing run ${id} found no feasible pairing`);
    }
    const area = await areaOf(trx, regionId, run.districtId);
    const pairs = await registry.currentPairs(trx, regionId, area.path);
    if (digestOf(pairs) !== run.pairsDigest) throw new AppError('conflict', 'The pairs of this area changed since the run; run the optimiser again');
    await repository.applyPairs(trx, regionId, run.diff, id, now);
    await repository.decideRun(trx, regionId, id, 'approved', accountIdOf(actor), now);
    await recordAudit(
      trx,
      context,
      { action: 'pairing_run.approve', resourceType: 'pairing_run', resourceId: id, details: { kept: run.diff.kept, changed: run.diff.changed.length, added: run.diff.added.length, ended: run.diff.ended.length } },
      now,
    );
  });
  return (await repository.findRun(deps.db, regionId, id))!;
}

/** Rejects a proposal; the current pairs stay. */
export async function rejectRun(deps: PlatformDeps, context: RequestContext, id: number): Promise<repository.PairingRun> {
  const actor = requireActor(context);
  await readableRun(deps, context, id);
  const regionId = context.regionId;
  const now = deps.clock();
  await inTransaction(deps.db, async (trx) => {
    const run = (await repository.findRun(trx, regionId, id, { forUpdate: true }))!;
    if (run.status !== 'proposed') throw new AppError('conflict', `Pairing run ${id} is already ${run.status}`);
    await repository.decideRun(trx, regionId, id, 'rejected', accountIdOf(actor), now);
    await recordAudit(trx, context, { action: 'pairing_run.reject', resourceType: 'pairing_run', resourceId: id }, now);
  });
  return (await repository.findRun(deps.db, regionId, id))!;
}
