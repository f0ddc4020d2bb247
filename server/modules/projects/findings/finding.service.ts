import type { FindingCreate, FindingPatch, RectificationPatch } from '../../../../contracts/projects.ts';
import { AppError, accountIdOf, assertAllowed, inTransaction, recordAudit, requireActor, type Actor, type PlatformDeps, type RequestContext, type Resource, type Trx } from '../../../platform/index.ts';
import * as procurement from '../procurement/procurement.repository.ts';
import * as projects from '../registry/project.repository.ts';
import { loadProject } from '../registry/project.service.ts';
import type { FindingStatus, FindingType, RectificationStatus } from './finding.table.ts';
import * as repository from './finding.repository.ts';

/**
 * Inspections and audit findings (检查、审计发现) with their rectification
 * items (整改事项). City-wide auditors open and close findings and sign
 * items off; the owner department's handlers report evidence and submit; a
 * finding may be opened from a red flag, taking the flag's process and project.
 */

export type { Finding, Rectification } from './finding.repository.ts';
export type FindingWithItems = repository.Finding & { rectifications: repository.Rectification[] };

const invalid = (path: string, message: string): AppError => new AppError('validation_failed', message, { errors: [{ path, message }] });

const ownerResource = (item: Pick<repository.Rectification, 'ownerDepartmentId' | 'ownerPath'>): Resource => ({ kind: 'department', id: item.ownerDepartmentId, path: item.ownerPath });

async function withItems(db: Trx | PlatformDeps['db'], regionId: number, found: repository.Finding[]): Promise<FindingWithItems[]> {
  const items = await repository.listRectifications(db, regionId, { findingIds: found.map((finding) => finding.id) });
  return found.map((finding) => ({ ...finding, rectifications: items.filter((item) => item.findingId === finding.id) }));
}

/**
 * Findings the reader may see: auditors, city-wide coordinators and admins all
 * of the city's; others those of the projects they read.
 */
export async function listFindings(deps: PlatformDeps, context: RequestContext, query: { status?: FindingStatus | undefined; type?: FindingType | undefined; projectId?: number | undefined }): Promise<FindingWithItems[]> {
  const actor = requireActor(context);
  assertAllowed(actor, 'finding.read');
  let projectIds: number[] | undefined;
  if (query.projectId !== undefined) {
    await loadProject(deps.db, context, actor, 'finding.read', query.projectId);
    projectIds = [query.projectId];
  } else if (actor.role === 'handler' || actor.scopePath !== `/${context.regionId}/`) {
    const visible = await projects.listProjects(deps.db, context.regionId, actor.role === 'handler' ? { departmentId: actor.departmentId ?? -1 } : { scopePath: actor.scopePath });
    projectIds = visible.map((project) => project.id);
  }
  const found = await repository.listFindings(deps.db, context.regionId, { ...(projectIds && { projectIds }), ...(query.status && { status: query.status }), ...(query.type && { type: query.type }) });
  return withItems(deps.db, context.regionId, found);
}

async function checkOwners(trx: Trx, regionId: number, items: readonly { ownerDepartmentId: number }[]): Promise<void> {
  const wanted = items.map((item) => item.ownerDepartmentId);
  const known = await projects.existingDepartments(trx, regionId, wanted);
  const unknown = wanted.find((id) => !known.has(id));
  if (unknown !== undefined) throw invalid('ownerDepartmentId', `Department ${unknown} is not an active department of this city`);
}

/** Opens a finding (city-wide auditors), optionally from a red flag and with rectification items. Audited `finding.create`. */
export async function openFinding(deps: PlatformDeps, context: RequestContext, input: FindingCreate): Promise<FindingWithItems> {
  const actor = requireActor(context);
  assertAllowed(actor, 'finding.manage', { kind: 'city' });
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    let projectId = input.projectId ?? null;
    let ocid = input.ocid ?? null;
    if (input.flagId) {
      const flag = await procurement.findFlag(trx, context.regionId, input.flagId);
      if (!flag) throw invalid('flagId', `Red flag ${input.flagId} does not exist (it may have been cleared by a recomputation)`);
      ocid ??= flag.ocid;
      projectId ??= flag.projectId;
    }
    if (projectId !== null && !(await projects.findProject(trx, context.regionId, projectId))) throw invalid('projectId', `Project ${projectId} does not exist`);
    await checkOwners(trx, context.regionId, input.rectifications ?? []);
    const id = await repository.insertFinding(trx, context.regionId, { projectId, ocid, flagId: input.flagId ?? null, type: input.type, title: input.title, description: input.description ?? '', foundOn: input.foundOn }, accountIdOf(actor), now);
    for (const item of input.rectifications ?? []) await repository.insertRectification(trx, context.regionId, id, item, now);
    if ((input.rectifications ?? []).length > 0) await repository.markRectifying(trx, context.regionId, id, now);
    await recordAudit(trx, context, { action: 'finding.create', resourceType: 'finding', resourceId: id, details: { type: input.type, projectId, flagId: input.flagId ?? null } }, now);
    return (await withItems(trx, context.regionId, [(await repository.findFinding(trx, context.regionId, id))!]))[0]!;
  });
}

/** Changes a finding (auditors); closing needs every rectification item signed off. */
export async function updateFinding(deps: PlatformDeps, context: RequestContext, id: number, input: FindingPatch): Promise<FindingWithItems> {
  const actor = requireActor(context);
  assertAllowed(actor, 'finding.manage', { kind: 'city' });
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const before = await repository.findFinding(trx, context.regionId, id);
    if (!before) throw new AppError('not_found', `Finding ${id} does not exist`);
    const [current] = await withItems(trx, context.regionId, [before]);
    if (input.status === 'closed' && current!.rectifications.some((item) => item.status !== 'signed_off')) throw invalid('status', 'Every rectification item must be signed off before the finding is closed');
    const { version, ...change } = input;
    if (!(await repository.updateFinding(trx, context.regionId, id, version, change, now))) {
      throw new AppError('version_conflict', `Finding ${id} is at version ${before.version}, not ${version}; reload and try again`, { currentVersion: before.version });
    }
    await recordAudit(trx, context, { action: 'finding.update', resourceType: 'finding', resourceId: id, details: { changed: Object.keys(change), status: input.status ?? before.status } }, now);
    return (await withItems(trx, context.regionId, [(await repository.findFinding(trx, context.regionId, id))!]))[0]!;
  });
}

export async function addRectification(deps: PlatformDeps, context: RequestContext, findingId: number, item: { description: string; ownerDepartmentId: number; dueDate: string }): Promise<repository.Rectification> {
  const actor = requireActor(context);
  assertAllowed(actor, 'finding.manage', { kind: 'city' });
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const finding = await repository.findFinding(trx, context.regionId, findingId);
    if (!finding) throw new AppError('not_found', `Finding ${findingId} does not exist`);
    if (finding.status === 'closed') throw new AppError('conflict', `Finding ${findingId} is closed`);
    await checkOwners(trx, context.regionId, [item]);
    const id = await repository.insertRectification(trx, context.regionId, findingId, item, now);
    await repository.markRectifying(trx, context.regionId, findingId, now);
    await recordAudit(trx, context, { action: 'rectification.create', resourceType: 'finding', resourceId: findingId, details: { rectificationId: id, ownerDepartmentId: item.ownerDepartmentId } }, now);
    return (await repository.findRectification(trx, context.regionId, id))!;
  });
}

/** The rectification board: a handler their department's items, others those of departments in their scope; auditors all. */
export async function listRectifications(deps: PlatformDeps, context: RequestContext, query: { status?: RectificationStatus | undefined; departmentId?: number | undefined }): Promise<repository.Rectification[]> {
  const actor = requireActor(context);
  assertAllowed(actor, 'finding.read');
  if (actor.role === 'handler') {
    if (query.departmentId !== undefined && query.departmentId !== actor.departmentId) throw new AppError('forbidden', 'Handlers see only their own department’s rectification items', { action: 'finding.read' });
    return repository.listRectifications(deps.db, context.regionId, { departmentId: actor.departmentId ?? -1, ...(query.status && { status: query.status }) });
  }
  return repository.listRectifications(deps.db, context.regionId, { scopePath: actor.scopePath, ...(query.departmentId && { departmentId: query.departmentId }), ...(query.status && { status: query.status }) });
}

const OWNER_MOVES: Record<RectificationStatus, readonly RectificationStatus[]> = { open: ['submitted'], submitted: ['open'], signed_off: [] };

/**
 * Updates a rectification item. The owner department's handlers (and
 * coordinators in scope) add evidence and move it open ↔ submitted; auditors
 * sign it off (from submitted, with evidence) or send it back to open.
 */
export async function updateRectification(deps: PlatformDeps, context: RequestContext, id: number, input: RectificationPatch): Promise<repository.Rectification> {
  const actor = requireActor(context);
  assertAllowed(actor, 'rectification.update');
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const before = await repository.findRectification(trx, context.regionId, id);
    if (!before) throw new AppError('not_found', `Rectification item ${id} does not exist`);
    const auditing = actor.role === 'auditor';
    assertAllowed(actor, 'rectification.update', ownerResource(before));
    const fields: Parameters<typeof repository.updateRectification>[4] = {};
    if (input.evidence !== undefined) {
      if (auditing) throw invalid('evidence', 'Evidence comes from the owner department');
      fields.evidence = input.evidence;
    }
    if (input.dueDate !== undefined) {
      if (!auditing) throw invalid('dueDate', 'Only auditors move a due date');
      fields.due_date = input.dueDate;
    }
    if (input.status !== undefined && input.status !== before.status) checkMove(actor, before, input.status, input.evidence ?? before.evidence);
    if (input.status !== undefined) {
      fields.status = input.status;
      if (input.status === 'signed_off') Object.assign(fields, { signed_off_by: accountIdOf(actor), signed_off_at: now });
    }
    if (!(await repository.updateRectification(trx, context.regionId, id, input.version, fields, now))) {
      throw new AppError('version_conflict', `Rectification item ${id} is at version ${before.version}, not ${input.version}; reload and try again`, { currentVersion: before.version });
    }
    await recordAudit(trx, context, { action: input.status === 'signed_off' ? 'rectification.sign_off' : 'rectification.update', resourceType: 'finding', resourceId: before.findingId, details: { rectificationId: id, status: input.status ?? before.status } }, now);
    return (await repository.findRectification(trx, context.regionId, id))!;
  });
}

function checkMove(actor: Actor, before: repository.Rectification, to: RectificationStatus, evidence: string): void {
  if (actor.role === 'auditor') {
    if (to === 'signed_off' && before.status !== 'submitted') throw invalid('status', 'Only a submitted item is signed off');
    if (to === 'open' || to === 'signed_off') return;
    throw invalid('status', 'Auditors sign items off or send them back to open');
  }
  if (!OWNER_MOVES[before.status].includes(to)) throw invalid('status', `An item ${before.status} cannot be moved to ${to} by its owner`);
  if (to === 'submitted' && !evidence) throw invalid('evidence', 'Submit with evidence of the rectification');
}
