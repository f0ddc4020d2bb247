import { sql, type Kysely } from 'kysely';

/**
 * Near-duplicate lookups under 50 ms among a million stored signatures
 * (docs/near-duplicates.md, "Storage"): a named site's messages move to a
 * table of their own, `message_sites`, read newest first and at most 50 per
 * site (a hot estate would otherwise hand every lookup thousands of
 * candidates); `message_signatures.keys` keeps only the LSH band keys
 * (`band_keys`, still GIN-indexed); problem terms become two arrays, a third
 * of the size of the JSON they replace. Signatures are derived data: they are
 * emptied and every city's indexer starts again from its first message in the
 * window; proposals already made stay (one per message, so none repeats).
 */
const statements = [
  `truncate message_signatures`,
  `update near_duplicate_cities set indexed_through = 0, pending_through = null, pending_since = null`,
  `alter table message_signatures rename column keys to band_keys`,
  `alter index message_signatures_keys rename to message_signatures_band_keys`,
  `alter table message_signatures drop column terms, add column terms text[] not null, add column term_weights real[] not null`,
  `create table message_sites (
    region_id bigint not null,
    site_key integer not null,
    message_id bigint not null,
    primary key (region_id, site_key, message_id),
    foreign key (region_id, message_id) references message_signatures (region_id, message_id) on delete cascade
  )`,
  `create index message_sites_message on message_sites (region_id, message_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
