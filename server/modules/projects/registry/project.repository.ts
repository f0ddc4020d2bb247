import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../platform/index.ts';
import type { FindingTables } from '../findings/finding.table.ts';
import type { ProcurementTables } from '../procurement/procurement.table.ts';
import type { FundingSource, MilestoneStatus, ProjectCategory, ProjectStatus, ProjectTables } from './project.table.ts';

type Executor = Kysely<Database>;
type AllTables = Database & ProjectTables & FindingTables & ProcurementTables;
const tables = (db: Executor): Kysely<AllTables> => db.withTables<ProjectTables & FindingTables & ProcurementTables>();

/** A project as the registry lists it, with its money and oversight counts. */
export interface ProjectRow {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly category: ProjectCategory;
  readonly description: string;
  readonly leadDepartmentId: number;
  readonly leadDepartment: string;
  readonly districtId: number | null;
  readonly district: string | null;
  /** The district's region path, or the city's when the project has none: where the policy places it. */
  readonly path: string;
  readonly coDepartmentIds: readonly number[];
  readonly location: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly beneficiaries: number | null;
  readonly status: ProjectStatus;
  readonly progress: number;
  readonly year: number;
  readonly plannedStart: string | null;
  readonly plannedEnd: string | null;
  readonly planned: number;
  readonly contracted: number;
  readonly paid: number;
  readonly openFindings: number;
  readonly flags: number;
  readonly version: number;
}

const projectQuery = (db: Executor, regionId: number) =>
  tables(db)
    .selectFrom('projects as p')
    .innerJoin('departments as d', (join) => join.onRef('d.region_id', '=', 'p.region_id').onRef('d.id', '=', 'p.lead_department_id'))
    .leftJoin('regions as r', (join) => join.onRef('r.region_id', '=', 'p.region_id').onRef('r.id', '=', 'p.district_id'))
    .select([
      'p.id',
      'p.code',
      'p.name',
      'p.category',
      'p.description',
      'p.lead_department_id',
      'd.name as lead_department',
      'p.district_id',
      'r.name as district',
      'r.path',
      'p.location',
      'p.latitude',
      'p.longitude',
      'p.beneficiaries',
      'p.status',
      'p.progress',
      'p.year',
      sql<string | null>`to_char(p.planned_start, 'YYYY-MM-DD')`.as('planned_start'),
      sql<string | null>`to_char(p.planned_end, 'YYYY-MM-DD')`.as('planned_end'),
      'p.version',
      sql<string[] | null>`(select array_agg(c.department_id::text order by c.department_id) from project_co_units c where c.region_id = p.region_id and c.project_id = p.id)`.as('co_department_ids'),
      sql<string>`coalesce((select sum(b.amount) from project_budget_lines b where b.region_id = p.region_id and b.project_id = p.id), 0)`.as('planned'),
      sql<string>`coalesce((select sum(pay.amount) from project_payments pay where pay.region_id = p.region_id and pay.project_id = p.id), 0)`.as('paid'),
      sql<string>`coalesce((select sum(o.contract_amount) from project_procurements pp join ocds_processes o on o.region_id = pp.region_id and o.ocid = pp.ocid where pp.region_id = p.region_id and pp.project_id = p.id), 0)`.as('contracted'),
      sql<string>`(select count(*) from audit_findings f where f.region_id = p.region_id and f.project_id = p.id and f.status <> 'closed')`.as('open_findings'),
      sql<string>`(select count(*) from project_procurements pp join ocds_flags fl on fl.region_id = pp.region_id and fl.ocid = pp.ocid where pp.region_id = p.region_id and pp.project_id = p.id)`.as('flags'),
    ])
    .where('p.region_id', '=', regionId);

type ProjectQueryRow = Awaited<ReturnType<ReturnType<typeof projectQuery>['executeTakeFirstOrThrow']>>;

const toProject = (regionId: number, row: ProjectQueryRow): ProjectRow => ({
  id: Number(row.id),
  code: row.code,
  name: row.name,
  category: row.category,
  description: row.description,
  leadDepartmentId: Number(row.lead_department_id),
  leadDepartment: row.lead_department,
  districtId: row.district_id === null ? null : Number(row.district_id),
  district: row.district,
  path: row.path ?? `/${regionId}/`,
  coDepartmentIds: (row.co_department_ids ?? []).map(Number),
  location: row.location,
  latitude: row.latitude,
  longitude: row.longitude,
  beneficiaries: row.beneficiaries,
  status: row.status,
  progress: row.progress,
  year: row.year,
  plannedStart: row.planned_start,
  plannedEnd: row.planned_end,
  planned: Number(row.planned),
  contracted: Number(row.contracted),
  paid: Number(row.paid),
  openFindings: Number(row.open_findings),
  flags: Number(row.flags),
  version: row.version,
});

export async function findProject(db: Executor, regionId: number, id: number): Promise<ProjectRow | undefined> {
  const row = await projectQuery(db, regionId).where('p.id', '=', id).executeTakeFirst();
  return row && toProject(regionId, row);
}

/** Which projects a list covers: a handler's department (lead or co-unit), or a region scope. */
export interface ProjectFilter {
  readonly departmentId?: number | undefined;
  readonly scopePath?: string | undefined;
  readonly status?: ProjectStatus | undefined;
  readonly category?: ProjectCategory | undefined;
  readonly q?: string | undefined;
}

export async function listProjects(db: Executor, regionId: number, filter: ProjectFilter): Promise<ProjectRow[]> {
  let query = projectQuery(db, regionId);
  if (filter.departmentId !== undefined) {
    const departmentId = filter.departmentId;
    query = query.where((eb) =>
      eb.or([
        eb('p.lead_department_id', '=', departmentId),
        eb.exists(eb.selectFrom('project_co_units as c').select('c.project_id').whereRef('c.region_id', '=', 'p.region_id').whereRef('c.project_id', '=', 'p.id').where('c.department_id', '=', departmentId)),
      ]),
    );
  }
  if (filter.scopePath !== undefined) query = query.where(sql<string>`coalesce(r.path, ${`/${regionId}/`})`, 'like', `${filter.scopePath}%`);
  if (filter.status !== undefined) query = query.where('p.status', '=', filter.status);
  if (filter.category !== undefined) query = query.where('p.category', '=', filter.category);
  if (filter.q) query = query.where((eb) => eb.or([eb('p.name', 'like', `%${filter.q}%`), eb('p.code', 'like', `%${filter.q}%`)]));
  const rows = await query.orderBy('p.year', 'desc').orderBy('p.id').execute();
  return rows.map((row) => toProject(regionId, row));
}

export interface ProjectFields {
  name?: string;
  category?: ProjectCategory;
  description?: string;
  lead_department_id?: number;
  district_id?: number | null;
  location?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  beneficiaries?: number | null;
  status?: ProjectStatus;
  progress?: number;
  planned_start?: string | null;
  planned_end?: string | null;
  year?: number;
}

export async function insertProject(db: Executor, regionId: number, fields: ProjectFields & { code: string; name: string; category: ProjectCategory; lead_department_id: number; year: number }, createdBy: number | null, now: Date): Promise<number> {
  const row = await tables(db)
    .insertInto('projects')
    .values({ ...fields, region_id: regionId, created_by: createdBy, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Changes a project if it is still at `expectedVersion`; false when it is not. */
export async function updateProject(db: Executor, regionId: number, id: number, expectedVersion: number, fields: ProjectFields, now: Date): Promise<boolean> {
  const result = await tables(db)
    .updateTable('projects')
    .set((eb) => ({ ...fields, updated_at: now, version: eb('version', '+', 1) }))
    .where('region_id', '=', regionId)
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Replaces the co-units and areas of a project (undefined leaves one as it is). */
export async function replaceMembers(db: Executor, regionId: number, projectId: number, members: { coDepartmentIds?: readonly number[] | undefined; areaIds?: readonly number[] | undefined }): Promise<void> {
  if (members.coDepartmentIds !== undefined) {
    await tables(db).deleteFrom('project_co_units').where('region_id', '=', regionId).where('project_id', '=', projectId).execute();
    const unique = [...new Set(members.coDepartmentIds)];
    if (unique.length > 0) await tables(db).insertInto('project_co_units').values(unique.map((department) => ({ region_id: regionId, project_id: projectId, department_id: department }))).execute();
  }
  if (members.areaIds !== undefined) {
    await tables(db).deleteFrom('project_areas').where('region_id', '=', regionId).where('project_id', '=', projectId).execute();
    const unique = [...new Set(members.areaIds)];
    if (unique.length > 0) await tables(db).insertInto('project_areas').values(unique.map((area) => ({ region_id: regionId, project_id: projectId, area_id: area }))).execute();
  }
}

/** Active departments among `ids` (to name the unknown ones in a 422). */
export async function existingDepartments(db: Executor, regionId: number, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await tables(db).selectFrom('departments').select('id').where('region_id', '=', regionId).where('id', 'in', [...ids]).where('active', '=', true).execute();
  return new Set(rows.map((row) => Number(row.id)));
}

/** Regions among `ids`, with their level and path. */
export async function findRegions(db: Executor, regionId: number, ids: readonly number[]): Promise<Map<number, { level: string; path: string; name: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await tables(db).selectFrom('regions').select(['id', 'level', 'path', 'name']).where('region_id', '=', regionId).where('id', 'in', [...ids]).execute();
  return new Map(rows.map((row) => [Number(row.id), { level: row.level, path: row.path, name: row.name }]));
}

export async function listNamedMembers(db: Executor, regionId: number, projectId: number): Promise<{ coDepartments: { id: number; name: string }[]; areas: { id: number; name: string }[] }> {
  const coDepartments = await tables(db)
    .selectFrom('project_co_units as c')
    .innerJoin('departments as d', (join) => join.onRef('d.region_id', '=', 'c.region_id').onRef('d.id', '=', 'c.department_id'))
    .select(['d.id', 'd.name'])
    .where('c.region_id', '=', regionId)
    .where('c.project_id', '=', projectId)
    .orderBy('d.id')
    .execute();
  const areas = await tables(db)
    .selectFrom('project_areas as a')
    .innerJoin('regions as r', (join) => join.onRef('r.region_id', '=', 'a.region_id').onRef('r.id', '=', 'a.area_id'))
    .select(['r.id', 'r.name'])
    .where('a.region_id', '=', regionId)
    .where('a.project_id', '=', projectId)
    .orderBy('r.path')
    .execute();
  return { coDepartments: coDepartments.map((row) => ({ id: Number(row.id), name: row.name })), areas: areas.map((row) => ({ id: Number(row.id), name: row.name })) };
}

export interface BudgetLine {
  readonly id: number;
  readonly fundingSource: FundingSource;
  readonly description: string;
  readonly year: number;
  readonly amount: number;
}

export async function insertBudgetLine(db: Executor, regionId: number, projectId: number, line: Omit<BudgetLine, 'id'>, now: Date): Promise<number> {
  const row = await tables(db)
    .insertInto('project_budget_lines')
    .values({ region_id: regionId, project_id: projectId, funding_source: line.fundingSource, description: line.description, year: line.year, amount: line.amount.toFixed(2), created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function listBudgetLines(db: Executor, regionId: number, projectId: number): Promise<BudgetLine[]> {
  const rows = await tables(db).selectFrom('project_budget_lines').select(['id', 'funding_source', 'description', 'year', 'amount']).where('region_id', '=', regionId).where('project_id', '=', projectId).orderBy('id').execute();
  return rows.map((row) => ({ id: Number(row.id), fundingSource: row.funding_source, description: row.description, year: row.year, amount: Number(row.amount) }));
}

export interface Payment {
  readonly id: number;
  readonly paidOn: string;
  readonly amount: number;
  readonly payee: string;
  readonly purpose: string;
  readonly ocid: string | null;
}

export async function insertPayment(db: Executor, regionId: number, projectId: number, payment: Omit<Payment, 'id'>, recordedBy: number | null, now: Date): Promise<number> {
  const row = await tables(db)
    .insertInto('project_payments')
    .values({ region_id: regionId, project_id: projectId, paid_on: payment.paidOn, amount: payment.amount.toFixed(2), payee: payment.payee, purpose: payment.purpose, ocid: payment.ocid, recorded_by: recordedBy, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function listPayments(db: Executor, regionId: number, projectId: number): Promise<Payment[]> {
  const rows = await tables(db)
    .selectFrom('project_payments')
    .select(['id', sql<string>`to_char(paid_on, 'YYYY-MM-DD')`.as('paid_on'), 'amount', 'payee', 'purpose', 'ocid'])
    .where('region_id', '=', regionId)
    .where('project_id', '=', projectId)
    .orderBy('paid_on')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ id: Number(row.id), paidOn: row.paid_on, amount: Number(row.amount), payee: row.payee, purpose: row.purpose, ocid: row.ocid }));
}

export interface Milestone {
  readonly id: number;
  readonly projectId: number;
  readonly title: string;
  readonly plannedDate: string;
  readonly completedOn: string | null;
  readonly status: MilestoneStatus;
  readonly evidence: string;
  readonly version: number;
}

const milestoneQuery = (db: Executor, regionId: number) =>
  tables(db)
    .selectFrom('project_milestones')
    .select(['id', 'project_id', 'title', sql<string>`to_char(planned_date, 'YYYY-MM-DD')`.as('planned_date'), sql<string | null>`to_char(completed_on, 'YYYY-MM-DD')`.as('completed_on'), 'status', 'evidence', 'version'])
    .where('region_id', '=', regionId);

type MilestoneQueryRow = Awaited<ReturnType<ReturnType<typeof milestoneQuery>['executeTakeFirstOrThrow']>>;
const toMilestone = (row: MilestoneQueryRow): Milestone => ({
  id: Number(row.id),
  projectId: Number(row.project_id),
  title: row.title,
  plannedDate: row.planned_date,
  completedOn: row.completed_on,
  status: row.status,
  evidence: row.evidence,
  version: row.version,
});

export async function findMilestone(db: Executor, regionId: number, id: number): Promise<Milestone | undefined> {
  const row = await milestoneQuery(db, regionId).where('id', '=', id).executeTakeFirst();
  return row && toMilestone(row);
}

export async function listMilestones(db: Executor, regionId: number, projectId: number): Promise<Milestone[]> {
  return (await milestoneQuery(db, regionId).where('project_id', '=', projectId).orderBy('planned_date').orderBy('id').execute()).map(toMilestone);
}

export async function insertMilestone(db: Executor, regionId: number, projectId: number, milestone: { title: string; plannedDate: string; status?: MilestoneStatus; completedOn?: string | null; evidence?: string }, now: Date): Promise<number> {
  const row = await tables(db)
    .insertInto('project_milestones')
    .values({
      region_id: regionId,
      project_id: projectId,
      title: milestone.title,
      planned_date: milestone.plannedDate,
      completed_on: milestone.completedOn ?? null,
      ...(milestone.status && { status: milestone.status }),
      ...(milestone.evidence !== undefined && { evidence: milestone.evidence }),
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function updateMilestone(
  db: Executor,
  regionId: number,
  id: number,
  expectedVersion: number,
  fields: { title?: string; planned_date?: string; completed_on?: string | null; status?: MilestoneStatus; evidence?: string },
  now: Date,
): Promise<boolean> {
  const result = await tables(db)
    .updateTable('project_milestones')
    .set((eb) => ({ ...fields, updated_at: now, version: eb('version', '+', 1) }))
    .where('region_id', '=', regionId)
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface ProgressUpdate {
  readonly id: number;
  readonly milestoneId: number | null;
  readonly progress: number;
  readonly note: string;
  readonly createdAt: Date;
}

export async function insertUpdate(db: Executor, regionId: number, projectId: number, update: { milestoneId: number | null; progress: number; note: string }, authorUserId: number | null, now: Date): Promise<number> {
  const row = await tables(db)
    .insertInto('project_updates')
    .values({ region_id: regionId, project_id: projectId, milestone_id: update.milestoneId, progress: update.progress, note: update.note, author_user_id: authorUserId, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function listUpdates(db: Executor, regionId: number, projectId: number): Promise<ProgressUpdate[]> {
  const rows = await tables(db).selectFrom('project_updates').select(['id', 'milestone_id', 'progress', 'note', 'created_at']).where('region_id', '=', regionId).where('project_id', '=', projectId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(100).execute();
  return rows.map((row) => ({ id: Number(row.id), milestoneId: row.milestone_id === null ? null : Number(row.milestone_id), progress: row.progress, note: row.note, createdAt: new Date(row.created_at) }));
}

/** Sets a project's progress (and status when given) without a version check: progress reports append, they do not edit. */
export async function setProgress(db: Executor, regionId: number, projectId: number, progress: number, status: ProjectStatus | undefined, now: Date): Promise<void> {
  await tables(db)
    .updateTable('projects')
    .set((eb) => ({ progress, ...(status && { status }), updated_at: now, version: eb('version', '+', 1) }))
    .where('region_id', '=', regionId)
    .where('id', '=', projectId)
    .execute();
}

export async function insertCaseLink(db: Executor, regionId: number, projectId: number, caseId: number, now: Date): Promise<boolean> {
  const row = await tables(db)
    .insertInto('project_case_links')
    .values({ region_id: regionId, project_id: projectId, case_id: caseId, linked_at: now })
    .onConflict((conflict) => conflict.columns(['region_id', 'project_id', 'case_id']).doNothing())
    .returning('case_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertPlanItemLink(db: Executor, regionId: number, projectId: number, planItemId: number, now: Date): Promise<boolean> {
  const row = await tables(db)
    .insertInto('project_plan_item_links')
    .values({ region_id: regionId, project_id: projectId, plan_item_id: planItemId, linked_at: now })
    .onConflict((conflict) => conflict.columns(['region_id', 'project_id', 'plan_item_id']).doNothing())
    .returning('plan_item_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Removes a case's link to a project; false when there was none. */
export async function deleteCaseLink(db: Executor, regionId: number, projectId: number, caseId: number): Promise<boolean> {
  const row = await tables(db).deleteFrom('project_case_links').where('region_id', '=', regionId).where('project_id', '=', projectId).where('case_id', '=', caseId).returning('case_id').executeTakeFirst();
  return row !== undefined;
}

/** Removes a plan item's link to a project; false when there was none. */
export async function deletePlanItemLink(db: Executor, regionId: number, projectId: number, planItemId: number): Promise<boolean> {
  const row = await tables(db).deleteFrom('project_plan_item_links').where('region_id', '=', regionId).where('project_id', '=', projectId).where('plan_item_id', '=', planItemId).returning('plan_item_id').executeTakeFirst();
  return row !== undefined;
}

export async function listLinks(db: Executor, regionId: number, projectId: number): Promise<{ caseIds: number[]; planItemIds: number[] }> {
  const cases = await tables(db).selectFrom('project_case_links').select('case_id').where('region_id', '=', regionId).where('project_id', '=', projectId).orderBy('case_id').execute();
  const items = await tables(db).selectFrom('project_plan_item_links').select('plan_item_id').where('region_id', '=', regionId).where('project_id', '=', projectId).orderBy('plan_item_id').execute();
  return { caseIds: cases.map((row) => Number(row.case_id)), planItemIds: items.map((row) => Number(row.plan_item_id)) };
}

/** A whole project with its money, milestones and reports, for loading many at once (demo city, migrations of old registers). */
export interface ProjectSeed {
  readonly code: string;
  readonly name: string;
  readonly category: ProjectCategory;
  readonly description: string;
  readonly leadDepartmentId: number;
  readonly coDepartmentIds: readonly number[];
  readonly districtId: number | null;
  readonly areaIds: readonly number[];
  readonly location: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly beneficiaries: number | null;
  readonly status: ProjectStatus;
  readonly progress: number;
  readonly year: number;
  readonly plannedStart: string | null;
  readonly plannedEnd: string | null;
  readonly budgetLines: readonly Omit<BudgetLine, 'id'>[];
  readonly milestones: readonly { title: string; plannedDate: string; completedOn: string | null; status: MilestoneStatus; evidence: string }[];
  readonly payments: readonly Omit<Payment, 'id'>[];
  readonly updates: readonly { progress: number; note: string; at: Date }[];
  readonly ocids: readonly string[];
}

const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
};

/** Inserts projects and everything under them in a few multi-row statements; returns the new ids by code. */
export async function insertProjectSeeds(db: Executor, regionId: number, seeds: readonly ProjectSeed[], now: Date): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const part of chunks(seeds, 200)) {
    const rows = await tables(db)
      .insertInto('projects')
      .values(part.map((seed) => ({
        region_id: regionId,
        code: seed.code,
        name: seed.name,
        category: seed.category,
        description: seed.description,
        lead_department_id: seed.leadDepartmentId,
        district_id: seed.districtId,
        location: seed.location,
        latitude: seed.latitude,
        longitude: seed.longitude,
        beneficiaries: seed.beneficiaries,
        status: seed.status,
        progress: seed.progress,
        year: seed.year,
        planned_start: seed.plannedStart,
        planned_end: seed.plannedEnd,
        created_by: null,
        created_at: now,
        updated_at: now,
      })))
      .returning(['id', 'code'])
      .execute();
    for (const row of rows) ids.set(row.code, Number(row.id));
  }
  const idOf = (seed: ProjectSeed) => ids.get(seed.code)!;
  const coUnits = seeds.flatMap((seed) => [...new Set(seed.coDepartmentIds)].filter((id) => id !== seed.leadDepartmentId).map((department) => ({ region_id: regionId, project_id: idOf(seed), department_id: department })));
  for (const part of chunks(coUnits, 1000)) await tables(db).insertInto('project_co_units').values(part).execute();
  const areas = seeds.flatMap((seed) => [...new Set(seed.areaIds)].map((area) => ({ region_id: regionId, project_id: idOf(seed), area_id: area })));
  for (const part of chunks(areas, 1000)) await tables(db).insertInto('project_areas').values(part).execute();
  const lines = seeds.flatMap((seed) => seed.budgetLines.map((line) => ({ region_id: regionId, project_id: idOf(seed), funding_source: line.fundingSource, description: line.description, year: line.year, amount: line.amount.toFixed(2), created_at: now })));
  for (const part of chunks(lines, 1000)) await tables(db).insertInto('project_budget_lines').values(part).execute();
  const payments = seeds.flatMap((seed) => seed.payments.map((payment) => ({ region_id: regionId, project_id: idOf(seed), paid_on: payment.paidOn, amount: payment.amount.toFixed(2), payee: payment.payee, purpose: payment.purpose, ocid: payment.ocid, recorded_by: null, created_at: now })));
  for (const part of chunks(payments, 1000)) await tables(db).insertInto('project_payments').values(part).execute();
  const milestones = seeds.flatMap((seed) => seed.milestones.map((milestone) => ({ region_id: regionId, project_id: idOf(seed), title: milestone.title, planned_date: milestone.plannedDate, completed_on: milestone.completedOn, status: milestone.status, evidence: milestone.evidence, created_at: now, updated_at: now })));
  for (const part of chunks(milestones, 1000)) await tables(db).insertInto('project_milestones').values(part).execute();
  const updates = seeds.flatMap((seed) => seed.updates.map((update) => ({ region_id: regionId, project_id: idOf(seed), milestone_id: null, progress: update.progress, note: update.note, author_user_id: null, created_at: update.at })));
  for (const part of chunks(updates, 1000)) await tables(db).insertInto('project_updates').values(part).execute();
  const links = seeds.flatMap((seed) => [...new Set(seed.ocids)].map((ocid) => ({ region_id: regionId, ocid, project_id: idOf(seed), linked_at: now })));
  for (const part of chunks(links, 1000)) await tables(db).insertInto('project_procurements').values(part).onConflict((conflict) => conflict.columns(['region_id', 'ocid']).doNothing()).execute();
  return ids;
}
