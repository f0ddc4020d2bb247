import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { CaseBulkEventResult, CaseDetailView, MessageReceiptView } from '../../../../contracts/voices.ts';
import { assertProblem, buildVoicesTestApp, loginAs, testClock, type TestSession } from '../../../../test/factories.ts';

/**
 * Bulk actions and arbitration over HTTP, on a city where 城乡建设 goes to
 * housing and everything without a rule to triage: each case of a bulk
 * request is checked and applied on its own, and its outcome reported.
 */
describe('POST /api/v1/cases/bulk-events', () => {
  let app: FastifyInstance;
  let city: Awaited<ReturnType<typeof buildVoicesTestApp>>['city'];
  const clock = testClock(new Date('2026-03-02T01:00:00Z'));
  const as: Record<string, TestSession> = {};

  before(async () => {
    ({ app, city } = await buildVoicesTestApp({
      clock: clock.now,
      env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000', SESSION_TTL_HOURS: '720' },
    }));
    for (const username of ['coordinator', 'coordinator-east', 'handler-housing', 'handler-transport', 'citizen'])
      as[username] = await loginAs(app, username);
  });
  after(() => app.close());

  const submit = async (overrides: Record<string, unknown> = {}): Promise<MessageReceiptView> => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/messages',
      payload: {
        title: '楼道灯坏了',
        description: '楼道灯坏了一个月。',
        kind: 'request_for_help',
        categoryPath: '城乡建设/城市建设和市政管理/其他',
        communityId: city.communities['east-1-a'],
        ...overrides,
      },
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json<MessageReceiptView>();
  };
  const read = async (id: number, who = 'coordinator'): Promise<CaseDetailView> => {
    const response = await app.inject({ url: `/api/v1/cases/${id}`, headers: as[who]!.headers });
    assert.equal(response.statusCode, 200, response.body);
    return response.json<CaseDetailView>();
  };
  const bulk = (who: string, items: { caseId: number; version: number }[], event: Record<string, unknown>) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/cases/bulk-events',
      headers: as[who]!.headers,
      payload: { items, event },
    });
  const bulkOk = async (
    who: string,
    items: { caseId: number; version: number }[],
    event: Record<string, unknown>,
  ): Promise<CaseBulkEventResult> => {
    const response = await bulk(who, items, event);
    assert.equal(response.statusCode, 200, response.body);
    return response.json<CaseBulkEventResult>();
  };
  const fire = async (id: number, who: string, event: Record<string, unknown>): Promise<CaseDetailView> => {
    const current = await read(id, who);
    const response = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${id}/events`,
      headers: as[who]!.headers,
      payload: { version: current.version, event },
    });
    assert.equal(response.statusCode, 200, response.body);
    return response.json<CaseDetailView>();
  };

  test('a handler accepts (签收) several cases at once; stale, foreign and illegal ones are reported, not lost', async () => {
    const [a, b, c, d] = [await submit(), await submit(), await submit(), await submit()];
    const stale = await read(c!.caseId);
    await fire(c!.caseId, 'handler-housing', { type: 'add_note', text: '已联系物业' }); // c moves on: the version read is stale
    await fire(d!.caseId, 'handler-housing', { type: 'accept_work' }); // d is in progress: accepting again is not allowed
    const triage = await submit({ categoryPath: undefined, title: '低保咨询', kind: 'consultation' }); // not the housing bureau's
    const items = await Promise.all(
      [a!, b!].map(async (receipt) => ({ caseId: receipt.caseId, version: (await read(receipt.caseId)).version })),
    );
    const result = await bulkOk(
      'handler-housing',
      [
        ...items,
        { caseId: stale.id, version: stale.version },
        { caseId: d!.caseId, version: (await read(d!.caseId)).version },
        { caseId: triage.caseId, version: 1 },
        { caseId: 99_999_999, version: 1 },
      ],
      { type: 'accept_work' },
    );
    assert.equal(result.succeeded, 2);
    assert.equal(result.failed, 4);
    assert.deepEqual(
      result.results.map((row) => [row.caseId, row.ok, row.status, row.code]),
      [
        [a!.caseId, true, 200, null],
        [b!.caseId, true, 200, null],
        [c!.caseId, false, 409, 'version_conflict'],
        [d!.caseId, false, 409, 'conflict'],
        [triage.caseId, false, 403, 'forbidden'],
        [99_999_999, false, 404, 'not_found'],
      ],
    );
    assert.equal(result.results[0]!.state, 'in_progress');
    assert.equal(result.results[0]!.number, a!.caseNumber);
    assert.equal(result.results[2]!.version, stale.version + 1, 'a stale row says the current version');
    assert.deepEqual(result.results[3]!.allowed, [
      'add_note',
      'reply',
      'return',
      'request_transfer',
      'request_extension',
      'suspend',
    ]);
    for (const receipt of [a!, b!]) assert.equal((await read(receipt.caseId)).state, 'in_progress');
    assert.equal((await read(c!.caseId)).state, 'dispatched', 'the stale case was not touched');
  });

  test('a coordinator dispatches a batch from triage to one department; bad payloads are 422 per case', async () => {
    const cases = [await submit({ categoryPath: undefined }), await submit({ categoryPath: undefined })];
    const items = await Promise.all(
      cases.map(async (receipt) => ({ caseId: receipt.caseId, version: (await read(receipt.caseId)).version })),
    );
    const unknownDepartment = await bulkOk('coordinator', items, { type: 'dispatch', departmentId: 99_999_999 });
    assert.deepEqual(
      unknownDepartment.results.map((row) => [row.status, row.code]),
      [
        [422, 'validation_failed'],
        [422, 'validation_failed'],
      ],
    );
    const result = await bulkOk('coordinator', items, { type: 'dispatch', departmentId: city.departments.transport! });
    assert.equal(result.succeeded, 2);
    for (const receipt of cases) {
      const detail = await read(receipt.caseId);
      assert.equal(detail.state, 'dispatched');
      assert.equal(detail.departmentId, city.departments.transport);
    }
    // A district coordinator outside the case's district is refused for that case only.
    const west = await submit({ categoryPath: undefined, communityId: city.communities['west-1-a'] });
    const east = await submit({ categoryPath: undefined });
    const mixed = await bulkOk(
      'coordinator-east',
      [
        { caseId: west.caseId, version: 1 },
        { caseId: east.caseId, version: 1 },
      ],
      { type: 'reject_as_not_in_scope', reason: '属司法程序' },
    );
    assert.deepEqual(
      mixed.results.map((row) => row.status),
      [403, 200],
    );
  });

  test('the request itself is checked: no case twice, at most 200, a known event; citizens act only on their own', async () => {
    const receipt = await submit();
    assertProblem(
      await bulk(
        'handler-housing',
        [
          { caseId: receipt.caseId, version: 1 },
          { caseId: receipt.caseId, version: 1 },
        ],
        { type: 'accept_work' },
      ),
      422,
      'validation_failed',
    );
    assertProblem(
      await bulk(
        'handler-housing',
        Array.from({ length: 201 }, (_, i) => ({ caseId: i + 1, version: 1 })),
        { type: 'accept_work' },
      ),
      422,
      'validation_failed',
    );
    assertProblem(
      await bulk('handler-housing', [{ caseId: receipt.caseId, version: 1 }], { type: 'join', requesterId: 'x' }),
      422,
      'validation_failed',
    );
    const citizen = await bulkOk('citizen', [{ caseId: receipt.caseId, version: 1 }], { type: 'accept_work' });
    assert.equal(citizen.results[0]!.status, 403);
  });

  test('arbitration (仲裁): a returned case is ruled to a department with a reason; that department cannot return it again', async () => {
    const receipt = await submit();
    // The handler's own answer to a return is 403 (the case has left their department); the return is stored.
    const returned = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${receipt.caseId}/events`,
      headers: as['handler-housing']!.headers,
      payload: { version: (await read(receipt.caseId)).version, event: { type: 'return', reason: '不属于本单位职责' } },
    });
    assert.ok([200, 403].includes(returned.statusCode), returned.body);
    let detail = await read(receipt.caseId);
    assert.equal(detail.state, 'returned');
    assert.ok(detail.allowedEvents.includes('arbitrate'));
    detail = await fire(receipt.caseId, 'coordinator', {
      type: 'arbitrate',
      departmentId: city.departments.housing!,
      reason: '楼道照明属住建部门职责',
    });
    assert.equal(detail.state, 'dispatched');
    assert.equal(detail.departmentId, city.departments.housing);
    assert.ok(detail.dueAt, 'a new handling deadline');
    const entry = detail.timeline.at(-1)!;
    assert.equal(entry.event, 'arbitrate');
    assert.equal(entry.reason, '楼道照明属住建部门职责');
    const handlerView = await read(receipt.caseId, 'handler-housing');
    assert.deepEqual(handlerView.allowedEvents, ['accept_work', 'add_note', 'request_transfer']);
    const refused = assertProblem(
      await app.inject({
        method: 'POST',
        url: `/api/v1/cases/${receipt.caseId}/events`,
        headers: as['handler-housing']!.headers,
        payload: { version: handlerView.version, event: { type: 'return', reason: '仍不属于' } },
      }),
      409,
      'conflict',
    );
    assert.deepEqual((refused as { allowed?: string[] }).allowed, ['accept_work', 'add_note', 'request_transfer']);
    assertProblem(
      await app.inject({
        method: 'POST',
        url: `/api/v1/cases/${receipt.caseId}/events`,
        headers: as.coordinator!.headers,
        payload: {
          version: handlerView.version,
          event: { type: 'arbitrate', departmentId: city.departments.housing!, reason: '' },
        },
      }),
      409,
      'conflict',
    );
  });

  test('merge (并案) several cases into one: their requesters join the survivor', async () => {
    const survivor = await submit();
    const others = [await submit(), await submit()];
    const items = await Promise.all(
      others.map(async (receipt) => ({ caseId: receipt.caseId, version: (await read(receipt.caseId)).version })),
    );
    const result = await bulkOk('coordinator', items, {
      type: 'merge',
      intoCaseId: survivor.caseId,
      reason: '同一楼道',
    });
    assert.equal(result.succeeded, 2);
    assert.equal((await read(survivor.caseId)).requesterCount, 3);
    const self = await bulkOk(
      'coordinator',
      [{ caseId: survivor.caseId, version: (await read(survivor.caseId)).version }],
      { type: 'merge', intoCaseId: survivor.caseId },
    );
    assert.deepEqual([self.results[0]!.status, self.results[0]!.code], [422, 'validation_failed']);
  });
});
