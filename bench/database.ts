import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig, openDatabase, type Config, type DatabaseHandle } from '../server/platform/index.ts';
import type { BenchOptions, DatabaseFacts } from './suite.ts';

/** The server tried when BENCH_DATABASE_URL is unset: the one `npm test` uses. */
export const DEFAULT_BENCH_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** A migrated, empty database for one suite, and how to throw it away. */
export interface BenchDatabase {
  readonly handle: DatabaseHandle;
  /** The configuration the app under test runs with (quiet logger, this database). */
  readonly config: Config;
  readonly facts: DatabaseFacts;
  /** For a raw `pg.Pool` baseline on the same server and schema; absent on PGlite. */
  readonly server?: { readonly url: string; readonly schema: string };
  /** Closes the database and, on a server, drops the throw-away schema. */
  close(): Promise<void>;
}

/**
 * Opens the database the platform would use in production: the PostgreSQL
 * server at BENCH_DATABASE_URL (else the default test server) in a fresh
 * throw-away schema, when it answers within 3 s; otherwise PGlite in
 * memory. `options.database` may insist on either; insisting on a server
 * that does not answer throws. `env` adds settings for the app's config
 * (e.g. MINXIN_CITY). Migrated on return; always call `close()`.
 */
export async function openBenchDatabase(
  options: Pick<BenchOptions, 'database' | 'env' | 'log'>,
  env: Readonly<Record<string, string>> = {},
): Promise<BenchDatabase> {
  const url = options.env.BENCH_DATABASE_URL || DEFAULT_BENCH_DATABASE_URL;
  const base = { LOG_LEVEL: 'silent', INTAKE_RATE_LIMIT_PER_MINUTE: '0', ...env };
  if (options.database !== 'pglite') {
    const reachable = await answers(url);
    if (reachable) return openServer(url, base);
    if (options.database === 'postgres') throw new Error(`No PostgreSQL server answers at ${redact(url)}`);
    options.log(`No PostgreSQL server answers at ${redact(url)}; using PGlite in memory instead`);
  }
  const config = loadConfig(base);
  const handle = await openDatabase(config, { inMemory: true });
  return {
    handle,
    config,
    facts: { kind: 'pglite', version: await versionOf(handle), location: 'in memory' },
    close: () => handle.close(),
  };
}

async function openServer(url: string, env: Record<string, string>): Promise<BenchDatabase> {
  const schema = `minxin_bench_${randomBytes(6).toString('hex')}`;
  const config = loadConfig({ ...env, DATABASE_URL: url, DATABASE_SCHEMA: schema });
  const drop = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`drop schema if exists ${schema} cascade`);
    } finally {
      await client.end();
    }
  };
  let handle: DatabaseHandle;
  try {
    handle = await openDatabase(config);
  } catch (error) {
    await drop().catch(() => {});
    throw error;
  }
  return {
    handle,
    config,
    facts: {
      kind: 'postgres',
      version: await versionOf(handle),
      location: `${redact(url)} (schema ${schema}, dropped afterwards)`,
    },
    server: { url, schema },
    close: async () => {
      await handle.close();
      await drop();
    },
  };
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function versionOf(handle: DatabaseHandle): Promise<string> {
  const { rows } = await sql<{ version: string }>`select version() as version`.execute(handle.db);
  return rows[0]?.version ?? 'unknown';
}

/** The URL without user or password. */
export function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//');
}
