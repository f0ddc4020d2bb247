import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { databaseBefore, type DatabaseBeforeMigration } from '../../test/migration.ts';
import { GENESIS_HASH, hashEntry, type AuditEntry } from '../platform/audit/audit-chain.ts';
import {
  migrateToLatest,
  recordAudit,
  verifyAudit,
  type DatabaseHandle,
} from '../platform/index.ts';

const NAME = '2026-12-01T1720-audit-chains';
let database: DatabaseBeforeMigration;
let handle: DatabaseHandle;

/** A database of its own, migrated up to just before the audit chains were split. */
before(async () => {
  database = await databaseBefore(NAME);
  handle = database.handle;
});

after(() => database?.close());

test('existing chains become chain 0 with their hashes, still verify, and gain the other heads', async () => {
  const regionId = 9001;
  // Three entries chained as before the split: no chain column, seq per city.
  let prevHash = GENESIS_HASH;
  const old: (Omit<AuditEntry, 'chain'> & { hash: string })[] = [];
  for (let seq = 1; seq <= 3; seq++) {
    const entry = {
      regionId,
      seq,
      at: new Date(Date.UTC(2026, 10, 1, 8, 0, seq)),
      actorUserId: null,
      actorLabel: 'cli:ops',
      action: 'department.create',
      resourceType: 'department',
      resourceId: String(seq),
      ip: null,
      requestId: null,
      beforeDigest: null,
      afterDigest: null,
      details: { n: seq },
      prevHash,
    };
    const hash = hashEntry({ ...entry, chain: 0 });
    old.push({ ...entry, hash });
    prevHash = hash;
  }
  await sql`insert into regions (region_id, id, level, path, code, name) values (${regionId}, ${regionId}, 'city', ${`/${regionId}/`}, 'mig-city', '迁移市')`.execute(
    handle.db,
  );
  for (const entry of old) {
    await sql`insert into audit_log (region_id, seq, at, actor_user_id, actor_label, action, resource_type, resource_id, ip, request_id, before_digest, after_digest, details, prev_hash, hash)
      values (${regionId}, ${entry.seq}, ${entry.at}, null, ${entry.actorLabel}, ${entry.action}, ${entry.resourceType}, ${entry.resourceId}, null, null, null, null, ${JSON.stringify(entry.details)}, ${entry.prevHash}, ${entry.hash})`.execute(
      handle.db,
    );
  }
  await sql`insert into audit_heads (region_id, seq, hash) values (${regionId}, 3, ${prevHash})`.execute(handle.db);

  assert.deepEqual(await migrateToLatest(handle.db).then((applied) => applied.includes(NAME)), true);

  const rows = await sql<{
    chain: number;
    seq: string;
    hash: string;
  }>`select chain, seq, hash from audit_log where region_id = ${regionId} order by seq`.execute(handle.db);
  assert.deepEqual(
    rows.rows.map((row) => [Number(row.chain), Number(row.seq), row.hash]),
    old.map((entry) => [0, entry.seq, entry.hash]),
  );
  const heads = await sql<{
    chain: number;
    seq: string;
  }>`select chain, seq from audit_heads where region_id = ${regionId} order by chain`.execute(handle.db);
  assert.deepEqual(
    heads.rows.map((head) => [Number(head.chain), Number(head.seq)]),
    [[0, 3], ...Array.from({ length: 15 }, (_, i) => [i + 1, 0])],
  );
  assert.deepEqual(await verifyAudit(handle.db, regionId), { ok: true, checked: 3 });

  // New entries go on in the chains, and the old chain still verifies with them.
  const context = { actor: undefined, regionId, ip: null, requestId: null, label: 'system' };
  for (const id of ['1', '2', '77', '78']) {
    await handle.db
      .transaction()
      .execute((trx) =>
        recordAudit(
          trx,
          context,
          { action: 'department.update', resourceType: 'department', resourceId: id },
          new Date(),
        ),
      );
  }
  assert.deepEqual(await verifyAudit(handle.db, regionId), { ok: true, checked: 7 });
});
