import { sql, type Kysely } from 'kysely';

/**
 * Deliveries (e-mail) about a subject that is not a case, like notifications
 * about one (`2026-12-01T2335-pairing-reminders`): a pairing reminder mailed
 * to a cadre (docs/pairing.md). `subject` names it; exactly one of case and
 * subject is set (`case_version` 0 for a subject), and a subject goes to a
 * target over a channel once.
 */
const statements = [
  `alter table notification_deliveries alter column case_id drop not null`,
  `alter table notification_deliveries add column subject text check (length(subject) between 1 and 200)`,
  `alter table notification_deliveries add constraint notification_deliveries_subject check (num_nonnulls(case_id, subject) = 1)`,
  `create unique index notification_deliveries_subject_target on notification_deliveries (region_id, subject, channel, target) where subject is not null`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
