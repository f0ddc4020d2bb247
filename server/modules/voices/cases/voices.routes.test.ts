import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { CaseDetailView, CaseSummary, MessageReceiptView, RoutingRuleView, TrackedCaseView } from '../../../../contracts/voices.ts';
import { verifyAudit, type PlatformDeps } from '../../../platform/index.ts';
import { assertProblem, buildVoicesTestApp, loginAs, testClock, type TestSession } from '../../../../test/factories.ts';

/**
 * The voices loop through the HTTP app, on a city with the taxonomy and two
 * rules (城乡建设 → housing, 交通运输 → transport): intake, routing, the
 * lifecycle with deadlines, tracking by code, rating, rework and close.
 */
describe('voices over HTTP', () => {
  let app: FastifyInstance;
  let deps: PlatformDeps;
  let city: Awaited<ReturnType<typeof buildVoicesTestApp>>['city'];
  const clock = testClock(new Date('2026-03-02T01:00:00Z')); // a Monday, 09:00 in Beijing
  const as: Record<string, TestSession> = {};

  before(async () => {
    ({ app, deps, city } = await buildVoicesTestApp({ clock: clock.now, env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000', SESSION_TTL_HOURS: '720' } }));
    for (const username of ['coordinator', 'coordinator-east', 'handler-housing', 'handler-transport', 'citizen', 'auditor']) as[username] = await loginAs(app, username);
  });
  after(() => app.close());

  const message = (overrides: Record<string, unknown> = {}) => ({
    title: '小区楼道灯坏了',
    description: '东一甲社区3号楼楼道灯坏了一个月，晚上很黑，请尽快维修。',
    kind: 'request_for_help',
    categoryPath: '城乡建设/城市建设和市政管理/其他',
    communityId: city.communities['east-1-a'],
    contact: { name: '张三', phone: '13912345678' },
    ...overrides,
  });
  const submit = (payload: unknown, headers: Record<string, string> = {}) => app.inject({ method: 'POST', url: '/api/v1/messages', payload: payload as object, headers });
  const getCase = async (id: number, who: string) => {
    const response = await app.inject({ url: `/api/v1/cases/${id}`, headers: as[who]!.headers });
    assert.equal(response.statusCode, 200, response.body);
    return response.json<CaseDetailView>();
  };
  const fire = (id: number, who: string, version: number, event: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: `/api/v1/cases/${id}/events`, headers: as[who]!.headers, payload: { version, event } });
  const fireOk = async (id: number, who: string, version: number, event: Record<string, unknown>) => {
    const response = await fire(id, who, version, event);
    assert.equal(response.statusCode, 200, response.body);
    return response.json<CaseDetailView>();
  };
  const track = async (code: string) => {
    const response = await app.inject({ url: `/api/v1/track/${code}` });
    assert.equal(response.statusCode, 200, response.body);
    return response.json<TrackedCaseView>();
  };
  const rate = async (code: string, score: number, version: number) => {
    const response = await app.inject({ method: 'POST', url: `/api/v1/track/${code}/rating`, payload: { score, version, comment: '评价' } });
    assert.equal(response.statusCode, 200, response.body);
    return response.json<TrackedCaseView>();
  };

  test('the categories are public, three levels deep, with paths', async () => {
    const { items } = (await app.inject({ url: '/api/v1/categories' })).json<{ items: { path: string; level: number; parentId: number | null }[] }>();
    assert.ok(items.some((category) => category.path === '城乡建设/安全生产/事故处理' && category.level === 3));
    assert.equal(items.filter((category) => category.level === 1).length, 15);
    assert.equal(items.filter((category) => category.level === 3).length, 517);
  });

  test('the whole loop: anonymous intake → routed → reply → unsatisfied → rework → satisfied → closed', async () => {
    const submitted = await submit(message());
    assert.equal(submitted.statusCode, 201, submitted.body);
    const receipt = submitted.json<MessageReceiptView>();
    assert.match(receipt.trackingCode, /^MX-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]$/);
    assert.match(receipt.caseNumber, /^2026-\d{6}$/);

    // Routed by the 城乡建设 rule and dispatched with a deadline (5 working days for a request for help).
    let detail = await getCase(receipt.caseId, 'handler-housing');
    assert.equal(detail.state, 'dispatched');
    assert.equal(detail.departmentId, city.departments.housing);
    assert.equal(detail.dueAt, '2026-03-09T15:59:59.999Z');
    assert.equal(detail.sla?.state, 'on_time');
    assert.equal(detail.messages[0]!.contact?.phone, '13912345678', 'the handling department sees the contact');

    // Another department cannot read it, let alone act on it.
    assertProblem(await app.inject({ url: `/api/v1/cases/${receipt.caseId}`, headers: as['handler-transport']!.headers }), 403, 'forbidden');
    assertProblem(await fire(receipt.caseId, 'handler-transport', detail.version, { type: 'accept_work' }), 403, 'forbidden');
    const auditorView = await getCase(receipt.caseId, 'auditor');
    assert.equal(auditorView.messages[0]!.contact, undefined, 'auditors read cases without personal data');

    detail = await fireOk(receipt.caseId, 'handler-housing', detail.version, { type: 'accept_work' });
    // A stale version is refused, never silently applied.
    assertProblem(await fire(receipt.caseId, 'handler-housing', detail.version - 1, { type: 'reply', text: '已修复' }), 409, 'version_conflict');
    // An illegal event lists the allowed ones.
    const illegal = assertProblem(await fire(receipt.caseId, 'handler-housing', detail.version, { type: 'close' }), 409, 'conflict');
    assert.deepEqual((illegal as { allowed?: string[] }).allowed, ['add_note', 'reply', 'return', 'request_transfer', 'request_extension', 'suspend']);

    clock.advance(24 * 3600_000);
    detail = await fireOk(receipt.caseId, 'handler-housing', detail.version, { type: 'reply', text: '已派电工修复楼道灯。如有问题请联系维修师傅 13812345678。' });
    assert.equal(detail.state, 'replied');
    assert.equal(detail.sla, null);

    let tracked = await track(receipt.trackingCode.toLowerCase().replaceAll('-', ''));
    assert.equal(tracked.state, 'replied');
    assert.ok(tracked.reply!.text.startsWith('已派电工修复楼道灯'));
    assert.ok(!tracked.reply!.text.includes('13812345678'), `phone masked: ${tracked.reply!.text}`);
    const publicText = JSON.stringify(tracked);
    for (const secret of ['13912345678', '张三', 'code:', 'handler-housing']) assert.ok(!publicText.includes(secret), `public view leaks ${secret}`);
    assert.equal(tracked.mayRate, true);

    tracked = await rate(receipt.trackingCode, 1, tracked.version);
    assert.equal(tracked.state, 'verifying');
    assert.equal(tracked.mayRate, false);

    detail = await getCase(receipt.caseId, 'coordinator');
    detail = await fireOk(receipt.caseId, 'coordinator', detail.version, { type: 'verify_unsatisfied', confirmed: true, note: '回访核实：灯仍不亮' });
    assert.equal(detail.state, 'reopened');
    assert.equal(detail.round, 2);
    assert.ok(detail.dueAt && new Date(detail.dueAt) > new Date('2026-03-09T16:00:00Z'), 'rework has a new deadline');

    detail = await fireOk(receipt.caseId, 'handler-housing', detail.version, { type: 'accept_work' });
    detail = await fireOk(receipt.caseId, 'handler-housing', detail.version, { type: 'reply', text: '已更换灯具并复查。' });
    tracked = await rate(receipt.trackingCode, 5, detail.version);
    assert.equal(tracked.state, 'rated');
    detail = await fireOk(receipt.caseId, 'coordinator', tracked.version, { type: 'close', note: '办结' });
    assert.equal(detail.state, 'closed');
    assert.deepEqual(
      detail.timeline.map((entry) => entry.event),
      ['open', 'dispatch', 'accept_work', 'reply', 'rate', 'verify_unsatisfied', 'accept_work', 'reply', 'rate', 'close'],
    );
    assert.equal(detail.timeline[1]!.actor, 'system');
    assert.equal((await track(receipt.trackingCode)).state, 'closed');
  });

  test('bad input is refused with 422 naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ categoryPath: '城乡建设/不存在的分类' }, 'categoryPath'],
      [{ description: '   ' }, 'description'],
      [{ description: 'x'.repeat(4001) }, 'description'],
      [{ lat: 36.1 }, 'lng'],
      [{ lat: 95, lng: 120 }, 'lat'],
      [{ lat: 39.9, lng: 116.4 }, 'lat'], // Beijing: far from the test city
      [{ communityId: city.districts.east }, 'communityId'],
    ];
    for (const [overrides, field] of cases) {
      const problem = assertProblem(await submit(message(overrides)), 422, 'validation_failed');
      assert.ok(problem.errors?.some((error) => error.path.endsWith(field)), `${JSON.stringify(overrides).slice(0, 60)} → ${JSON.stringify(problem.errors)}`);
    }
    assert.equal((await submit(message({ description: 'x'.repeat(4000), lat: 36.05, lng: 120.3 }))).statusCode, 201);
  });

  test('HTML and script are kept as plain text', async () => {
    const receipt = (await submit(message({ title: '<script>alert(1)</script>', description: '<b>bold</b> <script>alert(1)</script>' }))).json<MessageReceiptView>();
    const detail = await getCase(receipt.caseId, 'handler-housing');
    assert.equal(detail.title, '<script>alert(1)</script>');
    assert.equal(detail.messages[0]!.body, '<b>bold</b> <script>alert(1)</script>');
    assert.equal((await track(receipt.trackingCode)).title, '<script>alert(1)</script>');
  });

  test('Idempotency-Key: the same request again gives the same case and writes nothing; a different body is 409', async () => {
    const key = `key-${Math.random().toString(36).slice(2)}`;
    const first = await submit(message({ title: '重复提交' }), { 'idempotency-key': key });
    const again = await submit(message({ title: '重复提交' }), { 'idempotency-key': key });
    assert.equal(first.statusCode, 201);
    assert.equal(again.statusCode, 201);
    assert.deepEqual(again.json(), first.json());
    const { total } = (await app.inject({ url: '/api/v1/cases?q=重复提交', headers: as.coordinator!.headers })).json<{ total: number }>();
    assert.equal(total, 1);
    assertProblem(await submit(message({ title: '另一件事' }), { 'idempotency-key': key }), 409, 'conflict');
  });

  test('no rule: the case waits in triage, which coordinators see and handlers do not; a coordinator dispatches', async () => {
    const receipt = (await submit(message({ title: '低保申请咨询', kind: 'consultation', categoryPath: '民政', communityId: undefined }))).json<MessageReceiptView>();
    const triage = (await app.inject({ url: '/api/v1/cases?queue=triage', headers: as.coordinator!.headers })).json<{ items: CaseSummary[] }>();
    const waiting = triage.items.find((item) => item.id === receipt.caseId);
    assert.equal(waiting?.state, 'accepted');
    assert.equal(waiting?.sla, null);
    const inbox = (await app.inject({ url: '/api/v1/cases', headers: as['handler-housing']!.headers })).json<{ items: CaseSummary[] }>();
    assert.ok(!inbox.items.some((item) => item.id === receipt.caseId));
    assertProblem(await app.inject({ url: '/api/v1/cases?queue=triage', headers: as['handler-housing']!.headers }), 403, 'forbidden');
    // Out of an east coordinator's scope: the case has no district.
    assertProblem(await fire(receipt.caseId, 'coordinator-east', 1, { type: 'dispatch', departmentId: city.departments.transport }), 403, 'forbidden');

    const detail = await fireOk(receipt.caseId, 'coordinator', 1, { type: 'dispatch', departmentId: city.departments.transport });
    assert.equal(detail.state, 'dispatched');
    assert.equal(detail.dueAt !== null, true);
    const transportInbox = (await app.inject({ url: '/api/v1/cases', headers: as['handler-transport']!.headers })).json<{ items: CaseSummary[] }>();
    assert.ok(transportInbox.items.some((item) => item.id === receipt.caseId && item.sla?.state === 'on_time'));
  });

  test('a handler who returns a case gets 200 with what they acted on (no contact, nothing left to do); reading it again is 403', async () => {
    const receipt = (await submit(message())).json<MessageReceiptView>();
    const before = await getCase(receipt.caseId, 'handler-housing');
    const returned = await fireOk(receipt.caseId, 'handler-housing', before.version, { type: 'return', reason: '不属于本单位职责' });
    assert.equal(returned.state, 'returned');
    assert.deepEqual(returned.allowedEvents, []);
    assert.equal(returned.messages[0]!.contact ?? null, null, 'no personal data once the case has left the department');
    assert.equal(returned.timeline.at(-1)!.event, 'return');
    assertProblem(await app.inject({ url: `/api/v1/cases/${receipt.caseId}`, headers: as['handler-housing']!.headers }), 403, 'forbidden');
    // Someone else out of scope still gets 403 from the event route, nothing changes.
    const stale = await fire(receipt.caseId, 'handler-transport', returned.version, { type: 'add_note', text: '看看' });
    assert.equal(stale.statusCode, 403, stale.body);
  });

  test('a signed-in citizen is linked to the case and sees it among their own', async () => {
    const citizen = as.citizen!;
    const receipt = (await submit(message({ title: '我的诉求' }), citizen.headers)).json<MessageReceiptView>();
    const mine = (await app.inject({ url: '/api/v1/cases', headers: citizen.headers })).json<{ items: CaseSummary[] }>();
    assert.deepEqual(mine.items.map((item) => item.id).filter((id) => id === receipt.caseId), [receipt.caseId]);
    const detail = await getCase(receipt.caseId, 'citizen');
    assert.equal(detail.messages[0]!.contact, undefined);
  });

  test('routing rules: replacing retires the old rule and keeps the chain', async () => {
    const list = async (history: boolean) =>
      (await app.inject({ url: `/api/v1/routing-rules${history ? '?history=true' : ''}`, headers: as.coordinator!.headers })).json<{ items: RoutingRuleView[] }>().items;
    const housingRule = (await list(false)).find((rule) => rule.categoryPathPrefix === '城乡建设')!;
    const replaced = await app.inject({
      method: 'PUT',
      url: `/api/v1/routing-rules/${housingRule.id}`,
      headers: as.coordinator!.headers,
      payload: { categoryPathPrefix: '城乡建设', departmentId: city.departments.housing, districtId: city.districts.east, coHandlerIds: [city.departments['east-housing']] },
    });
    assert.equal(replaced.statusCode, 200, replaced.body);
    const successor = replaced.json<RoutingRuleView>();
    assert.equal(successor.replacesId, housingRule.id);
    const history = await list(true);
    assert.ok(history.find((rule) => rule.id === housingRule.id)?.retiredAt);
    assert.ok(!(await list(false)).some((rule) => rule.id === housingRule.id));
    assertProblem(await app.inject({ method: 'PUT', url: `/api/v1/routing-rules/${housingRule.id}`, headers: as.coordinator!.headers, payload: { departmentId: city.departments.housing } }), 409, 'conflict');

    // The new rule covers only the east district: a west case waits in triage, an east one goes to housing with east-housing co-handling.
    const east = (await submit(message())).json<MessageReceiptView>();
    const eastCase = await getCase(east.caseId, 'coordinator');
    assert.equal(eastCase.departmentId, city.departments.housing);
    assert.deepEqual(eastCase.coHandlerIds, [city.departments['east-housing']]);
    const west = (await submit(message({ communityId: city.communities['west-1-a'] }))).json<MessageReceiptView>();
    assert.equal((await getCase(west.caseId, 'coordinator')).state, 'accepted');
  });

  test('the audit chain still verifies', async () => {
    const verification = await verifyAudit(deps.db, city.regionId);
    assert.equal(verification.ok, true);
    assert.ok(verification.checked > 10);
  });
});
