import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../platform/index.ts';
import type { PlanItemTable, PlanTables } from './plan.table.ts';
import type { VoicesTables } from '../cases/voices.table.ts';
import type { Updateable } from 'kysely';

type Executor = Kysely<Database>;
const tables = (db: Executor): Kysely<Database & VoicesTables & PlanTables> => db.withTables<VoicesTables & PlanTables>();

/** A department as plans see it: its name and the region path its work covers. */
export interface DepartmentScope {
  readonly id: number;
  readonly name: string;
  readonly path: string;
}

export async function findDepartmentScope(db: Executor, regionId: number, id: number): Promise<DepartmentScope | undefined> {
  const row = await tables(db)
    .selectFrom('departments as d')
    .leftJoin('regions as r', (join) => join.onRef('r.region_id', '=', 'd.region_id').onRef('r.id', '=', 'd.district_id'))
    .select(['d.id', 'd.name', 'r.path'])
    .where('d.region_id', '=', regionId)
    .where('d.id', '=', id)
    .where('d.active', '=', true)
    .executeTakeFirst();
  return row && { id: Number(row.id), name: row.name, path: row.path ?? `/${regionId}/` };
}

export interface PlanRow {
  readonly id: number;
  readonly departmentId: number;
  readonly department: string;
  readonly departmentPath: string;
  readonly title: string;
  readonly year: number;
  readonly period: string | null;
  readonly itemCount: number;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

const planQuery = (db: Executor, regionId: number) =>
  tables(db)
    .selectFrom('plans as p')
    .innerJoin('departments as d', (join) => join.onRef('d.region_id', '=', 'p.region_id').onRef('d.id', '=', 'p.department_id'))
    .leftJoin('regions as r', (join) => join.onRef('r.region_id', '=', 'd.region_id').onRef('r.id', '=', 'd.district_id'))
    .select([
      'p.id',
      'p.department_id',
      'd.name as department',
      'r.path as department_path',
      'p.title',
      'p.year',
      'p.period',
      'p.version',
      'p.created_at',
      'p.updated_at',
      (eb) => eb.selectFrom('plan_items as i').select((inner) => inner.fn.countAll<string>().as('n')).whereRef('i.region_id', '=', 'p.region_id').whereRef('i.plan_id', '=', 'p.id').as('item_count'),
    ])
    .where('p.region_id', '=', regionId);

type PlanQueryRow = Awaited<ReturnType<ReturnType<typeof planQuery>['executeTakeFirstOrThrow']>>;

const toPlan = (regionId: number, row: PlanQueryRow): PlanRow => ({
  id: Number(row.id),
  departmentId: Number(row.department_id),
  department: row.department,
  departmentPath: row.department_path ?? `/${regionId}/`,
  title: row.title,
  year: row.year,
  period: row.period,
  itemCount: Number(row.item_count ?? 0),
  version: row.version,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

export async function findPlan(db: Executor, regionId: number, id: number): Promise<PlanRow | undefined> {
  const row = await planQuery(db, regionId).where('p.id', '=', id).executeTakeFirst();
  return row && toPlan(regionId, row);
}

/** Plans of one department, or of the departments whose work lies within `scopePath`; newest year first. */
export async function listPlans(db: Executor, regionId: number, filter: { departmentId?: number; scopePath?: string; year?: number }): Promise<PlanRow[]> {
  let query = planQuery(db, regionId);
  if (filter.departmentId !== undefined) query = query.where('p.department_id', '=', filter.departmentId);
  if (filter.year !== undefined) query = query.where('p.year', '=', filter.year);
  if (filter.scopePath !== undefined) query = query.where(sql<string>`coalesce(r.path, ${`/${regionId}/`})`, 'like', `${filter.scopePath}%`);
  const rows = await query.orderBy('p.year', 'desc').orderBy('p.id', 'desc').execute();
  return rows.map((row) => toPlan(regionId, row));
}

export async function insertPlan(db: Executor, regionId: number, fields: { departmentId: number; title: string; year: number; period: string | null; createdBy: number | null; now: Date }): Promise<number> {
  const row = await tables(db)
    .insertInto('plans')
    .values({ region_id: regionId, department_id: fields.departmentId, title: fields.title, year: fields.year, period: fields.period, created_by: fields.createdBy, created_at: fields.now, updated_at: fields.now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export interface PlanItemRow {
  readonly id: number;
  readonly planId: number;
  readonly planTitle: string;
  readonly departmentId: number;
  readonly title: string;
  readonly description: string;
  readonly ownerUserId: number | null;
  readonly dueDate: string | null;
  readonly budgetNote: string | null;
  readonly progress: number;
  readonly status: 'planned' | 'in_progress' | 'done' | 'dropped';
  readonly version: number;
  readonly sourceCaseIds: readonly number[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

const itemQuery = (db: Executor, regionId: number) =>
  tables(db)
    .selectFrom('plan_items as i')
    .innerJoin('plans as p', (join) => join.onRef('p.region_id', '=', 'i.region_id').onRef('p.id', '=', 'i.plan_id'))
    .select([
      'i.id',
      'i.plan_id',
      'p.title as plan_title',
      'p.department_id',
      'i.title',
      'i.description',
      'i.owner_user_id',
      sql<string | null>`to_char(i.due_date, 'YYYY-MM-DD')`.as('due_date'),
      'i.budget_note',
      'i.progress',
      'i.status',
      'i.version',
      'i.created_at',
      'i.updated_at',
      sql<string[] | null>`(select array_agg(s.case_id::text order by s.case_id) from plan_item_sources s where s.region_id = i.region_id and s.plan_item_id = i.id)`.as('source_case_ids'),
    ])
    .where('i.region_id', '=', regionId);

type ItemQueryRow = Awaited<ReturnType<ReturnType<typeof itemQuery>['executeTakeFirstOrThrow']>>;

const toItem = (row: ItemQueryRow): PlanItemRow => ({
  id: Number(row.id),
  planId: Number(row.plan_id),
  planTitle: row.plan_title,
  departmentId: Number(row.department_id),
  title: row.title,
  description: row.description,
  ownerUserId: row.owner_user_id === null ? null : Number(row.owner_user_id),
  dueDate: row.due_date,
  budgetNote: row.budget_note,
  progress: row.progress,
  status: row.status,
  version: row.version,
  sourceCaseIds: (row.source_case_ids ?? []).map(Number),
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

export async function findPlanItem(db: Executor, regionId: number, id: number): Promise<PlanItemRow | undefined> {
  const row = await itemQuery(db, regionId).where('i.id', '=', id).executeTakeFirst();
  return row && toItem(row);
}

export async function listPlanItems(db: Executor, regionId: number, planId: number): Promise<PlanItemRow[]> {
  const rows = await itemQuery(db, regionId).where('i.plan_id', '=', planId).orderBy('i.id').execute();
  return rows.map(toItem);
}

/** Items by id, in id order (unknown ids are left out): for other modules' pages that link to them. */
export async function listPlanItemsById(db: Executor, regionId: number, ids: readonly number[]): Promise<PlanItemRow[]> {
  if (ids.length === 0) return [];
  const rows = await itemQuery(db, regionId).where('i.id', 'in', [...ids]).orderBy('i.id').execute();
  return rows.map(toItem);
}

/** The items a case was adopted into, oldest adoption first. */
export async function listItemsOfCase(db: Executor, regionId: number, caseId: number): Promise<PlanItemRow[]> {
  const rows = await itemQuery(db, regionId)
    .innerJoin('plan_item_sources as src', (join) => join.onRef('src.region_id', '=', 'i.region_id').onRef('src.plan_item_id', '=', 'i.id'))
    .where('src.case_id', '=', caseId)
    .orderBy('src.adopted_at')
    .orderBy('i.id')
    .execute();
  return rows.map(toItem);
}

export type PlanItemFields = Pick<Updateable<PlanItemTable>, 'title' | 'description' | 'owner_user_id' | 'due_date' | 'budget_note' | 'progress' | 'status'>;

export async function insertPlanItem(db: Executor, regionId: number, planId: number, fields: PlanItemFields & { title: string }, now: Date): Promise<number> {
  const row = await tables(db)
    .insertInto('plan_items')
    .values({ ...fields, region_id: regionId, plan_id: planId, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Changes an item if it is still at `expectedVersion`; false when it is not (or is gone). */
export async function updatePlanItem(db: Executor, regionId: number, id: number, expectedVersion: number, fields: PlanItemFields, now: Date): Promise<boolean> {
  const result = await tables(db)
    .updateTable('plan_items')
    .set((eb) => ({ ...fields, updated_at: now, version: eb('version', '+', 1) }))
    .where('region_id', '=', regionId)
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Links a case to an item; false when it already was. */
export async function insertSource(db: Executor, regionId: number, itemId: number, caseId: number, adoptedBy: number | null, now: Date): Promise<boolean> {
  const result = await tables(db)
    .insertInto('plan_item_sources')
    .values({ region_id: regionId, plan_item_id: itemId, case_id: caseId, adopted_at: now, adopted_by: adoptedBy })
    .onConflict((conflict) => conflict.columns(['region_id', 'plan_item_id', 'case_id']).doNothing())
    .returning('case_id')
    .executeTakeFirst();
  return result !== undefined;
}

export async function findUserInDepartment(db: Executor, regionId: number, userId: number, departmentId: number): Promise<boolean> {
  const row = await tables(db).selectFrom('users').select('id').where('region_id', '=', regionId).where('id', '=', userId).where('department_id', '=', departmentId).executeTakeFirst();
  return row !== undefined;
}

/**
 * Writes a timeline entry that changes nothing but tells the case's
 * requesters (the outbox the notification dispatcher reads): the case's
 * version moves by one, its state stays; `note` becomes the entry's reason. Locks the case row for the
 * transaction. Returns false when the case is gone.
 */
export async function appendOutboxEntry(
  db: Executor,
  regionId: number,
  caseId: number,
  entry: { event: string; actorUserId: number | null; actorLabel: string; actorRole: string; payload: Record<string, unknown>; note?: string | null; now: Date },
): Promise<boolean> {
  const bumped = await tables(db)
    .updateTable('cases')
    .set({
      version: sql<number>`version + 1`,
      snapshot: sql<string>`jsonb_set(jsonb_set(snapshot, '{version}', to_jsonb(version + 1)), '{updatedAt}', to_jsonb(${entry.now.toISOString()}::text))`,
      updated_at: entry.now,
    })
    .where('region_id', '=', regionId)
    .where('id', '=', caseId)
    .returning(['version', 'state', sql<number>`(snapshot->>'round')::int`.as('round')])
    .executeTakeFirst();
  if (!bumped) return false;
  await tables(db)
    .insertInto('case_events')
    .values({
      region_id: regionId,
      case_id: caseId,
      version: bumped.version,
      round: bumped.round,
      at: entry.now,
      actor_user_id: entry.actorUserId,
      actor_label: entry.actorLabel,
      event: entry.event,
      from_state: bumped.state,
      to_state: bumped.state,
      reason: entry.note ?? null,
      details: JSON.stringify({ actorRole: entry.actorRole, payload: entry.payload, notifications: [{ type: 'notify_requesters', event: entry.event }] }),
    })
    .execute();
  return true;
}
