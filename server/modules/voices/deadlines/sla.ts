/**
 * The SLA engine bound to the shipped Chinese calendar and the default limits
 * table, and the one place a case's deadline effects are carried out on its
 * stored clock. Pure: `now` comes in as an argument.
 */
import { CASE_STATES, type CaseEffect, type CaseState } from '../cases/case.ts';
import {
  CN_WORKDAYS,
  DEFAULT_SLA_POLICY,
  createDeadlines,
  createWorkCalendar,
  resolveLimit,
  type DeadlineClock,
  type DeadlineStatus,
  type SlaCaseKind,
} from './deadline.ts';

/** The city's deadline arithmetic over the 2025–2027 working-day calendar. */
export const DEADLINES = createDeadlines(createWorkCalendar(CN_WORKDAYS));

/** What decides a case's limit. */
export interface SlaFacts {
  readonly kind: SlaCaseKind;
  readonly categoryPath: string | null;
  readonly urgent: boolean;
}

/** Whether a deadline was met, recorded in the timeline when a clock stops. */
export interface DeadlineOutcome {
  readonly dueAt: string;
  readonly met: boolean;
}

/**
 * Carries out the deadline effects of one transition on the case's clock:
 * start (handling or rework: the limit from the policy unless the event gave
 * a due date), pause, resume, extend (in the clock's unit: working days, or
 * 24 hours per day for an hour-limit clock) and stop. Other effects pass by.
 */
export function carryOutDeadline(
  clock: DeadlineClock | null,
  effects: readonly CaseEffect[],
  facts: SlaFacts,
  now: Date,
): { clock: DeadlineClock | null; outcome: DeadlineOutcome | null } {
  let current = clock;
  let outcome: DeadlineOutcome | null = null;
  for (const effect of effects) {
    switch (effect.type) {
      case 'start_deadline': {
        const limit = resolveLimit(DEFAULT_SLA_POLICY, {
          kind: facts.kind,
          categoryPath: facts.categoryPath?.split('/') ?? null,
          urgent: facts.urgent,
        });
        const started = DEADLINES.startClock({ receivedAt: now, limit });
        current = effect.dueAt ? { ...started, dueAt: effect.dueAt } : started;
        break;
      }
      case 'pause_deadline':
        if (current && !current.pausedAt) current = DEADLINES.pause(current, now);
        break;
      case 'resume_deadline':
        if (current?.pausedAt) current = DEADLINES.resume(current, now);
        break;
      case 'extend_deadline':
        if (current) {
          const amount = current.limit.unit === 'working_days' ? effect.workingDays : effect.workingDays * 24;
          const extended = DEADLINES.extend(current, { unit: current.limit.unit, amount }, now);
          current = effect.dueAt ? { ...extended, dueAt: effect.dueAt } : extended;
        }
        break;
      case 'stop_deadline':
        if (current) outcome = { dueAt: current.dueAt.toISOString(), met: now.getTime() <= current.dueAt.getTime() };
        current = null;
        break;
      default:
        break;
    }
  }
  return { clock: current, outcome };
}

/** Where a case's deadline stands at `now`; null when no department owes an answer. */
export function slaStatusOf(state: CaseState, clock: DeadlineClock | null, now: Date): DeadlineStatus | null {
  if (!clock || CASE_STATES[state].deadline === 'none') return null;
  return DEADLINES.status(clock, now, { remindBefore: DEFAULT_SLA_POLICY.remindBefore });
}
