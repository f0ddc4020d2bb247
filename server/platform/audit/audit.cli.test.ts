import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { after, before, describe, test } from 'node:test';
import { buildCity, buildOwnDatabase, runMinxin, type OwnDatabase } from '../../../test/factories.ts';

/** `minxin audit verify` as an operator runs it, on a database of its own. */
describe('minxin audit verify', () => {
  let own: OwnDatabase;
  let city: { regionId: number; code: string };

  before(async () => {
    own = await buildOwnDatabase();
    city = await own.use((deps) => buildCity(deps));
  });
  after(() => own?.dispose());

  test('an intact log exits 0 and says how many entries it checked', async () => {
    const { code, stdout, stderr } = await runMinxin(own, ['audit', 'verify', '--city', city.code]);
    assert.equal(code, 0, stderr.join('\n'));
    assert.deepEqual(stdout, ['Audit log intact: 1 entries verified.']);
  });

  test('CLI writes are audited under the operator, and the chain still verifies', async () => {
    const created = await runMinxin(own, [
      'users',
      'create',
      '--username',
      'ops-made',
      '--display-name',
      '运维',
      '--role',
      'auditor',
      '--password',
      'Long-enough-2026',
      '--city',
      city.code,
    ]);
    assert.equal(created.code, 0, created.stderr.join('\n'));
    const label = await own.use(async (deps) => {
      const row = await deps.db
        .selectFrom('audit_log')
        .select(['actor_label', 'actor_user_id'])
        .where('region_id', '=', city.regionId)
        .where('action', '=', 'user.create')
        .executeTakeFirstOrThrow();
      return row;
    });
    assert.match(label.actor_label, /^cli:/);
    assert.equal(label.actor_user_id, null);
    assert.equal((await runMinxin(own, ['audit', 'verify'])).code, 0);
  });

  test('a row changed behind the trigger exits 1 naming the city, the chain and the first broken entry', async () => {
    const target = await own.use(async (deps) => {
      const row = await deps.db
        .selectFrom('audit_log')
        .select(['chain', 'seq'])
        .where('region_id', '=', city.regionId)
        .where('action', '=', 'user.create')
        .executeTakeFirstOrThrow();
      await deps.db.transaction().execute(async (trx) => {
        await sql`set local session_replication_role = replica`.execute(trx);
        await sql`update audit_log set resource_id = '999' where region_id = ${city.regionId} and chain = ${row.chain} and seq = ${row.seq}`.execute(
          trx,
        );
      });
      return { chain: Number(row.chain), seq: Number(row.seq) };
    });
    const { code, stdout, stderr } = await runMinxin(own, ['audit', 'verify', '--city', city.code]);
    assert.equal(code, 1);
    assert.deepEqual(stdout, []);
    assert.equal(stderr.length, 1);
    assert.match(
      stderr[0]!,
      new RegExp(
        `^Audit log broken: city ${city.regionId}, chain ${target.chain}, entry ${target.seq} \\(hash mismatch\\); \\d+ entries before it verified\\.$`,
      ),
    );
  });
});
