import { sql, type Kysely } from 'kysely';

/**
 * The deliveries page lists a city's unsent (pending and failed) e-mail and
 * webhook deliveries, newest first. Sent rows pile up forever, so the list
 * reads a partial index over the few that are not sent.
 */
const statements = [
  `create index notification_deliveries_unsent on notification_deliveries (region_id, status, id desc) where status <> 'sent'`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
