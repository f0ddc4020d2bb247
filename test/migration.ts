import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { migrations } from '../server/migrations/index.ts';
import { loadConfig, openDatabase, type DatabaseHandle } from '../server/platform/index.ts';
import { TEST_DATABASE_URL } from './db.ts';

/** A database of a migration test's own, and how to run the migration under test and throw the database away. */
export interface DatabaseBeforeMigration {
  readonly handle: DatabaseHandle;
  /** Applies the migration under test (and only it). */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A fresh database (PGlite in memory, or a throw-away schema on the
 * TEST_DATABASE_URL server) migrated up to just before `name`, so a test can
 * put old-shaped rows in and watch the migration carry them over.
 */
export async function databaseBefore(name: string): Promise<DatabaseBeforeMigration> {
  const schema = `minxin_mig_${randomBytes(6).toString('hex')}`;
  const config = loadConfig(TEST_DATABASE_URL ? { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema } : {});
  const handle = await openDatabase(config, { inMemory: true, migrate: false });
  const names = Object.keys(migrations).sort();
  if (!names.includes(name)) throw new Error(`databaseBefore: no migration ${name}`);
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(handle.db);
  const migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => migrations }, migrationTableSchema: rows[0]!.schema });
  const to = async (target: string) => {
    const { error } = await migrator.migrateTo(target);
    if (error) throw error;
  };
  await to(names[names.indexOf(name) - 1]!);
  return {
    handle,
    migrate: () => to(name),
    close: async () => {
      await handle.close();
      if (!TEST_DATABASE_URL) return;
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}
