import { sql, type Kysely } from 'kysely';

/**
 * The OCDS version each stored release came in (docs/projects.md): a process
 * is compiled with the merge rules of its releases' version (1.0 and 1.1
 * merge some arrays differently). Releases stored before this column were
 * compiled by the 1.1 rules, so they are taken as 1.1. Null while an import
 * has not yet settled it (a streamed package whose `version` follows its
 * releases, a release outside any package without `parties`); the import
 * settles it before it compiles.
 */
const statements = [`alter table ocds_releases add column schema_version text default '1.1' check (schema_version in ('1.0', '1.1'))`];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
