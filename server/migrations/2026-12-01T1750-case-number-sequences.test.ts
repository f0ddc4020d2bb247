import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { TEST_DATABASE_URL } from '../../test/db.ts';
import { loadConfig, openDatabase, type DatabaseHandle } from '../platform/index.ts';
import { migrations } from './index.ts';

const NAME = '2026-12-01T1750-case-number-sequences';
const schema = `minxin_mig_${randomBytes(6).toString('hex')}`;
let handle: DatabaseHandle;
let migrator: Migrator;

/** A database of its own, migrated up to just before case numbers moved to sequences. */
before(async () => {
  const config = loadConfig(TEST_DATABASE_URL ? { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema } : {});
  handle = await openDatabase(config, { inMemory: true, migrate: false });
  const names = Object.keys(migrations).sort();
  const previous = names[names.indexOf(NAME) - 1]!;
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(handle.db);
  migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => migrations }, migrationTableSchema: rows[0]!.schema });
  const { error } = await migrator.migrateTo(previous);
  if (error) throw error;
});

after(async () => {
  await handle?.close();
  if (TEST_DATABASE_URL) {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  }
});

test('each city-year counter becomes its sequence, continuing after the last number given; the counters table is gone', async () => {
  await sql`insert into case_counters (region_id, year, last_number) values (9001, 2025, 1200), (9001, 2026, 7), (9002, 2026, 1)`.execute(handle.db);
  const { error } = await migrator.migrateTo(NAME);
  if (error) throw error;
  const next = async (name: string) => Number((await sql<{ n: string }>`select nextval(${name}::regclass) as n`.execute(handle.db)).rows[0]!.n);
  assert.equal(await next('case_numbers_9001_2025'), 1201);
  assert.equal(await next('case_numbers_9001_2026'), 8);
  assert.equal(await next('case_numbers_9002_2026'), 2);
  const { rows } = await sql<{ found: string | null }>`select to_regclass('case_counters')::text as found`.execute(handle.db);
  assert.equal(rows[0]!.found, null);
});
