import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../../platform/index.ts';
import {
  CN_WORKDAYS,
  DEFAULT_SLA_POLICY,
  DeadlineError,
  checkSlaPolicy,
  createDeadlines,
  createWorkCalendar,
  resolveLimit,
  type DeadlineClock,
  type DeadlineErrorReason,
  type SlaCaseFacts,
  type SlaLimit,
  type SlaPolicy,
} from './deadline.ts';

const deadlines = createDeadlines(createWorkCalendar(CN_WORKDAYS));
const { startClock, pause, resume, extend, status } = deadlines;

/** A Shanghai wall time, `'2026-03-02 09:00'`, as an instant. */
function local(wallTime: string): Date {
  const [date, time = '00:00'] = wallTime.split(' ');
  return new Date(`${date}T${time}+08:00`);
}

/** An instant as a Shanghai wall time. */
function show(instant: Date | null): string | null {
  return instant && new Date(instant.getTime() + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 23);
}

const endOf = (date: string): string => `${date} 23:59:59.999`;
const workingDays = (amount: number): SlaLimit => ({ unit: 'working_days', amount });
const hours = (amount: number): SlaLimit => ({ unit: 'hours', amount });

function throwsReason(run: () => unknown, reason: DeadlineErrorReason): void {
  assert.throws(run, (error: unknown) => error instanceof DeadlineError && error.reason === reason);
}

/** Monday 2 March 2026, 09:00, five working days: due Monday 9 March. */
const mondayCase = (): DeadlineClock => startClock({ receivedAt: local('2026-03-02 09:00'), limit: workingDays(5) });

test('a clock starts with its limit counted by the calendar', () => {
  const table: [string, SlaLimit, string][] = [
    ['2026-03-02 09:00', workingDays(5), endOf('2026-03-09')],
    ['2025-09-26 19:00', workingDays(5), endOf('2025-10-10')],
    ['2026-03-02 20:00', hours(24), '2026-03-03 20:00:00.000'],
    ['2026-03-02 23:00', hours(2), '2026-03-03 01:00:00.000'],
    ['2025-09-30 22:00', hours(4), '2025-10-01 02:00:00.000'],
  ];
  for (const [receivedAt, limit, due] of table) {
    const clock = startClock({ receivedAt: local(receivedAt), limit });
    assert.equal(show(clock.dueAt), due, `${receivedAt} + ${limit.amount} ${limit.unit}`);
    assert.equal(clock.pausedAt, null);
    assert.deepEqual(clock.pauses, []);
  }
});

test('suspensions move a working-day deadline by the working days after the day of suspension up to the day of resumption', () => {
  const table: [string, string, string, string, number][] = [
    ['over a weekend: nothing', '2026-03-06 17:00', '2026-03-08 20:00', endOf('2026-03-09'), 0],
    ['within one working day: nothing', '2026-03-03 10:00', '2026-03-03 16:00', endOf('2026-03-09'), 0],
    ['Wednesday to Friday: Thursday and Friday', '2026-03-04 10:00', '2026-03-06 15:00', endOf('2026-03-11'), 2],
    ['Friday evening to Monday morning: Monday', '2026-03-06 18:00', '2026-03-09 08:30', endOf('2026-03-10'), 1],
    [
      'on the due day, back on Wednesday: the end of Wednesday',
      '2026-03-09 10:00',
      '2026-03-11 10:00',
      endOf('2026-03-11'),
      2,
    ],
    [
      'on the due day, back on Saturday: the next working day',
      '2026-03-09 10:00',
      '2026-03-14 10:00',
      endOf('2026-03-16'),
      5,
    ],
    ['already overdue: no time back', '2026-03-10 10:00', '2026-03-12 10:00', endOf('2026-03-09'), 0],
  ];
  for (const [why, pausedAt, resumedAt, due, added] of table) {
    const resumed = resume(pause(mondayCase(), local(pausedAt)), local(resumedAt));
    assert.equal(show(resumed.dueAt), due, why);
    assert.deepEqual(resumed.pauses, [{ from: local(pausedAt), to: local(resumedAt), added }], why);
  }
});

test('a suspension across the Spring Festival gives back only the working days', () => {
  // Received Monday 9 Feb 2026 with ten working days: due on the make-up Saturday 28 Feb (the festival is skipped).
  const clock = startClock({ receivedAt: local('2026-02-09 10:00'), limit: workingDays(10) });
  assert.equal(show(clock.dueAt), endOf('2026-02-28'));
  // Suspended on Friday 13 Feb, resumed on Tuesday 24 Feb: the make-up Saturday and the 24th come back.
  const resumed = resume(pause(clock, local('2026-02-13 16:00')), local('2026-02-24 09:00'));
  assert.equal(resumed.pauses[0]?.added, 2);
  assert.equal(show(resumed.dueAt), endOf('2026-03-03'));
});

test('a paused clock shows its frozen time left and no deadline; two suspensions add up', () => {
  const paused = pause(mondayCase(), local('2026-03-04 10:00'));
  for (const now of ['2026-03-04 11:00', '2026-03-20 11:00']) {
    assert.deepEqual(status(paused, local(now)), {
      state: 'paused',
      dueAt: null,
      remaining: 3,
      unit: 'working_days',
      provisional: false,
    });
  }
  const once = resume(paused, local('2026-03-06 15:00'));
  assert.equal(status(once, local('2026-03-06 15:00')).remaining, 3, 'resuming gives back what was frozen');
  const twice = resume(pause(once, local('2026-03-10 09:00')), local('2026-03-11 09:00'));
  assert.deepEqual(
    twice.pauses.map((p) => p.added),
    [2, 1],
  );
  assert.equal(show(twice.dueAt), endOf('2026-03-12'));
});

test('an hour limit moves by the exact time suspended', () => {
  const clock = startClock({ receivedAt: local('2026-03-02 20:00'), limit: hours(24) });
  const paused = pause(clock, local('2026-03-03 08:00'));
  assert.equal(status(paused, local('2026-03-03 12:00')).remaining, 12);
  const resumed = resume(paused, local('2026-03-03 14:30'));
  assert.equal(show(resumed.dueAt), '2026-03-04 02:30:00.000');
  assert.equal(resumed.pauses[0]?.added, 6.5);
  const late = resume(pause(clock, local('2026-03-03 21:00')), local('2026-03-04 09:00'));
  assert.equal(show(late.dueAt), '2026-03-03 20:00:00.000', 'an overdue clock gets no time back');
});

test('an extension adds to the current deadline, counted from the deadline', () => {
  const table: [string, DeadlineClock, SlaLimit, string, string][] = [
    ['approved before the deadline', mondayCase(), workingDays(5), '2026-03-06 10:00', endOf('2026-03-16')],
    ['approved after the deadline', mondayCase(), workingDays(5), '2026-03-12 10:00', endOf('2026-03-16')],
    [
      'across the golden week',
      startClock({ receivedAt: local('2025-09-22 10:00'), limit: workingDays(5) }),
      workingDays(3),
      '2025-09-26 10:00',
      endOf('2025-10-09'),
    ],
    [
      'hours on an urgent case',
      startClock({ receivedAt: local('2026-03-02 20:00'), limit: hours(24) }),
      hours(12),
      '2026-03-03 10:00',
      '2026-03-04 08:00:00.000',
    ],
  ];
  for (const [why, clock, by, approvedAt, due] of table) {
    const extended = extend(clock, by, local(approvedAt));
    assert.equal(show(extended.dueAt), due, why);
    assert.deepEqual(extended.extensions, [{ by, approvedAt: local(approvedAt), previousDueAt: clock.dueAt }], why);
  }
  // Extended while suspended: the extra days are part of the time left when work resumes.
  const paused = pause(mondayCase(), local('2026-03-04 10:00'));
  const extendedWhilePaused = extend(paused, workingDays(5), local('2026-03-05 10:00'));
  assert.equal(status(extendedWhilePaused, local('2026-03-05 10:00')).remaining, 8);
  assert.equal(show(resume(extendedWhilePaused, local('2026-03-06 15:00')).dueAt), endOf('2026-03-18'));

  throwsReason(() => extend(mondayCase(), hours(24), local('2026-03-03 10:00')), 'unit_mismatch');
  throwsReason(() => extend(mondayCase(), workingDays(0), local('2026-03-03 10:00')), 'invalid_amount');
  throwsReason(() => extend(mondayCase(), workingDays(2.5), local('2026-03-03 10:00')), 'invalid_amount');
  throwsReason(() => extend(mondayCase(), workingDays(2), local('2026-03-01 10:00')), 'out_of_order');
});

test('status goes on_time → due_soon → overdue', () => {
  const clock = mondayCase();
  const table: [string, string, number][] = [
    ['2026-03-02 10:00', 'on_time', 5],
    ['2026-03-05 10:00', 'on_time', 2],
    ['2026-03-06 10:00', 'due_soon', 1],
    ['2026-03-07 12:00', 'due_soon', 1],
    ['2026-03-09 09:00', 'due_soon', 0],
    ['2026-03-09 23:59:59.999', 'due_soon', 0],
    ['2026-03-10 00:00', 'overdue', -1],
    ['2026-03-14 12:00', 'overdue', -4],
  ];
  for (const [now, state, remaining] of table) {
    const result = status(clock, local(now));
    assert.deepEqual([result.state, result.remaining], [state, remaining], now);
    assert.equal(show(result.dueAt), endOf('2026-03-09'));
  }
  assert.equal(status(clock, local('2026-03-05 10:00'), { remindBefore: { workingDays: 2 } }).state, 'due_soon');
  assert.equal(status(clock, local('2026-03-06 10:00'), { remindBefore: { workingDays: 0 } }).state, 'on_time');

  const urgent = startClock({ receivedAt: local('2026-03-02 20:00'), limit: hours(24) });
  const hourly: [string, string, number][] = [
    ['2026-03-03 17:00', 'on_time', 3],
    ['2026-03-03 18:30', 'due_soon', 1.5],
    ['2026-03-03 20:00', 'due_soon', 0],
    ['2026-03-03 21:00', 'overdue', -1],
  ];
  for (const [now, state, remaining] of hourly) {
    const result = status(urgent, local(now));
    assert.deepEqual([result.state, result.remaining, result.unit], [state, remaining, 'hours'], now);
  }
  assert.equal(status(urgent, local('2026-03-03 20:00:00.001')).state, 'overdue');
  throwsReason(() => status(clock, local('2026-03-03 10:00'), { remindBefore: { hours: -1 } }), 'invalid_amount');
});

test('status says when a deadline leans on the provisional 2027 calendar', () => {
  const december = startClock({ receivedAt: local('2026-12-28 10:00'), limit: workingDays(5) });
  assert.equal(show(december.dueAt), endOf('2027-01-05'));
  assert.equal(status(december, local('2026-12-28 11:00')).provisional, true);
  assert.equal(status(mondayCase(), local('2026-03-02 11:00')).provisional, false);
  assert.equal(status(mondayCase(), local('2027-01-04 11:00')).provisional, true, 'overdue into 2027');
  const urgent = startClock({ receivedAt: local('2026-12-31 20:00'), limit: hours(24) });
  assert.equal(status(urgent, local('2026-12-31 21:00')).provisional, false, 'hours do not use the calendar');
});

test('lifecycle errors are typed: conflicts with the state, or input out of order', () => {
  const paused = pause(mondayCase(), local('2026-03-04 10:00'));
  throwsReason(() => pause(paused, local('2026-03-04 11:00')), 'already_paused');
  throwsReason(() => resume(mondayCase(), local('2026-03-04 11:00')), 'not_paused');
  throwsReason(() => resume(paused, local('2026-03-04 09:00')), 'out_of_order');
  throwsReason(() => pause(mondayCase(), local('2026-03-01 09:00')), 'out_of_order');
  const resumed = resume(paused, local('2026-03-05 10:00'));
  throwsReason(() => pause(resumed, local('2026-03-05 09:00')), 'out_of_order');
  throwsReason(() => startClock({ receivedAt: new Date('nonsense'), limit: workingDays(5) }), 'invalid_instant');
  throwsReason(() => startClock({ receivedAt: local('2026-03-02 09:00'), limit: workingDays(-1) }), 'invalid_amount');
  throwsReason(() => startClock({ receivedAt: local('2026-03-02 09:00'), limit: hours(0) }), 'invalid_amount');
  throwsReason(
    () =>
      startClock({ receivedAt: local('2026-03-02 09:00'), limit: { unit: 'weeks', amount: 1 } as unknown as SlaLimit }),
    'invalid_amount',
  );

  assert.throws(
    () => pause(paused, local('2026-03-04 11:00')),
    (error: unknown) => error instanceof AppError && error.code === 'conflict',
  );
  assert.throws(
    () => startClock({ receivedAt: local('2026-03-02 09:00'), limit: workingDays(1.5) }),
    (error: unknown) => error instanceof AppError && error.code === 'validation_failed',
  );
});

test('clocks are immutable values', () => {
  const receivedAt = local('2026-03-02 09:00');
  const clock = startClock({ receivedAt, limit: workingDays(5) });
  receivedAt.setTime(0);
  assert.equal(show(clock.receivedAt), '2026-03-02 09:00:00.000', "the caller's Date is copied");
  const paused = pause(clock, local('2026-03-04 10:00'));
  assert.equal(clock.pausedAt, null, 'pausing returns a new clock');
  assert.ok(Object.isFrozen(clock) && Object.isFrozen(paused) && Object.isFrozen(paused.pauses));
  assert.throws(() => (clock.pauses as unknown[]).push({}), TypeError);
  assert.ok(Object.isFrozen(deadlines));
});

test('resolveLimit: the most specific rule wins', () => {
  const table: [string, SlaCaseFacts, SlaLimit][] = [
    ['a consultation', { kind: 'consultation' }, workingDays(3)],
    ['a request for help', { kind: 'request_for_help', categoryPath: ['民政', '社会救助'] }, workingDays(5)],
    ['a complaint', { kind: 'complaint', categoryPath: ['环境保护', '环境污染', '噪音污染'] }, workingDays(10)],
    ['a suggestion', { kind: 'suggestion', categoryPath: null }, workingDays(15)],
    ['praise', { kind: 'praise' }, workingDays(5)],
    [
      'a safety hazard beats the kind',
      { kind: 'complaint', categoryPath: ['城乡建设', '安全生产', '安全隐患'] },
      workingDays(3),
    ],
    ['a category needs every segment', { kind: 'complaint', categoryPath: ['城乡建设', '安全'] }, workingDays(10)],
    ['urgent beats category and kind', { kind: 'suggestion', categoryPath: ['环境保护'], urgent: true }, hours(24)],
    ['an urgent safety hazard', { kind: 'complaint', categoryPath: ['经济管理', '安全生产'], urgent: true }, hours(2)],
  ];
  for (const [why, facts, limit] of table) assert.deepEqual(resolveLimit(DEFAULT_SLA_POLICY, facts), limit, why);

  const custom: SlaPolicy = {
    rules: [
      { categoryPrefix: ['交通运输'], limit: workingDays(7) },
      { kind: 'complaint', categoryPrefix: ['交通运输'], limit: workingDays(4) },
      { kind: 'complaint', categoryPrefix: ['交通运输'], limit: workingDays(9) },
      { urgent: false, limit: workingDays(20) },
    ],
    fallback: workingDays(12),
    remindBefore: { workingDays: 1, hours: 2 },
  };
  assert.deepEqual(
    resolveLimit(custom, { kind: 'complaint', categoryPath: ['交通运输', '出租车管理'] }),
    workingDays(4),
  );
  assert.deepEqual(
    resolveLimit(custom, { kind: 'praise', categoryPath: ['交通运输'] }),
    workingDays(7),
    'a category beats "ordinary only"',
  );
  assert.deepEqual(resolveLimit(custom, { kind: 'praise' }), workingDays(20), '"ordinary only" beats the fallback');
  assert.deepEqual(
    resolveLimit(custom, { kind: 'praise', urgent: true }),
    workingDays(12),
    'nothing matches: the fallback',
  );
  assert.deepEqual(checkSlaPolicy(custom), ['rules[2]: same selector as rules[1], so it never applies']);
});

test('the default limits table is valid; a broken one is described line by line', () => {
  assert.deepEqual(checkSlaPolicy(DEFAULT_SLA_POLICY), []);
  assert.ok(Object.isFrozen(DEFAULT_SLA_POLICY.rules[0]));
  const broken = {
    rules: [
      { kind: 'gossip', limit: workingDays(3) },
      { categoryPrefix: [''], limit: workingDays(1.5) },
      { urgent: true, limit: hours(0) },
    ],
    fallback: { unit: 'days', amount: 1 },
    remindBefore: { workingDays: -1, hours: 2 },
  } as unknown as SlaPolicy;
  assert.deepEqual(checkSlaPolicy(broken), [
    'rules[0].kind: unknown kind "gossip"',
    'rules[1].categoryPrefix: segments must be non-empty text',
    'rules[1].limit: working days are a whole number from 0 to 10000',
    'rules[2].limit: hours are a number above 0 and up to 87840',
    'fallback.unit: "working_days" or "hours"',
    'remindBefore.workingDays: a number ≥ 0',
  ]);
});
