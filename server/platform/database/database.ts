import fs from 'node:fs';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.ts';
import { PGlitePool } from './pglite-pool.ts';
import type { Database } from './schema.ts';
import { migrateToLatest } from './migrate.ts';

export type Db = Kysely<Database>;

/** An open database plus what is needed to close it. */
export interface DatabaseHandle {
  readonly db: Db;
  readonly kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

/**
 * Opens the database the configuration names: a PostgreSQL server when
 * `databaseUrl` is set, else the embedded PGlite in `dataDir`. Both speak the
 * same SQL and run the same migrations.
 */
export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'databaseSchema' | 'dataDir'>,
  options: { inMemory?: boolean; migrate?: boolean } = {},
): Promise<DatabaseHandle> {
  let handle: DatabaseHandle;
  if (config.databaseUrl) {
    const schema = config.databaseSchema;
    const pool = new pg.Pool({
      connectionString: config.databaseUrl,
      max: 10,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
      types: { getTypeParser: serverTypeParser } as unknown as pg.CustomTypesConfig,
    });
    if (schema) {
      const client = await pool.connect();
      try {
        await client.query(`create schema if not exists ${schema}`);
      } finally {
        client.release();
      }
    }
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    handle = { db, kind: 'postgres', close: () => db.destroy() };
  } else {
    if (!options.inMemory) fs.mkdirSync(config.dataDir, { recursive: true });
    const pool = await PGlitePool.open(options.inMemory ? undefined : config.dataDir);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    handle = { db, kind: 'pglite', close: () => db.destroy() };
  }
  if (options.migrate !== false) await migrateToLatest(handle.db);
  return handle;
}

function serverTypeParser(oid: number, format?: 'text' | 'binary'): unknown {
  if (oid === 20) return (value: string) => Number(value);
  if (oid === 1082) return (value: string) => value;
  return pg.types.getTypeParser(oid, format);
}

/** True when the database answers a trivial query; used by `/health`. */
export async function isDatabaseReachable(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
