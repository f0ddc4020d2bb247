import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../../../platform/index.ts';
import type { PairingDiff } from '../pairing.ts';
import type { PairingRunTable, PairingTables } from '../pairing.table.ts';

type Executor = Kysely<Database>;
const tables = (db: Executor): Kysely<Database & PairingTables> => db.withTables<PairingTables>();

/**
 * A run is `queued` when asked for, `running` while a server computes it,
 * `proposed` once its numbers and diff are stored (then `approved` or
 * `rejected`), or `failed` (the optimiser refused, or its server stopped).
 */
export type RunStatus = 'queued' | 'running' | 'proposed' | 'approved' | 'rejected' | 'failed';

/** Statuses of a run still being computed. */
export const ACTIVE_STATUSES = ['queued', 'running'] as const;

/** A stored run: the optimiser's numbers, its assignments and the diff against the pairs it saw. */
export interface PairingRun {
  readonly id: number;
  readonly districtId: number | null;
  readonly scenario: 'full' | 'plain';
  readonly options: Record<string, unknown>;
  readonly status: RunStatus;
  readonly solverStatus: string;
  readonly cost: number | null;
  readonly lowerBound: number | null;
  readonly gap: number | null;
  readonly certified: boolean;
  readonly solveMs: number;
  readonly greedyCost: number | null;
  readonly cadres: number;
  readonly households: number;
  readonly diff: PairingDiff;
  readonly unserved: readonly { householdId: number; reason: string }[];
  readonly pairsDigest: string;
  readonly createdBy: number | null;
  readonly createdAt: Date;
  readonly decidedBy: number | null;
  readonly decidedAt: Date | null;
  /** 0–1 while computed (1 once done), with the step (`loading`, `candidates`, `augment`, `price`, `preview`, `storing`). */
  readonly progress: number;
  readonly phase: string | null;
  /** Why a failed run failed (a message for the coordinator). */
  readonly error: string | null;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
}

const parse = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));
const numberOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

function toRun(row: Omit<Selectable<PairingRunTable>, 'assignments' | 'heartbeat_at'>): PairingRun {
  return {
    id: Number(row.id),
    districtId: numberOrNull(row.district_id),
    scenario: row.scenario as 'full' | 'plain',
    options: parse(row.options),
    status: row.status as RunStatus,
    solverStatus: row.solver_status,
    cost: numberOrNull(row.cost),
    lowerBound: numberOrNull(row.lower_bound),
    gap: row.gap,
    certified: row.certified,
    solveMs: row.solve_ms,
    greedyCost: numberOrNull(row.greedy_cost),
    cadres: row.cadres,
    households: row.households,
    diff: parse(row.diff),
    unserved: parse(row.unserved),
    pairsDigest: row.pairs_digest,
    createdBy: numberOrNull(row.created_by),
    createdAt: new Date(row.created_at),
    decidedBy: numberOrNull(row.decided_by),
    decidedAt: row.decided_at === null ? null : new Date(row.decided_at),
    progress: Number(row.progress),
    phase: row.phase,
    error: row.error,
    startedAt: row.started_at === null ? null : new Date(row.started_at),
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at),
  };
}

/** A run's result: the optimiser's numbers, its assignments and the diff against the pairs it saw. */
export type RunResult = Pick<
  PairingRun,
  'options' | 'solverStatus' | 'cost' | 'lowerBound' | 'gap' | 'certified' | 'solveMs' | 'greedyCost' | 'cadres' | 'households' | 'diff' | 'unserved' | 'pairsDigest'
> & { readonly assignments: readonly (readonly [number, number])[] };

/** A run asked for: stored `queued`, alive (heartbeat) from now. */
export async function insertQueuedRun(
  db: Executor,
  regionId: number,
  run: { districtId: number | null; scenario: 'full' | 'plain'; options: Record<string, unknown>; createdBy: number | null; createdAt: Date },
): Promise<number> {
  const row = await tables(db)
    .insertInto('pairing_runs')
    .values({
      region_id: regionId,
      district_id: run.districtId,
      scenario: run.scenario,
      options: JSON.stringify(run.options),
      status: 'queued',
      progress: 0,
      created_by: run.createdBy,
      created_at: run.createdAt,
      heartbeat_at: run.createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/**
 * A queued or running run whose area overlaps a district's (the same
 * district, or a city run) or, for a city run, any active run of the city.
 */
export async function findActiveRun(db: Executor, regionId: number, districtId: number | null): Promise<{ id: number } | undefined> {
  let query = tables(db).selectFrom('pairing_runs').select('id').where('region_id', '=', regionId).where('status', 'in', ACTIVE_STATUSES);
  if (districtId !== null) query = query.where((eb) => eb.or([eb('district_id', 'is', null), eb('district_id', '=', districtId)]));
  const row = await query.orderBy('id').executeTakeFirst();
  return row && { id: Number(row.id) };
}

/** Claims a queued run for computing; false when it is no longer queued (failed as orphaned meanwhile). */
export async function startRunning(db: Executor, regionId: number, id: number, at: Date): Promise<boolean> {
  const result = await tables(db)
    .updateTable('pairing_runs')
    .set({ status: 'running', started_at: at, heartbeat_at: at, phase: 'loading' })
    .where('region_id', '=', regionId)
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Stores how far a running run is, which also tells other servers it is alive. */
export async function reportProgress(db: Executor, regionId: number, id: number, progress: number, phase: string, at: Date): Promise<void> {
  await tables(db)
    .updateTable('pairing_runs')
    .set({ progress, phase, heartbeat_at: at })
    .where('region_id', '=', regionId)
    .where('id', '=', id)
    .where('status', '=', 'running')
    .execute();
}

/** Stores a running run's result as a proposal; false when the run is no longer running (failed as orphaned meanwhile). */
export async function storeResult(db: Executor, regionId: number, id: number, run: RunResult, at: Date): Promise<boolean> {
  const result = await tables(db)
    .updateTable('pairing_runs')
    .set({
      status: 'proposed',
      progress: 1,
      phase: null,
      finished_at: at,
      heartbeat_at: at,
      options: JSON.stringify(run.options),
      solver_status: run.solverStatus,
      cost: run.cost,
      lower_bound: run.lowerBound,
      gap: run.gap,
      certified: run.certified,
      solve_ms: run.solveMs,
      greedy_cost: run.greedyCost,
      cadres: run.cadres,
      households: run.households,
      assignments: JSON.stringify(run.assignments),
      diff: JSON.stringify(run.diff),
      unserved: JSON.stringify(run.unserved),
      pairs_digest: run.pairsDigest,
    })
    .where('region_id', '=', regionId)
    .where('id', '=', id)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Marks a queued or running run failed with a message for the coordinator. */
export async function failRun(db: Executor, regionId: number, id: number, error: string, at: Date): Promise<void> {
  await tables(db)
    .updateTable('pairing_runs')
    .set({ status: 'failed', error: error.slice(0, 2000), finished_at: at, phase: null })
    .where('region_id', '=', regionId)
    .where('id', '=', id)
    .where('status', 'in', ACTIVE_STATUSES)
    .execute();
}

/**
 * Marks failed every queued or running run (of any city) whose server has
 * not shown it alive since `staleBefore`: its server stopped or crashed.
 */
export async function failOrphanedRuns(db: Executor, staleBefore: Date, error: string, at: Date): Promise<{ regionId: number; id: number }[]> {
  const rows = await tables(db)
    .updateTable('pairing_runs')
    .set({ status: 'failed', error, finished_at: at, phase: null })
    .where('status', 'in', ACTIVE_STATUSES)
    .where('heartbeat_at', '<', staleBefore)
    .returning(['region_id', 'id'])
    .execute();
  return rows.map((row) => ({ regionId: Number(row.region_id), id: Number(row.id) }));
}

const runColumns = [
  'id', 'region_id', 'district_id', 'scenario', 'options', 'status', 'solver_status', 'cost', 'lower_bound', 'gap', 'certified', 'solve_ms', 'greedy_cost',
  'cadres', 'households', 'diff', 'unserved', 'pairs_digest', 'created_by', 'created_at', 'decided_by', 'decided_at',
  'progress', 'phase', 'error', 'started_at', 'finished_at',
] as const;

export async function findRun(db: Executor, regionId: number, id: number, options: { forUpdate?: boolean } = {}): Promise<PairingRun | undefined> {
  let query = tables(db).selectFrom('pairing_runs').select(runColumns).where('region_id', '=', regionId).where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row && toRun(row);
}

/** A run's assignments (household, cadre); kept apart because they are large. */
export async function runAssignments(db: Executor, regionId: number, id: number): Promise<[number, number][]> {
  const row = await tables(db).selectFrom('pairing_runs').select('assignments').where('region_id', '=', regionId).where('id', '=', id).executeTakeFirstOrThrow();
  return parse<[number, number][]>(row.assignments);
}

/** The newest runs whose area lies inside the reader's (null district: the whole city, for city-wide readers). */
export async function listRuns(db: Executor, regionId: number, scopePath: string, limit: number): Promise<PairingRun[]> {
  let query = tables(db)
    .selectFrom('pairing_runs as run')
    .leftJoin('regions as r', (join) => join.onRef('r.region_id', '=', 'run.region_id').onRef('r.id', '=', 'run.district_id'))
    .select(runColumns.map((column) => `run.${column}` as const))
    .where('run.region_id', '=', regionId);
  if (scopePath !== `/${regionId}/`) query = query.where('r.path', 'like', `${scopePath.replace(/[\\%_]/g, (char) => `\\${char}`)}%`);
  const rows = await query.orderBy('run.id', 'desc').limit(limit).execute();
  return rows.map(toRun);
}

export async function decideRun(db: Executor, regionId: number, id: number, status: RunStatus, by: number | null, at: Date): Promise<void> {
  await tables(db).updateTable('pairing_runs').set({ status, decided_by: by, decided_at: at }).where('region_id', '=', regionId).where('id', '=', id).execute();
}

/** Serialises pair changes of a city: approvals lock the city's region row for the rest of their transaction. */
export async function lockCityPairs(db: Executor, regionId: number): Promise<void> {
  await sql`select id from regions where region_id = ${regionId} and id = ${regionId} for update`.execute(db);
}

/** Applies a diff: ended and changed pairs are removed, changed and new ones inserted with the run's id. */
export async function applyPairs(db: Executor, regionId: number, diff: PairingDiff, runId: number | null, now: Date): Promise<void> {
  const removed = [...diff.ended.map((pair) => pair.householdId), ...diff.changed.map((pair) => pair.householdId)];
  for (let start = 0; start < removed.length; start += 5_000) {
    await tables(db)
      .deleteFrom('pairing_pairs')
      .where('region_id', '=', regionId)
      .where('household_id', 'in', removed.slice(start, start + 5_000))
      .execute();
  }
  const inserted = [...diff.changed.map((pair) => [pair.householdId, pair.to] as const), ...diff.added.map((pair) => [pair.householdId, pair.to] as const)];
  for (let start = 0; start < inserted.length; start += 2_000) {
    await tables(db)
      .insertInto('pairing_pairs')
      .values(inserted.slice(start, start + 2_000).map(([householdId, cadreId]) => ({ region_id: regionId, household_id: householdId, cadre_id: cadreId, since: now, run_id: runId })))
      .execute();
  }
}

/** Pairs of cadres in the area with households outside it: a district run leaves that much of their capacity alone. */
export async function loadOutside(db: Executor, regionId: number, scopePath: string): Promise<Map<number, number>> {
  const rows = await sql<{ cadre_id: number; n: number }>`
    select p.cadre_id, count(*)::int as n
    from pairing_pairs p
    join pairing_households h on h.region_id = p.region_id and h.id = p.household_id
    join regions r on r.region_id = h.region_id and r.id = h.community_id
    where p.region_id = ${regionId} and r.path not like ${`${scopePath.replace(/[\\%_]/g, (char) => `\\${char}`)}%`}
    group by p.cadre_id`.execute(db);
  return new Map(rows.rows.map((row) => [Number(row.cadre_id), Number(row.n)]));
}
