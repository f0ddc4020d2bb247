import type { AdoptRequest, PlanItemCreate, PlanItemPatch } from '../../../../contracts/plans.ts';
import {
  AppError,
  accountIdOf,
  assertAllowed,
  inTransaction,
  normaliseTrackingCode,
  recordAudit,
  requireActor,
  type Actor,
  type PlatformDeps,
  type RequestContext,
  type Resource,
  type Trx,
} from '../../../platform/index.ts';
import * as cases from '../cases/case.repository.ts';
import { authorOf, caseResource } from '../cases/case.service.ts';
import * as repository from './plan.repository.ts';

/**
 * Work plans (工作计划): a department's plans and items, and the adoption of
 * citizens' suggestions into items. The department's handlers and the
 * coordinators whose scope covers it manage them; each change of an item
 * that a suggestion fed is written to the source cases' timelines, the
 * outbox the notification dispatcher reads, so the originators are told.
 */

export type { PlanItemRow, PlanRow } from './plan.repository.ts';

const invalid = (path: string, message: string): AppError => new AppError('validation_failed', message, { errors: [{ path, message }] });

const departmentResource = (department: { id: number; path: string }): Resource => ({ kind: 'department', id: department.id, path: department.path });

async function loadPlan(db: Trx | PlatformDeps['db'], context: RequestContext, actor: Actor, action: 'plan.read' | 'plan.manage', id: number): Promise<repository.PlanRow> {
  const plan = await repository.findPlan(db, context.regionId, id);
  if (!plan) throw new AppError('not_found', `Plan ${id} does not exist`);
  assertAllowed(actor, action, departmentResource({ id: plan.departmentId, path: plan.departmentPath }));
  return plan;
}

/** Plans the reader may see: a handler their department's, others those of the departments inside their scope. */
export function listPlans(deps: PlatformDeps, context: RequestContext, query: { departmentId?: number | undefined; year?: number | undefined }): Promise<repository.PlanRow[]> {
  const actor = requireActor(context);
  assertAllowed(actor, 'plan.read');
  if (actor.role === 'handler') {
    if (query.departmentId !== undefined && query.departmentId !== actor.departmentId) throw new AppError('forbidden', 'Handlers see only their own department’s plans', { action: 'plan.read' });
    return repository.listPlans(deps.db, context.regionId, { departmentId: actor.departmentId ?? -1, ...(query.year ? { year: query.year } : {}) });
  }
  return repository.listPlans(deps.db, context.regionId, {
    scopePath: actor.scopePath,
    ...(query.departmentId ? { departmentId: query.departmentId } : {}),
    ...(query.year ? { year: query.year } : {}),
  });
}

export async function createPlan(
  deps: PlatformDeps,
  context: RequestContext,
  input: { departmentId?: number | undefined; title: string; year: number; period?: string | undefined },
): Promise<repository.PlanRow> {
  const actor = requireActor(context);
  assertAllowed(actor, 'plan.manage');
  const departmentId = input.departmentId ?? (actor.role === 'handler' ? actor.departmentId : null);
  if (departmentId === null) throw invalid('departmentId', 'Name the department the plan belongs to');
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const department = await repository.findDepartmentScope(trx, context.regionId, departmentId);
    if (!department) throw invalid('departmentId', `Department ${departmentId} is not an active department of this city`);
    assertAllowed(actor, 'plan.manage', departmentResource(department));
    const id = await repository.insertPlan(trx, context.regionId, { departmentId, title: input.title, year: input.year, period: input.period ?? null, createdBy: accountIdOf(actor), now });
    await recordAudit(trx, context, { action: 'plan.create', resourceType: 'plan', resourceId: id, details: { departmentId, year: input.year } }, now);
    return (await repository.findPlan(trx, context.regionId, id))!;
  });
}

/** Plan items by id with their plan (for pages of other modules that link to them, e.g. projects); in id order, unknown ids left out. */
export async function planItemBriefs(deps: PlatformDeps, regionId: number, ids: readonly number[]): Promise<{ id: number; planId: number; planTitle: string; title: string; status: repository.PlanItemRow['status'] }[]> {
  return (await repository.listPlanItemsById(deps.db, regionId, ids)).map((item) => ({ id: item.id, planId: item.planId, planTitle: item.planTitle, title: item.title, status: item.status }));
}

export async function listPlanItems(deps: PlatformDeps, context: RequestContext, planId: number): Promise<repository.PlanItemRow[]> {
  const actor = requireActor(context);
  assertAllowed(actor, 'plan.read');
  await loadPlan(deps.db, context, actor, 'plan.read', planId);
  return repository.listPlanItems(deps.db, context.regionId, planId);
}

/** The columns of an item from the wire form (undefined = not given). */
function fieldsOf(input: Partial<PlanItemCreate>): repository.PlanItemFields {
  const fields: repository.PlanItemFields = {};
  if (input.title !== undefined) fields.title = input.title;
  if (input.description !== undefined) fields.description = input.description;
  if (input.ownerUserId !== undefined) fields.owner_user_id = input.ownerUserId;
  if (input.dueDate !== undefined) fields.due_date = input.dueDate;
  if (input.budgetNote !== undefined) fields.budget_note = input.budgetNote;
  if (input.progress !== undefined) fields.progress = input.progress;
  if (input.status !== undefined) fields.status = input.status;
  return fields;
}

async function checkItemInput(trx: Trx, regionId: number, departmentId: number, input: Partial<PlanItemCreate>): Promise<void> {
  if (input.ownerUserId !== undefined && input.ownerUserId !== null && !(await repository.findUserInDepartment(trx, regionId, input.ownerUserId, departmentId))) {
    throw invalid('ownerUserId', `User ${input.ownerUserId} does not work in the plan's department`);
  }
  if (input.dueDate && Number.isNaN(new Date(`${input.dueDate}T00:00:00Z`).getTime())) throw invalid('dueDate', 'Not a calendar date');
}

async function insertItem(trx: Trx, context: RequestContext, plan: repository.PlanRow, input: PlanItemCreate, now: Date): Promise<number> {
  await checkItemInput(trx, context.regionId, plan.departmentId, input);
  const id = await repository.insertPlanItem(trx, context.regionId, plan.id, { ...fieldsOf(input), title: input.title }, now);
  await recordAudit(trx, context, { action: 'plan_item.create', resourceType: 'plan_item', resourceId: id, details: { planId: plan.id } }, now);
  return id;
}

export async function createPlanItem(deps: PlatformDeps, context: RequestContext, planId: number, input: PlanItemCreate): Promise<repository.PlanItemRow> {
  const actor = requireActor(context);
  assertAllowed(actor, 'plan.manage');
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const plan = await loadPlan(trx, context, actor, 'plan.manage', planId);
    const id = await insertItem(trx, context, plan, input, now);
    return (await repository.findPlanItem(trx, context.regionId, id))!;
  });
}

/** The fields whose change is news for the originators, as stored in the timeline (never the owner's identity). */
const TRACKED = ['status', 'progress', 'dueDate', 'ownerUserId', 'title'] as const;

/**
 * Changes an item if it is still at `version` (else 409 `version_conflict`),
 * audits `plan_item.update` and, when anything changed, appends a
 * `plan_item_changed` entry to every source case's timeline, which the
 * dispatcher turns into notifications for their requesters.
 */
export async function updatePlanItem(deps: PlatformDeps, context: RequestContext, id: number, input: PlanItemPatch): Promise<repository.PlanItemRow> {
  const actor = requireActor(context);
  assertAllowed(actor, 'plan.manage');
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const before = await repository.findPlanItem(trx, context.regionId, id);
    if (!before) throw new AppError('not_found', `Plan item ${id} does not exist`);
    const plan = await loadPlan(trx, context, actor, 'plan.manage', before.planId);
    if (input.version !== before.version) {
      throw new AppError('version_conflict', `Plan item ${id} is at version ${before.version}, not ${input.version}; reload and try again`, { currentVersion: before.version });
    }
    const { version, note, ...change } = input;
    await checkItemInput(trx, context.regionId, plan.departmentId, change);
    if (!(await repository.updatePlanItem(trx, context.regionId, id, version, fieldsOf(change), now))) {
      throw new AppError('version_conflict', `Plan item ${id} was changed by someone else; reload and try again`, { currentVersion: version + 1 });
    }
    const after = (await repository.findPlanItem(trx, context.regionId, id))!;
    const changed = TRACKED.filter((field) => before[field] !== after[field]);
    await recordAudit(trx, context, { action: 'plan_item.update', resourceType: 'plan_item', resourceId: id, details: { version: after.version, changed: Object.keys(change) } }, now);
    if (changed.length > 0) {
      const payload = {
        planItemId: id,
        changed: changed.map((field) => (field === 'ownerUserId' ? 'owner' : field)),
        status: after.status,
        progress: after.progress,
        dueDate: after.dueDate,
      };
      for (const caseId of after.sourceCaseIds) await tellOriginators(trx, context, caseId, 'plan_item_changed', payload, now, note ?? null);
    }
    return after;
  });
}

async function tellOriginators(trx: Trx, context: RequestContext, caseId: number, event: string, payload: Record<string, unknown>, now: Date, note: string | null = null): Promise<void> {
  const author = authorOf(context, 'system');
  await repository.appendOutboxEntry(trx, context.regionId, caseId, { event, actorUserId: author.userId, actorLabel: author.label, actorRole: context.actor?.role ?? 'system', payload, note, now });
}

/**
 * Adopts a suggestion (case kind `suggestion`) into a plan item of the
 * department that owns the case: an existing item, or a new one in one of its
 * plans. The actor must act on the case (its department's handler, a
 * coordinator in scope) and manage the plan's department. Audited as
 * `case.adopt`; the requesters are told (`adopt` on the timeline).
 */
export async function adoptCase(deps: PlatformDeps, context: RequestContext, caseId: number, input: AdoptRequest): Promise<repository.PlanItemRow> {
  const actor = requireActor(context);
  assertAllowed(actor, 'plan.manage');
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const record = await cases.findCase(trx, context.regionId, caseId);
    if (!record) throw new AppError('not_found', `Case ${caseId} does not exist`);
    assertAllowed(actor, 'case.act', caseResource(record, await cases.listRequesterUserIds(trx, context.regionId, caseId)));
    const existing = 'planItemId' in input ? await repository.findPlanItem(trx, context.regionId, input.planItemId) : undefined;
    if ('planItemId' in input && !existing) throw new AppError('not_found', `Plan item ${input.planItemId} does not exist`);
    const plan = await loadPlan(trx, context, actor, 'plan.manage', existing ? existing.planId : (input as { newItem: { planId: number } }).newItem.planId);
    if (record.kind !== 'suggestion') throw invalid('caseId', `Case ${record.number} is a ${record.kind}; only suggestions are adopted into work plans`);
    if (record.snapshot.departmentId !== plan.departmentId) throw invalid('caseId', `Case ${record.number} is not owned by the plan's department`);
    let itemId: number;
    if (existing) itemId = existing.id;
    else {
      const { planId: _planId, ...item } = (input as { newItem: PlanItemCreate & { planId: number } }).newItem;
      itemId = await insertItem(trx, context, plan, item, now);
    }
    if (!(await repository.insertSource(trx, context.regionId, itemId, caseId, accountIdOf(actor), now))) {
      throw new AppError('conflict', `Case ${record.number} is already adopted into plan item ${itemId}`, { planItemId: itemId });
    }
    await recordAudit(trx, context, { action: 'case.adopt', resourceType: 'case', resourceId: caseId, details: { planId: plan.id, planItemId: itemId } }, now);
    const item = (await repository.findPlanItem(trx, context.regionId, itemId))!;
    await tellOriginators(trx, context, caseId, 'adopt', { planItemId: itemId, planId: plan.id, status: item.status, progress: item.progress, dueDate: item.dueDate }, now);
    return item;
  });
}

/** What originators see of an item: plan and item titles, status, progress, due date. */
export interface Adoption {
  readonly planTitle: string;
  readonly itemTitle: string;
  readonly status: repository.PlanItemRow['status'];
  readonly progress: number;
  readonly dueDate: string | null;
}

const adoptionOf = (item: repository.PlanItemRow): Adoption => ({ planTitle: item.planTitle, itemTitle: item.title, status: item.status, progress: item.progress, dueDate: item.dueDate });

/** The items a case went into, for whoever may read the case (its requesters included). */
export async function adoptionsOfCase(deps: PlatformDeps, context: RequestContext, caseId: number): Promise<Adoption[]> {
  const actor = requireActor(context);
  assertAllowed(actor, 'case.read');
  const record = await cases.findCase(deps.db, context.regionId, caseId);
  if (!record) throw new AppError('not_found', `Case ${caseId} does not exist`);
  assertAllowed(actor, 'case.read', caseResource(record, await cases.listRequesterUserIds(deps.db, context.regionId, caseId)));
  return (await repository.listItemsOfCase(deps.db, context.regionId, caseId)).map(adoptionOf);
}

/** The items behind a tracking code's case (the code is the credential; unknown codes are 404). */
export async function adoptionsByTrackingCode(deps: PlatformDeps, context: RequestContext, code: string): Promise<Adoption[]> {
  const normalised = normaliseTrackingCode(code);
  const message = normalised && (await cases.findMessageByTrackingCode(deps.db, context.regionId, normalised));
  if (!message) throw new AppError('not_found', 'No message has this tracking code; check it and try again');
  return (await repository.listItemsOfCase(deps.db, context.regionId, message.caseId)).map(adoptionOf);
}
