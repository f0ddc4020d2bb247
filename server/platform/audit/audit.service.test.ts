import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp, loginAs } from '../../../test/factories.ts';
import type { PlatformDeps } from '../context.ts';
import { verifyAudit } from './audit.service.ts';

let app: FastifyInstance;
let deps: PlatformDeps;
let regionId: number;

before(async () => {
  const built = await buildTestApp();
  ({ app, deps } = built);
  regionId = built.city.regionId;
  const admin = await loginAs(app, 'admin');
  for (const code of ['audit-a', 'audit-b', 'audit-c']) {
    const response = await app.inject({ method: 'POST', url: '/api/v1/departments', headers: admin.headers, payload: { code, name: `部门${code}` } });
    assert.equal(response.statusCode, 201);
  }
});

after(() => app.close());

/** Changes stored audit rows behind the trigger's back, as someone with database access could. */
async function tamper(statement: ReturnType<typeof sql>): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    await statement.execute(trx);
  });
}

test('every write is in the chain with who, what, when and from where', async () => {
  const entries = await deps.db.selectFrom('audit_log').selectAll().where('region_id', '=', regionId).orderBy('seq').execute();
  const actions = entries.map((entry) => entry.action);
  assert.deepEqual(actions.slice(0, 2), ['city.provision', 'session.login']);
  const created = entries.filter((entry) => entry.action === 'department.create');
  assert.equal(created.length, 3);
  for (const entry of created) {
    assert.equal(entry.actor_label, 'admin:admin');
    assert.equal(entry.ip, '127.0.0.1');
    assert.ok(entry.request_id);
    assert.match(entry.after_digest ?? '', /^[0-9a-f]{64}$/);
  }
  assert.deepEqual(await verifyAudit(deps.db, regionId), { ok: true, checked: entries.length });
});

test('the log is append-only: updates and deletes are refused by the database', async () => {
  await assert.rejects(sql`update audit_log set action = 'x' where region_id = ${regionId}`.execute(deps.db), /append-only/);
  await assert.rejects(sql`delete from audit_log where region_id = ${regionId}`.execute(deps.db), /append-only/);
});

test('a tampered row is found, named by its sequence number', async () => {
  const before = await verifyAudit(deps.db, regionId);
  assert.equal(before.ok, true);
  await tamper(sql`update audit_log set actor_label = 'admin:nobody' where region_id = ${regionId} and seq = 3`);
  const result = await verifyAudit(deps.db, regionId);
  assert.equal(result.ok, false);
  assert.deepEqual(result.firstBroken, { regionId, seq: 3, reason: 'hash_mismatch' });

  const response = await app.inject({ url: '/api/v1/audit/verify', headers: (await loginAs(app, 'auditor')).headers });
  assert.equal(response.json().ok, false);
  assert.equal(response.json().firstBroken.seq, 3);
});

test('a deleted row is found as a gap', async () => {
  const other = await buildTestApp();
  try {
    await loginAs(other.app, 'admin');
    await loginAs(other.app, 'auditor');
    await tamper(sql`delete from audit_log where region_id = ${other.city.regionId} and seq = 2`);
    const result = await verifyAudit(other.deps.db, other.city.regionId);
    assert.deepEqual(result.firstBroken, { regionId: other.city.regionId, seq: 2, reason: 'seq_gap' });
  } finally {
    await other.app.close();
  }
});

test('appends from concurrent requests keep one unbroken chain', async () => {
  const other = await buildTestApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000' } });
  try {
    const admin = await loginAs(other.app, 'admin');
    await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        other.app.inject({ method: 'POST', url: '/api/v1/departments', headers: admin.headers, payload: { code: `c-${index}`, name: `并发${index}` } }),
      ),
    );
    const result = await verifyAudit(other.deps.db, other.city.regionId);
    assert.equal(result.ok, true);
    assert.equal(result.checked, 2 + 12);
  } finally {
    await other.app.close();
  }
});
