import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { buildDeps, buildVoicesCity } from '../../../../test/factories.ts';
import type { AppError, Actor, PlatformDeps, RequestContext } from '../../../platform/index.ts';
import * as cases from '../cases/case.repository.ts';
import { applyCaseEvent } from '../cases/case.service.ts';
import { submitMessage, type MessageInput } from '../intake/intake.service.ts';
import * as repository from './near-duplicate.repository.ts';
import { confirmJoinProposal, indexNearDuplicates, listJoinProposals, rejectJoinProposal } from './near-duplicate.service.ts';

/**
 * The near-duplicate join on a city of its own (PGlite, or the server with
 * TEST_DATABASE_URL): messages come in through intake as usual, the indexer
 * runs when the test says, coordinators decide through the service.
 */

const T0 = new Date('2026-03-02T02:00:00Z');
let deps: PlatformDeps;
let city: Awaited<ReturnType<typeof buildVoicesCity>>;
const actors: Record<string, Actor> = {};

before(async () => {
  deps = await buildDeps({ clock: () => T0 });
  city = await buildVoicesCity(deps);
  const users = await deps.db.selectFrom('users').selectAll().where('region_id', '=', city.regionId).execute();
  const regions = await deps.db.selectFrom('regions').select(['id', 'path']).where('region_id', '=', city.regionId).execute();
  const pathOf = (id: unknown) => regions.find((region) => Number(region.id) === Number(id))?.path ?? `/${city.regionId}/`;
  for (const user of users) {
    actors[user.username] = {
      regionId: city.regionId,
      userId: Number(user.id),
      username: user.username,
      role: user.role as Actor['role'],
      departmentId: user.department_id === null ? null : Number(user.department_id),
      scopePath: user.scope_region_id === null ? `/${city.regionId}/` : pathOf(user.scope_region_id),
      via: 'session',
    };
  }
});

const as = (username: string): RequestContext => ({ actor: actors[username], regionId: city.regionId, ip: null, requestId: null });
const anonymous = (): RequestContext => ({ actor: undefined, regionId: city.regionId, ip: null, requestId: null });

const OIL = { title: '润芳园小区临街门面油烟直排扰民', description: '润芳园小区临街的烧烤店、米粉店长期油烟直排，没有烟道，每天经营到深夜，严重影响居民生活，请求处理。', kind: 'complaint' } as const;
const OIL_AGAIN = { title: '润芳园小区门面油烟扰民', description: '我们润芳园小区楼下的烧烤店油烟直排，一天到晚都是烟，没有烟道，投诉多次无果，请政府处理。', kind: 'complaint' } as const;
const LIGHT = { title: '东二环辅路路灯不亮', description: '东二环辅路从火车站到汽车站一段路灯坏了一个月，晚上一片漆黑，行人很危险，请尽快维修。', kind: 'request_for_help' } as const;

async function submit(input: MessageInput): Promise<{ caseId: number; messageId: number }> {
  return submitMessage(deps, anonymous(), input, { channel: 'web' });
}

const index = (now = T0) => indexNearDuplicates(deps, { regionId: city.regionId, now });
const openProposals = async (username = 'coordinator') => (await listJoinProposals(deps, as(username), {}, { limit: 50, offset: 0 })).items;

describe('the indexer', () => {
  let first: { caseId: number; messageId: number };
  let second: { caseId: number; messageId: number };

  test('proposes joining a message that says the same thing at the same place into the open case, and nothing else', async () => {
    const east = city.communities['east-1-a']!;
    const west = city.communities['west-1-a']!;
    first = await submit({ ...OIL, communityId: east });
    await submit({ ...LIGHT, communityId: east });
    second = await submit({ ...OIL_AGAIN, communityId: east });
    await submit({ ...OIL, communityId: west }); // the same words about another community
    const report = await index();
    assert.deepEqual(report, { signed: 4, proposed: 1, locked: 0, pruned: 0 });
    const [proposal, ...others] = await openProposals();
    assert.equal(others.length, 0);
    assert.equal(proposal!.caseId, second.caseId);
    assert.equal(proposal!.matchedCaseId, first.caseId);
    assert.equal(proposal!.messageId, second.messageId);
    assert.ok(proposal!.score >= 0.5 && proposal!.score <= 1);
    const reasons = proposal!.reasons as { place: { basis: string }; problem: { shared: string[] } };
    assert.equal(reasons.place.basis, 'community');
    assert.ok(reasons.problem.shared.includes('油烟'));
    assert.equal(proposal!.matchedCase.messages, 1);
    assert.equal(proposal!.message.title, OIL_AGAIN.title);
  });

  test('is idempotent: a second run signs and proposes nothing', async () => {
    assert.deepEqual(await index(), { signed: 0, proposed: 0, locked: 0, pruned: 0 });
    assert.equal((await openProposals()).length, 1);
  });

  test('skips a city another indexer holds, and leaves it whole', async () => {
    await submit({ ...LIGHT, communityId: city.communities['west-1-a']! });
    let report: Awaited<ReturnType<typeof index>> | undefined;
    await deps.db.transaction().execute(async (trx) => {
      assert.ok(await repository.lockCity(trx, city.regionId));
      // On PGlite the one connection is busy with this transaction: the other indexer can only run after it.
      if (process.env.TEST_DATABASE_URL) report = await index();
    });
    if (report) assert.deepEqual(report, { signed: 0, proposed: 0, locked: 1, pruned: 0 });
    assert.equal((await index()).signed, 1);
  });

  test('several indexers at once sign each message once and propose each join once', async () => {
    for (let i = 0; i < 3; i += 1) await submit({ ...OIL_AGAIN, title: `${OIL_AGAIN.title}（第${i + 2}次反映）`, communityId: city.communities['east-1-a']! });
    const reports = await Promise.all([index(), index(), index()]);
    assert.equal(reports.reduce((sum, report) => sum + report.signed, 0), 3);
    assert.equal(reports.reduce((sum, report) => sum + report.proposed, 0), 3);
    const { rows } = await sql<{ n: string | number }>`select count(*) as n from join_proposals where region_id = ${city.regionId}`.execute(deps.db);
    assert.equal(Number(rows[0]!.n), 4);
  });

  test('moves its watermark only past ids that have been the highest for the grace period', async () => {
    const progress = async () => (await deps.db.transaction().execute((trx) => repository.lockCity(trx, city.regionId)))!;
    const before = await progress();
    assert.equal(before.indexedThrough, 0, 'the first runs only note the highest id');
    assert.ok(before.pendingThrough! > 0);
    await indexNearDuplicates(deps, { regionId: city.regionId, now: new Date(T0.getTime() + 60_000) });
    assert.equal((await progress()).indexedThrough, 0, 'one minute is within the grace period');
    await indexNearDuplicates(deps, { regionId: city.regionId, now: new Date(T0.getTime() + 180_000) });
    const after = await progress();
    assert.equal(after.indexedThrough, before.pendingThrough);
  });
});

describe('coordinators decide', () => {
  test('a handler may not see proposals; an admin may see but not decide; an east coordinator sees only east cases', async () => {
    await assert.rejects(listJoinProposals(deps, as('handler-housing'), {}, { limit: 10, offset: 0 }), (error: AppError) => error.code === 'forbidden');
    assert.ok((await listJoinProposals(deps, as('admin'), {}, { limit: 10, offset: 0 })).items.length > 0);
    const [proposal] = await openProposals('admin');
    await assert.rejects(confirmJoinProposal(deps, as('admin'), proposal!.id, {}), (error: AppError) => error.code === 'forbidden');
    const west = city.communities['west-1-a']!;
    await submit({ ...OIL_AGAIN, communityId: west });
    await index();
    const all = await openProposals();
    const eastOnly = await openProposals('coordinator-east');
    assert.ok(all.length > eastOnly.length);
    const westProposal = all.find((entry) => !eastOnly.some((seen) => seen.id === entry.id))!;
    await assert.rejects(rejectJoinProposal(deps, as('coordinator-east'), westProposal.id, {}), (error: AppError) => error.code === 'forbidden');
    await assert.rejects(confirmJoinProposal(deps, as('coordinator'), 999_999, {}), (error: AppError) => error.code === 'not_found');
  });

  test('confirm merges the new case into the matched one: its requester joins the survivor', async () => {
    const [proposal] = await openProposals();
    const newCase = (await cases.findCase(deps.db, city.regionId, proposal!.caseId))!;
    await assert.rejects(
      confirmJoinProposal(deps, as('coordinator'), proposal!.id, { caseVersion: newCase.snapshot.version - 1 }),
      (error: AppError) => error.code === 'version_conflict',
    );
    const decision = await confirmJoinProposal(deps, as('coordinator'), proposal!.id, { caseVersion: newCase.snapshot.version, note: '同一小区同一油烟问题' });
    assert.equal(decision.proposal.status, 'confirmed');
    const merged = (await cases.findCase(deps.db, city.regionId, proposal!.caseId))!;
    const survivor = (await cases.findCase(deps.db, city.regionId, proposal!.matchedCaseId))!;
    assert.equal(merged.snapshot.state, 'merged');
    assert.equal(merged.snapshot.mergedIntoCaseId, survivor.id);
    for (const requester of newCase.snapshot.requesterIds) assert.ok(survivor.snapshot.requesterIds.includes(requester), 'every requester kept');
    const timeline = await cases.listCaseEvents(deps.db, city.regionId, survivor.id);
    assert.ok(timeline.some((entry) => entry.event === 'join'));
    await assert.rejects(confirmJoinProposal(deps, as('coordinator'), proposal!.id, {}), (error: AppError) => error.code === 'conflict');
    assert.ok(!(await openProposals()).some((entry) => entry.id === proposal!.id));
    assert.equal(decision.threshold.decisions, 1);
  });

  test('reject leaves both cases as they were', async () => {
    const [proposal] = await openProposals();
    const before = (await cases.findCase(deps.db, city.regionId, proposal!.caseId))!;
    const decision = await rejectJoinProposal(deps, as('coordinator'), proposal!.id, { note: '不是同一家店' });
    assert.equal(decision.proposal.status, 'rejected');
    const after = (await cases.findCase(deps.db, city.regionId, proposal!.caseId))!;
    assert.deepEqual(after.snapshot, before.snapshot);
    const rejected = await listJoinProposals(deps, as('coordinator'), { status: 'rejected' }, { limit: 10, offset: 0 });
    assert.equal(rejected.items[0]!.id, proposal!.id);
    assert.equal(rejected.items[0]!.decisionNote, '不是同一家店');
  });

  test('a case that moved on cannot be joined (409), and its proposal leaves the open list', async () => {
    const [proposal] = await openProposals();
    const record = (await cases.findCase(deps.db, city.regionId, proposal!.caseId))!;
    await applyCaseEvent(deps, as('coordinator'), record.id, { version: record.snapshot.version, event: { type: 'reject_as_not_in_scope', reason: '不属于受理范围' } });
    await assert.rejects(confirmJoinProposal(deps, as('coordinator'), proposal!.id, {}), (error: AppError) => error.code === 'conflict' && /moved on/.test(error.message));
    assert.ok(!(await openProposals()).some((entry) => entry.id === proposal!.id));
  });

  test('the threshold is learned from the decisions: rejections just above it raise it', async () => {
    const east = city.communities['east-1-a']!;
    const made: { caseId: number; messageId: number }[] = [];
    for (let i = 0; i < 22; i += 1) made.push(await submit({ ...LIGHT, title: `${LIGHT.title}${i}`, communityId: east }));
    const [anchor] = made;
    for (const [i, message] of made.slice(1).entries()) {
      const id = await repository.insertProposal(deps.db, city.regionId, {
        messageId: message.messageId,
        caseId: message.caseId,
        matchedCaseId: anchor!.caseId,
        matchedMessageId: anchor!.messageId,
        score: 0.5 + (i % 5) * 0.01,
        threshold: 0.5,
        reasons: {},
        createdAt: T0,
      });
      await rejectJoinProposal(deps, as('coordinator'), id!, {});
    }
    const { threshold } = await listJoinProposals(deps, as('coordinator'), {}, { limit: 1, offset: 0 });
    assert.equal(threshold.learned, true);
    assert.ok(threshold.value > 0.54, `threshold ${threshold.value}`);
    assert.ok(threshold.decisions >= 20);
  });
});
