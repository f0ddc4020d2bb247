/**
 * Reply quality on cases: every reply is scored when it is written (by a
 * handler, or by a hotline import or the demo history), the scores are read
 * with the case by staff, and a backfill scores replies stored before the
 * scorer existed or re-scores them all for a new method.
 */
import { inTransaction, recordAudit, type PlatformDeps, type RequestContext, type Trx } from '../../../platform/index.ts';
import type { CaseRecord, CaseEventRecord, CaseKind } from '../cases/voices.ts';
import type { ImportedCase } from '../hotline-import/hotline-import.repository.ts';
import * as repository from './reply-quality.repository.ts';
import { roundStartsOf, scoreCaseReply, type ReplyScore } from './reply-quality.ts';

export type { StoredReplyScore } from './reply-quality.repository.ts';

/**
 * Scores the reply just written to `record` (the case as it stood before the
 * reply), inside the caller's transaction. A scorer failure must never cost a
 * citizen their reply: it is logged and the reply stays unscored, for the
 * backfill to pick up.
 */
export async function scoreNewReply(trx: Trx, deps: PlatformDeps, regionId: number, record: CaseRecord, reply: CaseEventRecord): Promise<void> {
  const messages = (await repository.listMessageTexts(trx, regionId, [record.id])).get(record.id) ?? [];
  const starts = await repository.findRoundStarts(trx, regionId, [record.id]);
  let score: ReplyScore;
  try {
    score = scoreCaseReply({
      caseId: record.id,
      kind: record.kind,
      categoryPath: record.categoryPath,
      urgent: record.urgent,
      departmentId: record.snapshot.departmentId,
      messages,
      roundStartedAt: starts.get(`${record.id}:${reply.round}`) ?? record.createdAt,
      reply,
    });
  } catch (error) {
    deps.logger.error({ err: error, caseId: record.id, version: reply.version }, 'reply quality: scoring failed; the reply is stored unscored');
    return;
  }
  await repository.saveReplyScores(trx, regionId, [score], deps.clock(), 'keep');
}

/** A case written from history (hotline import, demo), with its id and what scoring its replies needs. */
export interface HistoricalCaseReplies {
  readonly caseId: number;
  readonly title: string;
  readonly body: string;
  readonly kind: CaseKind;
  readonly categoryPath: string | null;
  readonly departmentId: number | null;
  readonly events: readonly CaseEventRecord[];
}

/** The scores of the replies in historical timelines (pure: the rounds start where their first rows are). */
export function scoresOfHistoricalCases(cases: readonly HistoricalCaseReplies[]): ReplyScore[] {
  return cases.flatMap((entry) => {
    const starts = roundStartsOf(entry.events);
    return entry.events
      .filter((event) => event.event === 'reply')
      .map((reply) =>
        scoreCaseReply({
          caseId: entry.caseId,
          kind: entry.kind,
          categoryPath: entry.categoryPath,
          urgent: false,
          departmentId: entry.departmentId,
          messages: [{ title: entry.title, body: entry.body }],
          roundStartedAt: starts.get(reply.round) ?? reply.at,
          reply,
        }),
      );
  });
}

/** Historical cases as the import's repository writes them, with the ids it gave them and the city's category paths by id. */
export function historicalRepliesOf(cases: readonly ImportedCase[], caseIds: readonly number[], categoryPaths: ReadonlyMap<number, string>): HistoricalCaseReplies[] {
  return cases.map((entry, index) => ({
    caseId: caseIds[index]!,
    title: entry.title,
    body: entry.message.body,
    kind: entry.kind,
    categoryPath: entry.categoryId === null ? null : (categoryPaths.get(entry.categoryId) ?? null),
    departmentId: entry.snapshot.departmentId,
    events: entry.events,
  }));
}

/** Stores the scores of historical replies in the caller's transaction (one statement). */
export function saveHistoricalReplyScores(trx: Trx, regionId: number, cases: readonly HistoricalCaseReplies[], now: Date): Promise<number> {
  return repository.saveReplyScores(trx, regionId, scoresOfHistoricalCases(cases), now, 'keep');
}

/** A case's reply scores, oldest reply first (the caller has checked the reader may see them). */
export function listCaseReplyScores(db: PlatformDeps['db'] | Trx, regionId: number, caseId: number): Promise<repository.StoredReplyScore[]> {
  return repository.listReplyScores(db, regionId, caseId);
}

export interface ReplyBackfillOptions {
  /** `unscored` (the default) fills gaps; `all` re-scores every reply with the current method. */
  readonly which?: 'unscored' | 'all';
  readonly batchSize?: number;
  /** Told after each committed batch: how many replies were scored so far. */
  readonly onBatch?: (scored: number) => void;
}

export interface ReplyBackfillReport {
  readonly scored: number;
  readonly batches: number;
}

/**
 * Scores the city's stored replies, batch by batch (each batch one
 * transaction, resumable: a rerun continues with what is still unscored),
 * and audits the run as `reply_quality.backfill` with its counts.
 *
 * @example await backfillReplyScores(deps, context, { which: 'unscored' })
 */
export async function backfillReplyScores(deps: PlatformDeps, context: RequestContext, options: ReplyBackfillOptions = {}): Promise<ReplyBackfillReport> {
  const which = options.which ?? 'unscored';
  const batchSize = Math.max(1, Math.min(options.batchSize ?? 500, 2_000));
  const { regionId } = context;
  let after = { caseId: 0, version: 0 };
  let scored = 0;
  let batches = 0;
  for (;;) {
    const page = await repository.findRepliesToScore(deps.db, regionId, after, batchSize, which);
    if (page.length === 0) break;
    const caseIds = page.map((entry) => entry.caseId);
    const texts = await repository.listMessageTexts(deps.db, regionId, caseIds);
    const starts = await repository.findRoundStarts(deps.db, regionId, caseIds);
    const scores = page.map((entry) =>
      scoreCaseReply({
        caseId: entry.caseId,
        kind: entry.kind,
        categoryPath: entry.categoryPath,
        urgent: entry.urgent,
        departmentId: entry.departmentId,
        messages: texts.get(entry.caseId) ?? [],
        roundStartedAt: starts.get(`${entry.caseId}:${entry.reply.round}`) ?? entry.reply.at,
        reply: entry.reply,
      }),
    );
    await inTransaction(deps.db, (trx) => repository.saveReplyScores(trx, regionId, scores, deps.clock(), which === 'all' ? 'replace' : 'keep'));
    scored += scores.length;
    batches += 1;
    const last = page.at(-1)!;
    after = { caseId: last.caseId, version: last.reply.version };
    options.onBatch?.(scored);
  }
  await inTransaction(deps.db, (trx) =>
    recordAudit(trx, context, { action: 'reply_quality.backfill', resourceType: 'case', details: { which, scored, batches } }, deps.clock()),
  );
  return { scored, batches };
}
