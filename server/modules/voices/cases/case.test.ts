import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  CASE_EVENT_TYPES,
  CASE_EVENTS,
  CASE_STATES,
  CASE_STATE_NAMES,
  CASE_TRANSITIONS,
  DEFAULT_CASE_POLICY,
  RATINGS,
  allowedEvents,
  isUnsatisfied,
  openCase,
  partiesOf,
  ratingsComplete,
  toAppErrorArgs,
  transition,
  unratedRequesters,
  type CaseActor,
  type CaseEffect,
  type CaseEvent,
  type CaseEventType,
  type CaseSnapshot,
  type CaseState,
  type CaseTimelineEntry,
  type CaseTransitionError,
  type CaseTransitionResult,
} from './case.ts';

/**
 * The case lifecycle, transition by transition. Department 10 leads, 11
 * co-handles, 12 is another department; citizen A holds `user:100`,
 * citizen B (anonymous) `code:MX-7K3D-9QH2-W`.
 */

const T0 = new Date('2025-03-03T01:00:00Z');
const hours = (n: number): Date => new Date(T0.getTime() + n * 3_600_000);
const DAY = 24;

const A = 'user:100';
const B = 'code:MX-7K3D-9QH2-W';

const ACTORS = {
  coordinator: { role: 'coordinator', userId: 1, departmentId: null },
  system: { role: 'system', userId: null, departmentId: null },
  lead: { role: 'handler', userId: 2, departmentId: 10 },
  co: { role: 'handler', userId: 3, departmentId: 11 },
  otherHandler: { role: 'handler', userId: 4, departmentId: 12 },
  handlerWithoutDepartment: { role: 'handler', userId: 5, departmentId: null },
  requesterA: { role: 'citizen', userId: 100, departmentId: null, requesterId: A },
  requesterB: { role: 'citizen', userId: null, departmentId: null, requesterId: B },
  outsider: { role: 'citizen', userId: 999, departmentId: null, requesterId: 'user:999' },
  admin: { role: 'admin', userId: 6, departmentId: null },
  auditor: { role: 'auditor', userId: 7, departmentId: null },
  cadre: { role: 'cadre', userId: 8, departmentId: 10 },
} as const satisfies Record<string, CaseActor>;
type ActorName = keyof typeof ACTORS;
const ACTOR_NAMES = Object.keys(ACTORS) as ActorName[];
const { coordinator, system, lead, co, otherHandler, requesterA, requesterB, outsider } = ACTORS;

/** Freezes a snapshot all the way down, so a transition that mutated its input would throw. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function ok(result: CaseTransitionResult): { next: CaseSnapshot; effects: CaseEffect[] } {
  if ('error' in result) assert.fail(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result;
}

function refused(result: CaseTransitionResult): CaseTransitionError {
  if (!('error' in result)) assert.fail(`expected a refusal, got ${result.next.state}`);
  return result.error;
}

/** Fires one event and checks the invariants every transition keeps. */
function fire(current: CaseSnapshot, event: CaseEvent, actor: CaseActor, now: Date): ReturnType<typeof ok> {
  const result = ok(transition(deepFreeze(current), event, actor, now));
  assert.equal(result.next.version, current.version + 1, 'version bumps by one');
  assert.deepEqual(
    result.effects.filter((effect) => effect.type === 'record_timeline').length,
    1,
    'one timeline entry',
  );
  assert.equal(result.effects[0]?.type, 'record_timeline', 'the timeline entry comes first');
  const entry = timelineOf(result.effects);
  assert.equal(entry.version, result.next.version);
  assert.equal(entry.from, current.state);
  assert.equal(entry.to, result.next.state);
  assert.equal(entry.at, now);
  assert.equal(entry.event.type, event.type);
  assert.deepEqual(result.next.updatedAt, now);
  const legal = CASE_TRANSITIONS.find((rule) => rule.from === current.state && rule.event === event.type);
  assert.ok(
    legal?.to.includes(result.next.state),
    `${current.state} --${event.type}--> ${result.next.state} is in the table`,
  );
  assert.equal(result.next.closedAt !== null, CASE_STATES[result.next.state].terminal);
  if (CASE_STATES[result.next.state].deadline === 'none') assert.equal(result.next.dueAt, null);
  if (result.next.departmentId !== null) assert.ok(!result.next.coHandlerIds.includes(result.next.departmentId));
  return result;
}

const next = (current: CaseSnapshot, event: CaseEvent, actor: CaseActor, now: Date): CaseSnapshot =>
  fire(current, event, actor, now).next;

function timelineOf(effects: readonly CaseEffect[]): CaseTimelineEntry {
  const effect = effects.find((candidate) => candidate.type === 'record_timeline');
  assert.ok(effect?.type === 'record_timeline');
  return effect.entry;
}

const without = (effects: readonly CaseEffect[], ...types: CaseEffect['type'][]): CaseEffect[] =>
  effects.filter((effect) => !types.includes(effect.type));

const opened = (requesterIds: string[] = [A, B]): CaseSnapshot => ok(openCase({ requesterIds }, system, T0)).next;

const DUE = hours(10 * DAY);
const dispatch: CaseEvent = { type: 'dispatch', departmentId: 10, coHandlerIds: [11], dueAt: DUE };

/** A case in each state, reached through the machine itself (two requesters, lead 10, co-handler 11). */
function reach(state: CaseState): CaseSnapshot {
  switch (state) {
    case 'accepted':
      return opened();
    case 'dispatched':
      return next(reach('accepted'), dispatch, coordinator, hours(1));
    case 'in_progress':
      return next(reach('dispatched'), { type: 'accept_work' }, lead, hours(2));
    case 'returned':
      return next(reach('in_progress'), { type: 'return', reason: '不属于本单位职责' }, lead, hours(3));
    case 'transfer_requested':
      return next(
        reach('in_progress'),
        { type: 'request_transfer', toDepartmentId: 12, reason: '属交通局' },
        lead,
        hours(3),
      );
    case 'extension_requested':
      return next(reach('in_progress'), { type: 'request_extension', days: 5, reason: '需现场勘察' }, lead, hours(3));
    case 'suspended':
      return next(reach('in_progress'), { type: 'suspend', reason: '等待市民补充材料' }, lead, hours(3));
    case 'replied':
      return next(reach('in_progress'), { type: 'reply', text: '路灯已修复。' }, lead, hours(4));
    case 'verifying':
      return next(reach('replied'), { type: 'rate', score: 2 }, requesterA, hours(5));
    case 'rated':
      return next(
        next(reach('replied'), { type: 'rate', score: 5 }, requesterA, hours(5)),
        { type: 'rate', score: 4 },
        requesterB,
        hours(6),
      );
    case 'reopened':
      return next(
        reach('verifying'),
        { type: 'verify_unsatisfied', confirmed: true, note: '核实：灯仍不亮' },
        coordinator,
        hours(7),
      );
    case 'closed':
      return next(reach('rated'), { type: 'close' }, coordinator, hours(7));
    case 'merged':
      return next(reach('accepted'), { type: 'merge', intoCaseId: 77 }, coordinator, hours(1));
    case 'not_in_scope':
      return next(reach('accepted'), { type: 'reject_as_not_in_scope', reason: '属司法程序' }, coordinator, hours(1));
  }
}

/** A valid example of every event (for the states where it is legal). */
const SAMPLE: Record<CaseEventType, CaseEvent> = {
  join: { type: 'join', requesterId: 'user:300' },
  dispatch: { type: 'dispatch', departmentId: 10, coHandlerIds: [11], dueAt: hours(20 * DAY) },
  accept_work: { type: 'accept_work' },
  add_note: { type: 'add_note', text: '已联系物业' },
  reply: { type: 'reply', text: '已处理' },
  return: { type: 'return', reason: '非本单位职责' },
  arbitrate: { type: 'arbitrate', departmentId: 12, reason: '经核实属交通局职责' },
  request_transfer: { type: 'request_transfer', toDepartmentId: 12, reason: '属交通局' },
  approve_transfer: { type: 'approve_transfer' },
  reject_transfer: { type: 'reject_transfer', reason: '属本单位' },
  request_extension: { type: 'request_extension', days: 3, reason: '需协调' },
  approve_extension: { type: 'approve_extension' },
  reject_extension: { type: 'reject_extension', reason: '时限充足' },
  suspend: { type: 'suspend', reason: '等待市民' },
  resume: { type: 'resume' },
  urge: { type: 'urge', note: '请加快办理' },
  rate: { type: 'rate', score: 4, comment: '满意' },
  verify_unsatisfied: { type: 'verify_unsatisfied', confirmed: false, note: '已答复到位' },
  close: { type: 'close' },
  merge: { type: 'merge', intoCaseId: 77 },
  reject_as_not_in_scope: { type: 'reject_as_not_in_scope', reason: '非职能范围' },
  categorise: { type: 'categorise', categoryPath: '城乡建设/住房管理' },
};

/**
 * Who may do what in `reach(state)` — written out by hand, independently of
 * CASE_TRANSITIONS. Actors not listed may do nothing. In `replied` the rating
 * window is still open; in `verifying` A has rated and B has not.
 */
const EXPECTED: Record<CaseState, Partial<Record<ActorName, CaseEventType[]>>> = {
  accepted: { coordinator: ['join', 'dispatch', 'merge', 'reject_as_not_in_scope', 'categorise'], system: ['join', 'dispatch', 'reply'] },
  dispatched: {
    coordinator: ['join', 'urge', 'merge', 'categorise'],
    system: ['join', 'reply', 'urge'],
    lead: ['accept_work', 'add_note', 'return', 'request_transfer'],
    co: ['add_note'],
  },
  in_progress: {
    coordinator: ['join', 'urge', 'merge', 'categorise'],
    system: ['join', 'urge'],
    lead: ['add_note', 'reply', 'return', 'request_transfer', 'request_extension', 'suspend'],
    co: ['add_note'],
  },
  returned: { coordinator: ['join', 'dispatch', 'arbitrate', 'merge', 'reject_as_not_in_scope', 'categorise'], system: ['join'] },
  transfer_requested: {
    coordinator: ['join', 'approve_transfer', 'reject_transfer', 'urge', 'categorise'],
    system: ['join', 'urge'],
    lead: ['add_note'],
    co: ['add_note'],
  },
  extension_requested: {
    coordinator: ['join', 'approve_extension', 'reject_extension', 'urge', 'categorise'],
    system: ['join', 'urge'],
    lead: ['add_note'],
    co: ['add_note'],
  },
  suspended: { coordinator: ['join', 'merge', 'categorise'], system: ['join'], lead: ['add_note', 'resume'], co: ['add_note'] },
  replied: { requesterA: ['rate'], requesterB: ['rate'] },
  verifying: { coordinator: ['verify_unsatisfied'], requesterB: ['rate'] },
  rated: { coordinator: ['close'], system: ['close'] },
  reopened: {
    coordinator: ['join', 'urge', 'categorise'],
    system: ['join', 'urge'],
    lead: ['accept_work', 'add_note'],
    co: ['add_note'],
  },
  closed: {},
  merged: {},
  not_in_scope: {},
};

const NOW = hours(12);

describe('the table', () => {
  const snapshots = new Map(CASE_STATE_NAMES.map((state) => [state, reach(state)]));

  test('every state is reachable and labelled; terminal states have no way out', () => {
    for (const state of CASE_STATE_NAMES) {
      assert.equal(snapshots.get(state)?.state, state);
      assert.ok(CASE_STATES[state]['zh-CN'] && CASE_STATES[state].en, state);
      const outgoing = CASE_TRANSITIONS.filter((rule) => rule.from === state);
      assert.equal(outgoing.length === 0, CASE_STATES[state].terminal, state);
    }
    assert.deepEqual(Object.keys(CASE_STATES), [...CASE_STATE_NAMES]);
    assert.deepEqual(Object.keys(CASE_EVENTS), [...CASE_EVENT_TYPES]);
  });

  test('each (state, event) pair has at most one rule, and every event is used somewhere', () => {
    const keys = CASE_TRANSITIONS.map((rule) => `${rule.from}:${rule.event}`);
    assert.equal(new Set(keys).size, keys.length);
    for (const event of CASE_EVENT_TYPES)
      assert.ok(
        CASE_TRANSITIONS.some((rule) => rule.event === event),
        event,
      );
  });

  for (const state of CASE_STATE_NAMES) {
    test(`${state}: allowedEvents for every actor`, () => {
      const snapshot = snapshots.get(state)!;
      for (const name of ACTOR_NAMES) {
        assert.deepEqual(allowedEvents(snapshot, ACTORS[name], NOW), EXPECTED[state][name] ?? [], `${state} × ${name}`);
      }
    });

    test(`${state}: every event by every actor succeeds exactly when allowed, else says why`, () => {
      const snapshot = snapshots.get(state)!;
      for (const name of ACTOR_NAMES) {
        const allowed = EXPECTED[state][name] ?? [];
        for (const type of CASE_EVENT_TYPES) {
          const result = transition(snapshot, SAMPLE[type], ACTORS[name], NOW);
          const label = `${state} × ${name} × ${type}`;
          if (allowed.includes(type)) {
            ok(result);
            continue;
          }
          const error = refused(result);
          const rule = CASE_TRANSITIONS.find((candidate) => candidate.from === state && candidate.event === type);
          const expectedCode = !rule
            ? 'illegal_transition'
            : rule.by.some((party) => partiesOf(snapshot, ACTORS[name]).includes(party))
              ? 'illegal_transition' // a guard: already rated, rating window open
              : 'forbidden';
          assert.equal(error.code, expectedCode, label);
          assert.deepEqual(error.allowed, allowed, label);
          assert.equal(error.state, state);
          assert.equal(error.event, type);
        }
      }
    });
  }

  test('admins, auditors and cadres may fire nothing, in any state (least privilege)', () => {
    for (const state of CASE_STATE_NAMES) {
      for (const actor of [ACTORS.admin, ACTORS.auditor, ACTORS.cadre]) {
        assert.deepEqual(allowedEvents(snapshots.get(state)!, actor, NOW), [], `${state} × ${actor.role}`);
      }
    }
  });
});

describe('the happy path', () => {
  test('accepted → dispatched → in progress → replied → rated → closed', () => {
    let snapshot = opened();
    assert.equal(snapshot.version, 1);
    assert.equal(snapshot.state, 'accepted');

    const dispatched = fire(snapshot, dispatch, coordinator, hours(1));
    assert.equal(dispatched.next.departmentId, 10);
    assert.deepEqual(dispatched.next.coHandlerIds, [11]);
    assert.deepEqual(dispatched.next.dueAt, DUE);
    assert.deepEqual(without(dispatched.effects, 'record_timeline'), [
      { type: 'start_deadline', limit: 'handling', departmentId: 10, dueAt: DUE },
      { type: 'notify_department', departmentIds: [10, 11], event: 'dispatch' },
      { type: 'notify_requesters', requesterIds: [A, B], event: 'dispatch' },
    ]);
    snapshot = next(dispatched.next, { type: 'accept_work' }, lead, hours(2));
    assert.equal(snapshot.state, 'in_progress');

    const replied = fire(snapshot, { type: 'reply', text: '  路灯已修复。 ' }, lead, hours(30));
    assert.equal(replied.next.state, 'replied');
    assert.deepEqual(replied.next.reply, { text: '路灯已修复。', at: hours(30), round: 1 });
    assert.deepEqual(replied.next.ratingClosesAt, hours(30 + DEFAULT_CASE_POLICY.ratingWindowDays * DAY));
    assert.equal(replied.next.dueAt, null);
    assert.deepEqual(without(replied.effects, 'record_timeline'), [
      { type: 'stop_deadline', dueAt: DUE },
      { type: 'notify_requesters', requesterIds: [A, B], event: 'reply' },
    ]);

    const first = fire(replied.next, { type: 'rate', score: 5, comment: '很快' }, requesterA, hours(31));
    assert.equal(first.next.state, 'replied', 'waits for the other requester');
    assert.deepEqual(unratedRequesters(first.next), [B]);
    const second = fire(first.next, { type: 'rate', score: 3 }, requesterB, hours(32));
    assert.equal(second.next.state, 'rated');
    assert.ok(ratingsComplete(second.next));
    assert.deepEqual(
      second.next.ratings.map(({ requesterId, score, verification }) => ({ requesterId, score, verification })),
      [
        { requesterId: A, score: 5, verification: null },
        { requesterId: B, score: 3, verification: null },
      ],
    );

    const closed = fire(second.next, { type: 'close' }, coordinator, hours(33));
    assert.equal(closed.next.state, 'closed');
    assert.deepEqual(closed.next.closedAt, hours(33));
    assert.equal(closed.next.version, 7);
    assert.deepEqual(allowedEvents(closed.next, coordinator, hours(34)), []);
  });
});

describe('who may do it', () => {
  test('a handler of another department cannot reply; a co-handler may only add notes, which reach the lead', () => {
    const snapshot = reach('in_progress');
    const stranger = refused(transition(snapshot, { type: 'reply', text: '已处理' }, otherHandler, NOW));
    assert.equal(stranger.code, 'forbidden');
    assert.deepEqual(stranger.allowed, []);
    assert.equal(refused(transition(snapshot, { type: 'reply', text: '已处理' }, co, NOW)).code, 'forbidden');
    assert.equal(refused(transition(snapshot, { type: 'reply', text: '已处理' }, coordinator, NOW)).code, 'forbidden');
    assert.equal(
      refused(transition(snapshot, { type: 'reply', text: '已处理' }, ACTORS.handlerWithoutDepartment, NOW)).code,
      'forbidden',
    );

    const note = fire(snapshot, { type: 'add_note', text: '协办：已排查线路' }, co, NOW);
    assert.equal(note.next.state, 'in_progress');
    assert.deepEqual(without(note.effects, 'record_timeline'), [
      { type: 'notify_department', departmentIds: [10], event: 'add_note' },
    ]);
    assert.deepEqual(
      without(fire(snapshot, { type: 'add_note', text: '已派人' }, lead, NOW).effects, 'record_timeline'),
      [],
    );
  });

  test('only requesters rate, and only as themselves', () => {
    const snapshot = reach('replied');
    for (const actor of [outsider, coordinator, lead, { role: 'citizen', userId: 100, departmentId: null } as const]) {
      assert.equal(refused(transition(snapshot, { type: 'rate', score: 5 }, actor, NOW)).code, 'forbidden', actor.role);
    }
    // A staff member cannot borrow a requester id: the requester party is for citizens only.
    const impostor: CaseActor = { role: 'handler', userId: 2, departmentId: 10, requesterId: A };
    assert.deepEqual(partiesOf(snapshot, impostor), ['assigned_handler']);
    assert.equal(refused(transition(snapshot, { type: 'rate', score: 5 }, impostor, NOW)).code, 'forbidden');
    const rated = fire(snapshot, { type: 'rate', score: 4 }, requesterB, NOW);
    assert.equal(rated.next.ratings[0]?.requesterId, B);
    assert.equal(timelineOf(rated.effects).actor.requesterId, B);
  });

  test('a second rating by the same requester in the same round is refused', () => {
    const once = next(reach('replied'), { type: 'rate', score: 5 }, requesterA, NOW);
    const again = refused(transition(once, { type: 'rate', score: 1 }, requesterA, NOW));
    assert.equal(again.code, 'illegal_transition');
    assert.match(again.message, /already rated round 1/);
    assert.deepEqual(again.allowed, []);
    assert.deepEqual(allowedEvents(once, requesterA, NOW), []);
    assert.deepEqual(allowedEvents(once, requesterB, NOW), ['rate']);

    const inVerification = reach('verifying');
    assert.equal(
      refused(transition(inVerification, { type: 'rate', score: 1 }, requesterA, NOW)).code,
      'illegal_transition',
    );
  });

  test('joining: the intake (system) or a coordinator adds a requester; citizens cannot join themselves', () => {
    const snapshot = reach('in_progress');
    const joined = fire(snapshot, { type: 'join', requesterId: ' user:300 ' }, system, NOW);
    assert.deepEqual(joined.next.requesterIds, [A, B, 'user:300']);
    assert.deepEqual(without(joined.effects, 'record_timeline'), [
      { type: 'notify_requesters', requesterIds: ['user:300'], event: 'join' },
    ]);
    const repeated = fire(joined.next, { type: 'join', requesterId: A }, coordinator, NOW);
    assert.deepEqual(repeated.next.requesterIds, [A, B, 'user:300'], 'a second message from the same person');
    assert.deepEqual(without(repeated.effects, 'record_timeline'), []);
    assert.equal(
      refused(transition(snapshot, { type: 'join', requesterId: 'user:999' }, outsider, NOW)).code,
      'forbidden',
    );
    assert.equal(refused(transition(reach('replied'), SAMPLE.join, system, NOW)).code, 'illegal_transition');
  });
});

describe('rating, verification and rework', () => {
  const rate = (snapshot: CaseSnapshot, actor: CaseActor, score: number, at: Date): CaseSnapshot =>
    next(snapshot, { type: 'rate', score, comment: '' }, actor, at);
  const verify = (snapshot: CaseSnapshot, confirmed: boolean, at: Date, dueAt?: Date): ReturnType<typeof fire> =>
    fire(
      snapshot,
      { type: 'verify_unsatisfied', confirmed, note: '电话回访核实', ...(dueAt ? { dueAt } : {}) },
      coordinator,
      at,
    );

  test('the five ratings; 2 and below are unsatisfied', () => {
    assert.deepEqual(
      Object.entries(RATINGS).map(([score, label]) => [Number(score), label['zh-CN']]),
      [
        [1, '非常不满意'],
        [2, '不满意'],
        [3, '基本满意'],
        [4, '满意'],
        [5, '非常满意'],
      ],
    );
    assert.deepEqual([1, 2, 3, 4, 5].map(isUnsatisfied), [true, true, false, false, false]);
  });

  test('unsatisfied → verification → rework with a new deadline → reply → satisfied → closed', () => {
    const replied = reach('replied');
    const unsatisfied = fire(replied, { type: 'rate', score: 1, comment: '灯还是不亮' }, requesterA, hours(5));
    assert.equal(unsatisfied.next.state, 'verifying');
    assert.equal(unsatisfied.next.ratings[0]?.verification, 'pending');
    assert.deepEqual(without(unsatisfied.effects, 'record_timeline'), [
      { type: 'notify_department', departmentIds: [10], event: 'rate' },
      { type: 'notify_coordinators', event: 'rate' },
    ]);
    assert.equal(timelineOf(unsatisfied.effects).reason, '灯还是不亮');

    // B may still rate while A's rating is verified; the case stays in verification.
    const both = rate(unsatisfied.next, requesterB, 4, hours(6));
    assert.equal(both.state, 'verifying');

    const reworkDue = hours(20 * DAY);
    const confirmed = verify(both, true, hours(7), reworkDue);
    assert.equal(confirmed.next.state, 'reopened');
    assert.equal(confirmed.next.round, 2);
    assert.deepEqual(confirmed.next.reopenedFor, [A]);
    assert.deepEqual(confirmed.next.dueAt, reworkDue);
    assert.equal(confirmed.next.departmentId, 10, 'back to the same department');
    assert.deepEqual(
      confirmed.next.ratings.map((rating) => rating.verification),
      ['confirmed', null],
    );
    assert.deepEqual(without(confirmed.effects, 'record_timeline'), [
      { type: 'start_deadline', limit: 'rework', departmentId: 10, dueAt: reworkDue },
      { type: 'notify_department', departmentIds: [10, 11], event: 'verify_unsatisfied' },
      { type: 'notify_requesters', requesterIds: [A, B], event: 'verify_unsatisfied' },
    ]);
    assert.deepEqual(allowedEvents(confirmed.next, requesterA, hours(8)), [], 'no rating during rework');

    let snapshot = next(confirmed.next, { type: 'accept_work' }, lead, hours(8));
    snapshot = next(snapshot, { type: 'reply', text: '已更换灯具。' }, lead, hours(9));
    assert.deepEqual(snapshot.reply, { text: '已更换灯具。', at: hours(9), round: 2 });
    assert.deepEqual(allowedEvents(snapshot, requesterA, hours(10)), ['rate'], 'a new round, a new rating');
    snapshot = rate(snapshot, requesterA, 4, hours(10));
    snapshot = rate(snapshot, requesterB, 5, hours(10));
    assert.equal(snapshot.state, 'rated');
    snapshot = next(snapshot, { type: 'close' }, system, hours(11));
    assert.equal(snapshot.state, 'closed');
    assert.equal(snapshot.ratings.length, 4);
  });

  test('without a dueAt the rework deadline is left to the SLA engine', () => {
    const confirmed = verify(reach('verifying'), true, hours(7));
    assert.equal(confirmed.next.dueAt, null);
    assert.ok(confirmed.effects.some((effect) => effect.type === 'start_deadline' && effect.dueAt === null));
  });

  test('one reopen per requester: a second confirmed dissatisfaction closes the case', () => {
    let snapshot = verify(reach('verifying'), true, hours(7)).next; // A's reopen is used
    snapshot = next(snapshot, { type: 'accept_work' }, lead, hours(8));
    snapshot = next(snapshot, { type: 'reply', text: '再次答复' }, lead, hours(9));
    snapshot = rate(snapshot, requesterA, 1, hours(10));
    snapshot = rate(snapshot, requesterB, 3, hours(10));
    const closed = verify(snapshot, true, hours(11));
    assert.equal(closed.next.state, 'closed');
    assert.equal(closed.next.round, 2);
    assert.deepEqual(closed.next.reopenedFor, [A]);
    assert.equal(closed.next.ratings.at(-2)?.verification, 'confirmed');
  });

  test('another requester still has their own reopen', () => {
    let snapshot = verify(reach('verifying'), true, hours(7)).next; // A's reopen
    snapshot = next(snapshot, { type: 'accept_work' }, lead, hours(8));
    snapshot = next(snapshot, { type: 'reply', text: '再次答复' }, lead, hours(9));
    snapshot = rate(snapshot, requesterA, 2, hours(10));
    snapshot = rate(snapshot, requesterB, 1, hours(10));
    const reopened = verify(snapshot, true, hours(11));
    assert.equal(reopened.next.state, 'reopened');
    assert.equal(reopened.next.round, 3);
    assert.deepEqual(reopened.next.reopenedFor, [A, B]);
  });

  test('a dismissed dissatisfaction closes when all have rated, else waits for the others', () => {
    const alone = verify(reach('verifying'), false, hours(7));
    assert.equal(alone.next.state, 'replied', 'B has not rated yet');
    assert.equal(alone.next.ratings[0]?.verification, 'dismissed');
    assert.deepEqual(without(alone.effects, 'record_timeline'), []);
    // B's later satisfied rating completes the round; the dismissed rating is not verified again.
    const rated = rate(alone.next, requesterB, 4, hours(8));
    assert.equal(rated.state, 'rated');

    const complete = rate(reach('verifying'), requesterB, 5, hours(6));
    const closed = verify(complete, false, hours(7));
    assert.equal(closed.next.state, 'closed');
    assert.deepEqual(without(closed.effects, 'record_timeline'), [
      { type: 'notify_requesters', requesterIds: [A, B], event: 'close' },
      { type: 'notify_department', departmentIds: [10], event: 'close' },
    ]);

    const windowOver = verify(reach('verifying'), false, hours(4 + 8 * DAY));
    assert.equal(windowOver.next.state, 'closed', 'the rating window has ended');
  });

  test('the rating window: closing an incompletely rated case waits for it', () => {
    const snapshot = reach('replied'); // replied at hours(4)
    const early = refused(transition(snapshot, { type: 'close' }, coordinator, hours(5)));
    assert.equal(early.code, 'illegal_transition');
    assert.match(early.message, /rating window/);
    assert.deepEqual(allowedEvents(snapshot, coordinator), [], 'without now the window counts as open');
    const end = hours(4 + 7 * DAY);
    assert.deepEqual(allowedEvents(snapshot, coordinator, end), ['close']);
    assert.deepEqual(allowedEvents(snapshot, system, end), ['close']);
    assert.equal(next(snapshot, { type: 'close', note: '回访期满' }, system, end).state, 'closed');

    const shortPolicy = { ...DEFAULT_CASE_POLICY, ratingWindowDays: 1 };
    const replied = ok(
      transition(reach('in_progress'), { type: 'reply', text: '答复' }, lead, hours(4), shortPolicy),
    ).next;
    assert.deepEqual(replied.ratingClosesAt, hours(4 + DAY));
  });

  test('a case without requesters may close right after the reply', () => {
    let snapshot = opened([]);
    snapshot = next(snapshot, dispatch, coordinator, hours(1));
    snapshot = next(snapshot, { type: 'accept_work' }, lead, hours(2));
    snapshot = next(snapshot, { type: 'reply', text: '答复' }, lead, hours(3));
    assert.deepEqual(allowedEvents(snapshot, coordinator, hours(3)), ['close']);
  });
});

describe('transfer, extension, suspension, return, merge', () => {
  test('transfer approved: dispatched to the new department with a fresh deadline', () => {
    const requested = reach('transfer_requested');
    assert.deepEqual(requested.pendingTransfer, { toDepartmentId: 12, reason: '属交通局' });
    const newDue = hours(15 * DAY);
    const approved = fire(requested, { type: 'approve_transfer', dueAt: newDue }, coordinator, NOW);
    assert.equal(approved.next.state, 'dispatched');
    assert.equal(approved.next.departmentId, 12);
    assert.deepEqual(approved.next.coHandlerIds, [11]);
    assert.equal(approved.next.pendingTransfer, null);
    assert.deepEqual(approved.next.dueAt, newDue);
    assert.deepEqual(without(approved.effects, 'record_timeline'), [
      { type: 'start_deadline', limit: 'handling', departmentId: 12, dueAt: newDue },
      { type: 'notify_department', departmentIds: [10], event: 'approve_transfer' },
      { type: 'notify_department', departmentIds: [12, 11], event: 'dispatch' },
    ]);
    assert.deepEqual(allowedEvents(approved.next, lead, NOW), [], 'the old department lets go');
    assert.deepEqual(allowedEvents(approved.next, otherHandler, NOW), [
      'accept_work',
      'add_note',
      'return',
      'request_transfer',
    ]);
  });

  test('transfer rejected: back to work, with the reason', () => {
    const rejected = fire(
      reach('transfer_requested'),
      { type: 'reject_transfer', reason: '属本单位职责' },
      coordinator,
      NOW,
    );
    assert.equal(rejected.next.state, 'in_progress');
    assert.equal(rejected.next.departmentId, 10);
    assert.equal(rejected.next.pendingTransfer, null);
    assert.equal(timelineOf(rejected.effects).reason, '属本单位职责');
    assert.deepEqual(without(rejected.effects, 'record_timeline'), [
      { type: 'notify_department', departmentIds: [10], event: 'reject_transfer' },
    ]);
    assert.equal(
      refused(transition(reach('transfer_requested'), { type: 'reject_transfer', reason: ' ' }, coordinator, NOW)).code,
      'invalid',
    );
  });

  test('a transfer to the same department is invalid', () => {
    const error = refused(
      transition(reach('in_progress'), { type: 'request_transfer', toDepartmentId: 10, reason: '转' }, lead, NOW),
    );
    assert.equal(error.code, 'invalid');
    assert.equal(error.field, 'toDepartmentId');
  });

  test('extension: approved moves the deadline, rejected keeps it', () => {
    const requested = reach('extension_requested');
    assert.deepEqual(requested.pendingExtension, { days: 5, reason: '需现场勘察' });
    const newDue = hours(17 * DAY);
    const approved = fire(requested, { type: 'approve_extension', dueAt: newDue }, coordinator, NOW);
    assert.equal(approved.next.state, 'in_progress');
    assert.deepEqual(approved.next.dueAt, newDue);
    assert.equal(approved.next.pendingExtension, null);
    assert.deepEqual(without(approved.effects, 'record_timeline'), [
      { type: 'extend_deadline', workingDays: 5, dueAt: newDue },
      { type: 'notify_department', departmentIds: [10], event: 'approve_extension' },
    ]);
    const computedLater = fire(requested, { type: 'approve_extension' }, coordinator, NOW);
    assert.deepEqual(computedLater.next.dueAt, DUE, 'unchanged until the service computes it');

    const rejected = fire(requested, { type: 'reject_extension', reason: '时限充足' }, coordinator, NOW);
    assert.equal(rejected.next.state, 'in_progress');
    assert.deepEqual(rejected.next.dueAt, DUE);
    assert.ok(!rejected.effects.some((effect) => effect.type === 'extend_deadline'));
  });

  test('extension days are whole working days within the policy', () => {
    const snapshot = reach('in_progress');
    for (const days of [0, -1, 2.5, DEFAULT_CASE_POLICY.maxExtensionDays + 1, Number.NaN]) {
      const error = refused(transition(snapshot, { type: 'request_extension', days, reason: '需协调' }, lead, NOW));
      assert.equal(error.code, 'invalid', String(days));
      assert.equal(error.field, 'days');
    }
    const generous = { ...DEFAULT_CASE_POLICY, maxExtensionDays: 30 };
    ok(transition(snapshot, { type: 'request_extension', days: 30, reason: '需协调' }, lead, NOW, generous));
  });

  test('suspend pauses the deadline; resume restarts it', () => {
    const suspended = fire(reach('in_progress'), { type: 'suspend', reason: '等待市民补充材料' }, lead, hours(3));
    assert.equal(suspended.next.state, 'suspended');
    assert.deepEqual(suspended.next.suspendedAt, hours(3));
    assert.deepEqual(without(suspended.effects, 'record_timeline'), [
      { type: 'pause_deadline' },
      { type: 'notify_requesters', requesterIds: [A, B], event: 'suspend' },
    ]);
    assert.deepEqual(allowedEvents(suspended.next, coordinator, NOW), ['join', 'merge', 'categorise'], 'no urging a paused case');
    const resumed = fire(suspended.next, { type: 'resume' }, lead, hours(50));
    assert.equal(resumed.next.state, 'in_progress');
    assert.equal(resumed.next.suspendedAt, null);
    assert.deepEqual(resumed.next.dueAt, DUE);
    assert.deepEqual(without(resumed.effects, 'record_timeline'), [
      { type: 'resume_deadline', pausedAt: hours(3) },
      { type: 'notify_requesters', requesterIds: [A, B], event: 'resume' },
    ]);
    assert.equal(refused(transition(suspended.next, { type: 'resume' }, coordinator, NOW)).code, 'forbidden');
  });

  test('return: the department lets go, the coordinators re-dispatch', () => {
    const returned = fire(reach('dispatched'), { type: 'return', reason: '非本单位职责' }, lead, hours(2));
    assert.equal(returned.next.state, 'returned');
    assert.equal(returned.next.departmentId, null);
    assert.deepEqual(returned.next.coHandlerIds, []);
    assert.deepEqual(without(returned.effects, 'record_timeline'), [
      { type: 'stop_deadline', dueAt: DUE },
      { type: 'notify_coordinators', event: 'return' },
    ]);
    const redispatched = next(
      returned.next,
      { ...dispatch, departmentId: 12, coHandlerIds: [] },
      coordinator,
      hours(3),
    );
    assert.equal(redispatched.departmentId, 12);
  });

  test('arbitration (仲裁): the coordinator rules the department with a reason; it may not return the case again', () => {
    const returned = next(reach('dispatched'), { type: 'return', reason: '非本单位职责' }, lead, hours(2));
    const ruled = fire(returned, { type: 'arbitrate', departmentId: 10, coHandlerIds: [11], reason: '路灯维护属本单位', dueAt: DUE }, coordinator, hours(3));
    assert.equal(ruled.next.state, 'dispatched');
    assert.equal(ruled.next.departmentId, 10);
    assert.equal(ruled.next.arbitratedDepartmentId, 10);
    assert.equal(timelineOf(ruled.effects).reason, '路灯维护属本单位');
    assert.deepEqual(without(ruled.effects, 'record_timeline'), [
      { type: 'start_deadline', limit: 'handling', departmentId: 10, dueAt: DUE },
      { type: 'notify_department', departmentIds: [10, 11], event: 'arbitrate' },
      { type: 'notify_requesters', requesterIds: [A, B], event: 'dispatch' },
    ]);
    assert.deepEqual(allowedEvents(ruled.next, lead, hours(4)), ['accept_work', 'add_note', 'request_transfer']);
    const refusal = refused(transition(ruled.next, { type: 'return', reason: '仍非本单位职责' }, lead, hours(4)));
    assert.equal(refusal.code, 'illegal_transition');
    const working = next(ruled.next, { type: 'accept_work' }, lead, hours(4));
    assert.equal(refused(transition(working, { type: 'return', reason: '仍非本单位职责' }, lead, hours(5))).code, 'illegal_transition');
    // A transfer the coordinator approves moves the case to a department the ruling does not bind.
    const asked = next(working, { type: 'request_transfer', toDepartmentId: 12, reason: '属交通局' }, lead, hours(5));
    const moved = next(asked, { type: 'approve_transfer' }, coordinator, hours(6));
    assert.ok(allowedEvents(moved, otherHandler, hours(7)).includes('return'));
    // The reason is required; a plain dispatch needs none.
    const blankReason = refused(transition(returned, { type: 'arbitrate', departmentId: 10, reason: ' ' }, coordinator, hours(3)));
    assert.equal(blankReason.code, 'invalid');
    assert.equal(blankReason.field, 'reason');
    assert.equal(refused(transition(returned, { type: 'arbitrate', departmentId: 10, reason: '属本单位' }, lead, hours(3))).code, 'forbidden');
  });

  test('urge (督办) escalates without changing the state', () => {
    const urged = fire(reach('in_progress'), { type: 'urge', note: '已超期，请加快' }, system, NOW);
    assert.equal(urged.next.state, 'in_progress');
    assert.deepEqual(without(urged.effects, 'record_timeline'), [
      { type: 'escalate', departmentId: 10, dueAt: DUE, note: '已超期，请加快' },
      { type: 'notify_department', departmentIds: [10], event: 'urge' },
    ]);
  });

  test('merge is terminal and points to the survivor', () => {
    const merged = fire(reach('in_progress'), { type: 'merge', intoCaseId: 42, reason: '同一路灯' }, coordinator, NOW);
    assert.equal(merged.next.state, 'merged');
    assert.equal(merged.next.mergedIntoCaseId, 42);
    assert.deepEqual(merged.next.closedAt, NOW);
    assert.deepEqual(without(merged.effects, 'record_timeline'), [
      { type: 'stop_deadline', dueAt: DUE },
      { type: 'join_case', intoCaseId: 42, requesterIds: [A, B] },
      { type: 'notify_requesters', requesterIds: [A, B], event: 'merge' },
      { type: 'notify_department', departmentIds: [10, 11], event: 'merge' },
    ]);
    for (const name of ACTOR_NAMES) assert.deepEqual(allowedEvents(merged.next, ACTORS[name], NOW), []);
    for (const type of CASE_EVENT_TYPES) {
      const error = refused(transition(merged.next, SAMPLE[type], coordinator, NOW));
      assert.equal(error.code, 'illegal_transition', type);
      assert.deepEqual(error.allowed, []);
    }
  });

  test('not in scope is terminal with its reason', () => {
    const rejected = fire(
      reach('returned'),
      { type: 'reject_as_not_in_scope', reason: ' 属司法程序 ' },
      coordinator,
      NOW,
    );
    assert.equal(rejected.next.state, 'not_in_scope');
    assert.equal(rejected.next.notInScopeReason, '属司法程序');
    assert.deepEqual(without(rejected.effects, 'record_timeline'), [
      { type: 'notify_requesters', requesterIds: [A, B], event: 'reject_as_not_in_scope' },
    ]);
  });
});

describe('payloads, errors and history', () => {
  const invalid = (snapshot: CaseSnapshot, event: CaseEvent, actor: CaseActor, field: string): void => {
    const error = refused(transition(snapshot, event, actor, NOW));
    assert.equal(error.code, 'invalid', JSON.stringify(event));
    assert.equal(error.field, field);
    assert.deepEqual(error.allowed, allowedEvents(snapshot, actor, NOW));
  };

  test('bad payloads are invalid, naming the field', () => {
    const accepted = reach('accepted');
    invalid(accepted, { type: 'dispatch', departmentId: 0 }, coordinator, 'departmentId');
    invalid(accepted, { type: 'dispatch', departmentId: 10, coHandlerIds: [10] }, coordinator, 'coHandlerIds');
    invalid(accepted, { type: 'dispatch', departmentId: 10, coHandlerIds: [-3] }, coordinator, 'coHandlerIds');
    invalid(accepted, { type: 'dispatch', departmentId: 10, dueAt: hours(-1) }, coordinator, 'dueAt');
    invalid(accepted, { type: 'dispatch', departmentId: 10, dueAt: new Date('nonsense') }, coordinator, 'dueAt');
    invalid(accepted, { type: 'merge', intoCaseId: 1.5 }, coordinator, 'intoCaseId');
    invalid(accepted, { type: 'reject_as_not_in_scope', reason: '' }, coordinator, 'reason');
    invalid(accepted, { type: 'join', requesterId: '  ' }, system, 'requesterId');
    const inProgress = reach('in_progress');
    invalid(inProgress, { type: 'reply', text: ' \n ' }, lead, 'text');
    invalid(inProgress, { type: 'return', reason: '' }, lead, 'reason');
    invalid(inProgress, { type: 'suspend', reason: '' }, lead, 'reason');
    invalid(inProgress, { type: 'urge', note: '' }, coordinator, 'note');
    const replied = reach('replied');
    for (const score of [0, 6, 2.5, Number.NaN]) invalid(replied, { type: 'rate', score }, requesterA, 'score');
    const verifying = reach('verifying');
    invalid(verifying, { type: 'verify_unsatisfied', confirmed: true, note: '' }, coordinator, 'note');
    invalid(
      verifying,
      { type: 'verify_unsatisfied', confirmed: true, note: '核实', dueAt: hours(1) },
      coordinator,
      'dueAt',
    );
    const unknown = refused(transition(accepted, { type: 'escalate' } as unknown as CaseEvent, coordinator, NOW));
    assert.equal(unknown.code, 'invalid');
    assert.equal(unknown.field, 'type');
    assert.equal(refused(openCase({ requesterIds: [''] }, system, T0)).code, 'invalid');
  });

  test('the state is checked before the actor, the actor before the payload', () => {
    assert.equal(
      refused(transition(reach('returned'), { type: 'reply', text: '' }, outsider, NOW)).code,
      'illegal_transition',
    );
    assert.equal(
      refused(transition(reach('in_progress'), { type: 'reply', text: '' }, outsider, NOW)).code,
      'forbidden',
    );
  });

  test('refusals map to platform error codes with the allowed events in the details', () => {
    const error = refused(transition(reach('returned'), SAMPLE.reply, coordinator, NOW));
    assert.deepEqual(toAppErrorArgs(error), [
      'conflict',
      error.message,
      {
        reason: 'illegal_transition',
        state: 'returned',
        event: 'reply',
        allowed: ['join', 'dispatch', 'arbitrate', 'merge', 'reject_as_not_in_scope', 'categorise'],
      },
    ]);
    assert.equal(toAppErrorArgs(refused(transition(reach('in_progress'), SAMPLE.reply, co, NOW)))[0], 'forbidden');
    const [code, message, details] = toAppErrorArgs(
      refused(transition(reach('replied'), { type: 'rate', score: 9 }, requesterA, NOW)),
    );
    assert.equal(code, 'validation_failed');
    assert.deepEqual(details.errors, [{ path: 'score', message }]);
  });

  test('a refusal changes nothing; a transition never mutates its input', () => {
    const snapshot = deepFreeze(reach('in_progress'));
    const copy = structuredClone(snapshot);
    refused(transition(snapshot, SAMPLE.dispatch, coordinator, NOW));
    ok(transition(snapshot, SAMPLE.reply, lead, NOW));
    assert.deepEqual(snapshot, copy);
  });

  test('the timeline entry says who, what, when and why', () => {
    const entry = timelineOf(
      fire(reach('in_progress'), { type: 'return', reason: '  非本单位职责 ' }, lead, NOW).effects,
    );
    assert.deepEqual(entry, {
      version: 4,
      round: 1,
      at: NOW,
      from: 'in_progress',
      to: 'returned',
      actor: { role: 'handler', userId: 2, departmentId: 10, requesterId: null },
      event: { type: 'return', reason: '非本单位职责' },
      reason: '非本单位职责',
    });
    const first = timelineOf(ok(openCase({ requesterIds: [A, A, B] }, system, T0)).effects);
    assert.deepEqual(first, {
      version: 1,
      round: 1,
      at: T0,
      from: null,
      to: 'accepted',
      actor: { role: 'system', userId: null, departmentId: null, requesterId: null },
      event: { type: 'open', requesterIds: [A, B] },
      reason: null,
    });
  });
});

describe('the whole loop as one scenario', () => {
  test('a citizen asks, a neighbour joins, the city answers, reworks once and closes', () => {
    const history: CaseTimelineEntry[] = [];
    const opening = ok(openCase({ requesterIds: [A] }, system, T0));
    history.push(timelineOf(opening.effects));
    let snapshot = opening.next;
    const step = (event: CaseEvent, actor: CaseActor, at: Date): void => {
      const result = fire(snapshot, event, actor, at);
      history.push(timelineOf(result.effects));
      snapshot = result.next;
    };

    step({ type: 'join', requesterId: B }, system, hours(1)); // a near-duplicate from a neighbour
    step({ type: 'dispatch', departmentId: 10, coHandlerIds: [11], dueAt: DUE }, coordinator, hours(2));
    step({ type: 'add_note', text: '协办单位：线路已检查' }, co, hours(3));
    step({ type: 'accept_work' }, lead, hours(4));
    step({ type: 'request_extension', days: 3, reason: '需更换电缆' }, lead, hours(5));
    step({ type: 'approve_extension', dueAt: hours(13 * DAY) }, coordinator, hours(6));
    step({ type: 'suspend', reason: '等待市民确认位置' }, lead, hours(7));
    step({ type: 'resume' }, lead, hours(9));
    step({ type: 'urge', note: '临近期限' }, system, hours(12 * DAY));
    step({ type: 'reply', text: '已更换电缆，路灯恢复。' }, lead, hours(12 * DAY + 2));
    step({ type: 'rate', score: 2, comment: '第二盏灯仍不亮' }, requesterA, hours(13 * DAY));
    step({ type: 'rate', score: 4 }, requesterB, hours(13 * DAY + 1));
    step(
      { type: 'verify_unsatisfied', confirmed: true, note: '现场核实属实', dueAt: hours(20 * DAY) },
      coordinator,
      hours(13 * DAY + 3),
    );
    step({ type: 'accept_work' }, lead, hours(13 * DAY + 4));
    step({ type: 'reply', text: '第二盏灯已修复。' }, lead, hours(15 * DAY));
    step({ type: 'rate', score: 5 }, requesterA, hours(15 * DAY + 2));
    step({ type: 'rate', score: 4 }, requesterB, hours(15 * DAY + 3));
    step({ type: 'close', note: '双方满意' }, coordinator, hours(15 * DAY + 4));

    assert.equal(snapshot.state, 'closed');
    assert.equal(snapshot.version, history.length);
    assert.deepEqual(
      history.map((entry) => entry.version),
      history.map((_, index) => index + 1),
    );
    assert.deepEqual(
      history.map((entry) => `${entry.event.type}→${entry.to}`),
      [
        'open→accepted',
        'join→accepted',
        'dispatch→dispatched',
        'add_note→dispatched',
        'accept_work→in_progress',
        'request_extension→extension_requested',
        'approve_extension→in_progress',
        'suspend→suspended',
        'resume→in_progress',
        'urge→in_progress',
        'reply→replied',
        'rate→verifying',
        'rate→verifying',
        'verify_unsatisfied→reopened',
        'accept_work→in_progress',
        'reply→replied',
        'rate→replied',
        'rate→rated',
        'close→closed',
      ],
    );
    assert.deepEqual(
      history.map((entry) => entry.round),
      [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2],
    );
    assert.deepEqual(snapshot.reopenedFor, [A]);
    assert.deepEqual(
      snapshot.ratings.map(({ requesterId, round, score, verification }) => [requesterId, round, score, verification]),
      [
        [A, 1, 2, 'confirmed'],
        [B, 1, 4, null],
        [A, 2, 5, null],
        [B, 2, 4, null],
      ],
    );
  });
});

describe('docs/voices-lifecycle.md', () => {
  const doc = readFileSync(new URL('../../../../docs/voices-lifecycle.md', import.meta.url), 'utf8');

  test('the diagram shows every change of state in the table, and nothing else', () => {
    const expected = new Set(
      CASE_TRANSITIONS.flatMap((rule) =>
        rule.to.filter((to) => to !== rule.from).map((to) => `${rule.from} --> ${to}: ${rule.event}`),
      ),
    );
    const drawn = new Set(doc.match(/^ {4}\w+ --> \w+: \w+$/gm)?.map((line) => line.trim()) ?? []);
    assert.deepEqual([...drawn].sort(), [...expected].sort());
  });

  test('the who-may-do-what table lists every rule, and nothing else', () => {
    const cells = (line: string): string[] =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim());
    const expected = CASE_TRANSITIONS.map((rule) =>
      [rule.from, rule.event, rule.by.join(', '), rule.to.join(', ')].join(' | '),
    );
    const listed = doc
      .split('\n')
      .map(cells)
      .filter((row) => row.length === 4 && /^`\w+`$/.test(row[0] ?? '') && /^`\w+`$/.test(row[1] ?? ''))
      .map((row) => row.map((cell) => cell.replaceAll('`', '')).join(' | '));
    assert.deepEqual(listed, expected);
  });
});
