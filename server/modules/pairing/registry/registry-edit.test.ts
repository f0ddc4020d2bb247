import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { CadreView, HouseholdDetailView, HouseholdView, RunView } from '../../../../contracts/pairing.ts';
import { assertProblem, buildVoicesTestApp, loginAs, type TestSession } from '../../../../test/factories.ts';
import type { PlatformDeps } from '../../../platform/index.ts';

/**
 * Registry records by hand through the HTTP app (coordinators' forms): add,
 * edit at a version, deactivate; a district coordinator only in their
 * district (another district's record is 404, a move into it 403), a cadre
 * never (403); contact and notes go in but never out in the answer nor the
 * audit; a cadre who leaves shows up in the next run's diff as changed.
 * The test city has districts east and west with one community each.
 */

let app: FastifyInstance;
let deps: PlatformDeps;
let regionId: number;
let admin: TestSession;
let coordinator: TestSession;
let eastCoordinator: TestSession;
let cadre: TestSession;
let east: number;
let west: number;
let eastCommunity: number;
let westCommunity: number;

const get = (session: TestSession, url: string) => app.inject({ url, headers: session.headers });
const send = (session: TestSession, method: 'POST' | 'PATCH', url: string, payload: unknown) =>
  app.inject({ method, url, headers: session.headers, payload: payload as Record<string, unknown> });

async function runAndWait(session: TestSession, payload: unknown): Promise<RunView> {
  const response = await send(session, 'POST', '/api/v1/pairing/runs', payload);
  assert.equal(response.statusCode, 202, response.body);
  let run = response.json<RunView>();
  for (let polls = 0; run.status === 'queued' || run.status === 'running'; polls++) {
    if (polls > 15_000) throw new Error(`run still ${JSON.stringify(run)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    run = (await get(session, `/api/v1/pairing/runs/${run.id}`)).json<RunView>();
  }
  return run;
}

before(async () => {
  const built = await buildVoicesTestApp();
  ({ app, deps } = built);
  regionId = built.city.regionId;
  admin = await loginAs(app, 'admin');
  coordinator = await loginAs(app, 'coordinator');
  eastCoordinator = await loginAs(app, 'coordinator-east');
  cadre = await loginAs(app, 'cadre');
  const districts = (await get(admin, '/api/v1/regions?level=district')).json<{ items: { id: number; code: string }[] }>().items;
  east = districts.find((district) => district.code === 'east')!.id;
  west = districts.find((district) => district.code === 'west')!.id;
  eastCommunity = built.city.communities['east-1-a']!;
  westCommunity = built.city.communities['west-1-a']!;
});

after(() => app.close());

const cadreIn = (code: string, districtId: number, x: number, extra: Record<string, unknown> = {}) => ({ code, name: `干部${code}`, districtId, location: { x, y: 0 }, capacity: 2, ...extra });

let c1: CadreView;
let c2: CadreView;
let h1: HouseholdView;

test('a coordinator adds cadres and a household by hand; codes are unique; contact goes in but not out', async () => {
  const created = await send(eastCoordinator, 'POST', '/api/v1/pairing/cadres', cadreIn('E1', east, 0, { username: 'cadre', skills: ['medical'], unit: '东区卫健局' }));
  assert.equal(created.statusCode, 201, created.body);
  c1 = created.json<CadreView>();
  assert.deepEqual([c1.code, c1.username, c1.districtId, c1.active, c1.version, c1.load], ['E1', 'cadre', east, true, 1, 0]);
  c2 = (await send(eastCoordinator, 'POST', '/api/v1/pairing/cadres', cadreIn('E2', east, 3))).json<CadreView>();
  assertProblem(await send(coordinator, 'POST', '/api/v1/pairing/cadres', cadreIn('E1', east, 1)), 409, 'duplicate');
  assertProblem(await send(coordinator, 'POST', '/api/v1/pairing/cadres', cadreIn('E9', east, 1, { username: 'nobody' })), 422, 'validation_failed');
  assertProblem(await send(coordinator, 'POST', '/api/v1/pairing/cadres', { ...cadreIn('E9', east, 1), capacity: -1 }), 422, 'validation_failed');

  const household = { code: 'EH1', communityId: eastCommunity, location: { x: 0.1, y: 0 }, needs: ['medical'], difficulties: ['低保'], members: 2, contactPhone: '13900000011', notes: '独居，腿脚不便' };
  const added = await send(eastCoordinator, 'POST', '/api/v1/pairing/households', household);
  assert.equal(added.statusCode, 201, added.body);
  h1 = added.json<HouseholdView>();
  assert.equal(h1.districtId, east, 'the district is the community’s');
  assert.doesNotMatch(added.body, /13900000011|独居/);
  const page = (await get(eastCoordinator, `/api/v1/pairing/households/${h1.id}`)).json<HouseholdDetailView>();
  assert.deepEqual(page.contact, { contactPhone: '13900000011', notes: '独居，腿脚不便' });
  assertProblem(await send(coordinator, 'POST', '/api/v1/pairing/households', { ...household, contactPhone: 'call me' }), 422, 'validation_failed');
});

test('a district coordinator cannot add or edit another district’s records; a cadre cannot edit the registry', async () => {
  assertProblem(await send(eastCoordinator, 'POST', '/api/v1/pairing/cadres', cadreIn('W1', west, 100)), 403, 'forbidden');
  assertProblem(await send(eastCoordinator, 'POST', '/api/v1/pairing/households', { code: 'WH1', communityId: westCommunity, location: { x: 100, y: 0 } }), 403, 'forbidden');
  const w1 = (await send(coordinator, 'POST', '/api/v1/pairing/cadres', cadreIn('W1', west, 100))).json<CadreView>();
  const wh1 = (await send(coordinator, 'POST', '/api/v1/pairing/households', { code: 'WH1', communityId: westCommunity, location: { x: 100.1, y: 0 } })).json<HouseholdView>();
  assertProblem(await send(eastCoordinator, 'PATCH', `/api/v1/pairing/cadres/${w1.id}`, { version: w1.version, capacity: 5 }), 404, 'not_found');
  assertProblem(await send(eastCoordinator, 'PATCH', `/api/v1/pairing/households/${wh1.id}`, { version: wh1.version, members: 3 }), 404, 'not_found');
  assertProblem(await send(eastCoordinator, 'PATCH', `/api/v1/pairing/cadres/${c2.id}`, { version: c2.version, districtId: west }), 403, 'forbidden');
  assertProblem(await send(eastCoordinator, 'PATCH', `/api/v1/pairing/households/${h1.id}`, { version: h1.version, communityId: westCommunity }), 403, 'forbidden');
  assertProblem(await send(cadre, 'PATCH', `/api/v1/pairing/households/${h1.id}`, { version: h1.version, members: 3 }), 403, 'forbidden');
  assertProblem(await send(cadre, 'POST', '/api/v1/pairing/cadres', cadreIn('E7', east, 0)), 403, 'forbidden');
  const unchanged = (await get(coordinator, '/api/v1/pairing/cadres?code=E2')).json<{ items: CadreView[] }>().items[0]!;
  assert.equal(unchanged.districtId, east);
  assert.equal(unchanged.version, c2.version);
});

test('an edit carries its version: a stale one is refused (409); the audit names fields, never contact values', async () => {
  const edited = await send(eastCoordinator, 'PATCH', `/api/v1/pairing/households/${h1.id}`, { version: h1.version, members: 3, contactPhone: '13900000099' });
  assert.equal(edited.statusCode, 200, edited.body);
  const after1 = edited.json<HouseholdView>();
  assert.deepEqual([after1.members, after1.version, after1.needs], [3, h1.version + 1, ['medical']], 'fields not named keep their values');
  assert.doesNotMatch(edited.body, /13900000099/);
  const stale = assertProblem(await send(coordinator, 'PATCH', `/api/v1/pairing/households/${h1.id}`, { version: h1.version, members: 4 }), 409, 'version_conflict');
  assert.match(stale.detail, /changed since you read it/);
  h1 = after1;
  const page = (await get(eastCoordinator, `/api/v1/pairing/households/${h1.id}`)).json<HouseholdDetailView>();
  assert.equal(page.contact?.contactPhone, '13900000099');
  assert.equal(page.members, 3);

  const entries = await deps.db.selectFrom('audit_log').select(['action', 'details']).where('region_id', '=', regionId).where('action', 'in', ['household.create', 'household.update', 'pairing_cadre.create']).execute();
  assert.deepEqual(entries.map((entry) => entry.action).sort(), ['household.create', 'household.create', 'household.update', 'pairing_cadre.create', 'pairing_cadre.create', 'pairing_cadre.create']);
  const update = entries.find((entry) => entry.action === 'household.update')!;
  assert.match(JSON.stringify(update.details), /contactPhone/);
  assert.doesNotMatch(JSON.stringify(entries), /139000000|独居/);
});

test('a cadre who leaves is deactivated; the next run shows their households for re-pairing', async () => {
  const first = await runAndWait(eastCoordinator, { scenario: 'full', districtId: east });
  assert.equal(first.status, 'proposed', first.error ?? '');
  assert.deepEqual(first.diff.added, [{ householdId: h1.id, to: c1.id }], 'the medical household goes to the medical cadre');
  assert.equal((await send(eastCoordinator, 'POST', `/api/v1/pairing/runs/${first.id}/approve`, {})).statusCode, 200);

  const current = (await get(eastCoordinator, '/api/v1/pairing/cadres?code=E1')).json<{ items: CadreView[] }>().items[0]!;
  assert.equal(current.load, 1);
  // E2 learns the medical skill (the edit) and E1 leaves (the deactivation).
  const skilled = await send(eastCoordinator, 'PATCH', `/api/v1/pairing/cadres/${c2.id}`, { version: c2.version, skills: ['medical'] });
  assert.equal(skilled.statusCode, 200, skilled.body);
  const left = await send(eastCoordinator, 'PATCH', `/api/v1/pairing/cadres/${c1.id}`, { version: current.version, active: false });
  assert.equal(left.statusCode, 200, left.body);
  assert.equal(left.json<CadreView>().active, false);

  const next = await runAndWait(eastCoordinator, { scenario: 'full', districtId: east });
  assert.deepEqual(next.diff.changed, [{ householdId: h1.id, from: c1.id, to: c2.id }]);
  assert.equal(next.diff.kept, 0);
  const audit = await deps.db.selectFrom('audit_log').select('action').where('region_id', '=', regionId).where('action', '=', 'pairing_cadre.deactivate').execute();
  assert.equal(audit.length, 1);

  // The household is no longer in difficulty: deactivated, its pair ends in the run after.
  await send(eastCoordinator, 'POST', `/api/v1/pairing/runs/${next.id}/reject`, {});
  const gone = await send(eastCoordinator, 'PATCH', `/api/v1/pairing/households/${h1.id}`, { version: h1.version, active: false });
  assert.equal(gone.statusCode, 200, gone.body);
  const last = await runAndWait(eastCoordinator, { scenario: 'full', districtId: east });
  assert.deepEqual(last.diff.ended, [{ householdId: h1.id, from: c1.id }]);
});
