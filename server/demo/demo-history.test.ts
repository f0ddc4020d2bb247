import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildDeps } from '../../test/factories.ts';
import { cliContext, listUsers, maskText, resolveCity, type PlatformDeps, type RequestContext, type Role } from '../platform/index.ts';
import { getCase, listCases, replayHistoricalCase, type HistoricalCaseInput } from '../modules/voices/index.ts';
import { listHouseholds, listRuns } from '../modules/pairing/index.ts';
import type { VoicesTables } from '../modules/voices/cases/voices.table.ts';
import type { ReplyTemplateTables } from '../modules/voices/replies/reply-template.table.ts';
import { generateDemoCity } from './demo-city.ts';
import { loadDemoCorpus } from './demo-corpus.ts';
import { generateDemoHistory } from './demo-history.ts';
import { historyAnchorOf, loadDemoCity } from './load-demo.ts';

const demo = generateDemoCity(2026);
const corpus = loadDemoCorpus();
const now = new Date('2026-12-01T00:00:00+08:00');
const history = generateDemoHistory(demo, corpus, { now });
const departmentIds = new Map(demo.departments.map((department, index) => [department.code, index + 1]));
const replay = (input: HistoricalCaseInput) =>
  replayHistoricalCase(input, { department: (code) => departmentIds.get(code)!, caseId: (index) => index + 1 });
const replayed = history.map(replay);
const share = (count: number) => count / history.length;
const countBy = <T>(items: readonly T[], key: (item: T) => string) => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
};

test('the same city, corpus and anchor give the same history', () => {
  const small = { now, size: 1_500 };
  assert.deepEqual(generateDemoHistory(demo, corpus, small), generateDemoHistory(demo, corpus, small));
  assert.notDeepEqual(generateDemoHistory(generateDemoCity(7), corpus, small), generateDemoHistory(demo, corpus, small));
});

test('20,000 cases over the two years before the anchor, oldest first, with weekday peaks', () => {
  assert.equal(history.length, 20_000);
  const times = history.map((entry) => entry.submittedAt.getTime());
  assert.ok(times.every((time, index) => index === 0 || time >= times[index - 1]!));
  assert.ok(times[0]! >= now.getTime() - 730 * 86_400_000 && times.at(-1)! < now.getTime());
  const weekday = countBy(history, (entry) => String(new Date(entry.submittedAt.getTime() + 8 * 3_600_000).getUTCDay()));
  assert.ok(weekday.get('1')! > 1.6 * weekday.get('0')!, 'Mondays busier than Sundays');
});

test('kinds, ratings and outcomes are within realistic bounds', () => {
  const kinds = countBy(history, (entry) => entry.kind);
  assert.ok(Math.abs(share(kinds.get('complaint')!) - 0.5) < 0.03);
  assert.ok(Math.abs(share(kinds.get('request_for_help')!) - 0.25) < 0.03);
  assert.ok(Math.abs(share(kinds.get('consultation')!) - 0.15) < 0.03);
  const states = countBy(replayed, (entry) => entry.snapshot.state);
  assert.ok(share(states.get('closed')!) > 0.9);
  const open = replayed.filter((entry) => !['closed', 'merged', 'not_in_scope'].includes(entry.snapshot.state)).length;
  assert.ok(open >= 150 && open <= 800, `${open} open`);
  assert.ok(states.get('merged')! >= 20, 'some merged');
  for (const state of ['dispatched', 'in_progress', 'replied', 'accepted']) assert.ok((states.get(state) ?? 0) > 0, state);
  const ratings = replayed.flatMap((entry) => entry.snapshot.ratings.filter((rating) => rating.round === 1));
  const unsatisfied = ratings.filter((rating) => rating.score <= 2).length / ratings.length;
  const happy = ratings.filter((rating) => rating.score >= 4).length / ratings.length;
  assert.ok(unsatisfied > 0.06 && unsatisfied < 0.15, `unsatisfied ${unsatisfied}`);
  assert.ok(happy > 0.7, `satisfied ${happy}`);
  assert.ok(replayed.some((entry) => entry.snapshot.round === 2), 'some reworked');
});

test('every timeline is a legal path through the state machine, ending where the replay ends', () => {
  // replayHistoricalCase throws on any illegal step: reaching here means all 20,000 replayed.
  for (const entry of replayed) {
    const events = entry.events;
    assert.equal(events[0]!.toState, 'accepted');
    events.forEach((event, index) => index > 0 && assert.equal(event.fromState, events[index - 1]!.toState));
    assert.equal(events.at(-1)!.toState, entry.snapshot.state);
    assert.equal(events.at(-1)!.version, entry.snapshot.version);
  }
});

test('the shipped texts hold no personal data the platform would mask', () => {
  for (const message of corpus.messages) {
    assert.equal(maskText(message.title), message.title);
    assert.equal(maskText(message.body), message.body);
    if (message.reply) assert.equal(maskText(message.reply), message.reply);
    assert.doesNotMatch(message.title + message.body, /西地省|(?<![A-Za-z])[A-Z]\d*[市县区]/);
  }
});

test('loadDemoCity loads a (small) history fast: handler inbox and triage queue have cases', async () => {
  const deps = await buildDeps();
  const started = performance.now();
  const result = await loadDemoCity(deps, 2026, { historySize: 1_500, historyAnchor: historyAnchorOf(new Date()) });
  assert.equal(result.loaded, true);
  assert.ok(performance.now() - started < 60_000);
  const city = await resolveCity(deps, demo.city.code);
  const db = deps.db.withTables<VoicesTables>();
  const housing = await deps.db.selectFrom('departments').select('id').where('region_id', '=', city.id).where('code', '=', 'city-housing').executeTakeFirstOrThrow();
  const cases = await db.selectFrom('cases').select(['state', 'department_id']).where('region_id', '=', city.id).execute();
  assert.equal(cases.length, 1_500);
  assert.ok(cases.some((row) => row.department_id === housing.id), 'the handler has cases');
  assert.ok(cases.some((row) => row.state === 'accepted' || row.state === 'verifying'), 'the coordinator has a triage queue');
  const templates = await deps.db.withTables<ReplyTemplateTables>().selectFrom('reply_templates').select(['department_id']).where('region_id', '=', city.id).execute();
  assert.ok(templates.length >= 10, 'reply templates for the common categories');
  assert.ok(templates.some((row) => row.department_id === housing.id), 'and one of the housing bureau’s own');
  // The demo citizen's own cases (demo-citizen.ts) as My messages lists them, and the suggestion adopted into a plan.
  const admin = await cliContext(deps, demo.city.code);
  const citizen = await contextOf(deps, admin, 'citizen', 'citizen');
  const mine = (await listCases(deps, citizen, {}, { limit: 50, offset: 0 })).items;
  assert.deepEqual(mine.map((record) => `${record.kind}:${record.snapshot.state}:${record.snapshot.round}`).sort(), [
    'complaint:in_progress:1',
    'complaint:in_progress:2',
    'complaint:replied:1',
    'consultation:closed:1',
    'suggestion:closed:1',
  ]);
  const replied = mine.find((record) => record.snapshot.state === 'replied')!;
  assert.ok((await getCase(deps, citizen, replied.id)).allowed.includes('rate'), 'the citizen may rate the reply');
  const suggestion = mine.find((record) => record.kind === 'suggestion')!;
  const timeline = (await getCase(deps, citizen, suggestion.id)).timeline;
  assert.deepEqual(timeline.slice(-2).map((entry) => entry.event), ['adopt', 'plan_item_changed']);
  assert.ok(timeline.every((entry, index) => index === 0 || entry.at >= timeline[index - 1]!.at), 'adopted after the case closed');
  const coordinator = await contextOf(deps, admin, 'coordinator', 'coordinator');
  assert.ok((await listCases(deps, coordinator, { queue: 'triage' }, { limit: 1, offset: 0 })).total > 0, 'the triage queue');
  assert.equal((await loadDemoCity(deps, 2026, { historySize: 1_500 })).loaded, false);
});

test('the demo city is paired by an approved optimiser run, with a year of visits, and the demo cadre has households of their own', async () => {
  const deps = await buildDeps();
  const admin = await cliContext(deps, demo.city.code);
  const cadre = await contextOf(deps, admin, 'cadre', 'cadre');
  const mine = await listHouseholds(deps, cadre, { limit: 100, offset: 0 });
  assert.ok(mine.total >= 2, `the demo cadre has ${mine.total} households`);
  assert.ok(mine.items.every((entry) => entry.lastVisit !== null), 'each visited in the last year');
  const runs = await listRuns(deps, admin, 10);
  assert.equal(runs[0]?.status, 'approved');
  assert.equal(runs[0]?.certified, true);
  const unpaired = await listHouseholds(deps, admin, { limit: 1, offset: 0, unpaired: true });
  assert.equal(unpaired.total, 0, 'every household has a cadre');
});

/** A demo login's request context, as its session would give it. */
async function contextOf(deps: PlatformDeps, admin: RequestContext, username: string, role: Role): Promise<RequestContext> {
  const user = (await listUsers(deps, admin, { q: username, role }, { limit: 50, offset: 0 })).items.find((candidate) => candidate.username === username)!;
  const actor = { regionId: admin.regionId, userId: user.id, username, role, departmentId: user.departmentId, scopePath: user.scopePath, via: 'session' as const };
  return { ...admin, actor };
}
