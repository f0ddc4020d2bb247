// The SLA engine's pure core: a case's deadline clock over a working-day calendar.
// No clock reads and no I/O: every instant comes in as an argument.
import type { WorkCalendar } from './deadline-calendar.ts';
import { DeadlineError, MAX_HOURS, MAX_WORKING_DAYS, checkAmount, instantMs } from './deadline-error.ts';
import { limitProblems, type RemindBefore, type SlaLimit, type SlaUnit } from './deadline-policy.ts';

export {
  CN_WORKDAYS,
  DEFAULT_TIME_ZONE,
  createWorkCalendar,
  type CalendarHoliday,
  type CalendarYearData,
  type CalendarYearInfo,
  type CalendarYearStatus,
  type WorkCalendar,
  type WorkCalendarData,
  type WorkCalendarOptions,
} from './deadline-calendar.ts';
export { DeadlineError, type DeadlineErrorReason } from './deadline-error.ts';
export {
  DEFAULT_SLA_POLICY,
  SLA_CASE_KINDS,
  checkSlaPolicy,
  resolveLimit,
  type RemindBefore,
  type SlaCaseFacts,
  type SlaCaseKind,
  type SlaLimit,
  type SlaPolicy,
  type SlaRule,
  type SlaUnit,
} from './deadline-policy.ts';

/** A finished suspension: when it began and ended, and how far it moved the deadline (in the clock's unit). */
export interface DeadlinePause {
  readonly from: Date;
  readonly to: Date;
  readonly added: number;
}

/** An approved extension (延期) and the deadline it replaced. */
export interface DeadlineExtension {
  readonly by: SlaLimit;
  readonly approvedAt: Date;
  readonly previousDueAt: Date;
}

/**
 * A case's deadline as an immutable value: plain data, so a repository can
 * store it in columns (`dueAt` indexed for the overdue scan) and rebuild it.
 * Every operation returns a new clock and never touches the `Date`s it was given.
 */
export interface DeadlineClock {
  readonly receivedAt: Date;
  /** The limit it started with; extensions are listed separately. */
  readonly limit: SlaLimit;
  /**
   * The current deadline. While paused it is the deadline as it stood when the
   * pause began: resuming computes the new one.
   */
  readonly dueAt: Date;
  /** When the running suspension began; null while the clock runs. */
  readonly pausedAt: Date | null;
  readonly pauses: readonly DeadlinePause[];
  readonly extensions: readonly DeadlineExtension[];
}

/** Where a clock stands at a given moment. */
export type DeadlineState = 'on_time' | 'due_soon' | 'overdue' | 'paused';

/** The answer of {@link Deadlines.status}. */
export interface DeadlineStatus {
  readonly state: DeadlineState;
  /** The deadline; null while paused, since it depends on when work resumes. */
  readonly dueAt: Date | null;
  /**
   * Time left in `unit`, negative once overdue. Working days: the working days
   * after today up to and including the due day, so it equals the limit on
   * the day of receipt and 0 on the due day itself. Hours: exact, fractional.
   * While paused: the value frozen at the pause, which resuming gives back.
   */
  readonly remaining: number;
  readonly unit: SlaUnit;
  /**
   * True when the figures rely on a calendar year that is provisional or
   * missing (see `WorkCalendar.isProvisional`): show the year's note.
   */
  readonly provisional: boolean;
}

/** Options of {@link Deadlines.status}. */
export interface StatusOptions {
  /** How close to the deadline a clock is `due_soon`; default 1 working day or 2 hours. */
  readonly remindBefore?: Partial<RemindBefore>;
}

/**
 * The lifecycle of deadline clocks over one city's calendar. Build it once
 * at boot with {@link createDeadlines}; every function is pure and total on
 * valid input, and throws a `DeadlineError` otherwise.
 *
 * The rules, in the words a coordinator would use:
 * - **Start**: a limit in working days ends at the end of the N-th working
 *   day after the day of receipt (see `WorkCalendar.addWorkingDays`); a limit
 *   in hours ends that many hours after receipt, nights and holidays included.
 * - **Suspend and resume (中止/恢复)**: a suspension freezes the time left; on
 *   resumption it is counted again from the day after, exactly as at receipt.
 *   So the deadline moves by the working days after the day of suspension up
 *   to and including the day of resumption: a suspension begun and ended on the
 *   same day, or over a weekend, moves nothing; Wednesday to Friday adds two
 *   (Thursday and Friday). Hour limits move by the exact time suspended. A
 *   clock suspended when already overdue gets no time back.
 * - **Extend (延期)**: an approved extension adds its working days (or hours)
 *   to the current deadline, counted from the deadline, not from the approval,
 *   so approving late does not reward lateness. It must use the limit's unit.
 */
export interface Deadlines {
  readonly calendar: WorkCalendar;

  /**
   * A running clock. Errors: `invalid_instant`, `invalid_amount` (working days
   * must be a whole number 0–10,000; hours above 0, at most ten years).
   *
   * @example deadlines.startClock({ receivedAt, limit: { unit: 'working_days', amount: 5 } })
   */
  startClock(input: { receivedAt: Date; limit: SlaLimit }): DeadlineClock;

  /** Suspends the clock at `at`. Errors: `already_paused`; `out_of_order` before receipt or the last resumption. */
  pause(clock: DeadlineClock, at: Date): DeadlineClock;

  /** Resumes a suspended clock at `at` and moves its deadline. Errors: `not_paused`; `out_of_order` before the pause. */
  resume(clock: DeadlineClock, at: Date): DeadlineClock;

  /**
   * Adds an approved extension, paused or not. Errors: `unit_mismatch`,
   * `invalid_amount` (must be more than 0), `out_of_order` before receipt.
   */
  extend(clock: DeadlineClock, by: SlaLimit, approvedAt: Date): DeadlineClock;

  /**
   * Where the clock stands at `now`: `paused`, `overdue` (strictly after
   * `dueAt`), `due_soon` (within `remindBefore`), else `on_time`.
   */
  status(clock: DeadlineClock, now: Date, options?: StatusOptions): DeadlineStatus;
}

/** Reminder lead when the caller gives none: one working day, or two hours. */
export const DEFAULT_REMIND_BEFORE: RemindBefore = Object.freeze({ workingDays: 1, hours: 2 });

const HOUR_MS = 3_600_000;

/**
 * Binds the clock lifecycle to a calendar.
 *
 * @example
 * const deadlines = createDeadlines(createWorkCalendar(CN_WORKDAYS));
 * let clock = deadlines.startClock({ receivedAt: new Date('2026-03-02T09:00+08:00'), limit: { unit: 'working_days', amount: 5 } });
 * clock = deadlines.pause(clock, new Date('2026-03-04T10:00+08:00'));
 * clock = deadlines.resume(clock, new Date('2026-03-06T15:00+08:00'));
 * clock.dueAt; // 2026-03-11T23:59:59.999+08:00: Thursday and Friday were suspended
 */
export function createDeadlines(calendar: WorkCalendar): Deadlines {
  const dueFrom = (start: Date, limit: SlaLimit): Date =>
    limit.unit === 'working_days'
      ? calendar.addWorkingDays(start, limit.amount)
      : calendar.addHours(start, limit.amount);

  // The signed time left between two instants in the clock's unit (see DeadlineStatus.remaining).
  const timeLeft = (unit: SlaUnit, from: Date, dueAt: Date): number =>
    unit === 'working_days'
      ? calendar.countWorkingDays(calendar.localDate(from), calendar.localDate(dueAt))
      : (dueAt.getTime() - from.getTime()) / HOUR_MS;

  const lastEventAt = (clock: DeadlineClock): number => clock.pauses.at(-1)?.to.getTime() ?? clock.receivedAt.getTime();

  const deadlines: Deadlines = {
    calendar,

    startClock({ receivedAt, limit }) {
      const received = copy(receivedAt, 'receivedAt');
      const problems = limitProblems(limit);
      if (problems.length > 0) throw new DeadlineError('invalid_amount', problems.join('; '), { problems });
      const frozenLimit = Object.freeze({ unit: limit.unit, amount: limit.amount });
      return freezeClock({
        receivedAt: received,
        limit: frozenLimit,
        dueAt: dueFrom(received, frozenLimit),
        pausedAt: null,
        pauses: [],
        extensions: [],
      });
    },

    pause(clock, at) {
      const pausedAt = copy(at, 'at');
      if (clock.pausedAt) throw new DeadlineError('already_paused', 'the deadline clock is already paused');
      if (pausedAt.getTime() < lastEventAt(clock)) {
        throw new DeadlineError('out_of_order', 'a pause cannot begin before receipt or the last resumption');
      }
      return freezeClock({ ...clock, pausedAt });
    },

    resume(clock, at) {
      const resumedAt = copy(at, 'at');
      const { pausedAt } = clock;
      if (!pausedAt) throw new DeadlineError('not_paused', 'the deadline clock is not paused');
      if (resumedAt.getTime() < pausedAt.getTime()) {
        throw new DeadlineError('out_of_order', 'a clock cannot resume before it was paused');
      }
      const { unit } = clock.limit;
      const wasOverdue = pausedAt.getTime() > clock.dueAt.getTime();
      // The time left at the pause, counted again from the resumption; an overdue clock keeps its deadline.
      const dueAt = wasOverdue
        ? clock.dueAt
        : dueFrom(resumedAt, { unit, amount: timeLeft(unit, pausedAt, clock.dueAt) });
      const added = timeLeft(unit, clock.dueAt, dueAt);
      return freezeClock({
        ...clock,
        dueAt,
        pausedAt: null,
        pauses: [...clock.pauses, Object.freeze({ from: pausedAt, to: resumedAt, added })],
      });
    },

    extend(clock, by, approvedAt) {
      const approved = copy(approvedAt, 'approvedAt');
      if (by.unit !== clock.limit.unit) {
        throw new DeadlineError('unit_mismatch', `this clock counts ${clock.limit.unit}: extend it in the same unit`, {
          expected: clock.limit.unit,
          received: by.unit,
        });
      }
      const integer = by.unit === 'working_days';
      checkAmount(by.amount, 'amount', { integer, max: integer ? MAX_WORKING_DAYS : MAX_HOURS });
      if (by.amount === 0) {
        throw new DeadlineError('invalid_amount', 'an extension must add some time', { field: 'amount' });
      }
      if (approved.getTime() < clock.receivedAt.getTime()) {
        throw new DeadlineError('out_of_order', 'an extension cannot be approved before receipt');
      }
      const extension = Object.freeze({
        by: Object.freeze({ unit: by.unit, amount: by.amount }),
        approvedAt: approved,
        previousDueAt: clock.dueAt,
      });
      return freezeClock({ ...clock, dueAt: dueFrom(clock.dueAt, by), extensions: [...clock.extensions, extension] });
    },

    status(clock, now, options = {}) {
      const at = copy(now, 'now');
      const remind = { ...DEFAULT_REMIND_BEFORE, ...options.remindBefore };
      checkAmount(remind.workingDays, 'remindBefore.workingDays', { integer: false, max: MAX_WORKING_DAYS });
      checkAmount(remind.hours, 'remindBefore.hours', { integer: false, max: MAX_HOURS });
      const { unit } = clock.limit;
      const paused = clock.pausedAt !== null;
      const remaining = timeLeft(unit, clock.pausedAt ?? at, clock.dueAt);
      const lead = unit === 'working_days' ? remind.workingDays : remind.hours;
      let state: DeadlineState = 'on_time';
      if (paused) state = 'paused';
      else if (at.getTime() > clock.dueAt.getTime()) state = 'overdue';
      else if (remaining <= lead) state = 'due_soon';
      const lastInstant = Math.max(clock.dueAt.getTime(), at.getTime());
      return Object.freeze({
        state,
        dueAt: paused ? null : clock.dueAt,
        remaining,
        unit,
        provisional:
          unit === 'working_days' && touchesUnpublishedYear(calendar, clock.receivedAt, new Date(lastInstant)),
      });
    },
  };
  return Object.freeze(deadlines);
}

/** Whether any calendar year from `from` to `to` is provisional or missing. */
function touchesUnpublishedYear(calendar: WorkCalendar, from: Date, to: Date): boolean {
  const first = Number(calendar.localDate(from).slice(0, 4));
  const last = Number(calendar.localDate(to).slice(0, 4));
  for (let year = first; year <= last; year += 1) {
    if (calendar.yearInfo(year).status !== 'published') return true;
  }
  return false;
}

/** A private copy of a caller's Date, so a later `setTime` on theirs cannot change a clock. */
function copy(value: Date, name: string): Date {
  return new Date(instantMs(value, name));
}

function freezeClock(clock: DeadlineClock): DeadlineClock {
  return Object.freeze({
    ...clock,
    pauses: Object.freeze([...clock.pauses]),
    extensions: Object.freeze([...clock.extensions]),
  });
}
