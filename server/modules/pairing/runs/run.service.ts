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
} from '../../../platform/index.ts';
import { diffPairs, pairsFingerprint, type Cadre, type Household } from '../pairing.ts';
import * as registry from '../registry/registry.repository.ts';
import { optimise, type OptimiserOverrides, type Scenario } from './optimiser.ts';
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

async function areaOf(deps: PlatformDeps, regionId: number, districtId: number | null): Promise<{ path: string; resource: Resource }> {
  if (districtId === null) return { path: `/${regionId}/`, resource: { kind: 'city' } };
  const place = await registry.findPlace(deps.db, regionId, districtId);
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

/**
 * Runs the optimiser over the area's registry and stores the proposal.
 * Synchronous within the request: about a second at the seed scale of
 * 7,260 cadres × 15,676 households (docs/pairing.md has the measurements).
 */
export async function proposeRun(deps: PlatformDeps, context: RequestContext, request: RunRequest): Promise<repository.PairingRun> {
  const actor = requireActor(context);
  const regionId = context.regionId;
  const area = await areaOf(deps, regionId, request.districtId);
  assertAllowed(actor, 'pairing.manage', area.resource);
  const [{ cadres, households, pairs }, outside] = await Promise.all([
    registry.loadRegistry(deps.db, regionId, area.path),
    request.districtId === null ? Promise.resolve(new Map<number, number>()) : repository.loadOutside(deps.db, regionId, area.path),
  ]);
  const instance = instanceOf(cadres, households, pairs, outside);
  const started = performance.now();
  const outcome = optimise(instance, request.scenario, request.overrides ?? {});
  const solveMs = Math.round(performance.now() - started);
  const diff = diffPairs(pairs, outcome.assignments, outcome.unserved.map((entry) => entry.householdId));
  const now = deps.clock();
  const id = await inTransaction(deps.db, async (trx) => {
    const runId = await repository.insertRun(trx, regionId, {
      districtId: request.districtId,
      scenario: request.scenario,
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
      createdBy: accountIdOf(actor),
      createdAt: now,
      assignments: outcome.assignments,
    });
    await recordAudit(
      trx,
      context,
      {
        action: 'pairing_run.propose',
        resourceType: 'pairing_run',
        resourceId: runId,
        details: { scenario: request.scenario, districtId: request.districtId, status: outcome.status, cost: outcome.cost, kept: diff.kept, changed: diff.changed.length, added: diff.added.length, unserved: diff.unserved.length, ended: diff.ended.length },
      },
      now,
    );
    return runId;
  });
  return (await repository.findRun(deps.db, regionId, id))!;
}

async function readableRun(deps: PlatformDeps, context: RequestContext, id: number): Promise<repository.PairingRun> {
  const actor = requireActor(context);
  assertAllowed(actor, 'pairing.manage');
  const run = await repository.findRun(deps.db, context.regionId, id);
  if (!run) throw new AppError('not_found', `No pairing run ${id}`);
  const area = await areaOf(deps, context.regionId, run.districtId);
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
    const area = await areaOf(deps, regionId, run.districtId);
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
