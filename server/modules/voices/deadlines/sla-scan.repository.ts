/**
 * The SQL of the SLA scan: which running cases are due soon or overdue and
 * not yet chased for their current due date, the row lock a scanner takes on
 * one of them, and the marks and log it leaves. Backed by the partial index
 * `cases_sla_pending (region_id, due_at)` (migration `2026-12-01T1620-sla-scan`):
 * the predicate below repeats the index's word for word, so the planner can
 * prove the index applies.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../platform/index.ts';

type Executor = Kysely<Database>;

/** The states whose deadline runs, as the index predicate spells them. */
const RUNNING = sql.raw(
  `state in ('dispatched', 'in_progress', 'transfer_requested', 'extension_requested', 'reopened')`,
);
const PENDING = sql.join([RUNNING, sql.raw('sla_escalated_for is distinct from due_at')], sql` and `);

/** What to chase: `escalate` an overdue case, `remind` one due soon. */
export type SlaAlertKind = 'remind' | 'escalate';

export interface SlaCandidate {
  readonly id: number;
  readonly dueAt: Date;
  readonly kind: SlaAlertKind;
}

/** The instants the selection compares due dates with. */
export interface SlaHorizon {
  readonly now: Date;
  /** Due on or before this, a working-day clock is due soon. */
  readonly workingDaysUntil: Date;
  /** Due on or before this, an hour clock is due soon. */
  readonly hoursUntil: Date;
}

/** The selection as a query, for `findSlaCandidates` and for EXPLAIN in the benchmark. */
export function slaCandidatesQuery(regionId: number, horizon: SlaHorizon, limit: number) {
  const until = new Date(
    Math.max(horizon.now.getTime(), horizon.workingDaysUntil.getTime(), horizon.hoursUntil.getTime()),
  );
  return sql<{ id: number | string; due_at: Date | string; kind: SlaAlertKind }>`
    select id, due_at, case when due_at < ${horizon.now} then 'escalate' else 'remind' end as kind
      from cases
     where region_id = ${regionId}
       and ${PENDING}
       and due_at <= ${until}
       and (due_at < ${horizon.now}
            or (sla_reminded_for is distinct from due_at
                and (due_at <= ${horizon.hoursUntil}
                     or (deadline -> 'limit' ->> 'unit' = 'working_days' and due_at <= ${horizon.workingDaysUntil}))))
     order by due_at, id
     limit ${limit}`;
}

/** Up to `limit` cases to chase in one city, soonest due first. */
export async function findSlaCandidates(
  db: Executor,
  regionId: number,
  horizon: SlaHorizon,
  limit: number,
): Promise<SlaCandidate[]> {
  const { rows } = await slaCandidatesQuery(regionId, horizon, limit).execute(db);
  return rows.map((row) => ({ id: Number(row.id), dueAt: new Date(row.due_at), kind: row.kind }));
}

/**
 * Locks one candidate for this transaction if it still stands (same due
 * date, still running, not chased meanwhile) and no other scanner holds it
 * (`skip locked`). False: leave it.
 */
export async function lockSlaCandidate(db: Executor, regionId: number, candidate: SlaCandidate): Promise<boolean> {
  const mark = sql.raw(candidate.kind === 'escalate' ? 'sla_escalated_for' : 'sla_reminded_for');
  const { rows } = await sql`
    select id from cases
     where region_id = ${regionId} and id = ${candidate.id} and due_at = ${candidate.dueAt}
       and ${RUNNING} and ${mark} is distinct from due_at
       for update skip locked`.execute(db);
  return rows.length === 1;
}

/** Marks the case chased for `dueAt` and logs it; false when this (case, kind, due date) was logged already. */
export async function recordSlaAlert(
  db: Executor,
  regionId: number,
  candidate: SlaCandidate,
  departmentId: number | null,
  at: Date,
): Promise<boolean> {
  const mark = sql.raw(candidate.kind === 'escalate' ? 'sla_escalated_for' : 'sla_reminded_for');
  await sql`update cases set ${mark} = ${candidate.dueAt} where region_id = ${regionId} and id = ${candidate.id}`.execute(
    db,
  );
  const { rows } = await sql`
    insert into case_reminders (region_id, case_id, kind, due_at, department_id, at)
    values (${regionId}, ${candidate.id}, ${candidate.kind}, ${candidate.dueAt}, ${departmentId}, ${at})
    on conflict do nothing
    returning case_id`.execute(db);
  return rows.length === 1;
}

/** One reminder or escalation as logged. */
export interface SlaAlertRecord {
  readonly kind: SlaAlertKind;
  readonly dueAt: Date;
  readonly departmentId: number | null;
  readonly at: Date;
}

export async function listSlaAlerts(db: Executor, regionId: number, caseId: number): Promise<SlaAlertRecord[]> {
  const { rows } = await sql<{
    kind: SlaAlertKind;
    due_at: Date | string;
    department_id: number | string | null;
    at: Date | string;
  }>`
    select kind, due_at, department_id, at from case_reminders
     where region_id = ${regionId} and case_id = ${caseId} order by at, kind`.execute(db);
  return rows.map((row) => ({
    kind: row.kind,
    dueAt: new Date(row.due_at),
    departmentId: row.department_id === null ? null : Number(row.department_id),
    at: new Date(row.at),
  }));
}

/** The ids of every city (what a scan without `regionId` walks). */
export async function listCityIds(db: Executor): Promise<number[]> {
  const rows = await db.selectFrom('regions').select('id').where('level', '=', 'city').orderBy('id').execute();
  return rows.map((row) => Number(row.id));
}

/** Takes the session-level advisory lock of the scan; false when another session holds it. */
export async function tryScanLock(db: Executor, key: number): Promise<boolean> {
  const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${key}) as locked`.execute(db);
  return rows[0]?.locked === true;
}

export async function releaseScanLock(db: Executor, key: number): Promise<void> {
  await sql`select pg_advisory_unlock(${key})`.execute(db);
}

/** The states that wait for ratings, as the `cases_awaiting_rating` index predicate spells them. */
const AWAITING_RATING = sql.raw(`state in ('replied', 'rated')`);

/**
 * Up to `limit` cases of a city whose rating window ended by `now` (replied
 * or rated): the scan closes them. Walks `cases_awaiting_rating` only.
 */
export async function findCasesToClose(
  db: Executor,
  regionId: number,
  now: Date,
  limit: number,
  afterId: number,
): Promise<number[]> {
  const { rows } = await sql<{ id: number | string }>`
    select id from cases
     where region_id = ${regionId} and ${AWAITING_RATING} and id > ${afterId}
       and (snapshot ->> 'ratingClosesAt')::timestamptz <= ${now}
     order by id
     limit ${limit}`.execute(db);
  return rows.map((row) => Number(row.id));
}

/** Locks a case to close if it still waits for ratings and no other scanner holds it (`skip locked`). */
export async function lockCaseToClose(db: Executor, regionId: number, caseId: number): Promise<boolean> {
  const { rows } = await sql`
    select id from cases where region_id = ${regionId} and id = ${caseId} and ${AWAITING_RATING}
       for update skip locked`.execute(db);
  return rows.length === 1;
}
