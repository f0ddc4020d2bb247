import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { sql } from 'kysely';
import { testDatabase } from '../../../test/db.ts';
import type { DatabaseHandle } from './database.ts';
import { prepared } from './prepared.ts';

let database: DatabaseHandle;
before(async () => {
  database = await testDatabase();
});

test('a marked statement is prepared once per connection on the server and answers like any other; PGlite runs it as is', async () => {
  await database.db.connection().execute(async (connection) => {
    for (const value of [1, 2, 3]) {
      const { rows } = await sql<{ doubled: number }>`${prepared}select ${value}::int * 2 as doubled`.execute(connection);
      assert.deepEqual(rows, [{ doubled: value * 2 }]);
    }
    if (database.kind === 'postgres') {
      const { rows } = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(connection);
      // Other tests' prepared statements may share this pooled connection: look for this one.
      const ours = rows.filter((row) => row.statement.startsWith('/* prepared */') && row.statement.includes('as doubled'));
      assert.equal(ours.length, 1);
      assert.match(ours[0]!.name, /^mx_/);
    }
  });
});
