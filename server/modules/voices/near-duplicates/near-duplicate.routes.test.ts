import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { JoinProposalDecisionResult, JoinProposalListView } from '../../../../contracts/join-proposals.ts';
import type { CaseDetailView, MessageReceiptView } from '../../../../contracts/voices.ts';
import { assertProblem, buildVoicesTestApp, loginAs, type TestSession } from '../../../../test/factories.ts';
import type { PlatformDeps } from '../../../platform/index.ts';
import { indexNearDuplicates } from './near-duplicate.service.ts';

/** Join proposals over HTTP: the list a coordinator reads, confirm and reject, and their problem+json refusals. */
describe('/api/v1/join-proposals', () => {
  let app: FastifyInstance;
  let deps: PlatformDeps;
  let city: Awaited<ReturnType<typeof buildVoicesTestApp>>['city'];
  const as: Record<string, TestSession> = {};

  before(async () => {
    ({ app, deps, city } = await buildVoicesTestApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000', INTAKE_RATE_LIMIT_PER_MINUTE: '0' } }));
    for (const username of ['coordinator', 'admin', 'handler-housing']) as[username] = await loginAs(app, username);
  });
  after(() => app.close());

  const submit = async (title: string, description: string): Promise<MessageReceiptView> => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/messages',
      payload: { title, description, kind: 'complaint', communityId: city.communities['east-1-a'] },
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json<MessageReceiptView>();
  };
  const list = async (who = 'coordinator', query = ''): Promise<JoinProposalListView> => {
    const response = await app.inject({ url: `/api/v1/join-proposals${query}`, headers: as[who]!.headers });
    assert.equal(response.statusCode, 200, response.body);
    return response.json<JoinProposalListView>();
  };
  const decide = (id: number, action: 'confirm' | 'reject', payload: unknown = {}, who = 'coordinator') =>
    app.inject({ method: 'POST', url: `/api/v1/join-proposals/${id}/${action}`, headers: as[who]!.headers, payload: payload as Record<string, unknown> });

  test('a coordinator sees the proposal with its reasons and confirms it: the cases are merged', async () => {
    const first = await submit('青青家园小区公共通道被架设油烟管道', '青青家园小区的餐饮底商在公共消防通道破墙架设油烟管道，存在火灾隐患，油烟扰民半年，请相关部门处理。');
    const second = await submit('青青家园公共消防通道架设油烟管道扰民', '青青家园小区楼下的早餐店在公共消防通道里架设油烟管道，油烟直排扰民，存在消防隐患，多次投诉无果。');
    await indexNearDuplicates(deps, { regionId: city.regionId, now: deps.clock() });
    const listed = await list();
    assert.equal(listed.total, 1);
    assert.equal(listed.threshold.learned, false);
    assert.equal(listed.threshold.value, listed.threshold.defaultValue);
    const [proposal] = listed.items;
    assert.equal(proposal!.case.id, second.caseId);
    assert.equal(proposal!.matchedCase.id, first.caseId);
    assert.equal(proposal!.matchedCase.number, first.caseNumber);
    assert.ok(proposal!.reasons.place.shared.includes('青青家园'));
    assert.equal((await list('coordinator', `?caseId=${first.caseId}`)).total, 1);
    assert.equal((await list('coordinator', '?status=confirmed')).total, 0);

    assertProblem(await decide(proposal!.id, 'confirm', { caseVersion: proposal!.case.version + 5 }), 409, 'version_conflict');
    assertProblem(await decide(proposal!.id, 'confirm', { note: 'x'.repeat(501) }), 422, 'validation_failed');
    const confirmed = await decide(proposal!.id, 'confirm', { caseVersion: proposal!.case.version, note: '同一通道' });
    assert.equal(confirmed.statusCode, 200, confirmed.body);
    const result = confirmed.json<JoinProposalDecisionResult>();
    assert.equal(result.proposal.status, 'confirmed');
    assert.equal(result.threshold.decisions, 1);
    const merged = (await app.inject({ url: `/api/v1/cases/${second.caseId}`, headers: as.coordinator!.headers })).json<CaseDetailView>();
    assert.equal(merged.state, 'merged');
    assertProblem(await decide(proposal!.id, 'reject'), 409, 'conflict');
    assert.equal((await list('coordinator', '?status=confirmed')).items[0]!.decisionNote, '同一通道');
  });

  test('refusals are problem+json: unknown proposal 404, a handler 403, an admin may read but not decide', async () => {
    assertProblem(await decide(999_999, 'confirm'), 404, 'not_found');
    assertProblem(await app.inject({ url: '/api/v1/join-proposals', headers: as['handler-housing']!.headers }), 403, 'forbidden');
    assert.equal((await list('admin', '?status=confirmed')).total, 1);
    assertProblem(await decide(999_999, 'reject', {}, 'admin'), 403, 'forbidden');
    assertProblem(await app.inject({ url: '/api/v1/join-proposals?status=maybe', headers: as.coordinator!.headers }), 422, 'validation_failed');
  });
});
