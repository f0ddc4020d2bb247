import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../platform/index.ts';
import type { PairingTables } from '../pairing.table.ts';

type Executor = Kysely<Database>;
const tables = (db: Executor): Kysely<Database & PairingTables> => db.withTables<PairingTables>();

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (char) => `\\${char}`);
const dateText = (value: unknown): string => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10));

/** A visit as the household page shows it. */
export interface Visit {
  readonly id: number;
  readonly householdId: number;
  readonly cadreId: number;
  readonly cadreName: string;
  readonly visitedOn: string;
  readonly durationMinutes: number;
  readonly met: string;
  readonly situation: string;
  readonly createdAt: Date;
}

/** A need found on a visit and the voices case it became (its number and state: the case's progress). */
export interface NeedWithCase {
  readonly id: number;
  readonly visitId: number | null;
  readonly needType: string;
  readonly description: string;
  readonly createdAt: Date;
  readonly caseId: number | null;
  readonly caseNumber: string | null;
  readonly caseState: string | null;
}

/** Case states in which the need counts as answered (no longer open). */
export const ANSWERED_STATES = ['replied', 'verifying', 'rated', 'closed', 'merged', 'not_in_scope'] as const;

export async function insertVisit(
  db: Executor,
  regionId: number,
  visit: { householdId: number; cadreId: number; visitedOn: string; durationMinutes: number; met: string; situation: string; createdBy: number | null; createdAt: Date },
): Promise<number> {
  const row = await tables(db)
    .insertInto('pairing_visits')
    .values({
      region_id: regionId,
      household_id: visit.householdId,
      cadre_id: visit.cadreId,
      visited_on: visit.visitedOn,
      duration_minutes: visit.durationMinutes,
      met: visit.met,
      situation: visit.situation,
      created_by: visit.createdBy,
      created_at: visit.createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Many visits at once (the demo's year of visits), in chunks. */
export async function insertVisits(
  db: Executor,
  regionId: number,
  visits: readonly { householdId: number; cadreId: number; visitedOn: string; durationMinutes: number; met: string; situation: string; createdAt: Date }[],
): Promise<void> {
  // Columns go as arrays through unnest: one short statement per 20,000 visits instead of a VALUES list
  // that PostgreSQL must parse row by row (the demo city writes about 110,000).
  for (let start = 0; start < visits.length; start += 20_000) {
    const chunk = visits.slice(start, start + 20_000);
    await sql`
      insert into pairing_visits (region_id, household_id, cadre_id, visited_on, duration_minutes, met, situation, created_at)
      select ${regionId}, household_id, cadre_id, visited_on, duration_minutes, met, situation, created_at
      from unnest(${chunk.map((visit) => visit.householdId)}::bigint[], ${chunk.map((visit) => visit.cadreId)}::bigint[],
                  ${chunk.map((visit) => visit.visitedOn)}::date[], ${chunk.map((visit) => visit.durationMinutes)}::integer[],
                  ${chunk.map((visit) => visit.met)}::text[], ${chunk.map((visit) => visit.situation)}::text[],
                  ${chunk.map((visit) => visit.createdAt.toISOString())}::timestamptz[])
        as visit(household_id, cadre_id, visited_on, duration_minutes, met, situation, created_at)`.execute(db);
  }
}

export async function insertNeed(
  db: Executor,
  regionId: number,
  need: { householdId: number; visitId: number | null; needType: string; description: string; caseId: number | null; createdAt: Date },
): Promise<number> {
  const row = await tables(db)
    .insertInto('pairing_needs')
    .values({ region_id: regionId, household_id: need.householdId, visit_id: need.visitId, need_type: need.needType, description: need.description, case_id: need.caseId, created_at: need.createdAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** A household's visits, newest first (at most 200). */
export async function listVisits(db: Executor, regionId: number, householdId: number): Promise<Visit[]> {
  const rows = await tables(db)
    .selectFrom('pairing_visits as v')
    .innerJoin('pairing_cadres as c', (join) => join.onRef('c.region_id', '=', 'v.region_id').onRef('c.id', '=', 'v.cadre_id'))
    .selectAll('v')
    .select('c.name as cadre_name')
    .where('v.region_id', '=', regionId)
    .where('v.household_id', '=', householdId)
    .orderBy('v.visited_on', 'desc')
    .orderBy('v.id', 'desc')
    .limit(200)
    .execute();
  return rows.map((row) => ({
    id: Number(row.id),
    householdId: Number(row.household_id),
    cadreId: Number(row.cadre_id),
    cadreName: row.cadre_name,
    visitedOn: dateText(row.visited_on),
    durationMinutes: row.duration_minutes,
    met: row.met,
    situation: row.situation,
    createdAt: new Date(row.created_at),
  }));
}

/** A household's needs with their cases' number and state (the cases table belongs to voices; read only). */
export async function listNeeds(db: Executor, regionId: number, householdId: number): Promise<NeedWithCase[]> {
  const rows = await tables(db)
    .selectFrom('pairing_needs as n')
    .selectAll('n')
    .select([
      sql<string | null>`(select k.number from cases k where k.region_id = n.region_id and k.id = n.case_id)`.as('case_number'),
      sql<string | null>`(select k.state from cases k where k.region_id = n.region_id and k.id = n.case_id)`.as('case_state'),
    ])
    .where('n.region_id', '=', regionId)
    .where('n.household_id', '=', householdId)
    .orderBy('n.id', 'desc')
    .execute();
  return rows.map((row) => ({
    id: Number(row.id),
    visitId: row.visit_id === null ? null : Number(row.visit_id),
    needType: row.need_type,
    description: row.description,
    createdAt: new Date(row.created_at),
    caseId: row.case_id === null ? null : Number(row.case_id),
    caseNumber: row.case_number,
    caseState: row.case_state,
  }));
}

const scoped = (regionId: number, scopePath: string) =>
  scopePath === `/${regionId}/` ? sql`true` : sql`r.path like ${`${escapeLike(scopePath)}%`}`;

/** The coverage board's facts for an area: overdue households, cadres behind, needs open too long. */
export interface Coverage {
  readonly households: number;
  readonly paired: number;
  readonly visitedWithin: number;
  readonly overdue: readonly { householdId: number; code: string; communityName: string; cadreId: number | null; cadreName: string | null; lastVisit: string | null }[];
  readonly cadresBehind: readonly { cadreId: number; code: string; name: string; households: number; overdue: number }[];
  readonly needsOpen: readonly { needId: number; householdId: number; needType: string; createdAt: Date; caseNumber: string | null; caseState: string | null }[];
}

/**
 * Coverage of an area (region path): households not visited since `since`
 * (the oldest first, at most `limit`), cadres with overdue households, and
 * needs whose case is not answered and were found before `needsBefore`.
 */
export async function coverage(db: Executor, regionId: number, scopePath: string, since: string, needsBefore: Date, limit: number): Promise<Coverage> {
  const where = scoped(regionId, scopePath);
  const last = sql`(select max(v.visited_on) from pairing_visits v where v.region_id = h.region_id and v.household_id = h.id)`;
  const totals = await sql<{ households: number; paired: number; visited: number }>`
    select count(*)::int as households, count(p.id)::int as paired,
      count(*) filter (where ${last} >= ${since}::date)::int as visited
    from pairing_households h
    join regions r on r.region_id = h.region_id and r.id = h.community_id
    left join pairing_pairs p on p.region_id = h.region_id and p.household_id = h.id
    where h.region_id = ${regionId} and h.active and ${where}`.execute(db);
  const overdue = await sql<{ id: number; code: string; community_name: string; cadre_id: number | null; cadre_name: string | null; last_visit: string | null }>`
    select h.id, h.code, r.name as community_name, c.id as cadre_id, c.name as cadre_name, ${last}::text as last_visit
    from pairing_households h
    join regions r on r.region_id = h.region_id and r.id = h.community_id
    left join pairing_pairs p on p.region_id = h.region_id and p.household_id = h.id
    left join pairing_cadres c on c.region_id = p.region_id and c.id = p.cadre_id
    where h.region_id = ${regionId} and h.active and ${where} and coalesce(${last} < ${since}::date, true)
    order by ${last} asc nulls first, h.id
    limit ${limit}`.execute(db);
  const behind = await sql<{ id: number; code: string; name: string; households: number; overdue: number }>`
    select c.id, c.code, c.name, count(*)::int as households,
      count(*) filter (where coalesce(${last} < ${since}::date, true))::int as overdue
    from pairing_pairs p
    join pairing_cadres c on c.region_id = p.region_id and c.id = p.cadre_id
    join pairing_households h on h.region_id = p.region_id and h.id = p.household_id
    join regions r on r.region_id = h.region_id and r.id = h.community_id
    where p.region_id = ${regionId} and h.active and ${where}
    group by c.id, c.code, c.name
    having count(*) filter (where coalesce(${last} < ${since}::date, true)) > 0
    order by overdue desc, c.id
    limit ${limit}`.execute(db);
  const needs = await sql<{ id: number; household_id: number; need_type: string; created_at: Date; case_number: string | null; case_state: string | null }>`
    select n.id, n.household_id, n.need_type, n.created_at, k.number as case_number, k.state as case_state
    from pairing_needs n
    join pairing_households h on h.region_id = n.region_id and h.id = n.household_id
    join regions r on r.region_id = h.region_id and r.id = h.community_id
    left join cases k on k.region_id = n.region_id and k.id = n.case_id
    where n.region_id = ${regionId} and ${where} and n.created_at < ${needsBefore}
      and (k.state is null or k.state not in (${sql.join(ANSWERED_STATES.map((state) => sql`${state}`))}))
    order by n.created_at, n.id
    limit ${limit}`.execute(db);
  const total = totals.rows[0]!;
  return {
    households: Number(total.households),
    paired: Number(total.paired),
    visitedWithin: Number(total.visited),
    overdue: overdue.rows.map((row) => ({
      householdId: Number(row.id),
      code: row.code,
      communityName: row.community_name,
      cadreId: row.cadre_id === null ? null : Number(row.cadre_id),
      cadreName: row.cadre_name,
      lastVisit: row.last_visit === null ? null : dateText(row.last_visit),
    })),
    cadresBehind: behind.rows.map((row) => ({ cadreId: Number(row.id), code: row.code, name: row.name, households: Number(row.households), overdue: Number(row.overdue) })),
    needsOpen: needs.rows.map((row) => ({
      needId: Number(row.id),
      householdId: Number(row.household_id),
      needType: row.need_type,
      createdAt: new Date(row.created_at),
      caseNumber: row.case_number,
      caseState: row.case_state,
    })),
  };
}

/** Public statistics per district: households, paired, visited since a date. Counts only. */
export async function statsByDistrict(db: Executor, regionId: number, since: string): Promise<{ districtId: number; name: string; households: number; paired: number; visited: number; cadres: number }[]> {
  const result = await sql<{ district_id: number; name: string; households: number; paired: number; visited: number; cadres: number }>`
    select d.id as district_id, d.name,
      (select count(*)::int from pairing_households h where h.region_id = d.region_id and h.district_id = d.id and h.active) as households,
      (select count(*)::int from pairing_households h join pairing_pairs p on p.region_id = h.region_id and p.household_id = h.id
         where h.region_id = d.region_id and h.district_id = d.id and h.active) as paired,
      (select count(distinct v.household_id)::int from pairing_visits v join pairing_households h on h.region_id = v.region_id and h.id = v.household_id
         where h.region_id = d.region_id and h.district_id = d.id and h.active and v.visited_on >= ${since}::date) as visited,
      (select count(*)::int from pairing_cadres c where c.region_id = d.region_id and c.district_id = d.id and c.active) as cadres
    from regions d
    where d.region_id = ${regionId} and d.level = 'district'
    order by d.path`.execute(db);
  return result.rows.map((row) => ({
    districtId: Number(row.district_id),
    name: row.name,
    households: Number(row.households),
    paired: Number(row.paired),
    visited: Number(row.visited),
    cadres: Number(row.cadres),
  }));
}
