import { sql, type Kysely } from 'kysely';

/**
 * Case numbers come from one sequence per city and year
 * (`case_numbers_<city>_<year>`, created on a city's first case of a year)
 * instead of a counter row: taking a number no longer locks a row until the
 * taker commits, so intake can take its number inside its one write
 * statement. Each counter row becomes its sequence, continuing after the
 * last number given.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ region_id: string | number; year: number; last_number: number }>`
    select region_id, year, last_number from case_counters`.execute(db);
  for (const row of rows) {
    const name = `case_numbers_${Number(row.region_id)}_${Number(row.year)}`;
    await sql.raw(`create sequence ${name} as bigint minvalue 1 start with ${Number(row.last_number) + 1}`).execute(db);
  }
  await sql`drop table case_counters`.execute(db);
}
