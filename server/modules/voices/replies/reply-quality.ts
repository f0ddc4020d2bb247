/**
 * Reply quality on a case (docs/reply-quality.md): the pure scorer of
 * `server/algorithms/reply-quality` applied to a reply as the timeline stores
 * it, with its delay counted on the city's working-day calendar against the
 * deadline in force when it was given. Pure: every instant comes in.
 */
import { scoreReply, type ReplyDelay, type ReplyQuality } from '../../../algorithms/reply-quality/index.ts';
import { DEFAULT_SLA_POLICY, resolveLimit } from '../deadlines/deadline.ts';
import { DEADLINES, type SlaFacts } from '../deadlines/sla.ts';
import type { CaseEventRecord } from '../cases/voices.ts';

/** Text read from a case's messages, at most: a joined case may carry many; the scorer reads the gist. */
const MAX_MESSAGE_TEXT = 20_000;
const HOUR_MS = 3_600_000;

/** What scoring one reply needs to know about its case. */
export interface CaseReplyFacts extends SlaFacts {
  readonly caseId: number;
  /** The department that owed the reply (the lead department when it was given); null for a historical reply without one. */
  readonly departmentId: number | null;
  /** The case's messages, oldest first. */
  readonly messages: readonly { readonly title: string; readonly body: string }[];
  /** When the reply's round began: the case's creation for round 1, its reopening for later rounds. */
  readonly roundStartedAt: Date;
  /** The timeline row of the reply (`event` is `reply`). */
  readonly reply: CaseEventRecord;
}

/** A reply's score as stored and shown: which reply, who gave it, how long it took, how good it is. */
export interface ReplyScore {
  readonly caseId: number;
  /** The version of the reply's timeline row: one score per reply. */
  readonly eventVersion: number;
  readonly round: number;
  readonly departmentId: number | null;
  readonly repliedAt: Date;
  readonly delay: ReplyDelay | null;
  readonly quality: ReplyQuality;
}

/**
 * Scores the reply in `facts.reply`. The delay runs from the round's start to
 * the reply; the limit is the deadline the reply's timeline row recorded when
 * its clock stopped (so suspensions and extensions count, and triage time is
 * the city's, not a free gift), else the city's SLA limit for the case's kind
 * and category. Unknown when the calendar cannot count those days.
 *
 * @throws Error when `facts.reply` is not a reply.
 */
export function scoreCaseReply(facts: CaseReplyFacts): ReplyScore {
  if (facts.reply.event !== 'reply') throw new Error(`reply quality: timeline row ${facts.reply.version} is a ${facts.reply.event}, not a reply`);
  const { text, dueAt } = replyOfEvent(facts.reply);
  const delay = replyDelayOf({ roundStartedAt: facts.roundStartedAt, repliedAt: facts.reply.at, dueAt, facts });
  const [first] = facts.messages;
  const body = facts.messages
    .map((message) => message.body)
    .join('\n')
    .slice(0, MAX_MESSAGE_TEXT);
  return {
    caseId: facts.caseId,
    eventVersion: facts.reply.version,
    round: facts.reply.round,
    departmentId: facts.departmentId,
    repliedAt: facts.reply.at,
    delay,
    quality: scoreReply({ title: first?.title ?? '', body, reply: text, delay }),
  };
}

/** The reply's text and the deadline its clock stopped at, as `planCaseEvent` stored them. */
export function replyOfEvent(event: CaseEventRecord): { text: string; dueAt: Date | null } {
  const payload = event.details.payload as { text?: unknown } | undefined;
  const deadline = event.details.deadline as { dueAt?: unknown } | undefined;
  const dueAt = typeof deadline?.dueAt === 'string' ? new Date(deadline.dueAt) : null;
  return { text: typeof payload?.text === 'string' ? payload.text : '', dueAt: dueAt && !Number.isNaN(dueAt.getTime()) ? dueAt : null };
}

/** When each round of a timeline began: its first row's time. */
export function roundStartsOf(events: readonly CaseEventRecord[]): Map<number, Date> {
  const starts = new Map<number, Date>();
  for (const event of events) {
    const known = starts.get(event.round);
    if (!known || event.at < known) starts.set(event.round, event.at);
  }
  return starts;
}

/**
 * A reply's delay against its limit, in the limit's unit: working days after
 * the day the round began up to and including the day of the reply (the
 * receipt rule of the SLA engine), or hours for an hour limit. Null when the
 * calendar refuses the dates (outside 1970–9999).
 */
export function replyDelayOf(input: { roundStartedAt: Date; repliedAt: Date; dueAt: Date | null; facts: SlaFacts }): ReplyDelay | null {
  const policy = resolveLimit(DEFAULT_SLA_POLICY, {
    kind: input.facts.kind,
    categoryPath: input.facts.categoryPath?.split('/') ?? null,
    urgent: input.facts.urgent,
  });
  const start = input.roundStartedAt;
  const end = input.repliedAt < start ? start : input.repliedAt;
  try {
    if (policy.unit === 'hours') {
      const limit = input.dueAt ? (input.dueAt.getTime() - start.getTime()) / HOUR_MS : policy.amount;
      return { elapsed: (end.getTime() - start.getTime()) / HOUR_MS, limit: Math.max(limit, 1), unit: 'hours' };
    }
    const { calendar } = DEADLINES;
    const days = (to: Date): number => calendar.countWorkingDays(calendar.localDate(start), calendar.localDate(to));
    const limit = input.dueAt ? days(input.dueAt) : policy.amount;
    return { elapsed: days(end), limit: Math.max(limit, 1), unit: 'working_days' };
  } catch {
    return null;
  }
}

/** Working days between two local dates (`YYYY-MM-DD`) on the city's calendar, the first day not counted. */
export function workingDaysBetweenDates(from: string, to: string): number {
  return DEADLINES.calendar.countWorkingDays(from, to);
}

/** The city's local date of an instant. */
export function localDateOf(instant: Date): string {
  return DEADLINES.calendar.localDate(instant);
}
