import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { NotificationPageView } from '../../../../contracts/notifications.ts';
import type { AdoptionView, PlanItemView, PlanView } from '../../../../contracts/plans.ts';
import type { CaseDetailView, MessageReceiptView, TrackedCaseView } from '../../../../contracts/voices.ts';
import type { PlatformDeps } from '../../../platform/index.ts';
import { assertProblem, buildVoicesTestApp, loginAs, type TestSession } from '../../../../test/factories.ts';
import { dispatchNotifications } from '../notifications/notification.service.ts';

describe('work plans: adopting suggestions', () => {
  let app: FastifyInstance;
  let deps: PlatformDeps;
  let regionId: number;
  let housingId: number;
  const as: Record<string, TestSession> = {};
  let plan: PlanView;

  before(async () => {
    const built = await buildVoicesTestApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000', NOTIFY_INTERVAL_SECONDS: '0' } });
    ({ app, deps } = built);
    housingId = built.city.departments.housing!;
    regionId = built.city.regionId;
    for (const who of ['handler-housing', 'handler-transport', 'coordinator', 'citizen']) as[who] = await loginAs(app, who);
    const created = await app.inject({ method: 'POST', url: '/api/v1/plans', headers: as['handler-housing']!.headers, payload: { title: '2027 年住房民生实事', year: 2027, period: '全年' } });
    assert.equal(created.statusCode, 201, created.body);
    plan = created.json<PlanView>();
    assert.equal(plan.departmentId, housingId);
  });

  after(() => app.close());

  const submit = async (kind: string, headers: Record<string, string> = {}): Promise<MessageReceiptView> => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/messages',
      headers,
      payload: { title: '建议小区加装电梯', description: '老旧小区六层没有电梯，建议加装。', kind, categoryPath: '城乡建设/城市建设和市政管理/其他' },
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json<MessageReceiptView>();
  };

  const adopt = (caseId: number, who: string, payload: unknown) => app.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/adopt`, headers: as[who]!.headers, payload: payload as Record<string, unknown> });

  test('a suggestion is adopted into a new item; the department lists it; a second suggestion joins the same item', async () => {
    const receipt = await submit('suggestion');
    const response = await adopt(receipt.caseId, 'handler-housing', { newItem: { planId: plan.id, title: '老旧小区加装电梯', dueDate: '2027-06-30', budgetNote: '市级财政 200 万元' } });
    assert.equal(response.statusCode, 201, response.body);
    const item = response.json<PlanItemView>();
    assert.deepEqual([item.status, item.progress, item.dueDate, item.sourceCaseIds], ['planned', 0, '2027-06-30', [receipt.caseId]]);

    const other = await submit('suggestion', as.citizen!.headers);
    assert.equal((await adopt(other.caseId, 'handler-housing', { planItemId: item.id })).statusCode, 201);
    assertProblem(await adopt(other.caseId, 'handler-housing', { planItemId: item.id }), 409, 'conflict');

    const items = (await app.inject({ url: `/api/v1/plans/${plan.id}/items`, headers: as.coordinator!.headers })).json<{ items: PlanItemView[] }>().items;
    assert.deepEqual(items.find((candidate) => candidate.id === item.id)?.sourceCaseIds, [receipt.caseId, other.caseId].sort((a, b) => a - b));
    const plans = (await app.inject({ url: '/api/v1/plans', headers: as['handler-housing']!.headers })).json<{ items: PlanView[] }>().items;
    assert.ok(plans.some((candidate) => candidate.id === plan.id && candidate.itemCount >= 1));
    assert.equal((await app.inject({ url: '/api/v1/plans', headers: as['handler-transport']!.headers })).json<{ items: PlanView[] }>().items.length, 0);

    // The signed-in originator reads it on their case.
    const own = await app.inject({ url: `/api/v1/cases/${other.caseId}/plan-items`, headers: as.citizen!.headers });
    assert.equal(own.statusCode, 200, own.body);
    assert.equal(own.json<{ adoptedInto: AdoptionView[] }>().adoptedInto[0]!.itemTitle, '老旧小区加装电梯');
    assertProblem(await app.inject({ url: `/api/v1/cases/${receipt.caseId}/plan-items`, headers: as.citizen!.headers }), 403, 'forbidden');

    const audit = await deps.db.selectFrom('audit_log').select('action').where('region_id', '=', regionId).where('action', 'in', ['plan.create', 'case.adopt']).execute();
    assert.ok(audit.some((row) => row.action === 'plan.create'));
    assert.equal(audit.filter((row) => row.action === 'case.adopt').length, 2);
  });

  test('a complaint cannot be adopted (422); another department’s handler cannot adopt (403)', async () => {
    const complaint = await submit('complaint');
    assertProblem(await adopt(complaint.caseId, 'handler-housing', { newItem: { planId: plan.id, title: '投诉不是建议' } }), 422, 'validation_failed');
    const suggestion = await submit('suggestion');
    assertProblem(await adopt(suggestion.caseId, 'handler-transport', { newItem: { planId: plan.id, title: '别人的建议' } }), 403, 'forbidden');
    const transportPlan = await app.inject({ method: 'POST', url: '/api/v1/plans', headers: as['handler-transport']!.headers, payload: { title: '交通计划', year: 2027 } });
    assert.equal(transportPlan.statusCode, 201, transportPlan.body);
    assertProblem(await adopt(suggestion.caseId, 'handler-transport', { newItem: { planId: transportPlan.json<PlanView>().id, title: '别人的建议' } }), 403, 'forbidden');
    // Nor may a handler put items into another department's plan.
    assertProblem(await app.inject({ method: 'POST', url: `/api/v1/plans/${plan.id}/items`, headers: as['handler-transport']!.headers, payload: { title: 'x' } }), 403, 'forbidden');
  });

  test('a progress update notifies the originator (in-app by tracking code), a stale version is 409, and the tracking view shows the adoption', async () => {
    const receipt = await submit('suggestion');
    const item = (await adopt(receipt.caseId, 'handler-housing', { newItem: { planId: plan.id, title: '增设社区养老食堂', dueDate: '2027-09-30' } })).json<PlanItemView>();
    await dispatchNotifications(deps);
    const kindsBefore = (await app.inject({ url: `/api/v1/track/${receipt.trackingCode}/notifications` })).json<NotificationPageView>().items.map((row) => row.kind);
    assert.ok(kindsBefore.includes('adopt'), JSON.stringify(kindsBefore));

    const caseBefore = (await app.inject({ url: `/api/v1/cases/${receipt.caseId}`, headers: as['handler-housing']!.headers })).json<CaseDetailView>();
    const patched = await app.inject({ method: 'PATCH', url: `/api/v1/plan-items/${item.id}`, headers: as['handler-housing']!.headers, payload: { version: item.version, progress: 40, status: 'in_progress' } });
    assert.equal(patched.statusCode, 200, patched.body);
    const updated = patched.json<PlanItemView>();
    assert.deepEqual([updated.progress, updated.status, updated.version], [40, 'in_progress', item.version + 1]);

    const report = await dispatchNotifications(deps);
    assert.ok(report.notifications >= 1, JSON.stringify(report));
    const page = (await app.inject({ url: `/api/v1/track/${receipt.trackingCode}/notifications` })).json<NotificationPageView>();
    const news = page.items.find((row) => row.kind === 'plan_item_changed');
    assert.ok(news, JSON.stringify(page.items.map((row) => row.kind)));
    assert.match(news.title.zh, /工作计划/);

    // The case's state is unchanged; its timeline records the change (version + 1).
    const caseAfter = (await app.inject({ url: `/api/v1/cases/${receipt.caseId}`, headers: as['handler-housing']!.headers })).json<CaseDetailView>();
    assert.equal(caseAfter.state, caseBefore.state);
    assert.equal(caseAfter.version, caseBefore.version + 1);

    assertProblem(await app.inject({ method: 'PATCH', url: `/api/v1/plan-items/${item.id}`, headers: as['handler-housing']!.headers, payload: { version: item.version, progress: 50 } }), 409, 'version_conflict');
    // A coordinator in scope manages it too.
    const byCoordinator = await app.inject({ method: 'PATCH', url: `/api/v1/plan-items/${item.id}`, headers: as.coordinator!.headers, payload: { version: updated.version, progress: 60, note: '选址已确定' } });
    assert.equal(byCoordinator.statusCode, 200, byCoordinator.body);
    // The note travels with the news: the reason of the source case's timeline entry, not a field of the item.
    const noted = (await app.inject({ url: `/api/v1/cases/${receipt.caseId}`, headers: as['handler-housing']!.headers })).json<CaseDetailView>().timeline.at(-1)!;
    assert.deepEqual([noted.event, noted.reason], ['plan_item_changed', '选址已确定']);

    const tracked = await app.inject({ url: `/api/v1/track/${receipt.trackingCode}/plan-items` });
    assert.equal(tracked.statusCode, 200, tracked.body);
    assert.deepEqual(tracked.json<{ adoptedInto: AdoptionView[] }>().adoptedInto, [{ planTitle: '2027 年住房民生实事', itemTitle: '增设社区养老食堂', status: 'in_progress', progress: 60, dueDate: '2027-09-30' }]);
    const timeline = (await app.inject({ url: `/api/v1/track/${receipt.trackingCode}` })).json<TrackedCaseView>().timeline.map((entry) => entry.event);
    assert.ok(timeline.includes('plan_item_changed'), JSON.stringify(timeline));
    assertProblem(await app.inject({ url: '/api/v1/track/MX-NOPE-NOPE/plan-items' }), 404, 'not_found');

    const audit = await deps.db.selectFrom('audit_log').select('action').where('region_id', '=', regionId).where('action', '=', 'plan_item.update').execute();
    assert.equal(audit.length, 2);
  });
});
