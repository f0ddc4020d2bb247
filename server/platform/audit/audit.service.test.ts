import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp, loginAs } from '../../../test/factories.ts';
import type { PlatformDeps } from '../context.ts';
import { AUDIT_CHAINS, chainOf } from './audit-chain.ts';
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

test('every write is in a chain with who, what, when and from where; a resource keeps to its chain', async () => {
  const entries = await deps.db.selectFrom('audit_log').selectAll().where('region_id', '=', regionId).orderBy('at').orderBy('chain').orderBy('seq').execute();
  const actions = entries.map((entry) => entry.action);
  assert.deepEqual(actions.slice(0, 2), ['city.provision', 'session.login']);
  const created = entries.filter((entry) => entry.action === 'department.create');
  assert.equal(created.length, 3);
  for (const entry of created) {
    assert.equal(entry.actor_label, 'admin:admin');
    assert.equal(entry.ip, '127.0.0.1');
    assert.ok(entry.request_id);
    assert.match(entry.after_digest ?? '', /^[0-9a-f]{64}$/);
    assert.equal(Number(entry.chain), chainOf(`department:${entry.resource_id}`), 'the chain of its resource');
  }
  const heads = await deps.db.selectFrom('audit_heads').select('chain').where('region_id', '=', regionId).execute();
  assert.equal(heads.length, AUDIT_CHAINS, "a city's first append creates every head");
  assert.deepEqual(await verifyAudit(deps.db, regionId), { ok: true, checked: entries.length });
});

test('the log is append-only: updates and deletes are refused by the database', async () => {
  await assert.rejects(sql`update audit_log set action = 'x' where region_id = ${regionId}`.execute(deps.db), /append-only/);
  await assert.rejects(sql`delete from audit_log where region_id = ${regionId}`.execute(deps.db), /append-only/);
});

/** The (chain, seq) of the newest entry with this action in the city. */
async function entryOf(db: PlatformDeps['db'], region: number, action: string): Promise<{ chain: number; seq: number }> {
  const row = await db.selectFrom('audit_log').select(['chain', 'seq']).where('region_id', '=', region).where('action', '=', action).orderBy('at', 'desc').orderBy('seq', 'desc').executeTakeFirstOrThrow();
  return { chain: Number(row.chain), seq: Number(row.seq) };
}

test('a tampered row is found, named by its chain and sequence number', async () => {
  const before = await verifyAudit(deps.db, regionId);
  assert.equal(before.ok, true);
  const target = await entryOf(deps.db, regionId, 'department.create');
  await tamper(sql`update audit_log set actor_label = 'admin:nobody' where region_id = ${regionId} and chain = ${target.chain} and seq = ${target.seq}`);
  const result = await verifyAudit(deps.db, regionId);
  assert.equal(result.ok, false);
  assert.deepEqual(result.firstBroken, { regionId, ...target, reason: 'hash_mismatch' });

  const response = await app.inject({ url: '/api/v1/audit/verify', headers: (await loginAs(app, 'auditor')).headers });
  assert.equal(response.json().ok, false);
  assert.deepEqual([response.json().firstBroken.chain, response.json().firstBroken.seq], [target.chain, target.seq]);
});

test('a deleted row is a gap, a cut-off end or a lost head is found, each in its own chain', async () => {
  const other = await buildTestApp();
  try {
    const region = other.city.regionId;
    // Three logins of one account: three entries in that user's chain, seq n, n+1, n+2.
    for (let i = 0; i < 3; i++) await loginAs(other.app, 'admin');
    const last = await entryOf(other.deps.db, region, 'session.login');
    assert.ok(last.seq >= 3);
    await tamper(sql`delete from audit_log where region_id = ${region} and chain = ${last.chain} and seq = ${last.seq - 1}`);
    assert.deepEqual((await verifyAudit(other.deps.db, region)).firstBroken, { regionId: region, chain: last.chain, seq: last.seq - 1, reason: 'seq_gap' });
    await tamper(sql`delete from audit_log where region_id = ${region} and chain = ${last.chain} and seq = ${last.seq}`);
    assert.deepEqual((await verifyAudit(other.deps.db, region)).firstBroken, { regionId: region, chain: last.chain, seq: last.seq - 1, reason: 'head_mismatch' }, 'truncated');

    const third = await buildTestApp();
    try {
      // A chain with no entries yet (a new city has a handful in 16 chains): removing its head hides nothing but is noticed.
      const used = await third.deps.db.selectFrom('audit_log').select('chain').distinct().where('region_id', '=', third.city.regionId).execute();
      const lonely = Array.from({ length: AUDIT_CHAINS }, (_, chain) => chain).find((chain) => !used.some((row) => Number(row.chain) === chain))!;
      await tamper(sql`delete from audit_heads where region_id = ${third.city.regionId} and chain = ${lonely}`);
      assert.deepEqual((await verifyAudit(third.deps.db, third.city.regionId)).firstBroken, { regionId: third.city.regionId, chain: lonely, seq: 1, reason: 'head_missing' });
    } finally {
      await third.app.close();
    }
  } finally {
    await other.app.close();
  }
});

test('appends from concurrent requests keep every chain unbroken', async () => {
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
    const chains = await other.deps.db.selectFrom('audit_log').select('chain').distinct().where('region_id', '=', other.city.regionId).execute();
    assert.ok(chains.length > 1, 'unrelated writes spread over several chains');
  } finally {
    await other.app.close();
  }
});

test('the log lists newest first across chains, and pages neither skip nor repeat while it grows', async () => {
  const other = await buildTestApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000' } });
  try {
    const admin = await loginAs(other.app, 'admin');
    for (let index = 0; index < 9; index++) {
      const response = await other.app.inject({ method: 'POST', url: '/api/v1/departments', headers: admin.headers, payload: { code: `p-${index}`, name: `分页${index}` } });
      assert.equal(response.statusCode, 201);
    }
    const auditor = await loginAs(other.app, 'auditor');
    const all = await other.app.inject({ url: '/api/v1/audit?limit=500', headers: auditor.headers });
    const everything = all.json().items as { chain: number; seq: number; at: string }[];
    const key = (entry: { at: string; chain: number; seq: number }) => [Date.parse(entry.at), entry.chain, entry.seq] as const;
    for (let i = 1; i < everything.length; i++) {
      const [a, b] = [key(everything[i - 1]!), key(everything[i]!)];
      assert.ok(a[0] > b[0] || (a[0] === b[0] && (a[1] > b[1] || (a[1] === b[1] && a[2] > b[2]))), 'newest first: time, chain, seq');
    }
    const paged: { chain: number; seq: number }[] = [];
    let before: string | null | undefined;
    do {
      const page = await other.app.inject({ url: `/api/v1/audit?limit=4${before ? `&before=${before}` : ''}`, headers: auditor.headers });
      assert.equal(page.statusCode, 200);
      paged.push(...page.json().items);
      before = page.json().nextBefore;
      // The log grows between pages; what is newer than the first page never shows up later.
      await other.app.inject({ method: 'POST', url: '/api/v1/departments', headers: admin.headers, payload: { code: `q-${paged.length}`, name: `更多${paged.length}` } });
    } while (before);
    assert.deepEqual(paged.map((entry) => `${entry.chain}.${entry.seq}`), everything.map((entry) => `${entry.chain}.${entry.seq}`));
    const bad = await other.app.inject({ url: '/api/v1/audit?before=12', headers: auditor.headers });
    assert.equal(bad.statusCode, 422);
  } finally {
    await other.app.close();
  }
});
