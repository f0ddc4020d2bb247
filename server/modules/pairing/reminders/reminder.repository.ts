import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../platform/index.ts';
import type { PairingTables } from '../pairing.table.ts';
import { ANSWERED_STATES } from '../visits/visit.repository.ts';

type Executor = Kysely<Database>;
const tables = (db: Executor): Kysely<Database & PairingTables> => db.withTables<PairingTables>();

/** Every city (regions of level city are their own tenant). */
export async function listCityIds(db: Executor): Promise<number[]> {
  const rows = await db.selectFrom('regions').select('region_id').where('level', '=', 'city').execute();
  return rows.map((row) => Number(row.region_id));
}

/** A cadre with work waiting: counts only, and the account to tell. */
export interface CadreBehind {
  readonly cadreId: number;
  readonly userId: number;
  readonly overdueHouseholds: number;
  readonly openNeeds: number;
}

/**
 * Active cadres linked to an active account who have paired households not
 * visited since `since` (never visited counts) or needs found before
 * `needsBefore` whose case is not answered, and who were not reminded in the
 * period starting at `periodStart`.
 */
export async function listCadresBehind(db: Executor, regionId: number, since: string, needsBefore: Date, periodStart: Date): Promise<CadreBehind[]> {
  const result = await sql<{ cadre_id: number; user_id: number; overdue: number; needs: number }>`
    with mine as (
      select p.cadre_id, h.id as household_id,
        (select max(v.visited_on) from pairing_visits v where v.region_id = h.region_id and v.household_id = h.id) as last_visit
      from pairing_pairs p
      join pairing_households h on h.region_id = p.region_id and h.id = p.household_id and h.active
      where p.region_id = ${regionId}
    ),
    overdue as (
      select cadre_id, count(*) filter (where last_visit is null or last_visit < ${since}::date)::int as overdue
      from mine group by cadre_id
    ),
    needs as (
      select m.cadre_id, count(*)::int as needs
      from mine m
      join pairing_needs n on n.region_id = ${regionId} and n.household_id = m.household_id
      left join cases k on k.region_id = n.region_id and k.id = n.case_id
      where n.created_at < ${needsBefore} and (k.state is null or k.state not in (${sql.join(ANSWERED_STATES.map((state) => sql`${state}`))}))
      group by m.cadre_id
    )
    select c.id as cadre_id, c.user_id, coalesce(o.overdue, 0) as overdue, coalesce(n.needs, 0) as needs
    from pairing_cadres c
    join users u on u.region_id = c.region_id and u.id = c.user_id and u.active
    left join overdue o on o.cadre_id = c.id
    left join needs n on n.cadre_id = c.id
    where c.region_id = ${regionId} and c.active and (coalesce(o.overdue, 0) > 0 or coalesce(n.needs, 0) > 0)
      and not exists (select 1 from pairing_reminders r where r.region_id = c.region_id and r.cadre_id = c.id and r.period_start = ${periodStart})
    order by c.id`.execute(db);
  return result.rows.map((row) => ({ cadreId: Number(row.cadre_id), userId: Number(row.user_id), overdueHouseholds: Number(row.overdue), openNeeds: Number(row.needs) }));
}

/** Records that a cadre is reminded in a period; undefined when they already were (another run or server). */
export async function insertReminder(
  trx: Executor,
  regionId: number,
  reminder: { cadreId: number; periodStart: Date; overdueHouseholds: number; openNeeds: number; createdAt: Date },
): Promise<number | undefined> {
  const row = await tables(trx)
    .insertInto('pairing_reminders')
    .values({
      region_id: regionId,
      cadre_id: reminder.cadreId,
      period_start: reminder.periodStart,
      overdue_households: reminder.overdueHouseholds,
      open_needs: reminder.openNeeds,
      created_at: reminder.createdAt,
    })
    .onConflict((conflict) => conflict.columns(['region_id', 'cadre_id', 'period_start']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row === undefined ? undefined : Number(row.id);
}
