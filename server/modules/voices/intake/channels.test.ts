import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { CaseDetailView, CaseSummary, MessageReceiptView, TrackedCaseView } from '../../../../contracts/voices.ts';
import { assertProblem, buildVoicesTestApp, loginAs, type TestSession } from '../../../../test/factories.ts';

describe('intake channels (web, api, visit) and department names in case lists', () => {
  let app: FastifyInstance;
  let departments: Record<string, number>;
  let communities: Record<string, number>;
  const as: Record<string, TestSession> = {};

  before(async () => {
    const built = await buildVoicesTestApp({
      env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000', NOTIFY_INTERVAL_SECONDS: '0' },
    });
    app = built.app;
    ({ departments, communities } = built.city);
    for (const who of ['coordinator', 'handler-housing', 'cadre', 'citizen']) as[who] = await loginAs(app, who);
  });

  after(() => app.close());

  const message = {
    title: '路灯不亮',
    description: '小区门口的路灯坏了一周',
    kind: 'request_for_help',
    categoryPath: '城乡建设/城市建设和市政管理/其他',
  };
  const post = (payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/api/v1/messages', headers, payload });
  const caseAs = async (who: string, caseId: number): Promise<CaseDetailView> => {
    const response = await app.inject({ url: `/api/v1/cases/${caseId}`, headers: as[who]!.headers });
    assert.equal(response.statusCode, 200, response.body);
    return response.json<CaseDetailView>();
  };

  test('the request names its channel: web from the web form, api by default', async () => {
    const web = (await post({ ...message, channel: 'web' })).json<MessageReceiptView>();
    const plain = (await post(message)).json<MessageReceiptView>();
    assert.equal((await caseAs('coordinator', web.caseId)).messages[0]!.channel, 'web');
    assert.equal((await caseAs('coordinator', plain.caseId)).messages[0]!.channel, 'api');
    assertProblem(await post({ ...message, channel: 'open311' }), 422, 'validation_failed');
  });

  test('the channel is part of what an Idempotency-Key is bound to', async () => {
    const headers = { 'idempotency-key': `channel-${Date.now()}` };
    const first = await post({ ...message, channel: 'web' }, headers);
    assert.equal(first.statusCode, 201, first.body);
    const again = await post({ ...message, channel: 'web' }, headers);
    assert.equal(again.json<MessageReceiptView>().caseId, first.json<MessageReceiptView>().caseId);
    assertProblem(await post(message, headers), 409, 'conflict');
  });

  test('a cadre writes down a resident’s message on a visit: the resident gets the tracking code and rates; the cadre is the author', async () => {
    const response = await post(
      {
        ...message,
        title: '独居老人家中漏水',
        channel: 'visit',
        communityId: communities['east-1-a'],
        contact: { name: '王大爷', phone: '13700000000' },
      },
      as.cadre!.headers,
    );
    assert.equal(response.statusCode, 201, response.body);
    const receipt = response.json<MessageReceiptView>();
    assert.match(receipt.trackingCode, /\S/);

    const detail = await caseAs('coordinator', receipt.caseId);
    assert.equal(detail.messages[0]!.channel, 'visit');
    assert.deepEqual(detail.messages[0]!.contact, { name: '王大爷', phone: '13700000000' });
    assert.equal(detail.timeline[0]!.actor, 'cadre:cadre');
    assert.equal(detail.requesterCount, 1);
    assert.equal(detail.departmentId, departments.housing);
    const tracked = (await app.inject({ url: `/api/v1/track/${receipt.trackingCode}` })).json<TrackedCaseView>();
    assert.ok(!JSON.stringify(tracked).includes('13700000000'));

    // The housing bureau replies; the resident rates with the code the cadre passed on.
    let current = await caseAs('handler-housing', receipt.caseId);
    for (const event of [{ type: 'accept_work' }, { type: 'reply', text: '已派人上门维修。' }]) {
      const fired = await app.inject({
        method: 'POST',
        url: `/api/v1/cases/${receipt.caseId}/events`,
        headers: as['handler-housing']!.headers,
        payload: { version: current.version, event },
      });
      assert.equal(fired.statusCode, 200, fired.body);
      current = fired.json<CaseDetailView>();
    }
    const version = (await app.inject({ url: `/api/v1/track/${receipt.trackingCode}` })).json<TrackedCaseView>()
      .version;
    const rated = await app.inject({
      method: 'POST',
      url: `/api/v1/track/${receipt.trackingCode}/rating`,
      payload: { score: 5, version },
    });
    assert.equal(rated.statusCode, 200, rated.body);
    assert.equal((await caseAs('coordinator', receipt.caseId)).ratings[0]!.score, 5);
  });

  test('only a signed-in cadre may use the visit channel (403), and must give the resident’s name or phone (422)', async () => {
    const visit = { ...message, channel: 'visit', contact: { name: '李阿姨' } };
    assertProblem(await post(visit), 403, 'forbidden');
    assertProblem(await post(visit, as.citizen!.headers), 403, 'forbidden');
    assertProblem(await post(visit, as['handler-housing']!.headers), 403, 'forbidden');
    const problem = assertProblem(
      await post({ ...message, channel: 'visit' }, as.cadre!.headers),
      422,
      'validation_failed',
    );
    assert.match(JSON.stringify(problem), /contact/);
    assertProblem(
      await post({ ...message, channel: 'visit', contact: { email: 'x@example.com' } }, as.cadre!.headers),
      422,
      'validation_failed',
    );
  });

  test('case lists and cases carry the lead and co-handling departments’ names', async () => {
    const receipt = (
      await post({ ...message, categoryPath: undefined, title: '需要多部门处理' })
    ).json<MessageReceiptView>();
    let detail = await caseAs('coordinator', receipt.caseId);
    assert.deepEqual([detail.departmentName, detail.coHandlers], [null, []]);
    const dispatched = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${receipt.caseId}/events`,
      headers: as.coordinator!.headers,
      payload: {
        version: detail.version,
        event: {
          type: 'dispatch',
          departmentId: departments.transport,
          coHandlerIds: [departments['east-housing'], departments.housing],
        },
      },
    });
    assert.equal(dispatched.statusCode, 200, dispatched.body);
    detail = dispatched.json<CaseDetailView>();
    assert.deepEqual([detail.departmentName, detail.departmentNameEn], ['交通运输局', 'Transport Bureau']);
    const listed = (
      await app.inject({ url: `/api/v1/cases?q=${detail.number}`, headers: as.coordinator!.headers })
    ).json<{ items: CaseSummary[] }>().items;
    assert.equal(listed.length, 1);
    assert.equal(listed[0]!.departmentName, '交通运输局');
    assert.deepEqual(listed[0]!.coHandlerIds, [departments['east-housing'], departments.housing]);
    assert.deepEqual(listed[0]!.coHandlers, [
      { id: departments['east-housing'], name: '东区住房和城乡建设局', nameEn: null },
      { id: departments.housing, name: '住房和城乡建设局', nameEn: 'Housing Bureau' },
    ]);
  });
});
