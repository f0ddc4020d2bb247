import type { MilestonePatch, ProjectCreate, ProjectLink, ProjectPatch } from '../../../../contracts/projects.ts';
import { caseBriefs, caseIdOfNumber, getCase, planItemBriefs, type CaseBrief } from '../../voices/index.ts';
import {
  AppError,
  accountIdOf,
  assertAllowed,
  inTransaction,
  isAllowed,
  recordAudit,
  requireActor,
  type Actor,
  type PlatformDeps,
  type RequestContext,
  type Resource,
  type Trx,
} from '../../../platform/index.ts';
import * as findings from '../findings/finding.repository.ts';
import * as procurement from '../procurement/procurement.repository.ts';
import { explainFlag } from '../procurement/flag-explanation.ts';
import type { ProjectStatus } from './project.table.ts';
import * as repository from './project.repository.ts';

/**
 * Livelihood projects (民生工程): the registry, its money (budget lines,
 * payments, contracted value from linked procurement), milestones, progress
 * reports and links to citizens' cases and plan items. Coordinators and
 * admins manage projects in their scope; the lead department's handlers
 * report milestones and progress; auditors read everything. The public sees
 * progress, money and open findings, never people.
 */

export type { ProjectRow, BudgetLine, Payment, Milestone, ProgressUpdate, ProjectSeed } from './project.repository.ts';

type Db = Trx | PlatformDeps['db'];

const invalid = (path: string, message: string): AppError => new AppError('validation_failed', message, { errors: [{ path, message }] });

/** Where the policy places a project. */
export const projectResource = (project: Pick<repository.ProjectRow, 'id' | 'path' | 'leadDepartmentId' | 'coDepartmentIds'>): Resource => ({
  kind: 'project',
  id: project.id,
  path: project.path,
  departmentId: project.leadDepartmentId,
  coDepartmentIds: project.coDepartmentIds,
});

/** Loads a project the actor may `action`; 404 when it does not exist, 403 when out of reach. */
export async function loadProject(db: Db, context: RequestContext, actor: Actor, action: 'project.read' | 'project.manage' | 'project.progress' | 'finding.read' | 'procurement.read', id: number): Promise<repository.ProjectRow> {
  const project = await repository.findProject(db, context.regionId, id);
  if (!project) throw new AppError('not_found', `Project ${id} does not exist`);
  assertAllowed(actor, action, projectResource(project));
  return project;
}

/** Projects the reader may see: a handler's department's (lead or co-unit), everyone else's inside their scope. */
export async function listProjects(deps: PlatformDeps, context: RequestContext, query: Omit<repository.ProjectFilter, 'scopePath'>): Promise<repository.ProjectRow[]> {
  const actor = requireActor(context);
  assertAllowed(actor, 'project.read');
  if (actor.role === 'handler') {
    if (query.departmentId !== undefined && query.departmentId !== actor.departmentId) throw new AppError('forbidden', 'Handlers see only their own department’s projects', { action: 'project.read' });
    return repository.listProjects(deps.db, context.regionId, { ...query, departmentId: actor.departmentId ?? -1 });
  }
  return repository.listProjects(deps.db, context.regionId, { ...query, scopePath: actor.scopePath });
}

async function checkMembers(trx: Trx, regionId: number, input: Partial<ProjectCreate>): Promise<string | null> {
  const departments = [...(input.leadDepartmentId !== undefined ? [input.leadDepartmentId] : []), ...(input.coDepartmentIds ?? [])];
  const known = await repository.existingDepartments(trx, regionId, departments);
  const unknown = departments.filter((id) => !known.has(id));
  if (unknown.length > 0) throw invalid(input.leadDepartmentId !== undefined && unknown.includes(input.leadDepartmentId) ? 'leadDepartmentId' : 'coDepartmentIds', `Department ${unknown[0]} is not an active department of this city`);
  const regionIds = [...(input.districtId ? [input.districtId] : []), ...(input.areaIds ?? [])];
  const regions = await repository.findRegions(trx, regionId, regionIds);
  if (input.districtId) {
    const district = regions.get(input.districtId);
    if (!district || district.level !== 'district') throw invalid('districtId', `Region ${input.districtId} is not a district of this city`);
  }
  for (const area of input.areaIds ?? []) {
    if (!regions.has(area)) throw invalid('areaIds', `Region ${area} is not a region of this city`);
  }
  if (input.plannedStart && input.plannedEnd && input.plannedEnd < input.plannedStart) throw invalid('plannedEnd', 'The planned end comes before the planned start');
  return input.districtId ? regions.get(input.districtId)!.path : null;
}

function fieldsOf(input: Partial<ProjectCreate>): repository.ProjectFields {
  const fields: repository.ProjectFields = {};
  if (input.name !== undefined) fields.name = input.name;
  if (input.category !== undefined) fields.category = input.category;
  if (input.description !== undefined) fields.description = input.description;
  if (input.leadDepartmentId !== undefined) fields.lead_department_id = input.leadDepartmentId;
  if (input.districtId !== undefined) fields.district_id = input.districtId;
  if (input.location !== undefined) fields.location = input.location;
  if (input.latitude !== undefined) fields.latitude = input.latitude;
  if (input.longitude !== undefined) fields.longitude = input.longitude;
  if (input.beneficiaries !== undefined) fields.beneficiaries = input.beneficiaries;
  if (input.status !== undefined) fields.status = input.status;
  if (input.plannedStart !== undefined) fields.planned_start = input.plannedStart;
  if (input.plannedEnd !== undefined) fields.planned_end = input.plannedEnd;
  if (input.year !== undefined) fields.year = input.year;
  return fields;
}

/** Registers a project (coordinators and admins; the project's district must lie in their scope). Audited `project.create`. */
export async function createProject(deps: PlatformDeps, context: RequestContext, input: ProjectCreate): Promise<repository.ProjectRow> {
  const actor = requireActor(context);
  assertAllowed(actor, 'project.manage');
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const path = (await checkMembers(trx, context.regionId, input)) ?? `/${context.regionId}/`;
    assertAllowed(actor, 'project.manage', { kind: 'region', path });
    const { code, name, category, leadDepartmentId, year } = input;
    let id: number;
    try {
      id = await repository.insertProject(trx, context.regionId, { ...fieldsOf(input), code, name, category, lead_department_id: leadDepartmentId, year }, accountIdOf(actor), now);
    } catch (error) {
      if ((error as { code?: unknown }).code === '23505') throw new AppError('duplicate', `A project with code ${code} already exists`);
      throw error;
    }
    await repository.replaceMembers(trx, context.regionId, id, { coDepartmentIds: input.coDepartmentIds, areaIds: input.areaIds });
    await recordAudit(trx, context, { action: 'project.create', resourceType: 'project', resourceId: id, details: { code, leadDepartmentId } }, now);
    return (await repository.findProject(trx, context.regionId, id))!;
  });
}

/** Changes the registry entry if still at `version` (else 409). */
export async function updateProject(deps: PlatformDeps, context: RequestContext, id: number, input: ProjectPatch): Promise<repository.ProjectRow> {
  const actor = requireActor(context);
  assertAllowed(actor, 'project.manage');
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const before = await loadProject(trx, context, actor, 'project.manage', id);
    const { version, ...change } = input;
    const path = await checkMembers(trx, context.regionId, change);
    if (path) assertAllowed(actor, 'project.manage', { kind: 'region', path });
    if (!(await repository.updateProject(trx, context.regionId, id, version, fieldsOf(change), now))) {
      throw new AppError('version_conflict', `Project ${id} is at version ${before.version}, not ${version}; reload and try again`, { currentVersion: before.version });
    }
    await repository.replaceMembers(trx, context.regionId, id, { coDepartmentIds: change.coDepartmentIds, areaIds: change.areaIds });
    await recordAudit(trx, context, { action: 'project.update', resourceType: 'project', resourceId: id, details: { changed: Object.keys(change) } }, now);
    return (await repository.findProject(trx, context.regionId, id))!;
  });
}

/** Adds a budget line (funding source, year, amount). */
export async function addBudgetLine(deps: PlatformDeps, context: RequestContext, projectId: number, line: Omit<repository.BudgetLine, 'id'>): Promise<repository.BudgetLine> {
  const actor = requireActor(context);
  assertAllowed(actor, 'project.manage');
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    await loadProject(trx, context, actor, 'project.manage', projectId);
    const id = await repository.insertBudgetLine(trx, context.regionId, projectId, line, now);
    await recordAudit(trx, context, { action: 'project.budget_line', resourceType: 'project', resourceId: projectId, details: { budgetLineId: id, amount: line.amount } }, now);
    return { id, ...line };
  });
}

/**
 * Records a payment. A payment that takes the project past its contracted
 * value is accepted and shows as `paidOverContract` (a red flag), never refused.
 */
export async function addPayment(deps: PlatformDeps, context: RequestContext, projectId: number, payment: { paidOn: string; amount: number; payee: string; purpose?: string | undefined; ocid?: string | null | undefined }): Promise<repository.Payment> {
  const actor = requireActor(context);
  assertAllowed(actor, 'project.manage');
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    await loadProject(trx, context, actor, 'project.manage', projectId);
    if (payment.ocid && (await procurement.projectOfOcid(trx, context.regionId, payment.ocid)) !== projectId) throw invalid('ocid', `Procurement ${payment.ocid} is not linked to project ${projectId}`);
    const stored = { paidOn: payment.paidOn, amount: payment.amount, payee: payment.payee, purpose: payment.purpose ?? '', ocid: payment.ocid ?? null };
    const id = await repository.insertPayment(trx, context.regionId, projectId, stored, accountIdOf(actor), now);
    await recordAudit(trx, context, { action: 'project.payment', resourceType: 'project', resourceId: projectId, details: { paymentId: id, amount: payment.amount } }, now);
    return { id, ...stored };
  });
}

export async function addMilestone(deps: PlatformDeps, context: RequestContext, projectId: number, milestone: { title: string; plannedDate: string }): Promise<repository.Milestone> {
  const actor = requireActor(context);
  assertAllowed(actor, 'project.progress');
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    await loadProject(trx, context, actor, 'project.progress', projectId);
    const id = await repository.insertMilestone(trx, context.regionId, projectId, milestone, now);
    await recordAudit(trx, context, { action: 'project.milestone_create', resourceType: 'project', resourceId: projectId, details: { milestoneId: id } }, now);
    return (await repository.findMilestone(trx, context.regionId, id))!;
  });
}

/** Reports on a milestone (the lead department's handlers, coordinators and admins in scope); 409 when stale. */
export async function updateMilestone(deps: PlatformDeps, context: RequestContext, id: number, input: MilestonePatch): Promise<repository.Milestone> {
  const actor = requireActor(context);
  assertAllowed(actor, 'project.progress');
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const before = await repository.findMilestone(trx, context.regionId, id);
    if (!before) throw new AppError('not_found', `Milestone ${id} does not exist`);
    await loadProject(trx, context, actor, 'project.progress', before.projectId);
    const fields: Parameters<typeof repository.updateMilestone>[4] = {};
    if (input.title !== undefined) fields.title = input.title;
    if (input.plannedDate !== undefined) fields.planned_date = input.plannedDate;
    if (input.evidence !== undefined) fields.evidence = input.evidence;
    if (input.status !== undefined) fields.status = input.status;
    if (input.completedOn !== undefined) fields.completed_on = input.completedOn;
    if (input.status === 'done' && input.completedOn === undefined && before.completedOn === null) fields.completed_on = now.toISOString().slice(0, 10);
    if ((input.status ?? before.status) === 'done' && !(input.evidence ?? before.evidence)) throw invalid('evidence', 'A milestone is done only with evidence (what shows it: acceptance record, photos, documents)');
    if (!(await repository.updateMilestone(trx, context.regionId, id, input.version, fields, now))) {
      throw new AppError('version_conflict', `Milestone ${id} is at version ${before.version}, not ${input.version}; reload and try again`, { currentVersion: before.version });
    }
    await recordAudit(trx, context, { action: 'project.milestone_update', resourceType: 'project', resourceId: before.projectId, details: { milestoneId: id, status: input.status ?? before.status } }, now);
    return (await repository.findMilestone(trx, context.regionId, id))!;
  });
}

/** A progress report: appends an update and moves the project's progress (and status when given). */
export async function reportProgress(deps: PlatformDeps, context: RequestContext, projectId: number, input: { progress: number; note: string; milestoneId?: number | null | undefined; status?: ProjectStatus | undefined }): Promise<repository.ProgressUpdate> {
  const actor = requireActor(context);
  assertAllowed(actor, 'project.progress');
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    await loadProject(trx, context, actor, 'project.progress', projectId);
    if (input.milestoneId) {
      const milestone = await repository.findMilestone(trx, context.regionId, input.milestoneId);
      if (!milestone || milestone.projectId !== projectId) throw invalid('milestoneId', `Milestone ${input.milestoneId} is not a milestone of project ${projectId}`);
    }
    const id = await repository.insertUpdate(trx, context.regionId, projectId, { milestoneId: input.milestoneId ?? null, progress: input.progress, note: input.note }, accountIdOf(actor), now);
    await repository.setProgress(trx, context.regionId, projectId, input.progress, input.status, now);
    await recordAudit(trx, context, { action: 'project.progress', resourceType: 'project', resourceId: projectId, details: { progress: input.progress, status: input.status ?? null } }, now);
    return { id, milestoneId: input.milestoneId ?? null, progress: input.progress, note: input.note, createdAt: now };
  });
}

/**
 * Links a citizen's case (by id or number; the actor must be able to read
 * it) or a work-plan item to a project. Coordinators and admins, or the lead
 * department's handlers. Linking twice changes nothing.
 */
export async function linkToProject(deps: PlatformDeps, context: RequestContext, projectId: number, link: ProjectLink): Promise<{ caseIds: number[]; planItemIds: number[] }> {
  const actor = requireActor(context);
  assertAllowed(actor, 'project.progress');
  await loadProject(deps.db, context, actor, 'project.progress', projectId);
  const caseId = 'caseNumber' in link ? await caseIdOfNumber(deps, context, link.caseNumber).catch((error: unknown) => {
    throw error instanceof AppError && error.code === 'not_found' ? invalid('caseNumber', error.message) : error;
  }) : 'caseId' in link ? link.caseId : undefined;
  if (caseId !== undefined) await getCase(deps, context, caseId);
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    let added: boolean;
    try {
      added = caseId !== undefined ? await repository.insertCaseLink(trx, context.regionId, projectId, caseId, now) : await repository.insertPlanItemLink(trx, context.regionId, projectId, (link as { planItemId: number }).planItemId, now);
    } catch (error) {
      if ((error as { code?: unknown }).code === '23503') throw invalid('planItemId', `Plan item ${'planItemId' in link ? link.planItemId : ''} does not exist`);
      throw error;
    }
    if (added) await recordAudit(trx, context, { action: 'project.link', resourceType: 'project', resourceId: projectId, details: caseId !== undefined ? { caseId } : { ...link } }, now);
    return repository.listLinks(trx, context.regionId, projectId);
  });
}

/** Removes a case's or plan item's link to a project (who may link may unlink); unlinking what is not linked changes nothing. */
export async function unlinkFromProject(deps: PlatformDeps, context: RequestContext, projectId: number, link: { caseId: number } | { planItemId: number }): Promise<{ caseIds: number[]; planItemIds: number[] }> {
  const actor = requireActor(context);
  assertAllowed(actor, 'project.progress');
  await loadProject(deps.db, context, actor, 'project.progress', projectId);
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const removed = 'caseId' in link ? await repository.deleteCaseLink(trx, context.regionId, projectId, link.caseId) : await repository.deletePlanItemLink(trx, context.regionId, projectId, link.planItemId);
    if (removed) await recordAudit(trx, context, { action: 'project.unlink', resourceType: 'project', resourceId: projectId, details: { ...link } }, now);
    return repository.listLinks(trx, context.regionId, projectId);
  });
}

/** Everything a staff page shows of one project, with what the reader may do. */
export interface ProjectDetail {
  readonly project: repository.ProjectRow;
  readonly coDepartments: { id: number; name: string }[];
  readonly areas: { id: number; name: string }[];
  readonly budgetLines: repository.BudgetLine[];
  readonly payments: repository.Payment[];
  readonly milestones: repository.Milestone[];
  readonly updates: repository.ProgressUpdate[];
  readonly findings: (findings.Finding & { rectifications: findings.Rectification[] })[];
  readonly caseIds: number[];
  readonly planItemIds: number[];
  /** The linked cases' numbers, masked titles and states. */
  readonly cases: CaseBrief[];
  readonly planItems: Awaited<ReturnType<typeof planItemBriefs>>;
  readonly procurement: procurement.ProcessSummary[];
  readonly flags: (procurement.StoredFlag & { explanation: { zh: string; en: string } })[];
  readonly allowed: { manage: boolean; progress: boolean; findings: boolean };
}

export async function getProject(deps: PlatformDeps, context: RequestContext, id: number): Promise<ProjectDetail> {
  const actor = requireActor(context);
  assertAllowed(actor, 'project.read');
  const db = deps.db;
  const project = await loadProject(db, context, actor, 'project.read', id);
  const resource = projectResource(project);
  const members = await repository.listNamedMembers(db, context.regionId, id);
  const found = await findings.listFindings(db, context.regionId, { projectIds: [id] });
  const items = await findings.listRectifications(db, context.regionId, { findingIds: found.map((finding) => finding.id) });
  const links = await repository.listLinks(db, context.regionId, id);
  const processes = await procurement.listProcesses(db, context.regionId, { projectId: id, limit: 500, offset: 0 });
  const flags = await procurement.listFlags(db, context.regionId, processes.items.map((process) => process.ocid));
  return {
    project,
    ...members,
    budgetLines: await repository.listBudgetLines(db, context.regionId, id),
    payments: await repository.listPayments(db, context.regionId, id),
    milestones: await repository.listMilestones(db, context.regionId, id),
    updates: await repository.listUpdates(db, context.regionId, id),
    findings: found.map((finding) => ({ ...finding, rectifications: items.filter((item) => item.findingId === finding.id) })),
    caseIds: links.caseIds,
    planItemIds: links.planItemIds,
    cases: await caseBriefs(deps, context.regionId, links.caseIds),
    planItems: await planItemBriefs(deps, context.regionId, links.planItemIds),
    procurement: processes.items,
    flags: flags.map((flag) => ({ ...flag, explanation: explainFlag(flag) })),
    allowed: { manage: isAllowed(actor, 'project.manage', resource), progress: isAllowed(actor, 'project.progress', resource), findings: isAllowed(actor, 'finding.manage', resource) },
  };
}

/** The public list: every project of the city, with progress and money (no people). */
export function listPublicProjects(deps: PlatformDeps, context: RequestContext, query: Omit<repository.ProjectFilter, 'scopePath' | 'departmentId'>): Promise<repository.ProjectRow[]> {
  return repository.listProjects(deps.db, context.regionId, query);
}

/** The public page of one project: progress, money, milestones and open findings with their rectification counts. */
export async function getPublicProject(deps: PlatformDeps, context: RequestContext, id: number): Promise<{ project: repository.ProjectRow; milestones: repository.Milestone[]; openFindings: (findings.Finding & { done: number; total: number })[] }> {
  const project = await repository.findProject(deps.db, context.regionId, id);
  if (!project) throw new AppError('not_found', `Project ${id} does not exist`);
  const open = (await findings.listFindings(deps.db, context.regionId, { projectIds: [id] })).filter((finding) => finding.status !== 'closed');
  const items = await findings.listRectifications(deps.db, context.regionId, { findingIds: open.map((finding) => finding.id) });
  return {
    project,
    milestones: await repository.listMilestones(deps.db, context.regionId, id),
    openFindings: open.map((finding) => {
      const own = items.filter((item) => item.findingId === finding.id);
      return { ...finding, done: own.filter((item) => item.status === 'signed_off').length, total: own.length };
    }),
  };
}

/**
 * Loads many projects at once (the demo city; an existing register moved in)
 * in one transaction and one audit entry, instead of a transaction per row.
 * City-wide coordinators and admins; codes must be new. Returns the ids by code.
 */
export async function seedProjects(deps: PlatformDeps, context: RequestContext, seeds: readonly repository.ProjectSeed[]): Promise<Map<string, number>> {
  const actor = requireActor(context);
  assertAllowed(actor, 'project.manage', { kind: 'city' });
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const ids = await repository.insertProjectSeeds(trx, context.regionId, seeds, now);
    await recordAudit(trx, context, { action: 'project.seed', resourceType: 'project', resourceId: null, details: { projects: seeds.length } }, now);
    return ids;
  });
}
