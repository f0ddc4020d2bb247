import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../platform/index.ts';
import type { ProjectTables } from '../registry/project.table.ts';
import type { FindingStatus, FindingTables, FindingType, RectificationStatus } from './finding.table.ts';

type Executor = Kysely<Database>;
const tables = (db: Executor): Kysely<Database & ProjectTables & FindingTables> => db.withTables<ProjectTables & FindingTables>();

export interface Rectification {
  readonly id: number;
  readonly findingId: number;
  readonly findingTitle: string;
  readonly projectId: number | null;
  readonly description: string;
  readonly ownerDepartmentId: number;
  readonly ownerDepartment: string;
  /** The owner department's region path (the city's when it has none), for the policy. */
  readonly ownerPath: string;
  readonly dueDate: string;
  readonly evidence: string;
  readonly status: RectificationStatus;
  readonly signedOffAt: Date | null;
  readonly version: number;
}

const rectificationQuery = (db: Executor, regionId: number) =>
  tables(db)
    .selectFrom('rectification_items as i')
    .innerJoin('audit_findings as f', (join) => join.onRef('f.region_id', '=', 'i.region_id').onRef('f.id', '=', 'i.finding_id'))
    .innerJoin('departments as d', (join) => join.onRef('d.region_id', '=', 'i.region_id').onRef('d.id', '=', 'i.owner_department_id'))
    .leftJoin('regions as r', (join) => join.onRef('r.region_id', '=', 'd.region_id').onRef('r.id', '=', 'd.district_id'))
    .select([
      'i.id',
      'i.finding_id',
      'f.title as finding_title',
      'f.project_id',
      'i.description',
      'i.owner_department_id',
      'd.name as owner_department',
      'r.path as owner_path',
      sql<string>`to_char(i.due_date, 'YYYY-MM-DD')`.as('due_date'),
      'i.evidence',
      'i.status',
      'i.signed_off_at',
      'i.version',
    ])
    .where('i.region_id', '=', regionId);

type RectificationRow = Awaited<ReturnType<ReturnType<typeof rectificationQuery>['executeTakeFirstOrThrow']>>;
const toRectification = (regionId: number, row: RectificationRow): Rectification => ({
  id: Number(row.id),
  findingId: Number(row.finding_id),
  findingTitle: row.finding_title,
  projectId: row.project_id === null ? null : Number(row.project_id),
  description: row.description,
  ownerDepartmentId: Number(row.owner_department_id),
  ownerDepartment: row.owner_department,
  ownerPath: row.owner_path ?? `/${regionId}/`,
  dueDate: row.due_date,
  evidence: row.evidence,
  status: row.status,
  signedOffAt: row.signed_off_at === null ? null : new Date(row.signed_off_at),
  version: row.version,
});

export async function findRectification(db: Executor, regionId: number, id: number): Promise<Rectification | undefined> {
  const row = await rectificationQuery(db, regionId).where('i.id', '=', id).executeTakeFirst();
  return row && toRectification(regionId, row);
}

/** Rectification items of some findings, or of one owner department, or of departments within a scope path. */
export async function listRectifications(db: Executor, regionId: number, filter: { findingIds?: readonly number[]; departmentId?: number; scopePath?: string; status?: RectificationStatus }): Promise<Rectification[]> {
  let query = rectificationQuery(db, regionId);
  if (filter.findingIds !== undefined) {
    if (filter.findingIds.length === 0) return [];
    query = query.where('i.finding_id', 'in', [...filter.findingIds]);
  }
  if (filter.departmentId !== undefined) query = query.where('i.owner_department_id', '=', filter.departmentId);
  if (filter.scopePath !== undefined) query = query.where(sql<string>`coalesce(r.path, ${`/${regionId}/`})`, 'like', `${filter.scopePath}%`);
  if (filter.status !== undefined) query = query.where('i.status', '=', filter.status);
  return (await query.orderBy('i.due_date').orderBy('i.id').execute()).map((row) => toRectification(regionId, row));
}

export async function insertRectification(db: Executor, regionId: number, findingId: number, item: { description: string; ownerDepartmentId: number; dueDate: string }, now: Date): Promise<number> {
  const row = await tables(db)
    .insertInto('rectification_items')
    .values({ region_id: regionId, finding_id: findingId, description: item.description, owner_department_id: item.ownerDepartmentId, due_date: item.dueDate, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function updateRectification(
  db: Executor,
  regionId: number,
  id: number,
  expectedVersion: number,
  fields: { evidence?: string; status?: RectificationStatus; due_date?: string; signed_off_by?: number | null; signed_off_at?: Date | null },
  now: Date,
): Promise<boolean> {
  const result = await tables(db)
    .updateTable('rectification_items')
    .set((eb) => ({ ...fields, updated_at: now, version: eb('version', '+', 1) }))
    .where('region_id', '=', regionId)
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface Finding {
  readonly id: number;
  readonly projectId: number | null;
  readonly projectName: string | null;
  readonly ocid: string | null;
  readonly flagId: number | null;
  readonly type: FindingType;
  readonly title: string;
  readonly description: string;
  readonly foundOn: string;
  readonly status: FindingStatus;
  readonly version: number;
}

const findingQuery = (db: Executor, regionId: number) =>
  tables(db)
    .selectFrom('audit_findings as f')
    .leftJoin('projects as p', (join) => join.onRef('p.region_id', '=', 'f.region_id').onRef('p.id', '=', 'f.project_id'))
    .select(['f.id', 'f.project_id', 'p.name as project_name', 'f.ocid', 'f.flag_id', 'f.type', 'f.title', 'f.description', sql<string>`to_char(f.found_on, 'YYYY-MM-DD')`.as('found_on'), 'f.status', 'f.version'])
    .where('f.region_id', '=', regionId);

type FindingRow = Awaited<ReturnType<ReturnType<typeof findingQuery>['executeTakeFirstOrThrow']>>;
const toFinding = (row: FindingRow): Finding => ({
  id: Number(row.id),
  projectId: row.project_id === null ? null : Number(row.project_id),
  projectName: row.project_name,
  ocid: row.ocid,
  flagId: row.flag_id === null ? null : Number(row.flag_id),
  type: row.type,
  title: row.title,
  description: row.description,
  foundOn: row.found_on,
  status: row.status,
  version: row.version,
});

export async function findFinding(db: Executor, regionId: number, id: number): Promise<Finding | undefined> {
  const row = await findingQuery(db, regionId).where('f.id', '=', id).executeTakeFirst();
  return row && toFinding(row);
}

export async function listFindings(db: Executor, regionId: number, filter: { projectIds?: readonly number[]; status?: FindingStatus; type?: FindingType }): Promise<Finding[]> {
  let query = findingQuery(db, regionId);
  if (filter.projectIds !== undefined) {
    if (filter.projectIds.length === 0) return [];
    query = query.where('f.project_id', 'in', [...filter.projectIds]);
  }
  if (filter.status !== undefined) query = query.where('f.status', '=', filter.status);
  if (filter.type !== undefined) query = query.where('f.type', '=', filter.type);
  return (await query.orderBy('f.found_on', 'desc').orderBy('f.id', 'desc').limit(1000).execute()).map(toFinding);
}

export async function insertFinding(
  db: Executor,
  regionId: number,
  finding: { projectId: number | null; ocid: string | null; flagId: number | null; type: FindingType; title: string; description: string; foundOn: string },
  createdBy: number | null,
  now: Date,
): Promise<number> {
  const row = await tables(db)
    .insertInto('audit_findings')
    .values({
      region_id: regionId,
      project_id: finding.projectId,
      ocid: finding.ocid,
      flag_id: finding.flagId,
      type: finding.type,
      title: finding.title,
      description: finding.description,
      found_on: finding.foundOn,
      created_by: createdBy,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function updateFinding(db: Executor, regionId: number, id: number, expectedVersion: number, fields: { status?: FindingStatus; title?: string; description?: string }, now: Date): Promise<boolean> {
  const result = await tables(db)
    .updateTable('audit_findings')
    .set((eb) => ({ ...fields, updated_at: now, version: eb('version', '+', 1) }))
    .where('region_id', '=', regionId)
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Moves an open finding to `rectifying` once it has items (no version bump needed: a derived state). */
export async function markRectifying(db: Executor, regionId: number, id: number, now: Date): Promise<void> {
  await tables(db).updateTable('audit_findings').set({ status: 'rectifying', updated_at: now }).where('region_id', '=', regionId).where('id', '=', id).where('status', '=', 'open').execute();
}
