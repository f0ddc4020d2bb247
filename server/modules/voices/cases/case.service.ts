import {
  AppError,
  accountIdOf,
  assertAllowed,
  inTransaction,
  isAllowed,
  isAppError,
  maskText,
  recordAudit,
  requireActor,
  type Actor,
  type PlatformDeps,
  type RequestContext,
  type Resource,
  type Trx,
  type AuditEvent,
} from '../../../platform/index.ts';
import {
  CASE_STATES,
  allowedEvents,
  toAppErrorArgs,
  transition,
  type CaseActor,
  type CaseEffect,
  type CaseEvent,
  type CaseEventType,
  type CaseSnapshot,
  type CaseState,
  type CaseTimelineEntry,
  timelineEntryOf,
} from './case.ts';
import * as repository from './case.repository.ts';
import { listPhotosOfMessages } from '../attachments/attachment.repository.ts';
import type { PhotoMeta } from '../attachments/attachment.ts';
import type { DeadlineClock } from '../deadlines/deadline.ts';
import { carryOutDeadline } from '../deadlines/sla.ts';
import { findCategoryByPath } from '../routing/category.repository.ts';
import { listCaseReplyScores, scoreNewReply, type StoredReplyScore } from '../replies/reply-quality.service.ts';
import type { CaseEventRecord, CaseRecord, Message, Page } from './voices.ts';

/** The states a coordinator must act on: new, returned, and requests and ratings awaiting a decision. */
export const TRIAGE_STATES: readonly CaseState[] = ['accepted', 'returned', 'transfer_requested', 'extension_requested', 'verifying'];

/** Unattended work (intake routing, joins) fires events as this actor. */
export const SYSTEM_ACTOR: CaseActor = { role: 'system', userId: null, departmentId: null, requesterId: null };

/** The state machine's view of a platform actor: a citizen is the requester `user:<id>`. */
export function caseActorOf(actor: Actor): CaseActor {
  return {
    role: actor.role,
    userId: actor.userId,
    departmentId: actor.departmentId,
    requesterId: actor.role === 'citizen' ? `user:${actor.userId}` : null,
  };
}

/** A case as the policy table sees it. */
export function caseResource(record: CaseRecord, requesterUserIds: readonly number[]): Resource {
  return {
    kind: 'case',
    id: record.id,
    path: record.regionPath,
    departmentId: record.snapshot.departmentId,
    coHandlerIds: record.snapshot.coHandlerIds,
    requesterUserIds,
  };
}

/** Who did it, as the timeline and the audit log name them: never a requester's identity or tracking code. */
export interface EventAuthor {
  readonly userId: number | null;
  readonly label: string;
}

export function authorOf(context: RequestContext, fallback: string): EventAuthor {
  const { actor } = context;
  return actor ? { userId: accountIdOf(actor), label: `${actor.role}:${actor.username}` } : { userId: null, label: fallback };
}

const NOTIFY_EFFECTS = new Set<CaseEffect['type']>(['notify_requesters', 'notify_department', 'notify_coordinators', 'escalate']);

/**
 * The notifications an event asks for, as the timeline keeps them: who is to
 * be told, never how to reach them. A sender reads them from `case_events`.
 */
function notificationsOf(effects: readonly CaseEffect[]): Record<string, unknown>[] {
  return effects
    .filter((effect) => NOTIFY_EFFECTS.has(effect.type))
    .map((effect) => (effect.type === 'notify_requesters' ? { type: effect.type, event: effect.event, requesters: effect.requesterIds.length } : { ...effect }));
}

/** The event's payload as stored: what was asked, minus requester ids (they are tracking codes). */
/** An event's payload as the timeline stores it: no requester ids (they may hold tracking codes), plain JSON. */
export function timelinePayloadOf(entry: CaseTimelineEntry): Record<string, unknown> {
  const { type: _type, ...payload } = entry.event as unknown as Record<string, unknown>;
  if ('requesterId' in payload) payload.requesterId = undefined;
  if ('requesterIds' in payload) payload.requesterIds = undefined;
  return JSON.parse(JSON.stringify(payload)) as Record<string, unknown>;
}

/** What firing an event on a case will store: computed in memory, before anything is written. */
export interface PlannedCaseEvent {
  readonly next: CaseSnapshot;
  readonly clock: DeadlineClock | null;
  readonly stored: CaseEventRecord;
  readonly audit: { readonly context: RequestContext; readonly event: AuditEvent };
  readonly effects: readonly CaseEffect[];
}

/**
 * Runs the state machine and the deadline effects for `event` on `record`
 * without touching the database: the next snapshot and clock, the timeline
 * row (with the notifications it asks for) and the audit entry `case.<event>`.
 * Illegal events throw as `fireCaseEvent` does.
 */
export function planCaseEvent(context: RequestContext, record: CaseRecord, event: CaseEvent, actor: CaseActor, author: EventAuthor, now: Date): PlannedCaseEvent {
  const result = transition(record.snapshot, event, actor, now);
  if ('error' in result) throw new AppError(...toAppErrorArgs(result.error));
  const { clock, outcome } = carryOutDeadline(record.deadline, result.effects, { kind: record.kind, categoryPath: record.categoryPath, urgent: record.urgent }, now);
  const next = { ...result.next, dueAt: clock ? clock.dueAt : null };
  const entry = timelineEntryOf(result.effects);
  const stored: CaseEventRecord = {
    version: entry.version,
    round: entry.round,
    at: entry.at,
    actorUserId: author.userId,
    actorLabel: author.label,
    event: entry.event.type,
    fromState: entry.from,
    toState: entry.to,
    reason: entry.reason,
    details: {
      actorRole: entry.actor.role,
      ...(entry.actor.departmentId === null ? {} : { departmentId: entry.actor.departmentId }),
      payload: timelinePayloadOf(entry),
      ...(outcome ? { deadline: outcome } : {}),
      ...(clock && (event.type === 'dispatch' || event.type === 'arbitrate' || event.type === 'approve_transfer' || event.type === 'verify_unsatisfied' || event.type === 'approve_extension' || event.type === 'resume')
        ? { dueAt: clock.dueAt.toISOString() }
        : {}),
      notifications: notificationsOf(result.effects),
    },
  };
  return {
    next,
    clock,
    stored,
    audit: {
      context: actor.role === 'system' ? { ...context, actor: undefined, label: 'system' } : { ...context, label: author.label },
      event: { action: `case.${event.type}`, resourceType: 'case', resourceId: record.id, details: { version: next.version, from: entry.from, to: entry.to } },
    },
    effects: result.effects,
  };
}

/**
 * Fires one event on a case inside the caller's transaction: runs the state
 * machine, carries out its deadline effects on the stored clock, stores the
 * next snapshot if nobody changed the case meanwhile (else `version_conflict`),
 * writes the timeline row (with the notifications it asks for) and the audit
 * entry `case.<event>`. Returns the case as stored.
 */
export async function fireCaseEvent(
  trx: Trx,
  deps: PlatformDeps,
  context: RequestContext,
  record: CaseRecord,
  event: CaseEvent,
  actor: CaseActor,
  author: EventAuthor,
  now: Date,
): Promise<CaseRecord> {
  const planned = planCaseEvent(context, record, event, actor, author, now);
  await checkReferences(trx, context.regionId, record, event);
  if (!(await repository.saveCase(trx, context.regionId, record.id, record.snapshot.version, planned.next, planned.clock))) {
    throw new AppError('version_conflict', `Case ${record.number} was changed by someone else; reload and try again`, { currentVersion: record.snapshot.version + 1 });
  }
  await repository.insertCaseEvent(trx, context.regionId, record.id, planned.stored);
  if (event.type === 'categorise') {
    const category = await findCategoryByPath(trx, context.regionId, event.categoryPath.trim());
    if (!category) throw invalid('categoryPath', `"${event.categoryPath.trim()}" is not a category of this city's taxonomy`);
    await repository.fileCaseUnder(trx, context.regionId, record.id, category.id, author.userId, now);
  }
  if (event.type === 'reply') await scoreNewReply(trx, deps, context.regionId, record, planned.stored);
  const saved = (await repository.findCase(trx, context.regionId, record.id))!;
  // The audit append locks the city's chain head until commit, so it comes after the case's own writes and reads.
  await recordAudit(trx, planned.audit.context, planned.audit.event, now);
  for (const effect of planned.effects) {
    if (effect.type !== 'join_case') continue;
    for (const requesterId of effect.requesterIds) {
      const survivor = (await repository.findCase(trx, context.regionId, effect.intoCaseId))!;
      await fireCaseEvent(trx, deps, context, survivor, { type: 'join', requesterId }, SYSTEM_ACTOR, { userId: null, label: 'system' }, now);
    }
  }
  return saved;
}

const invalid = (path: string, message: string): AppError => new AppError('validation_failed', message, { errors: [{ path, message }] });

/** What the machine cannot know: that named departments exist and that a merge's survivor is open. */
export async function checkReferences(trx: Trx | PlatformDeps['db'], regionId: number, record: CaseRecord, event: CaseEvent): Promise<void> {
  const departments =
    event.type === 'dispatch' || event.type === 'arbitrate'
      ? [event.departmentId, ...(event.coHandlerIds ?? [])]
      : event.type === 'request_transfer'
        ? [event.toDepartmentId]
        : [];
  if (departments.length > 0) {
    const found = await repository.findDepartmentIds(trx, regionId, departments);
    const missing = departments.find((id) => !found.has(id));
    if (missing !== undefined) throw invalid(event.type === 'request_transfer' ? 'toDepartmentId' : 'departmentId', `Department ${missing} is not an active department of this city`);
  }
  if (event.type === 'merge') {
    const survivor = event.intoCaseId === record.id ? undefined : await repository.findCase(trx, regionId, event.intoCaseId);
    if (!survivor || CASE_STATES[survivor.snapshot.state].terminal) throw invalid('intoCaseId', `Case ${event.intoCaseId} is not another open case of this city`);
  }
}

/** Case `id` if the actor may do `action` on it: 404 when it does not exist, 403 outside their scope. */
export async function loadInScope(trx: Trx | PlatformDeps['db'], context: RequestContext, actor: Actor, action: 'case.read' | 'case.act', id: number): Promise<{ record: CaseRecord; resource: Resource }> {
  const record = await repository.findCase(trx, context.regionId, id);
  if (!record) throw new AppError('not_found', `Case ${id} does not exist`);
  const resource = caseResource(record, await repository.listRequesterUserIds(trx, context.regionId, id));
  assertAllowed(actor, action, resource);
  return { record, resource };
}

/**
 * The case as its actor sees it right after their own event. In scope, the
 * full view (`getCase`). An event that took the case out of the actor's
 * scope (a handler's return or transfer) still answers with the case they
 * just acted on — timeline included, personal data and photos left out,
 * nothing left for them to do — so their own successful action never reads
 * as a refusal. Anyone else still gets the 403.
 */
export async function getCaseAfterEvent(deps: PlatformDeps, context: RequestContext, id: number, firedVersion: number): Promise<CaseDetail> {
  try {
    return await getCase(deps, context, id);
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'forbidden') throw error;
    const actor = requireActor(context);
    const record = await repository.findCase(deps.db, context.regionId, id);
    if (!record) throw error;
    const timeline = await repository.listCaseEvents(deps.db, context.regionId, id);
    if (!timeline.some((entry) => entry.version === firedVersion && entry.actorUserId === actor.userId)) throw error;
    const messages = await repository.listMessages(deps.db, context.regionId, id);
    return { record, messages: messages.map((message) => ({ ...message, contact: null })), photos: [], timeline, allowed: [], withContact: false, replyScores: null };
  }
}

/**
 * Fires `event` on case `id` for the signed-in actor, if the case is still
 * at `version` (else 409 `version_conflict`). A handler acts only on their
 * department's cases, a coordinator inside their region scope, a citizen on
 * their own (403 otherwise). Illegal events are 409 with the `allowed` ones
 * listed; bad payloads 422.
 */
export async function applyCaseEvent(
  deps: PlatformDeps,
  context: RequestContext,
  id: number,
  input: { version: number; event: CaseEvent },
): Promise<CaseRecord> {
  const actor = requireActor(context);
  assertAllowed(actor, 'case.act');
  return inTransaction(deps.db, async (trx) => {
    const { record } = await loadInScope(trx, context, actor, 'case.act', id);
    if (input.version !== record.snapshot.version) {
      throw new AppError('version_conflict', `Case ${record.number} is at version ${record.snapshot.version}, not ${input.version}; reload and try again`, { currentVersion: record.snapshot.version });
    }
    return fireCaseEvent(trx, deps, context, record, input.event, caseActorOf(actor), authorOf(context, 'anonymous'), deps.clock());
  });
}

/** What became of one case of a bulk action: the case as stored, or the coded refusal. */
export type BulkCaseOutcome =
  | { readonly caseId: number; readonly record: CaseRecord }
  | { readonly caseId: number; readonly error: AppError };

/**
 * Fires one event on many cases (签收 a page of new cases, dispatch a batch
 * from triage, urge the overdue): each case in its own transaction with its
 * own version check and authorization, exactly as `applyCaseEvent` does.
 * Partial success is the norm, never hidden: every case gets an outcome, in
 * the order asked. Cases are taken one after another, so a merge of several
 * cases into one survivor joins them in order.
 */
export async function applyCaseEventToMany(
  deps: PlatformDeps,
  context: RequestContext,
  items: readonly { readonly caseId: number; readonly version: number }[],
  event: CaseEvent,
): Promise<BulkCaseOutcome[]> {
  const actor = requireActor(context);
  assertAllowed(actor, 'case.act');
  const outcomes: BulkCaseOutcome[] = [];
  for (const item of items) {
    try {
      outcomes.push({ caseId: item.caseId, record: await applyCaseEvent(deps, context, item.caseId, { version: item.version, event }) });
    } catch (error) {
      if (!isAppError(error)) {
        // The cases before this one are committed: report the failure in its row rather than lose theirs.
        deps.logger.error({ err: error, caseId: item.caseId }, 'bulk case event failed');
      }
      outcomes.push({ caseId: item.caseId, error: isAppError(error) ? error : new AppError('internal', 'Unexpected error; the case was not changed') });
    }
  }
  return outcomes;
}

/** Filters of the inbox. */
export interface CaseListQuery {
  /** `triage`: the coordinators' queue (coordinators only). */
  readonly queue?: 'triage' | undefined;
  readonly state?: CaseState | undefined;
  readonly categoryPrefix?: string | undefined;
  readonly overdue?: boolean | undefined;
  readonly q?: string | undefined;
}

/**
 * The inbox: a handler sees their department's cases (lead or co-handling),
 * a citizen their own, coordinators, auditors and admins the cases in their
 * region scope; `queue: 'triage'` narrows a coordinator's list to the cases
 * waiting for them. Soonest deadline first.
 */
export function listCases(deps: PlatformDeps, context: RequestContext, query: CaseListQuery, page: { limit: number; offset: number }): Promise<Page<CaseRecord>> {
  const actor = requireActor(context);
  assertAllowed(actor, 'case.read');
  const filter = caseListFilterOf(deps, actor, query);
  return filter ? repository.listCases(deps.db, context.regionId, filter, page) : Promise.resolve({ items: [], total: 0 });
}

/**
 * The repository filter for `query` in `actor`'s scope (the list's and the
 * export's): a handler's department, a citizen's own cases, everyone else
 * their region. Null when the filters exclude every case.
 */
export function caseListFilterOf(deps: PlatformDeps, actor: Actor, query: CaseListQuery): repository.CaseListFilter | null {
  let states: CaseState[] | undefined = query.state ? [query.state] : undefined;
  if (query.queue === 'triage') {
    assertAllowed(actor, 'case.triage');
    states = TRIAGE_STATES.filter((state) => !query.state || state === query.state);
    if (states.length === 0) return null;
  }
  const scope: repository.CaseListScope =
    actor.role === 'handler' && actor.departmentId !== null
      ? { departmentId: actor.departmentId }
      : actor.role === 'citizen'
        ? { requesterUserId: actor.userId }
        : { regionPath: actor.scopePath };
  return {
    scope,
    ...(states ? { states } : {}),
    ...(query.categoryPrefix ? { categoryPrefix: query.categoryPrefix } : {}),
    ...(query.overdue ? { overdueAt: deps.clock() } : {}),
    ...(query.q ? { q: query.q } : {}),
  };
}

/** One case for staff (or its citizen): messages, timeline, the events the reader may fire, and contact only where allowed. */
export interface CaseDetail {
  readonly record: CaseRecord;
  readonly messages: readonly Message[];
  readonly timeline: readonly CaseEventRecord[];
  readonly allowed: readonly CaseEventType[];
  /** Whether `messages` carry the requesters' contact (the lead department's handlers and coordinators in scope). */
  readonly withContact: boolean;
  /** The messages' photos (metadata only); a citizen gets those of their own messages. */
  readonly photos: readonly PhotoMeta[];
  /** The quality scores of the case's replies, for staff who read the case (`reply_quality.read`); null for anyone else. */
  readonly replyScores: readonly StoredReplyScore[] | null;
}

/**
 * A case for a reader in scope (403 otherwise). Requesters' contact is
 * included only for the handling department and coordinators in scope, and
 * each such read is audited as `case.read_personal`.
 */
export async function getCase(deps: PlatformDeps, context: RequestContext, id: number): Promise<CaseDetail> {
  const actor = requireActor(context);
  assertAllowed(actor, 'case.read');
  return inTransaction(deps.db, async (trx) => {
    const { record, resource } = await loadInScope(trx, context, actor, 'case.read', id);
    const now = deps.clock();
    const withContact = isAllowed(actor, 'case.read_personal', resource);
    const messages = await repository.listMessages(trx, context.regionId, id);
    if (withContact && messages.some((message) => message.contact !== null)) {
      await recordAudit(trx, context, { action: 'case.read_personal', resourceType: 'case', resourceId: id, details: { messages: messages.length } }, now);
    }
    const photoMessageIds = messages.filter((message) => actor.role !== 'citizen' || message.requesterUserId === actor.userId).map((message) => message.id);
    return {
      record,
      messages: withContact ? messages : messages.map((message) => ({ ...message, contact: null })),
      photos: await listPhotosOfMessages(trx, context.regionId, photoMessageIds),
      timeline: await repository.listCaseEvents(trx, context.regionId, id),
      allowed: allowedEvents(record.snapshot, caseActorOf(actor), now),
      withContact,
      replyScores: isAllowed(actor, 'reply_quality.read', resource) ? await listCaseReplyScores(trx, context.regionId, id) : null,
    };
  });
}

/**
 * A case as other modules' pages list it (a project's linked cases): its
 * number, its title with phone numbers, ID numbers and names masked as the
 * public tracking view shows it (the page's reader may not be allowed to read
 * the case itself), and its state.
 */
export interface CaseBrief {
  readonly id: number;
  readonly number: string;
  readonly title: string;
  readonly state: CaseState;
}

/** The briefs of cases `ids` of the city, in id order; the caller has checked the reader may see the page that links them. */
export async function caseBriefs(deps: PlatformDeps, regionId: number, ids: readonly number[]): Promise<CaseBrief[]> {
  return (await repository.findCaseBriefs(deps.db, regionId, ids)).map((brief) => ({ ...brief, title: maskText(brief.title) }));
}

/** The id of the city's case numbered `number` (404 `not_found` when there is none); reading the case is checked by `getCase`. */
export async function caseIdOfNumber(deps: PlatformDeps, context: RequestContext, number: string): Promise<number> {
  const id = await repository.findCaseIdByNumber(deps.db, context.regionId, number.trim());
  if (id === undefined) throw new AppError('not_found', `Case ${number} does not exist`);
  return id;
}
