/**
 * The SQL of reply quality: scores stored per reply (`reply_scores`), read
 * per case, and the replies still to score for the backfill, page by page.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../../../platform/index.ts';
import type { DimensionScore, ReplyCue } from '../../../algorithms/reply-quality/index.ts';
import type { CaseEventRecord, CaseKind } from '../cases/voices.ts';
import type { CaseState } from '../cases/case.ts';
import type { VoicesTables } from '../cases/voices.table.ts';
import type { ReplyScore } from './reply-quality.ts';
import type { ReplyQualityTables, ReplyScoreTable } from './reply-quality.table.ts';

type Executor = Kysely<Database>;
const tables = (db: Executor): Kysely<Database & VoicesTables & ReplyQualityTables> => db.withTables<VoicesTables & ReplyQualityTables>();

/** A score as stored: the score, when it was computed. */
export type StoredReplyScore = ReplyScore & { readonly scoredAt: Date };

const DIMENSIONS = ['relevance', 'completeness', 'explainability', 'timeliness'] as const;

function scoreRow(regionId: number, score: ReplyScore, scoredAt: Date) {
  const { quality, delay } = score;
  return {
    region_id: regionId,
    case_id: score.caseId,
    event_version: score.eventVersion,
    round: score.round,
    department_id: score.departmentId,
    replied_at: score.repliedAt,
    method: quality.method,
    relevance: quality.relevance.score,
    completeness: quality.completeness.score,
    explainability: quality.explainability.score,
    timeliness: quality.timeliness?.score ?? null,
    overall: quality.overall,
    delay_elapsed: delay?.elapsed ?? null,
    delay_limit: delay?.limit ?? null,
    delay_unit: delay?.unit ?? null,
    cues: JSON.stringify(Object.fromEntries(DIMENSIONS.map((dimension) => [dimension, quality[dimension]?.cues ?? []]))),
    scored_at: scoredAt,
  };
}

/**
 * Stores scores in one statement. `replace` re-scores replies already
 * scored (a new method); otherwise a reply's first score is kept. Returns how
 * many rows were written.
 */
export async function saveReplyScores(db: Executor, regionId: number, scores: readonly ReplyScore[], scoredAt: Date, mode: 'keep' | 'replace'): Promise<number> {
  if (scores.length === 0) return 0;
  const result = await tables(db)
    .insertInto('reply_scores')
    .values(scores.map((score) => scoreRow(regionId, score, scoredAt)))
    .onConflict((conflict) => {
      const target = conflict.columns(['region_id', 'case_id', 'event_version']);
      if (mode === 'keep') return target.doNothing();
      return target.doUpdateSet((eb) => ({
        method: eb.ref('excluded.method'),
        department_id: eb.ref('excluded.department_id'),
        relevance: eb.ref('excluded.relevance'),
        completeness: eb.ref('excluded.completeness'),
        explainability: eb.ref('excluded.explainability'),
        timeliness: eb.ref('excluded.timeliness'),
        overall: eb.ref('excluded.overall'),
        delay_elapsed: eb.ref('excluded.delay_elapsed'),
        delay_limit: eb.ref('excluded.delay_limit'),
        delay_unit: eb.ref('excluded.delay_unit'),
        cues: eb.ref('excluded.cues'),
        scored_at: eb.ref('excluded.scored_at'),
      }));
    })
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

function toStored(row: Selectable<ReplyScoreTable>): StoredReplyScore {
  const cues = (typeof row.cues === 'string' ? JSON.parse(row.cues) : row.cues) as Record<string, ReplyCue[]>;
  const dimension = (name: (typeof DIMENSIONS)[number], score: number): DimensionScore => ({ score: Number(score), cues: cues[name] ?? [] });
  return {
    caseId: Number(row.case_id),
    eventVersion: row.event_version,
    round: row.round,
    departmentId: row.department_id === null ? null : Number(row.department_id),
    repliedAt: new Date(row.replied_at),
    delay: row.delay_unit === null ? null : { elapsed: Number(row.delay_elapsed), limit: Number(row.delay_limit), unit: row.delay_unit },
    quality: {
      method: row.method,
      relevance: dimension('relevance', row.relevance),
      completeness: dimension('completeness', row.completeness),
      explainability: dimension('explainability', row.explainability),
      timeliness: row.timeliness === null ? null : dimension('timeliness', row.timeliness),
      overall: Number(row.overall),
    },
    scoredAt: new Date(row.scored_at),
  };
}

/** A case's reply scores, in the order of its replies. */
export async function listReplyScores(db: Executor, regionId: number, caseId: number): Promise<StoredReplyScore[]> {
  const rows = await tables(db)
    .selectFrom('reply_scores')
    .selectAll()
    .where('region_id', '=', regionId)
    .where('case_id', '=', caseId)
    .orderBy('event_version')
    .execute();
  return rows.map(toStored);
}

/** A stored reply the backfill is to score, with what it needs to know about its case. */
export interface ReplyToScore {
  readonly caseId: number;
  readonly kind: CaseKind;
  readonly categoryPath: string | null;
  readonly urgent: boolean;
  /** The replying handler's department, else the case's lead department now. */
  readonly departmentId: number | null;
  readonly reply: CaseEventRecord;
}

/**
 * One keyset page of the city's replies after `(afterCaseId, afterVersion)`,
 * in (case, version) order: those without a score, or every reply with `all`.
 */
export async function findRepliesToScore(
  db: Executor,
  regionId: number,
  after: { caseId: number; version: number },
  limit: number,
  which: 'unscored' | 'all',
): Promise<ReplyToScore[]> {
  let query = tables(db)
    .selectFrom('case_events as e')
    .innerJoin('cases as c', (join) => join.onRef('c.region_id', '=', 'e.region_id').onRef('c.id', '=', 'e.case_id'))
    .leftJoin('categories as cat', (join) => join.onRef('cat.region_id', '=', 'c.region_id').onRef('cat.id', '=', 'c.category_id'))
    .selectAll('e')
    .select(['c.kind', 'c.urgent', 'c.department_id as lead_department_id', 'cat.path as category_path'])
    .where('e.region_id', '=', regionId)
    .where('e.event', '=', 'reply')
    .where((eb) => eb.or([eb('e.case_id', '>', after.caseId), eb.and([eb('e.case_id', '=', after.caseId), eb('e.version', '>', after.version)])]));
  if (which === 'unscored') {
    query = query.where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('reply_scores as s')
            .select('s.case_id')
            .whereRef('s.region_id', '=', 'e.region_id')
            .whereRef('s.case_id', '=', 'e.case_id')
            .whereRef('s.event_version', '=', 'e.version'),
        ),
      ),
    );
  }
  const rows = await query.orderBy('e.case_id').orderBy('e.version').limit(limit).execute();
  return rows.map((row) => {
    const details = row.details as Record<string, unknown>;
    const replier = typeof details.departmentId === 'number' ? details.departmentId : null;
    return {
      caseId: Number(row.case_id),
      kind: row.kind as CaseKind,
      categoryPath: row.category_path,
      urgent: row.urgent,
      departmentId: replier ?? (row.lead_department_id === null ? null : Number(row.lead_department_id)),
      reply: {
        version: row.version,
        round: row.round,
        at: new Date(row.at),
        actorUserId: row.actor_user_id === null ? null : Number(row.actor_user_id),
        actorLabel: row.actor_label,
        event: row.event,
        fromState: row.from_state as CaseState | null,
        toState: row.to_state as CaseState,
        reason: row.reason,
        details,
      },
    };
  });
}

/** The messages (title, body; oldest first) of some cases. */
export async function listMessageTexts(db: Executor, regionId: number, caseIds: readonly number[]): Promise<Map<number, { title: string; body: string }[]>> {
  const texts = new Map<number, { title: string; body: string }[]>();
  if (caseIds.length === 0) return texts;
  const rows = await tables(db)
    .selectFrom('messages')
    .select(['case_id', 'title', 'body'])
    .where('region_id', '=', regionId)
    .where('case_id', 'in', [...new Set(caseIds)])
    .orderBy('case_id')
    .orderBy('id')
    .execute();
  for (const row of rows) {
    const caseId = Number(row.case_id);
    texts.set(caseId, [...(texts.get(caseId) ?? []), { title: row.title, body: row.body }]);
  }
  return texts;
}

/** When each round of some cases began (its first timeline row), keyed `caseId:round`. */
export async function findRoundStarts(db: Executor, regionId: number, caseIds: readonly number[]): Promise<Map<string, Date>> {
  const starts = new Map<string, Date>();
  if (caseIds.length === 0) return starts;
  const rows = await tables(db)
    .selectFrom('case_events')
    .select(['case_id', 'round', sql<Date | string>`min(at)`.as('started_at')])
    .where('region_id', '=', regionId)
    .where('case_id', 'in', [...new Set(caseIds)])
    .groupBy(['case_id', 'round'])
    .execute();
  for (const row of rows) starts.set(`${Number(row.case_id)}:${row.round}`, new Date(row.started_at));
  return starts;
}
