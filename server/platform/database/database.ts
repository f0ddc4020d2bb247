import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.ts';
import { PGlitePool } from './pglite-pool.ts';
import { PreparingClient } from './prepared.ts';
import type { Database } from './schema.ts';
import { migrateToLatest } from './migrate.ts';
import { AppError } from '../errors.ts';

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
      Client: PreparingClient,
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
    const unlock = options.inMemory ? () => {} : lockDataDir(config.dataDir);
    const pool = await PGlitePool.open(options.inMemory ? undefined : config.dataDir).catch((error: unknown) => {
      unlock();
      throw error;
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    handle = {
      db,
      kind: 'pglite',
      close: async () => {
        await db.destroy();
        unlock();
      },
    };
  }
  if (options.migrate !== false) await migrateToLatest(handle.db);
  return handle;
}

/**
 * PGlite is a single-process database: a second process opening the same
 * folder would corrupt it. A lock file holding the owner's PID turns that
 * into a clear error; a lock left by a dead process is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, 'minxin.lock');
  try {
    fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
  } catch {
    const owner = Number(fs.readFileSync(lockFile, 'utf8'));
    if (owner !== process.pid && isAlive(owner)) {
      throw new AppError(
        'conflict',
        `The embedded database in ${dataDir} is in use by process ${owner} (a running "minxin start"?); stop it first, or use DATABASE_URL`,
      );
    }
    fs.writeFileSync(lockFile, String(process.pid));
  }
  return () => fs.rmSync(lockFile, { force: true });
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
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
