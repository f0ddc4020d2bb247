import { sql, type Kysely } from 'kysely';

/**
 * The SLA scan (reminders before the deadline, 督办 when overdue): on each
 * case the due date it was last reminded and escalated for (a new due date,
 * after an extension or rework, re-arms both), a partial index holding only
 * the running cases not yet escalated for their current due date (so the scan
 * never walks cases it already chased), and the log of reminders and
 * escalations sent, one row per case, kind and due date.
 */
const RUNNING = `state in ('dispatched', 'in_progress', 'transfer_requested', 'extension_requested', 'reopened')`;

const statements = [
  `alter table cases add column sla_reminded_for timestamptz, add column sla_escalated_for timestamptz`,
  `create index cases_sla_pending on cases (region_id, due_at)
     where ${RUNNING} and sla_escalated_for is distinct from due_at`,
  `create table case_reminders (
    region_id bigint not null,
    case_id bigint not null,
    kind text not null check (kind in ('remind', 'escalate')),
    due_at timestamptz not null,
    department_id bigint,
    at timestamptz not null,
    primary key (region_id, case_id, kind, due_at),
    foreign key (region_id, case_id) references cases (region_id, id)
  )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
