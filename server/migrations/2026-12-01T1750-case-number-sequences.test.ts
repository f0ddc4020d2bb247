import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { databaseBefore, type DatabaseBeforeMigration } from '../../test/migration.ts';

let database: DatabaseBeforeMigration;
before(async () => {
  database = await databaseBefore('2026-12-01T1750-case-number-sequences');
});
after(() => database?.close());

test('each city-year counter becomes its sequence, continuing after the last number given; the counters table is gone', async () => {
  await sql`insert into case_counters (region_id, year, last_number) values (9001, 2025, 1200), (9001, 2026, 7), (9002, 2026, 1)`.execute(database.handle.db);
  await database.migrate();
  const next = async (name: string) => Number((await sql<{ n: string }>`select nextval(${name}::regclass) as n`.execute(database.handle.db)).rows[0]!.n);
  assert.equal(await next('case_numbers_9001_2025'), 1201);
  assert.equal(await next('case_numbers_9001_2026'), 8);
  assert.equal(await next('case_numbers_9002_2026'), 2);
  const { rows } = await sql<{ found: string | null }>`select to_regclass('case_counters')::text as found`.execute(database.handle.db);
  assert.equal(rows[0]!.found, null);
});
