import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../platform/index.ts';
import type { VoicesTables } from '../cases/voices.table.ts';
import type { HotIssueTables } from './hot-issue.table.ts';

type Executor = Kysely<Database>;
const tables = (db: Executor): Kysely<Database & VoicesTables & HotIssueTables> => db.withTables<VoicesTables & HotIssueTables>();

/** A message as the clustering reads it, with where it sits. */
export interface RecentMessage {
  readonly id: number;
  readonly caseId: number;
  readonly requesterKey: string;
  readonly title: string;
  readonly body: string;
  readonly submittedAt: Date;
  /** The district's region path, or the city's when the message has none. */
  readonly regionPath: string;
}

/** Where a keyset page ends: the next page starts below it (newest first). */
export interface PageEnd {
  readonly submittedAt: Date;
  readonly id: number;
}

/**
 * One keyset page of a city's messages submitted in [from, to], newest first
 * (index `messages_submitted`), inside the region path `scopePath` (a
 * city-wide path takes every message; a district's only those placed in it).
 */
export async function readRecentMessages(
  db: Executor,
  regionId: number,
  window: { readonly from: Date; readonly to: Date },
  scopePath: string,
  after: PageEnd | undefined,
  limit: number,
): Promise<RecentMessage[]> {
  const cityWide = scopePath === `/${regionId}/`;
  let query = tables(db)
    .selectFrom('messages')
    .leftJoin('regions as district', (join) => join.onRef('district.region_id', '=', 'messages.region_id').onRef('district.id', '=', 'messages.district_id'))
    .select(['messages.id', 'messages.case_id', 'messages.requester_key', 'messages.title', 'messages.body', 'messages.submitted_at', 'district.path as district_path'])
    .where('messages.region_id', '=', regionId)
    .where('messages.submitted_at', '>=', window.from)
    .where('messages.submitted_at', '<=', window.to);
  if (!cityWide) query = query.where('district.path', 'like', `${scopePath}%`);
  if (after) query = query.where(sql<boolean>`(messages.submitted_at, messages.id) < (${after.submittedAt}, ${after.id})`);
  const rows = await query.orderBy('messages.submitted_at', 'desc').orderBy('messages.id', 'desc').limit(limit).execute();
  return rows.map((row) => ({
    id: Number(row.id),
    caseId: Number(row.case_id),
    requesterKey: row.requester_key,
    title: row.title,
    body: row.body,
    submittedAt: new Date(row.submitted_at),
    regionPath: row.district_path ?? `/${regionId}/`,
  }));
}

/** The case numbers of the cases, by id. */
export async function findCaseNumbers(db: Executor, regionId: number, caseIds: readonly number[]): Promise<Map<number, string>> {
  if (caseIds.length === 0) return new Map();
  const rows = await tables(db).selectFrom('cases').select(['id', 'number']).where('region_id', '=', regionId).where('id', 'in', [...new Set(caseIds)]).execute();
  return new Map(rows.map((row) => [Number(row.id), row.number]));
}

/** Every city (regions of level city are their own tenant). */
export async function listCityIds(db: Executor): Promise<number[]> {
  const rows = await db.selectFrom('regions').select('region_id').where('level', '=', 'city').execute();
  return rows.map((row) => Number(row.region_id));
}

export interface NewAlert {
  readonly regionId: number;
  readonly clusterKey: string;
  readonly periodStart: Date;
  readonly messageIds: readonly number[];
  readonly regionPath: string;
  readonly place: string | null;
  readonly title: string;
  readonly recent: number;
  readonly recentPeople: number;
  readonly baseline: number;
  readonly expected: number;
  readonly ratio: number;
  readonly probability: number;
  readonly createdAt: Date;
}

/** Whether an alert of this period already names any of these messages: the same cluster, announced already. */
export async function alertedInPeriod(trx: Executor, regionId: number, periodStart: Date, messageIds: readonly number[]): Promise<boolean> {
  const row = await tables(trx)
    .selectFrom('hot_issue_alerts')
    .select('id')
    .where('region_id', '=', regionId)
    .where('period_start', '=', periodStart)
    .where(sql<boolean>`message_ids && ${sql.val(messageIds.map(String))}::bigint[]`)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Records an alert; undefined when one for the same cluster key and period exists (a concurrent scan). */
export async function insertAlert(trx: Executor, alert: NewAlert): Promise<number | undefined> {
  const row = await tables(trx)
    .insertInto('hot_issue_alerts')
    .values({
      region_id: alert.regionId,
      cluster_key: alert.clusterKey,
      period_start: alert.periodStart,
      message_ids: sql<string[]>`${sql.val(alert.messageIds.map(String))}::bigint[]`,
      region_path: alert.regionPath,
      place: alert.place,
      title: alert.title,
      recent: alert.recent,
      recent_people: alert.recentPeople,
      baseline: alert.baseline,
      expected: alert.expected,
      ratio: alert.ratio,
      probability: alert.probability,
      created_at: alert.createdAt,
    })
    .onConflict((conflict) => conflict.columns(['region_id', 'cluster_key', 'period_start']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row ? Number(row.id) : undefined;
}

export interface AlertRow {
  readonly id: number;
  readonly periodStart: Date;
  readonly place: string | null;
  readonly title: string;
  readonly recent: number;
  readonly recentPeople: number;
  readonly expected: number;
  readonly ratio: number;
  readonly createdAt: Date;
}

/** The alerts since `since` whose cluster lies in the scope, newest first (at most `limit`). */
export async function listAlerts(db: Executor, regionId: number, scopePath: string, since: Date, limit: number): Promise<AlertRow[]> {
  const rows = await tables(db)
    .selectFrom('hot_issue_alerts')
    .select(['id', 'period_start', 'place', 'title', 'recent', 'recent_people', 'expected', 'ratio', 'created_at'])
    .where('region_id', '=', regionId)
    .where('created_at', '>=', since)
    .where('region_path', 'like', `${scopePath}%`)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: Number(row.id),
    periodStart: new Date(row.period_start),
    place: row.place,
    title: row.title,
    recent: row.recent,
    recentPeople: row.recent_people,
    expected: row.expected,
    ratio: row.ratio,
    createdAt: new Date(row.created_at),
  }));
}
