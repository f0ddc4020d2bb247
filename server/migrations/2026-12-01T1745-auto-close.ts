import { sql, type Kysely } from 'kysely';

/**
 * Auto-close (办结) once the citizens' rating window has ended: a partial index
 * holding only the cases waiting for ratings (replied or rated), so the SLA
 * scan finds those whose window is over without walking the city's history.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`create index cases_awaiting_rating on cases (region_id, id) where state in ('replied', 'rated')`)
    .execute(db);
}
