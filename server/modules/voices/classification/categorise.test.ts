import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { CaseDetailView, MessageReceiptView } from '../../../../contracts/voices.ts';
import { cliContext, type PlatformDeps } from '../../../platform/index.ts';
import type { VoicesTables } from '../cases/voices.table.ts';
import { exportCategoryLabels } from './category-label.service.ts';
import { assertProblem, buildVoicesTestApp, loginAs, type TestSession } from '../../../../test/factories.ts';

/** 分类: coordinators file a case under a category; each becomes a label for the next classifier. */
describe('categorise (分类) and the labels it leaves', () => {
  let app: FastifyInstance;
  let deps: PlatformDeps;
  let city: Awaited<ReturnType<typeof buildVoicesTestApp>>['city'];
  const as: Record<string, TestSession> = {};

  before(async () => {
    // Every uncategorised message waits in triage whatever the classifier says.
    ({ app, deps, city } = await buildVoicesTestApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000', CLASSIFIER_MIN_CONFIDENCE: '1' } }));
    for (const username of ['coordinator', 'handler-housing']) as[username] = await loginAs(app, username);
  });
  after(() => app.close());

  const submitTriage = async (): Promise<MessageReceiptView> => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/messages',
      payload: { title: '低保申请没有回音', description: '我家三个月前申请了低保，至今没有人联系，请问进度如何。', kind: 'request_for_help' },
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json<MessageReceiptView>();
  };
  const fire = (id: number, who: string, version: number, event: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: `/api/v1/cases/${id}/events`, headers: as[who]!.headers, payload: { version, event } });
  const getCase = async (id: number): Promise<CaseDetailView> =>
    (await app.inject({ url: `/api/v1/cases/${id}`, headers: as.coordinator!.headers })).json<CaseDetailView>();
  const labelsOf = (caseId: number) =>
    deps.db
      .withTables<VoicesTables>()
      .selectFrom('category_labels as l')
      .innerJoin('messages as m', (join) => join.onRef('m.region_id', '=', 'l.region_id').onRef('m.id', '=', 'l.message_id'))
      .innerJoin('categories as c', (join) => join.onRef('c.region_id', '=', 'l.region_id').onRef('c.id', '=', 'l.category_id'))
      .select(['c.path', 'l.labelled_by'])
      .where('l.region_id', '=', city.regionId)
      .where('m.case_id', '=', caseId)
      .execute();

  test('a coordinator files a triage case under a category: the case has it, the timeline says so, the message is labelled', async () => {
    const receipt = await submitTriage();
    const before = await getCase(receipt.caseId);
    assert.equal(before.state, 'accepted');
    assert.equal(before.categoryPath, null);
    assert.ok(before.allowedEvents.includes('categorise'));
    const response = await fire(receipt.caseId, 'coordinator', before.version, { type: 'categorise', categoryPath: ' 民政/社会救助/城镇低保 ' });
    assert.equal(response.statusCode, 200, response.body);
    const after = response.json<CaseDetailView>();
    assert.equal(after.state, 'accepted');
    assert.equal(after.categoryPath, '民政/社会救助/城镇低保');
    assert.equal(after.version, before.version + 1);
    assert.equal(after.timeline.at(-1)!.event, 'categorise');
    assert.deepEqual(await labelsOf(receipt.caseId), [{ path: '民政/社会救助/城镇低保', labelled_by: as.coordinator!.userId }]);

    // A correction replaces the label.
    const again = await fire(receipt.caseId, 'coordinator', after.version, { type: 'categorise', categoryPath: '民政', reason: '仅能确定一级分类' });
    assert.equal(again.statusCode, 200, again.body);
    assert.deepEqual((await labelsOf(receipt.caseId)).map((label) => label.path), ['民政']);
  });

  test('a path outside the taxonomy is 422 naming categoryPath, and nothing changes', async () => {
    const receipt = await submitTriage();
    const before = await getCase(receipt.caseId);
    const response = await fire(receipt.caseId, 'coordinator', before.version, { type: 'categorise', categoryPath: '民政/不存在的分类' });
    const problem = assertProblem(response, 422, 'validation_failed');
    assert.equal((problem as { errors?: { path: string }[] }).errors?.[0]?.path, 'categoryPath');
    const unchanged = await getCase(receipt.caseId);
    assert.equal(unchanged.version, before.version);
    assert.equal(unchanged.categoryPath, null);
    assert.deepEqual(await labelsOf(receipt.caseId), []);
  });

  test('a handler may not categorise their own case', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/messages',
      payload: { title: '路灯不亮', description: '小区门口的路灯坏了一周', kind: 'request_for_help', categoryPath: '城乡建设' },
    });
    const receipt = response.json<MessageReceiptView>();
    const detail = (await app.inject({ url: `/api/v1/cases/${receipt.caseId}`, headers: as['handler-housing']!.headers })).json<CaseDetailView>();
    assert.equal(detail.allowedEvents.includes('categorise'), false);
    const refused = await fire(receipt.caseId, 'handler-housing', detail.version, { type: 'categorise', categoryPath: '民政' });
    assert.ok([403, 409].includes(refused.statusCode), refused.body);
    assert.deepEqual(await labelsOf(receipt.caseId), []);
  });

  test('the labels export as training lines for minxin train, for city-wide admins only', async () => {
    const receipt = await submitTriage();
    const detail = await getCase(receipt.caseId);
    const response = await fire(receipt.caseId, 'coordinator', detail.version, { type: 'categorise', categoryPath: '民政/社会救助/城镇低保' });
    assert.equal(response.statusCode, 200, response.body);
    const lines: string[] = [];
    for await (const line of exportCategoryLabels(deps, await cliContext(deps, city.code))) lines.push(line);
    const exported = lines.map((line) => JSON.parse(line) as { id: number; title: string; body: string; label: string; path: string[] });
    const mine = exported.find((line) => line.id === receipt.messageId);
    assert.deepEqual(mine, {
      id: receipt.messageId,
      title: '低保申请没有回音',
      body: '我家三个月前申请了低保，至今没有人联系，请问进度如何。',
      label: '民政',
      path: ['民政', '社会救助', '城镇低保'],
    });
    const ids = exported.map((line) => line.id);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b));

    const coordinatorContext = { ...(await cliContext(deps, city.code)), actor: { ...(await cliContext(deps, city.code)).actor!, role: 'coordinator' as const } };
    await assert.rejects(async () => {
      for await (const _line of exportCategoryLabels(deps, coordinatorContext)) break;
    }, /may not category_labels.export/);
  });
});
