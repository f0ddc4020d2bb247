import { sql, type Kysely } from 'kysely';

/**
 * Splits each city's audit hash chain into independent chains (16 in the
 * code today; the number is stored per row, not here), so a city's audited
 * writes no longer all wait for one chain head. `audit_heads` is keyed by
 * `(region_id, chain)`, `audit_log` by `(region_id, chain, seq)` with `seq`
 * counting within its chain. Existing rows become chain 0 with their hashes
 * unchanged (chain 0 is hashed as an absent field), so old chains still
 * verify; cities that already have a head get empty heads for chains 1–15,
 * as a city's first append creates them all. Forward-only; adding a column
 * with a constant default rewrites nothing and fires no row trigger.
 */
const statements = [
  `alter table audit_heads add column chain smallint not null default 0`,
  `alter table audit_heads alter column chain drop default`,
  `alter table audit_heads drop constraint audit_heads_pkey`,
  `alter table audit_heads add primary key (region_id, chain)`,
  `insert into audit_heads (region_id, chain, seq, hash)
     select h.region_id, c, 0, repeat('0', 64) from audit_heads h, generate_series(1, 15) as c
     on conflict (region_id, chain) do nothing`,
  `alter table audit_log add column chain smallint not null default 0`,
  `alter table audit_log alter column chain drop default`,
  `alter table audit_log drop constraint audit_log_pkey`,
  `alter table audit_log add primary key (region_id, chain, seq)`,
  `alter table audit_log add constraint audit_log_chain check (chain >= 0)`,
  // The listing reads newest first across chains: by time, then chain, then seq.
  `create index audit_log_time on audit_log (region_id, at, chain, seq)`,
  `drop index audit_log_actor`,
  `create index audit_log_actor on audit_log (region_id, actor_user_id, at, chain, seq)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
