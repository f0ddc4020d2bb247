import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { HouseholdDetailView, RunView } from '../../../contracts/pairing.ts';
import { assertProblem, buildVoicesTestApp, loginAs, type TestSession } from '../../../test/factories.ts';
import { tinyPng } from '../../../test/images.ts';
import type { PlatformDeps } from '../../platform/index.ts';
import { insertQueuedRun } from './runs/run.repository.ts';
import { failOrphanedRuns, RUN_STALE_MS } from './runs/run.service.ts';

/**
 * Pairing end to end through the HTTP app: import, run, diff, approve,
 * optimistic concurrency, access by cadre and district, audited reads,
 * visits whose needs become cases, coverage and public statistics.
 * The test city has districts east and west with one community each; the
 * account `cadre` is linked to cadre C1, who alone has the medical skill.
 */

const CADRES = [
  'code,name,district_code,capacity,username,x,y,skills,unit',
  'C1,王干部,east,3,cadre,0,0,medical,东区卫健局',
  'C2,李干部,east,3,,5,0,,东区民政局',
  'C3,张干部,west,3,,100,0,legal,西区司法局',
].join('\n');

const HOUSEHOLDS = [
  'code,district_code,community_code,x,y,needs,difficulties,members,contact_phone,notes',
  'H1,east,east-1-a,0.1,0,medical,低保;独居,1,13900000001,独居老人 需要定期测血压',
  'H2,east,east-1-a,0.2,0,,残疾,2,13900000002,',
  'H3,east,east-1-a,4.9,0,,低保,3,,',
  'H4,west,west-1-a,100.1,0,legal,,2,13900000004,',
].join('\n');

let app: FastifyInstance;
let deps: PlatformDeps;
let regionId: number;
let admin: TestSession;
let coordinator: TestSession;
let eastCoordinator: TestSession;
let cadre: TestSession;
const households = new Map<string, number>();

const csv = (session: TestSession, kind: string, body: string, query = '') =>
  app.inject({ method: 'POST', url: `/api/v1/pairing/imports/${kind}?filename=${kind}.csv${query}`, headers: { ...session.headers, 'content-type': 'text/csv' }, payload: body });
const get = (session: TestSession, url: string) => app.inject({ url, headers: session.headers });
const post = (session: TestSession, url: string, payload: unknown = {}) => app.inject({ method: 'POST', url, headers: session.headers, payload: payload as Record<string, unknown> });

/** Polls a run until it is no longer queued or running (computed in the background). */
async function settled(session: TestSession, id: number): Promise<RunView> {
  for (;;) {
    const run = (await get(session, `/api/v1/pairing/runs/${id}`)).json<RunView>();
    if (run.status !== 'queued' && run.status !== 'running') return run;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Starts a run (202, queued) and waits for its result. */
async function runAndWait(session: TestSession, payload: unknown): Promise<RunView> {
  const response = await post(session, '/api/v1/pairing/runs', payload);
  assert.equal(response.statusCode, 202, response.body);
  const queued = response.json<RunView>();
  assert.equal(queued.status, 'queued');
  assert.equal(response.headers.location, `/api/v1/pairing/runs/${queued.id}`);
  return settled(session, queued.id);
}

before(async () => {
  const built = await buildVoicesTestApp();
  app = built.app;
  deps = built.deps;
  regionId = built.city.regionId;
  admin = await loginAs(app, 'admin');
  coordinator = await loginAs(app, 'coordinator');
  eastCoordinator = await loginAs(app, 'coordinator-east');
  cadre = await loginAs(app, 'cadre');
});

after(() => app.close());

test('an import with a bad row writes nothing and names file, line and column', async () => {
  const bad = `${CADRES}\nC4,赵干部,nowhere,2,,1,1,,`;
  const problem = assertProblem(await csv(admin, 'cadres', bad), 422, 'import_invalid');
  assert.match(problem.detail, /cadres\.csv has 1 problem; nothing was imported\. First: line 5, district_code/);
  const listed = (await get(admin, '/api/v1/pairing/cadres')).json<{ total: number }>();
  assert.equal(listed.total, 0);
  const mixed = 'code,district_code,community_code,x,y,lat,lon\nH9,east,east-1-a,1,1,36,120';
  assert.match(assertProblem(await csv(admin, 'households', mixed), 422, 'import_invalid').detail, /line 2, lat: give either x,y or lat,lon/);
  const negative = 'code,name,district_code,capacity,x,y\nC9,某,east,-1,0,0';
  assert.match(assertProblem(await csv(admin, 'cadres', negative), 422, 'import_invalid').detail, /line 2, capacity/);
});

test('a district coordinator cannot import rows of another district', async () => {
  const response = await csv(eastCoordinator, 'cadres', CADRES, '&skipInvalid=true');
  assert.equal(response.statusCode, 200, response.body);
  const report = response.json<{ created: number; rejected: { line: number; column: string; message: string }[] }>();
  assert.equal(report.created, 2);
  assert.deepEqual(report.rejected.map((problem) => [problem.line, problem.column, problem.message]), [[4, 'district_code', 'outside your area']]);
});

test('the registry imports, and importing it again changes nothing', async () => {
  for (const [kind, body] of [['cadres', CADRES], ['households', HOUSEHOLDS]] as const) {
    const first = (await csv(admin, kind, body)).json<{ created: number; unchanged: number; updated: number }>();
    const again = (await csv(admin, kind, body)).json<{ created: number; unchanged: number; updated: number }>();
    assert.equal(again.created + again.updated, 0, `${kind} again`);
    assert.ok(first.created + first.unchanged >= 3);
  }
  const page = (await get(coordinator, '/api/v1/pairing/households?limit=10')).json<{ items: { id: number; code: string; cadre: unknown }[] }>();
  for (const item of page.items) households.set(item.code, item.id);
  assert.deepEqual([...households.keys()], ['H1', 'H2', 'H3', 'H4']);
  assert.ok(page.items.every((item) => item.cadre === null));
  assert.doesNotMatch(JSON.stringify(page), /13900000001|独居老人/);
});

let firstRun: RunView;

test('a run proposes the optimum with its numbers and diff; approving applies it; a stale proposal is refused', async () => {
  firstRun = await runAndWait(coordinator, { scenario: 'full' });
  const stale = await runAndWait(coordinator, { scenario: 'full' });
  assert.equal(firstRun.status, 'proposed');
  assert.equal(firstRun.progress, 1);
  assert.ok(firstRun.startedAt && firstRun.finishedAt);
  assert.equal(firstRun.solverStatus, 'optimal');
  assert.equal(firstRun.certified, true);
  assert.equal(firstRun.gap, 0);
  assert.equal(firstRun.households, 4);
  assert.equal(firstRun.diff.added.length, 4);
  assert.equal(firstRun.diff.kept, 0);
  // H1 needs medical: only C1; H2 beside C1 (200 + fairness 300 < 4,800); H3 beside C2; H4 in west with C3.
  assert.equal(firstRun.cost, 100 + 200 + 300 + 100 + 100);
  assert.ok(firstRun.greedyCost === null || firstRun.greedyCost >= (firstRun.cost ?? 0));

  const approved = await post(coordinator, `/api/v1/pairing/runs/${firstRun.id}/approve`);
  assert.equal(approved.statusCode, 200, approved.body);
  assert.equal(approved.json<RunView>().status, 'approved');
  assertProblem(await post(coordinator, `/api/v1/pairing/runs/${firstRun.id}/approve`), 409, 'conflict');
  const conflict = assertProblem(await post(coordinator, `/api/v1/pairing/runs/${stale.id}/approve`), 409, 'conflict');
  assert.match(conflict.detail, /changed since the run/);
  assert.equal((await post(coordinator, `/api/v1/pairing/runs/${stale.id}/reject`)).json<RunView>().status, 'rejected');

  const mine = (await get(cadre, '/api/v1/pairing/households')).json<{ items: { code: string }[] }>();
  assert.deepEqual(mine.items.map((item) => item.code), ['H1', 'H2']);
});

test('re-pairing keeps current pairs under the change penalty and shows the diff', async () => {
  const closer = 'code,name,district_code,capacity,x,y,skills\nC5,陈干部,east,3,4.95,0,';
  assert.equal((await csv(coordinator, 'cadres', closer)).statusCode, 200);
  const run = await runAndWait(coordinator, { scenario: 'full' });
  assert.equal(run.diff.kept, 4, 'moving H3 saves 50 m, far less than the change penalty');
  assert.equal(run.diff.changed.length, 0);
  const eager = await runAndWait(coordinator, { scenario: 'full', changePenalty: 0 });
  assert.equal(eager.diff.changed.length, 1);
  assert.equal(eager.diff.changed[0]!.householdId, households.get('H3'));
  for (const id of [run.id, eager.id]) await post(coordinator, `/api/v1/pairing/runs/${id}/reject`);
  const listed = (await get(coordinator, '/api/v1/pairing/runs')).json<{ items: RunView[] }>();
  assert.ok(listed.items.length >= 4);
});

test('a district run is for a coordinator of that district; another district’s is refused', async () => {
  const districts = (await get(admin, '/api/v1/regions?level=district')).json<{ items: { id: number; code: string }[] }>().items;
  const west = districts.find((district) => district.code === 'west')!;
  const east = districts.find((district) => district.code === 'east')!;
  assertProblem(await post(eastCoordinator, '/api/v1/pairing/runs', { scenario: 'full', districtId: west.id }), 403, 'forbidden');
  assertProblem(await post(eastCoordinator, '/api/v1/pairing/runs', { scenario: 'full' }), 403, 'forbidden');
  const run = await runAndWait(eastCoordinator, { scenario: 'full', districtId: east.id });
  assert.equal(run.households, 3);
  assert.equal(run.diff.kept, 3);
  assertProblem(await get(eastCoordinator, `/api/v1/pairing/runs/${firstRun.id}`), 404, 'not_found');
  await post(eastCoordinator, `/api/v1/pairing/runs/${run.id}/reject`);
});

test('one run per area at a time (409); a run whose server stopped is marked failed by the sweep', async () => {
  const districts = (await get(admin, '/api/v1/regions?level=district')).json<{ items: { id: number; code: string }[] }>().items;
  const east = districts.find((district) => district.code === 'east')!;
  // A city run left queued by a server that stopped before computing it.
  const asked = deps.clock();
  const orphan = await insertQueuedRun(deps.db, regionId, { districtId: null, scenario: 'full', options: {}, createdBy: null, createdAt: asked });
  const busy = assertProblem(await post(coordinator, '/api/v1/pairing/runs', { scenario: 'full' }), 409, 'conflict');
  assert.match(busy.detail, new RegExp(`Pairing run ${orphan} of this area is still being computed`));
  assertProblem(await post(eastCoordinator, '/api/v1/pairing/runs', { scenario: 'full', districtId: east.id }), 409, 'conflict');
  assert.equal(await failOrphanedRuns(deps, new Date(asked.getTime() + RUN_STALE_MS - 1_000)), 0, 'still within its heartbeat');
  assert.equal(await failOrphanedRuns(deps, new Date(asked.getTime() + RUN_STALE_MS + 1_000)), 1);
  const failed = (await get(coordinator, `/api/v1/pairing/runs/${orphan}`)).json<RunView>();
  assert.equal(failed.status, 'failed');
  assert.match(failed.error ?? '', /server computing this run stopped/);
  assertProblem(await post(coordinator, `/api/v1/pairing/runs/${orphan}/approve`), 409, 'conflict');
  const next = await runAndWait(eastCoordinator, { scenario: 'full', districtId: east.id });
  assert.equal(next.status, 'proposed');
  await post(eastCoordinator, `/api/v1/pairing/runs/${next.id}/reject`);
});

test('a cadre reads only their own households; a district coordinator only their district; every read is audited', async () => {
  const own = await get(cadre, `/api/v1/pairing/households/${households.get('H1')}`);
  assert.equal(own.statusCode, 200, own.body);
  assert.equal(own.json<HouseholdDetailView>().contact?.contactPhone, '13900000001');
  assertProblem(await get(cadre, `/api/v1/pairing/households/${households.get('H3')}`), 404, 'not_found');
  assertProblem(await get(cadre, `/api/v1/pairing/households/${households.get('H4')}`), 404, 'not_found');
  assertProblem(await get(eastCoordinator, `/api/v1/pairing/households/${households.get('H4')}`), 404, 'not_found');
  const inDistrict = (await get(eastCoordinator, `/api/v1/pairing/households/${households.get('H3')}`)).json<HouseholdDetailView>();
  assert.deepEqual(inDistrict.contact, { contactPhone: null, notes: null });
  const byAdmin = (await get(admin, `/api/v1/pairing/households/${households.get('H1')}`)).json<HouseholdDetailView>();
  assert.equal(byAdmin.contact, null, 'admins run the registry; contact and notes are not theirs');
  const eastList = (await get(eastCoordinator, '/api/v1/pairing/households')).json<{ items: { code: string }[] }>();
  assert.deepEqual(eastList.items.map((item) => item.code), ['H1', 'H2', 'H3']);

  const entries = await deps.db
    .selectFrom('audit_log')
    .select(['action', 'resource_id', 'actor_user_id'])
    .where('region_id', '=', regionId)
    .where('action', 'in', ['household.read', 'household.read_personal'])
    .execute();
  assert.ok(entries.some((entry) => entry.action === 'household.read_personal' && entry.resource_id === String(households.get('H1')) && Number(entry.actor_user_id) === cadre.userId));
  assert.ok(entries.some((entry) => entry.action === 'household.read' && Number(entry.actor_user_id) === admin.userId));
});

test('a visit by the household’s cadre turns its need into a case whose progress shows on the household page', async () => {
  const today = new Date().toISOString().slice(0, 10);
  const upload = await app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...cadre.headers, 'content-type': 'image/png' }, payload: tinyPng() });
  assert.equal(upload.statusCode, 201, upload.body);
  const photo = upload.json<{ id: number; token: string }>();
  const visit = {
    visitedOn: today,
    durationMinutes: 40,
    met: '户主本人',
    situation: '血压偏高，行动不便',
    needs: [{ needType: 'medical', description: '需要家庭医生上门随访', photos: [{ id: photo.id, token: photo.token }] }],
  };
  const logged = await post(cadre, `/api/v1/pairing/households/${households.get('H1')}/visits`, visit);
  assert.equal(logged.statusCode, 201, logged.body);
  const receipt = logged.json<{ visitId: number; needs: { caseId: number; caseNumber: string }[] }>();
  assert.equal(receipt.needs.length, 1);
  const page = (await get(cadre, `/api/v1/pairing/households/${households.get('H1')}`)).json<HouseholdDetailView>();
  assert.equal(page.visits[0]!.situation, '血压偏高，行动不便');
  assert.equal(page.lastVisit, today);
  assert.equal(page.needCases[0]!.caseNumber, receipt.needs[0]!.caseNumber);
  assert.ok(page.needCases[0]!.caseState);
  const asCoordinator = (await get(coordinator, `/api/v1/cases/${receipt.needs[0]!.caseId}`)).json<{ messages: { channel: string; photos: unknown[] }[] }>();
  assert.equal(asCoordinator.messages[0]!.channel, 'visit');
  assert.equal(asCoordinator.messages[0]!.photos.length, 1, 'the visit photo goes with the need’s case');

  assertProblem(await post(cadre, `/api/v1/pairing/households/${households.get('H3')}/visits`, visit), 404, 'not_found');
  const future = await post(cadre, `/api/v1/pairing/households/${households.get('H2')}/visits`, { ...visit, visitedOn: '2999-01-01', needs: [] });
  assertProblem(future, 422, 'validation_failed');
});

test('the coverage board lists households not visited, cadres behind and open needs; public statistics are counts only', async () => {
  const board = await get(coordinator, '/api/v1/pairing/coverage?days=30&needDays=1');
  assert.equal(board.statusCode, 200, board.body);
  const coverage = board.json<{ households: number; paired: number; visitedWithin: number; overdue: { code: string }[]; cadresBehind: { code: string; overdue: number }[] }>();
  assert.equal(coverage.households, 4);
  assert.equal(coverage.paired, 4);
  assert.equal(coverage.visitedWithin, 1);
  assert.deepEqual(coverage.overdue.map((entry) => entry.code).sort(), ['H2', 'H3', 'H4']);
  assert.deepEqual(coverage.cadresBehind.map((entry) => entry.code).sort(), ['C1', 'C2', 'C3']);
  const east = (await get(eastCoordinator, '/api/v1/pairing/coverage')).json<{ households: number }>();
  assert.equal(east.households, 3);

  const stats = await app.inject({ url: '/api/v1/pairing/statistics?days=30' });
  assert.equal(stats.statusCode, 200);
  const body = stats.json<{ districts: { name: string; households: number; visited: number; visitRate: number }[] }>();
  const eastStats = body.districts.find((district) => district.households === 3)!;
  assert.equal(eastStats.visited, 1);
  assert.doesNotMatch(stats.body, /139000|H1|独居|王干部/);
});

test('a run the optimiser cannot do fails in the background with its reason', async () => {
  const districts = (await get(admin, '/api/v1/regions?level=district')).json<{ items: { id: number; code: string }[] }>().items;
  const west = districts.find((district) => district.code === 'west')!;
  assert.equal((await csv(admin, 'cadres', 'code,name,district_code,capacity,lat,lon\nC9,周干部,west,2,36.1,120.3')).statusCode, 200);
  const run = await runAndWait(admin, { scenario: 'full', districtId: west.id });
  assert.equal(run.status, 'failed');
  assert.match(run.error ?? '', /cannot be paired/);
  assert.equal((await csv(admin, 'cadres', 'code,name,district_code,capacity,lat,lon,active\nC9,周干部,west,2,36.1,120.3,false')).statusCode, 200);
});
