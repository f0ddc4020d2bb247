import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig, openDatabase, type DatabaseHandle } from '../server/platform/index.ts';

let shared: Promise<DatabaseHandle> | undefined;

/** Which database the suite runs on: PGlite unless TEST_DATABASE_URL names a server. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

/**
 * One migrated database for the whole test process (tests run with
 * --test-isolation=none). PGlite is in memory; on a server each run gets a
 * throw-away schema, dropped when the process ends. Tests stay independent
 * by creating their own city: every row carries its city's region_id.
 */
export function testDatabase(): Promise<DatabaseHandle> {
  shared ??= open();
  return shared;
}

async function open(): Promise<DatabaseHandle> {
  if (!TEST_DATABASE_URL) {
    const config = loadConfig({});
    return openDatabase(config, { inMemory: true });
  }
  const schema = `minxin_test_${randomBytes(6).toString('hex')}`;
  const config = loadConfig({ DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema });
  const dropSchema = async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  };
  const handle = await openDatabase(config).catch(async (error: unknown) => {
    await dropSchema();
    throw error;
  });
  let dropped = false;
  process.on('beforeExit', () => {
    if (dropped) return;
    dropped = true;
    void handle.close().then(dropSchema);
  });
  return handle;
}
