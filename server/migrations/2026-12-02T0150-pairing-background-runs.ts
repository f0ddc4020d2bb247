import { sql, type Kysely } from 'kysely';

/**
 * Pairing runs computed in the background (docs/pairing.md, 结对方案): a run
 * is stored `queued` when a coordinator asks for it, `running` while a server
 * computes it (with its progress and a heartbeat, so a server that restarts
 * or another server can tell a run whose server died and mark it `failed`),
 * then `proposed` with its numbers and diff as before. The result columns get
 * defaults for the time before the result exists. At most one queued or
 * running run per area (a district, or the whole city as district 0).
 */
const statements = [
  `alter table pairing_runs drop constraint pairing_runs_status_check`,
  `alter table pairing_runs add constraint pairing_runs_status_check check (status in ('queued', 'running', 'proposed', 'approved', 'rejected', 'failed'))`,
  `alter table pairing_runs add column progress double precision not null default 1 check (progress between 0 and 1)`,
  `alter table pairing_runs add column phase text check (phase is null or length(phase) <= 40)`,
  `alter table pairing_runs add column error text check (error is null or length(error) <= 2000)`,
  `alter table pairing_runs add column started_at timestamptz`,
  `alter table pairing_runs add column finished_at timestamptz`,
  `alter table pairing_runs add column heartbeat_at timestamptz`,
  `alter table pairing_runs alter column solver_status set default 'pending'`,
  `alter table pairing_runs alter column solve_ms set default 0`,
  `alter table pairing_runs alter column cadres set default 0`,
  `alter table pairing_runs alter column households set default 0`,
  `alter table pairing_runs alter column assignments set default '[]'`,
  `alter table pairing_runs alter column diff set default '{"kept":0,"changed":[],"added":[],"unserved":[],"ended":[]}'`,
  `alter table pairing_runs alter column pairs_digest set default ''`,
  `create unique index pairing_runs_one_active on pairing_runs (region_id, coalesce(district_id, 0)) where status in ('queued', 'running')`,
  `create index pairing_runs_active on pairing_runs (status, heartbeat_at) where status in ('queued', 'running')`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
