/**
 * Historical cases written straight from data (the demo city's two years of
 * history): each case's timeline is fired through the state machine
 * (`transition`) at its historical times, its deadline carried out by the SLA
 * engine, and the cases inserted in batches through the hotline import's
 * repository — three statements per batch, no notifications.
 */
import { inTransaction, type PlatformDeps } from '../../../platform/index.ts';
import {
  DEFAULT_CASE_POLICY,
  openCase,
  timelineEntryOf,
  transition,
  type CaseActor,
  type CaseEvent,
  type CaseSnapshot,
  type CaseTimelineEntry,
} from './case.ts';
import { SYSTEM_ACTOR, timelinePayloadOf } from './case.service.ts';
import type { DeadlineClock } from '../deadlines/deadline.ts';
import * as repository from '../hotline-import/hotline-import.repository.ts';
import { carryOutDeadline } from '../deadlines/sla.ts';
import { historicalRepliesOf, saveHistoricalReplyScores } from '../replies/reply-quality.service.ts';
import { caseYearOf, type CaseEventRecord, type CaseKind, type Channel } from './voices.ts';
import { takeCaseNumbers } from './case.repository.ts';

/** An event as history states it: departments by code, a merge's survivor by its index in the list. */
export type HistoricalEvent =
  | Exclude<CaseEvent, { type: 'dispatch' | 'request_transfer' | 'merge' }>
  | { readonly type: 'dispatch'; readonly departmentCode: string }
  | { readonly type: 'request_transfer'; readonly toDepartmentCode: string; readonly reason: string }
  | { readonly type: 'merge'; readonly intoCase: number; readonly reason?: string };

/** One step of a timeline: who (`handler` is the lead department's; `requester` the case's first requester), what, when. */
export interface HistoricalStep {
  readonly at: Date;
  readonly by: 'system' | 'coordinator' | 'handler' | 'requester';
  /** How the timeline names the actor, e.g. `handler:zhang.wei`; defaults to the role. */
  readonly label?: string;
  readonly event: HistoricalEvent;
}

export interface HistoricalCaseInput {
  readonly title: string;
  readonly body: string;
  readonly kind: CaseKind;
  readonly categoryPath: string | null;
  readonly districtCode: string | null;
  readonly communityCode: string | null;
  readonly channel: Channel;
  readonly submittedAt: Date;
  readonly trackingCode: string;
  /** The citizen account that wrote it (its cases show under 我的诉求); without one, an anonymous citizen known by the tracking code. */
  readonly requesterUserId?: number;
  /** The steps after the case opens, in time order. */
  readonly steps: readonly HistoricalStep[];
}

/** How codes become ids: what the database knows (or a test's stand-in). */
export interface HistoricalIds {
  department(code: string): number;
  /** The id of the case at `index` in the list (always an earlier one). */
  caseId(index: number): number;
}

export interface ReplayedCase {
  readonly snapshot: CaseSnapshot;
  readonly clock: DeadlineClock | null;
  readonly events: CaseEventRecord[];
}

const resolve = (event: HistoricalEvent, ids: HistoricalIds): CaseEvent => {
  switch (event.type) {
    case 'dispatch':
      return { type: 'dispatch', departmentId: ids.department(event.departmentCode) };
    case 'request_transfer':
      return { type: 'request_transfer', toDepartmentId: ids.department(event.toDepartmentCode), reason: event.reason };
    case 'merge':
      return {
        type: 'merge',
        intoCaseId: ids.caseId(event.intoCase),
        ...(event.reason ? { reason: event.reason } : {}),
      };
    default:
      return event;
  }
};

/** The requester id a historical case knows its citizen by: `user:<id>` for an account holder, else `code:<tracking code>`. */
const requesterKeyOf = (input: HistoricalCaseInput): string =>
  input.requesterUserId === undefined ? `code:${input.trackingCode}` : `user:${input.requesterUserId}`;

/**
 * Replays a historical case through the state machine. Pure. Throws an Error
 * naming the step when a step is not a legal transition.
 */
export function replayHistoricalCase(input: HistoricalCaseInput, ids: HistoricalIds): ReplayedCase {
  const requesterKey = requesterKeyOf(input);
  const facts = { kind: input.kind, categoryPath: input.categoryPath, urgent: false };
  const opened = openCase({ requesterIds: [requesterKey] }, SYSTEM_ACTOR, input.submittedAt);
  if ('error' in opened) throw new Error(`history: ${opened.error.message}`);
  const events: CaseEventRecord[] = [
    historicalEventRecord(timelineEntryOf(opened.effects), {
      label: 'system',
      marker: 'history',
      outcome: null,
      dueAt: null,
      extra: { channel: input.channel },
    }),
  ];
  let snapshot: CaseSnapshot = opened.next;
  let clock: DeadlineClock | null = null;
  input.steps.forEach((step, index) => {
    const actor: CaseActor =
      step.by === 'system'
        ? SYSTEM_ACTOR
        : step.by === 'coordinator'
          ? { role: 'coordinator', userId: null, departmentId: null }
          : step.by === 'handler'
            ? { role: 'handler', userId: null, departmentId: snapshot.departmentId }
            : { role: 'citizen', userId: null, departmentId: null, requesterId: requesterKey };
    const event = resolve(step.event, ids);
    const result = transition(snapshot, event, actor, step.at, DEFAULT_CASE_POLICY);
    if ('error' in result)
      throw new Error(
        `history: "${input.title}" step ${index + 1} (${snapshot.state} --${event.type}--> by ${step.by}): ${result.error.message}`,
      );
    let outcome: ReturnType<typeof carryOutDeadline>['outcome'] = null;
    try {
      ({ clock, outcome } = carryOutDeadline(clock, result.effects, facts, step.at));
    } catch {
      clock = null; // a time outside the working-day calendar (2025–2027): no deadline
    }
    snapshot = { ...result.next, dueAt: clock ? clock.dueAt : null };
    const startsDeadline = result.effects.some(
      (effect) =>
        effect.type === 'start_deadline' || effect.type === 'extend_deadline' || effect.type === 'resume_deadline',
    );
    events.push(
      historicalEventRecord(timelineEntryOf(result.effects), {
        label: step.label ?? (step.by === 'requester' ? 'citizen' : step.by),
        marker: 'history',
        outcome,
        dueAt: startsDeadline && clock ? clock.dueAt : null,
        extra: null,
      }),
    );
  });
  return { snapshot, clock, events };
}

export interface HistoricalWriteOptions {
  readonly sourceSystem?: string;
  readonly batchSize?: number;
  readonly onBatch?: (done: number, total: number) => void;
}

/**
 * Writes historical cases into a city in batches (one transaction each):
 * numbers by year, message, replayed timeline and deadline. For data loads
 * such as the demo history, not for user input: every code must exist.
 * Returns the ids of the cases in input order.
 */
export async function writeHistoricalCases(
  deps: PlatformDeps,
  regionId: number,
  cases: readonly HistoricalCaseInput[],
  options: HistoricalWriteOptions = {},
): Promise<number[]> {
  const sourceSystem = options.sourceSystem ?? 'history';
  const batchSize = Math.max(1, options.batchSize ?? 500);
  const known = await repository.loadVocabulary(deps.db, regionId);
  const communities = await repository.loadCommunities(deps.db, regionId);
  const categoryPaths = new Map([...known.categories].map(([path, id]) => [id, path]));
  const need = <T>(map: Map<string, T>, key: string, what: string): T => {
    const value = map.get(key);
    if (value === undefined) throw new Error(`history: no ${what} ${key} in this city`);
    return value;
  };
  const caseIds: number[] = [];
  const ids: HistoricalIds = {
    department: (code) => need(known.departments, code, 'department'),
    caseId: (index) => {
      const id = caseIds[index];
      if (id === undefined) throw new Error(`history: case ${index} is merged into before it is written`);
      return id;
    },
  };
  for (let start = 0; start < cases.length; start += batchSize) {
    const batch = cases.slice(start, start + batchSize);
    await inTransaction(deps.db, async (trx) => {
      const numbers: string[] = [];
      const byYear = new Map<number, number[]>();
      batch.forEach((input, offset) => {
        const year = caseYearOf(input.submittedAt);
        byYear.set(year, [...(byYear.get(year) ?? []), offset]);
      });
      for (const [year, offsets] of byYear) {
        const taken = await takeCaseNumbers(trx, regionId, year, offsets.length);
        offsets.forEach((offset, index) => (numbers[offset] = taken[index]!));
      }
      // Cases merged into a case of the same batch wait until that one has its id.
      let pending = batch.map((input, offset) => ({ input, offset }));
      while (pending.length > 0) {
        const ready = pending.filter(({ input }) =>
          input.steps.every((step) => step.event.type !== 'merge' || caseIds[step.event.intoCase] !== undefined),
        );
        if (ready.length === 0) throw new Error('history: a case is merged into a later one');
        const built = ready.map(({ input, offset }) => {
          const replayed = replayHistoricalCase(input, ids);
          return {
            number: numbers[offset]!,
            title: input.title,
            kind: input.kind,
            categoryId: input.categoryPath === null ? null : need(known.categories, input.categoryPath, 'category'),
            districtId: input.districtCode === null ? null : need(known.districts, input.districtCode, 'district'),
            communityId: input.communityCode === null ? null : need(communities, input.communityCode, 'community'),
            channel: input.channel,
            snapshot: replayed.snapshot,
            clock: replayed.clock,
            createdAt: input.submittedAt,
            message: {
              body: input.body,
              requesterKey: requesterKeyOf(input),
              requesterUserId: input.requesterUserId ?? null,
              trackingCode: input.trackingCode,
              sourceId: String(start + offset + 1),
            },
            events: replayed.events,
          } satisfies repository.ImportedCase;
        });
        const inserted = await repository.insertImportedCases(trx, regionId, sourceSystem, built);
        await saveHistoricalReplyScores(trx, regionId, historicalRepliesOf(built, inserted, categoryPaths), deps.clock());
        ready.forEach(({ offset }, index) => (caseIds[start + offset] = inserted[index]!));
        const done = new Set(ready.map(({ offset }) => offset));
        pending = pending.filter(({ offset }) => !done.has(offset));
      }
    });
    options.onBatch?.(Math.min(start + batchSize, cases.length), cases.length);
  }
  return caseIds;
}

/**
 * A timeline row for a case written from history (the demo, a hotline
 * import): shaped as `fireCaseEvent` stores it, marked with `marker`, and
 * with no notifications, because history must not send anyone a message.
 */
export function historicalEventRecord(
  entry: CaseTimelineEntry,
  options: {
    label: string;
    marker: 'history' | 'imported';
    outcome: { dueAt: string; met: boolean } | null;
    dueAt: Date | null;
    extra: Record<string, unknown> | null;
  },
): CaseEventRecord {
  return {
    version: entry.version,
    round: entry.round,
    at: entry.at,
    actorUserId: null,
    actorLabel: options.label,
    event: entry.event.type,
    fromState: entry.from,
    toState: entry.to,
    reason: entry.reason,
    details: {
      actorRole: entry.actor.role,
      [options.marker]: true,
      ...(options.extra ?? {}),
      payload: timelinePayloadOf(entry),
      ...(options.outcome ? { deadline: options.outcome } : {}),
      ...(options.dueAt ? { dueAt: options.dueAt.toISOString() } : {}),
      notifications: [],
    },
  };
}
