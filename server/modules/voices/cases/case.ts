/**
 * The case lifecycle as an explicit, pure state machine (docs/voices-lifecycle.md).
 *
 * A case is the unit of work a department handles; it gathers one or more
 * citizens' messages, and every requester may rate the reply. `transition`
 * takes a snapshot, an event, the actor and `now`, and returns the next
 * snapshot plus the effects the service must carry out (timeline, deadlines,
 * notifications) — or a coded error listing the events the actor may fire.
 * Nothing here reads the clock, the database or the network, and the only
 * imports are types, so the machine loads in a blink and can be shared.
 */
import type { ErrorCode, Role } from '../../../platform/index.ts';

// ───────────────────────────── states ─────────────────────────────

/** Every state, in the order of the usual path. */
export const CASE_STATE_NAMES = [
  'accepted',
  'dispatched',
  'in_progress',
  'returned',
  'transfer_requested',
  'extension_requested',
  'suspended',
  'replied',
  'verifying',
  'rated',
  'reopened',
  'closed',
  'merged',
  'not_in_scope',
] as const;
export type CaseState = (typeof CASE_STATE_NAMES)[number];

/**
 * What a state means: its labels, whether the case has ended, and what the
 * handling deadline does in it (`running` counts towards overdue, `paused`
 * while suspended, `none` when no department owes an answer).
 */
export interface CaseStateInfo {
  readonly 'zh-CN': string;
  readonly en: string;
  readonly terminal: boolean;
  readonly deadline: 'running' | 'paused' | 'none';
}

/** Labels and properties of every state. */
export const CASE_STATES: Readonly<Record<CaseState, CaseStateInfo>> = {
  accepted: { 'zh-CN': '受理', en: 'Accepted', terminal: false, deadline: 'none' },
  dispatched: { 'zh-CN': '已派单', en: 'Dispatched', terminal: false, deadline: 'running' },
  in_progress: { 'zh-CN': '办理中', en: 'In progress', terminal: false, deadline: 'running' },
  returned: { 'zh-CN': '退回', en: 'Returned', terminal: false, deadline: 'none' },
  transfer_requested: { 'zh-CN': '申请转办', en: 'Transfer requested', terminal: false, deadline: 'running' },
  extension_requested: { 'zh-CN': '申请延期', en: 'Extension requested', terminal: false, deadline: 'running' },
  suspended: { 'zh-CN': '中止', en: 'Suspended', terminal: false, deadline: 'paused' },
  replied: { 'zh-CN': '已答复', en: 'Replied', terminal: false, deadline: 'none' },
  verifying: { 'zh-CN': '回访核实', en: 'Verifying', terminal: false, deadline: 'none' },
  rated: { 'zh-CN': '已评价', en: 'Rated', terminal: false, deadline: 'none' },
  reopened: { 'zh-CN': '重办', en: 'Reopened', terminal: false, deadline: 'running' },
  closed: { 'zh-CN': '办结', en: 'Closed', terminal: true, deadline: 'none' },
  merged: { 'zh-CN': '并案', en: 'Merged', terminal: true, deadline: 'none' },
  not_in_scope: { 'zh-CN': '不予受理', en: 'Not in scope', terminal: true, deadline: 'none' },
};

// ───────────────────────────── events ─────────────────────────────

/**
 * Everything that can happen to a case. Reasons, notes and texts must not be
 * blank; lengths are bounded by the API contracts. `dueAt` on the events that
 * start or move a deadline is optional: without it the service computes the
 * due date from the SLA policy (working days) when it carries out the effect.
 */
export type CaseEvent =
  /** A further message (a near-duplicate, or a merged case's) joins; its author becomes a requester. */
  | { readonly type: 'join'; readonly requesterId: string }
  | {
      readonly type: 'dispatch';
      readonly departmentId: number;
      readonly coHandlerIds?: readonly number[];
      readonly dueAt?: Date;
    }
  /** The assigned department takes the case on (签收). */
  | { readonly type: 'accept_work' }
  /** A handling note; the only thing a co-handling department may add (协办意见). */
  | { readonly type: 'add_note'; readonly text: string }
  | { readonly type: 'reply'; readonly text: string }
  | { readonly type: 'return'; readonly reason: string }
  /**
   * 仲裁: a returned case whose department is disputed; the coordinator rules
   * which department is responsible, with a reason. The ruled department may
   * no longer return the case (it may still ask for a transfer).
   */
  | {
      readonly type: 'arbitrate';
      readonly departmentId: number;
      readonly coHandlerIds?: readonly number[];
      readonly reason: string;
      readonly dueAt?: Date;
    }
  | { readonly type: 'request_transfer'; readonly toDepartmentId: number; readonly reason: string }
  | { readonly type: 'approve_transfer'; readonly dueAt?: Date }
  | { readonly type: 'reject_transfer'; readonly reason: string }
  /** `days` are working days, at most `CasePolicy.maxExtensionDays`. */
  | { readonly type: 'request_extension'; readonly days: number; readonly reason: string }
  | { readonly type: 'approve_extension'; readonly dueAt?: Date }
  | { readonly type: 'reject_extension'; readonly reason: string }
  | { readonly type: 'suspend'; readonly reason: string }
  | { readonly type: 'resume' }
  /** 督办: a coordinator, or the overdue scan as `system`, presses the department. */
  | { readonly type: 'urge'; readonly note: string }
  /** The rater is the actor's `requesterId`; `score` is an integer 1–5. */
  | { readonly type: 'rate'; readonly score: number; readonly comment?: string }
  /** 回访核实 of this round's unsatisfied ratings: confirmed → rework (重办) where a reopen is left. */
  | { readonly type: 'verify_unsatisfied'; readonly confirmed: boolean; readonly note: string; readonly dueAt?: Date }
  | { readonly type: 'close'; readonly note?: string }
  /** 并案: this case ends and points to the survivor; the service checks the survivor exists and is open. */
  | { readonly type: 'merge'; readonly intoCaseId: number; readonly reason?: string }
  | { readonly type: 'reject_as_not_in_scope'; readonly reason: string }
  /**
   * 分类: a coordinator files the case under a taxonomy path (a case in triage,
   * or a correction of the citizen's or the classifier's choice). The state
   * stays; the path is checked against the city's taxonomy by the service,
   * which also keeps it as a label for the classifier's next training.
   */
  | { readonly type: 'categorise'; readonly categoryPath: string; readonly reason?: string };

/** The name of an event: what `allowedEvents` lists and a refusal's `allowed` holds. */
export type CaseEventType = CaseEvent['type'];

/** Every event type, in the order `allowedEvents` lists them. */
export const CASE_EVENT_TYPES = [
  'join',
  'dispatch',
  'accept_work',
  'add_note',
  'reply',
  'return',
  'arbitrate',
  'request_transfer',
  'approve_transfer',
  'reject_transfer',
  'request_extension',
  'approve_extension',
  'reject_extension',
  'suspend',
  'resume',
  'urge',
  'rate',
  'verify_unsatisfied',
  'close',
  'merge',
  'reject_as_not_in_scope',
  'categorise',
] as const satisfies readonly CaseEventType[];

/** Button labels of every event. */
export const CASE_EVENTS: Readonly<Record<CaseEventType, { readonly 'zh-CN': string; readonly en: string }>> = {
  join: { 'zh-CN': '并入诉求', en: 'Join a message' },
  dispatch: { 'zh-CN': '派单', en: 'Dispatch' },
  accept_work: { 'zh-CN': '签收', en: 'Accept' },
  add_note: { 'zh-CN': '填写办理意见', en: 'Add a note' },
  reply: { 'zh-CN': '答复', en: 'Reply' },
  return: { 'zh-CN': '退回', en: 'Return' },
  arbitrate: { 'zh-CN': '仲裁', en: 'Arbitrate' },
  request_transfer: { 'zh-CN': '申请转办', en: 'Request transfer' },
  approve_transfer: { 'zh-CN': '同意转办', en: 'Approve transfer' },
  reject_transfer: { 'zh-CN': '驳回转办', en: 'Reject transfer' },
  request_extension: { 'zh-CN': '申请延期', en: 'Request extension' },
  approve_extension: { 'zh-CN': '同意延期', en: 'Approve extension' },
  reject_extension: { 'zh-CN': '驳回延期', en: 'Reject extension' },
  suspend: { 'zh-CN': '中止', en: 'Suspend' },
  resume: { 'zh-CN': '恢复办理', en: 'Resume' },
  urge: { 'zh-CN': '督办', en: 'Urge' },
  rate: { 'zh-CN': '评价', en: 'Rate' },
  verify_unsatisfied: { 'zh-CN': '回访核实', en: 'Verify dissatisfaction' },
  close: { 'zh-CN': '办结', en: 'Close' },
  merge: { 'zh-CN': '并案', en: 'Merge' },
  reject_as_not_in_scope: { 'zh-CN': '不予受理', en: 'Not in scope' },
  categorise: { 'zh-CN': '分类', en: 'Categorise' },
};

// ───────────────────────────── ratings ─────────────────────────────

export type RatingScore = 1 | 2 | 3 | 4 | 5;

/** The five ratings; a score of 2 or less is unsatisfied and is verified before anything else. */
export const RATINGS: Readonly<Record<RatingScore, { readonly 'zh-CN': string; readonly en: string }>> = {
  5: { 'zh-CN': '非常满意', en: 'Very satisfied' },
  4: { 'zh-CN': '满意', en: 'Satisfied' },
  3: { 'zh-CN': '基本满意', en: 'Fairly satisfied' },
  2: { 'zh-CN': '不满意', en: 'Unsatisfied' },
  1: { 'zh-CN': '非常不满意', en: 'Very unsatisfied' },
};

/** Whether a score counts as unsatisfied (≤ 2). */
export const isUnsatisfied = (score: number): boolean => score <= 2;

/**
 * One requester's rating in one round. `verification` is null for satisfied
 * ratings; unsatisfied ones are `pending` until a coordinator verifies them.
 */
export interface CaseRating {
  readonly requesterId: string;
  readonly round: number;
  readonly score: RatingScore;
  readonly comment: string;
  readonly at: Date;
  readonly verification: 'pending' | 'confirmed' | 'dismissed' | null;
}

// ───────────────────────────── snapshot, actor, policy ─────────────────────────────

/**
 * Everything the machine needs to know about a case. The repository stores
 * it (plus ids, region and messages, which the machine does not need) and
 * refuses a write whose `version` is stale.
 */
export interface CaseSnapshot {
  readonly state: CaseState;
  /** 1 when opened, +1 on every transition. */
  readonly version: number;
  /** Handling round: 1, and +1 on each rework (重办). Ratings are per round. */
  readonly round: number;
  /** Who may rate: `user:<id>` for account holders, `code:<tracking code>` for anonymous citizens (the service's choice). */
  readonly requesterIds: readonly string[];
  /** The lead department; null while no department owns the case (accepted, returned). */
  readonly departmentId: number | null;
  readonly coHandlerIds: readonly number[];
  /** The current handling deadline; null when none runs, or until the service has computed it. */
  readonly dueAt: Date | null;
  /** When the running suspension began. */
  readonly suspendedAt: Date | null;
  readonly pendingTransfer: { readonly toDepartmentId: number; readonly reason: string } | null;
  readonly pendingExtension: { readonly days: number; readonly reason: string } | null;
  /** The latest reply (earlier rounds' replies are in the timeline). */
  readonly reply: { readonly text: string; readonly at: Date; readonly round: number } | null;
  /** After this moment a coordinator (or the system) may close the case even if some requesters have not rated. */
  readonly ratingClosesAt: Date | null;
  readonly ratings: readonly CaseRating[];
  /** Requesters who have used their one reopen. */
  readonly reopenedFor: readonly string[];
  readonly mergedIntoCaseId: number | null;
  /** The department a coordinator ruled responsible (仲裁); it may not return the case. Absent on older snapshots. */
  readonly arbitratedDepartmentId?: number | null;
  readonly notInScopeReason: string | null;
  /** When the case reached a terminal state (closed, merged, not in scope). */
  readonly closedAt: Date | null;
  readonly updatedAt: Date;
}

/** The platform roles, plus `system` for unattended work (dispatch by a routing rule, intake joins, the overdue scan, auto-close). */
export type CaseActorRole = Role | 'system';

/**
 * Who fires an event. The service builds it from the platform actor (or from
 * a verified tracking code, for an anonymous citizen: role `citizen`,
 * `userId` null). Region scope is the service's check; the machine checks
 * role, department and requester identity.
 */
export interface CaseActor {
  readonly role: CaseActorRole;
  readonly userId: number | null;
  readonly departmentId: number | null;
  /** The requester identity a citizen holds in this case, as in `CaseSnapshot.requesterIds`. */
  readonly requesterId?: string | null;
}

/** Tunables of the lifecycle, from configuration. */
export interface CasePolicy {
  /** Calendar days after a reply during which requesters are waited for before a case may be closed unrated. */
  readonly ratingWindowDays: number;
  /** The longest extension a handler may ask for, in working days. */
  readonly maxExtensionDays: number;
}

export const DEFAULT_CASE_POLICY: CasePolicy = Object.freeze({ ratingWindowDays: 7, maxExtensionDays: 15 });

// ───────────────────────────── the table ─────────────────────────────

/**
 * How an actor relates to a case. `assigned_handler`: a handler of the lead
 * department; `co_handler`: a handler of a co-handling department;
 * `requester`: a citizen holding one of the case's requester ids.
 */
export type CaseParty = 'coordinator' | 'assigned_handler' | 'co_handler' | 'requester' | 'system';

/** One row of the table: in state `from`, parties `by` may fire `event`, leading to one of `to`. */
export interface CaseTransitionRule {
  readonly from: CaseState;
  readonly event: CaseEventType;
  readonly by: readonly CaseParty[];
  readonly to: readonly CaseState[];
}

const COORDINATOR = ['coordinator'] as const;
const STAFF_OR_SYSTEM = ['coordinator', 'system'] as const;
const HANDLER = ['assigned_handler'] as const;
const DEPARTMENTS = ['assigned_handler', 'co_handler'] as const;
const REQUESTER = ['requester'] as const;
/** Only unattended work: a historical reply given outside Minxin, recorded by a hotline import. */
const SYSTEM = ['system'] as const;

const rule = (
  from: CaseState,
  event: CaseEventType,
  by: readonly CaseParty[],
  ...to: CaseState[]
): CaseTransitionRule => ({
  from,
  event,
  by,
  to: to.length > 0 ? to : [from],
});

/** The whole lifecycle: who may fire which event in which state. Nothing else is allowed. */
export const CASE_TRANSITIONS: readonly CaseTransitionRule[] = [
  rule('accepted', 'join', STAFF_OR_SYSTEM),
  rule('accepted', 'categorise', COORDINATOR),
  // The intake dispatches as `system` when a routing rule matches; everything else waits for a coordinator.
  rule('accepted', 'dispatch', STAFF_OR_SYSTEM, 'dispatched'),
  rule('accepted', 'merge', COORDINATOR, 'merged'),
  rule('accepted', 'reject_as_not_in_scope', COORDINATOR, 'not_in_scope'),
  // A hotline import records the reply a department gave before Minxin (with or without a known department).
  rule('accepted', 'reply', SYSTEM, 'replied'),

  rule('dispatched', 'join', STAFF_OR_SYSTEM),
  rule('dispatched', 'categorise', COORDINATOR),
  rule('dispatched', 'accept_work', HANDLER, 'in_progress'),
  rule('dispatched', 'add_note', DEPARTMENTS),
  rule('dispatched', 'return', HANDLER, 'returned'),
  rule('dispatched', 'request_transfer', HANDLER, 'transfer_requested'),
  rule('dispatched', 'urge', STAFF_OR_SYSTEM),
  rule('dispatched', 'merge', COORDINATOR, 'merged'),
  rule('dispatched', 'reply', SYSTEM, 'replied'),

  rule('in_progress', 'join', STAFF_OR_SYSTEM),
  rule('in_progress', 'categorise', COORDINATOR),
  rule('in_progress', 'add_note', DEPARTMENTS),
  rule('in_progress', 'reply', HANDLER, 'replied'),
  rule('in_progress', 'return', HANDLER, 'returned'),
  rule('in_progress', 'request_transfer', HANDLER, 'transfer_requested'),
  rule('in_progress', 'request_extension', HANDLER, 'extension_requested'),
  rule('in_progress', 'suspend', HANDLER, 'suspended'),
  rule('in_progress', 'urge', STAFF_OR_SYSTEM),
  rule('in_progress', 'merge', COORDINATOR, 'merged'),

  rule('returned', 'join', STAFF_OR_SYSTEM),
  rule('returned', 'categorise', COORDINATOR),
  rule('returned', 'dispatch', COORDINATOR, 'dispatched'),
  rule('returned', 'arbitrate', COORDINATOR, 'dispatched'),
  rule('returned', 'merge', COORDINATOR, 'merged'),
  rule('returned', 'reject_as_not_in_scope', COORDINATOR, 'not_in_scope'),

  rule('transfer_requested', 'join', STAFF_OR_SYSTEM),
  rule('transfer_requested', 'categorise', COORDINATOR),
  rule('transfer_requested', 'add_note', DEPARTMENTS),
  rule('transfer_requested', 'approve_transfer', COORDINATOR, 'dispatched'),
  rule('transfer_requested', 'reject_transfer', COORDINATOR, 'in_progress'),
  rule('transfer_requested', 'urge', STAFF_OR_SYSTEM),

  rule('extension_requested', 'join', STAFF_OR_SYSTEM),
  rule('extension_requested', 'categorise', COORDINATOR),
  rule('extension_requested', 'add_note', DEPARTMENTS),
  rule('extension_requested', 'approve_extension', COORDINATOR, 'in_progress'),
  rule('extension_requested', 'reject_extension', COORDINATOR, 'in_progress'),
  rule('extension_requested', 'urge', STAFF_OR_SYSTEM),

  rule('suspended', 'join', STAFF_OR_SYSTEM),
  rule('suspended', 'categorise', COORDINATOR),
  rule('suspended', 'add_note', DEPARTMENTS),
  rule('suspended', 'resume', HANDLER, 'in_progress'),
  rule('suspended', 'merge', COORDINATOR, 'merged'),

  rule('replied', 'rate', REQUESTER, 'replied', 'verifying', 'rated'),
  rule('replied', 'close', STAFF_OR_SYSTEM, 'closed'),

  rule('verifying', 'rate', REQUESTER),
  rule('verifying', 'verify_unsatisfied', COORDINATOR, 'reopened', 'replied', 'closed'),

  rule('rated', 'close', STAFF_OR_SYSTEM, 'closed'),

  rule('reopened', 'join', STAFF_OR_SYSTEM),
  rule('reopened', 'categorise', COORDINATOR),
  rule('reopened', 'accept_work', HANDLER, 'in_progress'),
  rule('reopened', 'add_note', DEPARTMENTS),
  rule('reopened', 'urge', STAFF_OR_SYSTEM),
];

/**
 * Conditions beyond the table, which the snapshot (and, for the rating
 * window, `now`) decide. A failed guard is an `illegal_transition`: the
 * event is right for the state, but not yet or no longer.
 */
type Guard = (snapshot: CaseSnapshot, actor: CaseActor, now: Date | undefined) => string | null;

const notRatedYet: Guard = (snapshot, actor) =>
  actor.requesterId && hasRated(snapshot, actor.requesterId)
    ? `You have already rated round ${snapshot.round} of this case`
    : null;

const notArbitrated: Guard = (snapshot) =>
  snapshot.arbitratedDepartmentId !== undefined && snapshot.arbitratedDepartmentId !== null && snapshot.arbitratedDepartmentId === snapshot.departmentId
    ? 'A coordinator ruled this department responsible (arbitration): the case cannot be returned, only a transfer requested'
    : null;

const GUARDS: Partial<Record<`${CaseState}:${CaseEventType}`, Guard>> = {
  'dispatched:return': notArbitrated,
  'in_progress:return': notArbitrated,
  'replied:rate': notRatedYet,
  'verifying:rate': notRatedYet,
  'replied:close': (snapshot, _actor, now) =>
    ratingsComplete(snapshot) || ratingWindowOver(snapshot, now)
      ? null
      : 'Requesters may still rate: the case can be closed when all have rated or the rating window has ended',
};

const RULES = new Map(CASE_TRANSITIONS.map((entry) => [`${entry.from}:${entry.event}`, entry]));
const ruleOf = (state: CaseState, event: CaseEventType): CaseTransitionRule | undefined =>
  RULES.get(`${state}:${event}`);

/** The parties the actor is for this case (a handler of a co-handling department is `co_handler`, not `assigned_handler`). */
export function partiesOf(snapshot: CaseSnapshot, actor: CaseActor): CaseParty[] {
  const parties: CaseParty[] = [];
  if (actor.role === 'coordinator') parties.push('coordinator');
  if (actor.role === 'system') parties.push('system');
  if (actor.role === 'handler' && actor.departmentId !== null) {
    if (actor.departmentId === snapshot.departmentId) parties.push('assigned_handler');
    else if (snapshot.coHandlerIds.includes(actor.departmentId)) parties.push('co_handler');
  }
  if (actor.role === 'citizen' && actor.requesterId && snapshot.requesterIds.includes(actor.requesterId)) {
    parties.push('requester');
  }
  return parties;
}

const mayFire = (entry: CaseTransitionRule, parties: readonly CaseParty[]): boolean =>
  entry.by.some((party) => parties.includes(party));

/**
 * The events `actor` may fire now, in `CASE_EVENT_TYPES` order: the buttons
 * a UI shows. Without `now`, the rating-window guard counts as not yet passed.
 */
export function allowedEvents(snapshot: CaseSnapshot, actor: CaseActor, now?: Date): CaseEventType[] {
  const parties = partiesOf(snapshot, actor);
  return CASE_EVENT_TYPES.filter((event) => {
    const entry = ruleOf(snapshot.state, event);
    if (!entry || !mayFire(entry, parties)) return false;
    return (GUARDS[`${snapshot.state}:${event}`]?.(snapshot, actor, now) ?? null) === null;
  });
}

/** Whether every requester has rated the current round (true for a case without requesters). */
export function ratingsComplete(snapshot: CaseSnapshot): boolean {
  return snapshot.requesterIds.every((requesterId) => hasRated(snapshot, requesterId));
}

/** Requesters who have not rated the current round yet (for reminders). */
export function unratedRequesters(snapshot: CaseSnapshot): string[] {
  return snapshot.requesterIds.filter((requesterId) => !hasRated(snapshot, requesterId));
}

function hasRated(snapshot: CaseSnapshot, requesterId: string): boolean {
  return snapshot.ratings.some((rating) => rating.round === snapshot.round && rating.requesterId === requesterId);
}

function ratingWindowOver(snapshot: CaseSnapshot, now: Date | undefined): boolean {
  return now !== undefined && snapshot.ratingClosesAt !== null && now.getTime() >= snapshot.ratingClosesAt.getTime();
}

// ───────────────────────────── results ─────────────────────────────

/** Who did it, as the timeline records it. */
export interface CaseActorRef {
  readonly role: CaseActorRole;
  readonly userId: number | null;
  readonly departmentId: number | null;
  readonly requesterId: string | null;
}

/** The first entry of every case's timeline. */
export interface OpenCaseEvent {
  readonly type: 'open';
  readonly requesterIds: readonly string[];
}

/** One line of the case history: who did what, when, why, and what it led to. */
export interface CaseTimelineEntry {
  /** The version the transition produced. */
  readonly version: number;
  readonly round: number;
  readonly at: Date;
  readonly from: CaseState | null;
  readonly to: CaseState;
  readonly actor: CaseActorRef;
  readonly event: CaseEvent | OpenCaseEvent;
  /** The event's reason, note or comment, if it has one (trimmed). */
  readonly reason: string | null;
}

/** Plain data telling the service what to do after storing the next snapshot. */
export type CaseEffect =
  /** Always the first effect, exactly once. */
  | { readonly type: 'record_timeline'; readonly entry: CaseTimelineEntry }
  | { readonly type: 'notify_requesters'; readonly requesterIds: readonly string[]; readonly event: CaseEventType }
  | { readonly type: 'notify_department'; readonly departmentIds: readonly number[]; readonly event: CaseEventType }
  | { readonly type: 'notify_coordinators'; readonly event: CaseEventType }
  /** Start (or restart, replacing any running one) the deadline; compute `dueAt` from the SLA policy when null. */
  | {
      readonly type: 'start_deadline';
      readonly limit: 'handling' | 'rework';
      readonly departmentId: number;
      readonly dueAt: Date | null;
    }
  | { readonly type: 'pause_deadline' }
  /** The deadline moves by the working time suspended since `pausedAt`. */
  | { readonly type: 'resume_deadline'; readonly pausedAt: Date }
  | { readonly type: 'extend_deadline'; readonly workingDays: number; readonly dueAt: Date | null }
  /** No department owes an answer any more; `dueAt` was the deadline (to record met or missed). */
  | { readonly type: 'stop_deadline'; readonly dueAt: Date | null }
  /** 督办: tell the department head and the coordinators. */
  | { readonly type: 'escalate'; readonly departmentId: number; readonly dueAt: Date | null; readonly note: string }
  /** Join these requesters into the surviving case (fire `join` on it). */
  | { readonly type: 'join_case'; readonly intoCaseId: number; readonly requesterIds: readonly string[] };

export type CaseErrorCode = 'illegal_transition' | 'forbidden' | 'invalid';

/**
 * Why an event was refused. `illegal_transition`: not in this state (or not
 * now, e.g. a second rating in a round); `forbidden`: right state, but not
 * this actor; `invalid`: the payload (`field` names the culprit). `allowed`
 * is always `allowedEvents(current, actor, now)`.
 */
export interface CaseTransitionError {
  readonly code: CaseErrorCode;
  readonly message: string;
  readonly state: CaseState;
  readonly event: string;
  readonly allowed: CaseEventType[];
  readonly field?: string;
}

/** Success (`next`, `effects`) or refusal (`error`); tell them apart with `'error' in result`. */
export type CaseTransitionResult =
  { readonly next: CaseSnapshot; readonly effects: CaseEffect[] } | { readonly error: CaseTransitionError };

/** The platform error code each refusal becomes: 409, 403 and 422 over HTTP. */
export const APP_ERROR_CODE_OF: Readonly<Record<CaseErrorCode, ErrorCode>> = {
  illegal_transition: 'conflict',
  forbidden: 'forbidden',
  invalid: 'validation_failed',
};

/**
 * Arguments for `new AppError(...)`, so the service can write
 * `throw new AppError(...toAppErrorArgs(result.error))`.
 */
export function toAppErrorArgs(error: CaseTransitionError): [ErrorCode, string, Record<string, unknown>] {
  const details: Record<string, unknown> = {
    reason: error.code,
    state: error.state,
    event: error.event,
    allowed: error.allowed,
  };
  if (error.field !== undefined) details.errors = [{ path: error.field, message: error.message }];
  return [APP_ERROR_CODE_OF[error.code], error.message, details];
}

// ───────────────────────────── opening a case ─────────────────────────────

/**
 * A new case in `accepted`, version 1, with its first timeline entry.
 * Refused (`invalid`) only when a requester id is blank.
 */
/** The timeline entry a transition produced: every successful result carries exactly one. */
export function timelineEntryOf(effects: readonly CaseEffect[]): CaseTimelineEntry {
  return effects.find((effect): effect is Extract<CaseEffect, { type: 'record_timeline' }> => effect.type === 'record_timeline')!.entry;
}

export function openCase(
  input: { readonly requesterIds: readonly string[] },
  actor: CaseActor,
  now: Date,
): CaseTransitionResult {
  const requesterIds = [...new Set(input.requesterIds)];
  if (requesterIds.some((id) => typeof id !== 'string' || id.trim() === '')) {
    return {
      error: {
        code: 'invalid',
        message: 'A requester id must not be blank',
        state: 'accepted',
        event: 'open',
        allowed: [],
        field: 'requesterIds',
      },
    };
  }
  const next: CaseSnapshot = {
    state: 'accepted',
    version: 1,
    round: 1,
    requesterIds,
    departmentId: null,
    coHandlerIds: [],
    dueAt: null,
    suspendedAt: null,
    pendingTransfer: null,
    pendingExtension: null,
    reply: null,
    ratingClosesAt: null,
    ratings: [],
    reopenedFor: [],
    mergedIntoCaseId: null,
    notInScopeReason: null,
    closedAt: null,
    updatedAt: now,
  };
  const entry: CaseTimelineEntry = {
    version: 1,
    round: 1,
    at: now,
    from: null,
    to: 'accepted',
    actor: refOf(actor),
    event: { type: 'open', requesterIds },
    reason: null,
  };
  return { next, effects: [{ type: 'record_timeline', entry }] };
}

// ───────────────────────────── the transition ─────────────────────────────

/**
 * Applies `event` to `current` on behalf of `actor` at `now`.
 *
 * Checks, in order: the state (`illegal_transition`), the actor's part in the
 * case (`forbidden`), the guards (`illegal_transition`), the payload
 * (`invalid`). On success the next snapshot has `version + 1` and the effects
 * start with one `record_timeline`. Pure: the same inputs give the same output.
 *
 * @example
 * const result = transition(snapshot, { type: 'reply', text: '已修复路灯' }, handler, now);
 * if ('error' in result) throw new AppError(...toAppErrorArgs(result.error));
 * await repository.save(result.next, snapshot.version); // refuses a stale version
 */
export function transition(
  current: CaseSnapshot,
  event: CaseEvent,
  actor: CaseActor,
  now: Date,
  policy: CasePolicy = DEFAULT_CASE_POLICY,
): CaseTransitionResult {
  const refuse = (code: CaseErrorCode, message: string, field?: string): CaseTransitionResult => ({
    error: {
      code,
      message,
      state: current.state,
      event: String(event.type),
      allowed: allowedEvents(current, actor, now),
      ...(field === undefined ? {} : { field }),
    },
  });

  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new TypeError('transition needs a valid `now`');
  if (!(CASE_EVENT_TYPES as readonly string[]).includes(event.type)) {
    return refuse('invalid', `Unknown event ${JSON.stringify(event.type)}`, 'type');
  }
  const entry = ruleOf(current.state, event.type);
  if (!entry) return refuse('illegal_transition', `A case that is ${current.state} cannot take ${event.type}`);
  if (!mayFire(entry, partiesOf(current, actor))) {
    return refuse('forbidden', `Only ${entry.by.join(' or ')} may ${event.type} a case that is ${current.state}`);
  }
  const blocked = GUARDS[`${current.state}:${event.type}`]?.(current, actor, now);
  if (blocked) return refuse('illegal_transition', blocked);
  const problem = validate(current, event, now, policy);
  if (problem) return refuse('invalid', problem.message, problem.field);

  const step = apply(current, event, actor, now, policy);
  if (!entry.to.includes(step.to)) {
    throw new Error(`case.ts bug: ${current.state} --${event.type}--> ${step.to} is not in CASE_TRANSITIONS`);
  }

  const effects: CaseEffect[] = [];
  let next: CaseSnapshot = { ...current, ...step.patch, state: step.to, version: current.version + 1, updatedAt: now };
  if (CASE_STATES[current.state].deadline !== 'none' && CASE_STATES[step.to].deadline === 'none') {
    effects.push({ type: 'stop_deadline', dueAt: current.dueAt });
    next = { ...next, dueAt: null, suspendedAt: null };
  }
  if (CASE_STATES[step.to].terminal) next = { ...next, closedAt: now };

  const timeline: CaseTimelineEntry = {
    version: next.version,
    round: current.round,
    at: now,
    from: current.state,
    to: step.to,
    actor: refOf(actor),
    event: trimmed(event),
    reason: reasonOf(event),
  };
  return { next, effects: [{ type: 'record_timeline', entry: timeline }, ...effects, ...step.effects] };
}

interface Step {
  readonly to: CaseState;
  readonly patch: Partial<CaseSnapshot>;
  readonly effects: CaseEffect[];
}

function apply(current: CaseSnapshot, event: CaseEvent, actor: CaseActor, now: Date, policy: CasePolicy): Step {
  const stay = current.state;
  const everyone = (type: CaseEventType): CaseEffect[] =>
    current.requesterIds.length > 0
      ? [{ type: 'notify_requesters', requesterIds: current.requesterIds, event: type }]
      : [];
  const departments = (type: CaseEventType, ids: readonly number[]): CaseEffect[] =>
    ids.length > 0 ? [{ type: 'notify_department', departmentIds: ids, event: type }] : [];
  const handlingDepartments = (): number[] => [lead(current), ...current.coHandlerIds];

  switch (event.type) {
    case 'join': {
      const requesterId = event.requesterId.trim();
      if (current.requesterIds.includes(requesterId)) return { to: stay, patch: {}, effects: [] };
      return {
        to: stay,
        patch: { requesterIds: [...current.requesterIds, requesterId] },
        effects: [{ type: 'notify_requesters', requesterIds: [requesterId], event: 'join' }],
      };
    }
    case 'dispatch': {
      const coHandlerIds = [...new Set(event.coHandlerIds ?? [])];
      const dueAt = event.dueAt ?? null;
      return {
        to: 'dispatched',
        patch: { departmentId: event.departmentId, coHandlerIds, dueAt, suspendedAt: null },
        effects: [
          { type: 'start_deadline', limit: 'handling', departmentId: event.departmentId, dueAt },
          ...departments('dispatch', [event.departmentId, ...coHandlerIds]),
          ...everyone('dispatch'),
        ],
      };
    }
    case 'arbitrate': {
      const coHandlerIds = [...new Set(event.coHandlerIds ?? [])];
      const dueAt = event.dueAt ?? null;
      return {
        to: 'dispatched',
        patch: { departmentId: event.departmentId, coHandlerIds, dueAt, suspendedAt: null, arbitratedDepartmentId: event.departmentId },
        effects: [
          { type: 'start_deadline', limit: 'handling', departmentId: event.departmentId, dueAt },
          ...departments('arbitrate', [event.departmentId, ...coHandlerIds]),
          ...everyone('dispatch'),
        ],
      };
    }
    case 'accept_work':
      return { to: 'in_progress', patch: {}, effects: [] };
    case 'add_note':
      // A co-handler's note is for the lead department; the lead's own note needs no message.
      return {
        to: stay,
        patch: {},
        effects: actor.departmentId === current.departmentId ? [] : departments('add_note', [lead(current)]),
      };
    case 'reply':
      return {
        to: 'replied',
        patch: {
          reply: { text: event.text.trim(), at: now, round: current.round },
          ratingClosesAt: new Date(now.getTime() + policy.ratingWindowDays * DAY_MS),
        },
        effects: everyone('reply'),
      };
    case 'return':
      return {
        to: 'returned',
        patch: { departmentId: null, coHandlerIds: [] },
        effects: [{ type: 'notify_coordinators', event: 'return' }],
      };
    case 'request_transfer':
      return {
        to: 'transfer_requested',
        patch: { pendingTransfer: { toDepartmentId: event.toDepartmentId, reason: event.reason.trim() } },
        effects: [{ type: 'notify_coordinators', event: 'request_transfer' }],
      };
    case 'approve_transfer': {
      const transfer = pending(current.pendingTransfer, 'transfer');
      const coHandlerIds = current.coHandlerIds.filter((id) => id !== transfer.toDepartmentId);
      const dueAt = event.dueAt ?? null;
      return {
        to: 'dispatched',
        patch: { departmentId: transfer.toDepartmentId, coHandlerIds, pendingTransfer: null, dueAt },
        effects: [
          { type: 'start_deadline', limit: 'handling', departmentId: transfer.toDepartmentId, dueAt },
          ...departments('approve_transfer', [lead(current)]),
          ...departments('dispatch', [transfer.toDepartmentId, ...coHandlerIds]),
        ],
      };
    }
    case 'reject_transfer':
      return {
        to: 'in_progress',
        patch: { pendingTransfer: null },
        effects: departments('reject_transfer', [lead(current)]),
      };
    case 'request_extension':
      return {
        to: 'extension_requested',
        patch: { pendingExtension: { days: event.days, reason: event.reason.trim() } },
        effects: [{ type: 'notify_coordinators', event: 'request_extension' }],
      };
    case 'approve_extension': {
      const extension = pending(current.pendingExtension, 'extension');
      const dueAt = event.dueAt ?? null;
      return {
        to: 'in_progress',
        patch: { pendingExtension: null, ...(dueAt === null ? {} : { dueAt }) },
        effects: [
          { type: 'extend_deadline', workingDays: extension.days, dueAt },
          ...departments('approve_extension', [lead(current)]),
        ],
      };
    }
    case 'reject_extension':
      return {
        to: 'in_progress',
        patch: { pendingExtension: null },
        effects: departments('reject_extension', [lead(current)]),
      };
    case 'suspend':
      return {
        to: 'suspended',
        patch: { suspendedAt: now },
        effects: [{ type: 'pause_deadline' }, ...everyone('suspend')],
      };
    case 'resume':
      return {
        to: 'in_progress',
        patch: { suspendedAt: null },
        effects: [{ type: 'resume_deadline', pausedAt: current.suspendedAt ?? now }, ...everyone('resume')],
      };
    case 'urge':
      return {
        to: stay,
        patch: {},
        effects: [
          { type: 'escalate', departmentId: lead(current), dueAt: current.dueAt, note: event.note.trim() },
          ...departments('urge', [lead(current)]),
        ],
      };
    case 'rate':
      return rate(current, event, actor, now);
    case 'verify_unsatisfied':
      return verify(current, event, now);
    case 'close':
      return {
        to: 'closed',
        patch: {},
        effects: [
          ...everyone('close'),
          ...departments('close', current.departmentId === null ? [] : [current.departmentId]),
        ],
      };
    case 'categorise':
      return { to: stay, patch: {}, effects: [] };
    case 'merge':
      return {
        to: 'merged',
        patch: { mergedIntoCaseId: event.intoCaseId },
        effects: [
          ...(current.requesterIds.length > 0
            ? [{ type: 'join_case', intoCaseId: event.intoCaseId, requesterIds: current.requesterIds } as const]
            : []),
          ...everyone('merge'),
          ...departments('merge', current.departmentId === null ? [] : handlingDepartments()),
        ],
      };
    case 'reject_as_not_in_scope':
      return {
        to: 'not_in_scope',
        patch: { notInScopeReason: event.reason.trim() },
        effects: everyone('reject_as_not_in_scope'),
      };
  }
}

function rate(current: CaseSnapshot, event: Extract<CaseEvent, { type: 'rate' }>, actor: CaseActor, now: Date): Step {
  const unsatisfied = isUnsatisfied(event.score);
  const rating: CaseRating = {
    requesterId: requesterOf(actor),
    round: current.round,
    score: event.score as RatingScore,
    comment: (event.comment ?? '').trim(),
    at: now,
    verification: unsatisfied ? 'pending' : null,
  };
  const next = { ...current, ratings: [...current.ratings, rating] };
  const department = current.departmentId === null ? [] : [current.departmentId];
  const effects: CaseEffect[] =
    department.length > 0 ? [{ type: 'notify_department', departmentIds: department, event: 'rate' }] : [];
  let to: CaseState = current.state;
  if (current.state === 'replied') {
    if (unsatisfied) to = 'verifying';
    else if (ratingsComplete(next)) to = 'rated';
  }
  if (unsatisfied) effects.push({ type: 'notify_coordinators', event: 'rate' });
  return { to, patch: { ratings: next.ratings }, effects };
}

function verify(current: CaseSnapshot, event: Extract<CaseEvent, { type: 'verify_unsatisfied' }>, now: Date): Step {
  const isPending = (rating: CaseRating): boolean =>
    rating.round === current.round && rating.verification === 'pending';
  const outcome: CaseRating['verification'] = event.confirmed ? 'confirmed' : 'dismissed';
  const ratings = current.ratings.map((rating) => (isPending(rating) ? { ...rating, verification: outcome } : rating));
  const eligible = event.confirmed
    ? [...new Set(current.ratings.filter(isPending).map((rating) => rating.requesterId))].filter(
        (requesterId) => !current.reopenedFor.includes(requesterId),
      )
    : [];

  if (eligible.length > 0) {
    const department = lead(current);
    const dueAt = event.dueAt ?? null;
    return {
      to: 'reopened',
      patch: {
        ratings,
        round: current.round + 1,
        reopenedFor: [...current.reopenedFor, ...eligible],
        dueAt,
        ratingClosesAt: null,
      },
      effects: [
        { type: 'start_deadline', limit: 'rework', departmentId: department, dueAt },
        {
          type: 'notify_department',
          departmentIds: [department, ...current.coHandlerIds],
          event: 'verify_unsatisfied',
        },
        { type: 'notify_requesters', requesterIds: current.requesterIds, event: 'verify_unsatisfied' },
      ],
    };
  }
  // Dismissed, or confirmed with every unsatisfied requester's reopen used: the ratings stand.
  const next = { ...current, ratings };
  if (ratingsComplete(next) || ratingWindowOver(next, now)) {
    return {
      to: 'closed',
      patch: { ratings },
      effects: [
        { type: 'notify_requesters', requesterIds: current.requesterIds, event: 'close' },
        ...(current.departmentId === null
          ? []
          : [{ type: 'notify_department', departmentIds: [current.departmentId], event: 'close' } as const]),
      ],
    };
  }
  return { to: 'replied', patch: { ratings }, effects: [] };
}

// ───────────────────────────── payload checks ─────────────────────────────

interface Problem {
  readonly field: string;
  readonly message: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

const blank = (value: unknown): boolean => typeof value !== 'string' || value.trim() === '';
const isId = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) > 0;
const isDate = (value: unknown): value is Date => value instanceof Date && !Number.isNaN(value.getTime());

function text(field: string, value: unknown): Problem | null {
  return blank(value) ? { field, message: `${field} must not be blank` } : null;
}

function futureDate(field: string, value: Date | undefined, now: Date): Problem | null {
  if (value === undefined) return null;
  if (!isDate(value)) return { field, message: `${field} must be a valid date` };
  return value.getTime() > now.getTime() ? null : { field, message: `${field} must be in the future` };
}

function validate(current: CaseSnapshot, event: CaseEvent, now: Date, policy: CasePolicy): Problem | null {
  switch (event.type) {
    case 'join':
      return text('requesterId', event.requesterId);
    case 'dispatch':
    case 'arbitrate': {
      if (event.type === 'arbitrate' && blank(event.reason)) return { field: 'reason', message: 'reason must not be blank' };
      if (!isId(event.departmentId))
        return { field: 'departmentId', message: 'departmentId must be a positive integer' };
      const coHandlerIds = event.coHandlerIds ?? [];
      if (!Array.isArray(coHandlerIds) || !coHandlerIds.every(isId)) {
        return { field: 'coHandlerIds', message: 'coHandlerIds must be positive integers' };
      }
      if (coHandlerIds.includes(event.departmentId)) {
        return { field: 'coHandlerIds', message: 'The lead department cannot also be a co-handler' };
      }
      return futureDate('dueAt', event.dueAt, now);
    }
    case 'add_note':
    case 'reply':
      return text('text', event.text);
    case 'return':
    case 'reject_transfer':
    case 'reject_extension':
    case 'suspend':
    case 'reject_as_not_in_scope':
      return text('reason', event.reason);
    case 'request_transfer':
      if (!isId(event.toDepartmentId))
        return { field: 'toDepartmentId', message: 'toDepartmentId must be a positive integer' };
      if (event.toDepartmentId === current.departmentId) {
        return { field: 'toDepartmentId', message: 'The case is already with that department' };
      }
      return text('reason', event.reason);
    case 'request_extension':
      if (!Number.isInteger(event.days) || event.days < 1 || event.days > policy.maxExtensionDays) {
        return { field: 'days', message: `days must be a whole number from 1 to ${policy.maxExtensionDays}` };
      }
      return text('reason', event.reason);
    case 'approve_transfer':
    case 'approve_extension':
      return futureDate('dueAt', event.dueAt, now);
    case 'urge':
      return text('note', event.note);
    case 'rate':
      if (!Number.isInteger(event.score) || event.score < 1 || event.score > 5) {
        return { field: 'score', message: 'score must be a whole number from 1 to 5' };
      }
      return event.comment === undefined || typeof event.comment === 'string'
        ? null
        : { field: 'comment', message: 'comment must be text' };
    case 'verify_unsatisfied':
      if (typeof event.confirmed !== 'boolean')
        return { field: 'confirmed', message: 'confirmed must be true or false' };
      return text('note', event.note) ?? futureDate('dueAt', event.dueAt, now);
    case 'close':
      return event.note === undefined || typeof event.note === 'string'
        ? null
        : { field: 'note', message: 'note must be text' };
    case 'merge':
      if (!isId(event.intoCaseId)) return { field: 'intoCaseId', message: 'intoCaseId must be a positive integer' };
      return event.reason === undefined || typeof event.reason === 'string'
        ? null
        : { field: 'reason', message: 'reason must be text' };
    case 'categorise': {
      const path = typeof event.categoryPath === 'string' ? event.categoryPath.trim() : '';
      if (path === '' || path.length > 320) return { field: 'categoryPath', message: 'categoryPath must be a taxonomy path such as 城乡建设/住房管理' };
      return event.reason === undefined || typeof event.reason === 'string'
        ? null
        : { field: 'reason', message: 'reason must be text' };
    }
    case 'accept_work':
    case 'resume':
      return null;
  }
}

// ───────────────────────────── helpers ─────────────────────────────

function refOf(actor: CaseActor): CaseActorRef {
  return {
    role: actor.role,
    userId: actor.userId,
    departmentId: actor.departmentId,
    requesterId: actor.role === 'citizen' ? (actor.requesterId ?? null) : null,
  };
}

function reasonOf(event: CaseEvent): string | null {
  const value =
    'reason' in event ? event.reason : 'note' in event ? event.note : 'comment' in event ? event.comment : undefined;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** The event as the timeline keeps it: its texts trimmed, nothing else changed. */
function trimmed(event: CaseEvent): CaseEvent {
  const copy: Record<string, unknown> = { ...event };
  for (const key of ['text', 'reason', 'note', 'comment', 'requesterId']) {
    const value = copy[key];
    if (typeof value === 'string') copy[key] = value.trim();
  }
  return copy as unknown as CaseEvent;
}

function lead(snapshot: CaseSnapshot): number {
  if (snapshot.departmentId === null) throw new Error(`case.ts bug: no department in state ${snapshot.state}`);
  return snapshot.departmentId;
}

function pending<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`case.ts bug: no pending ${what}`);
  return value;
}

function requesterOf(actor: CaseActor): string {
  if (!actor.requesterId) throw new Error('case.ts bug: a rating without a requester');
  return actor.requesterId;
}

// Fails to compile when an event type is missing from CASE_EVENT_TYPES.
const _everyEventListed: [Exclude<CaseEventType, (typeof CASE_EVENT_TYPES)[number]>] extends [never] ? true : false =
  true;
