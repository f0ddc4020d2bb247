import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { buildDeps, buildVoicesCity } from '../../../../test/factories.ts';
import type { PlatformDeps, RequestContext } from '../../../platform/index.ts';
import * as cases from '../cases/case.repository.ts';
import { fireCaseEvent } from '../cases/case.service.ts';
import type { CaseActor, CaseEvent } from '../cases/case.ts';
import { submitMessage } from '../intake/intake.service.ts';
import { listSlaAlerts, slaCandidatesQuery } from './sla-scan.repository.ts';
import { scanDeadlines, scanOnce, slaHorizon } from './sla-scan.service.ts';

/**
 * The SLA scan on a city of its own: a complaint under 城乡建设 is dispatched
 * to housing at intake (10 working days); the scan runs at chosen instants.
 */

const HOUR = 3_600_000;
let deps: PlatformDeps;
let city: Awaited<ReturnType<typeof buildVoicesCity>>;

before(async () => {
  deps = await buildDeps();
  city = await buildVoicesCity(deps);
});

const anonymous = (): RequestContext => ({ actor: undefined, regionId: city.regionId, ip: null, requestId: null });

async function openCase(): Promise<{ id: number; dueAt: Date }> {
  const receipt = await submitMessage(
    deps,
    anonymous(),
    { title: '楼道灯坏了', description: '三号楼二单元楼道灯坏了一周', kind: 'complaint', categoryPath: '城乡建设' },
    { channel: 'web' },
  );
  const record = (await cases.findCase(deps.db, city.regionId, receipt.caseId))!;
  assert.equal(record.snapshot.state, 'dispatched');
  return { id: receipt.caseId, dueAt: record.deadline!.dueAt };
}

async function fire(id: number, event: CaseEvent, actor: CaseActor, now: Date): Promise<void> {
  const record = (await cases.findCase(deps.db, city.regionId, id))!;
  await deps.db
    .transaction()
    .execute((trx) =>
      fireCaseEvent(
        trx,
        deps,
        { ...anonymous(), label: 'test' },
        record,
        event,
        actor,
        { userId: null, label: 'test' },
        now,
      ),
    );
}

const handler = (): CaseActor => ({
  role: 'handler',
  userId: null,
  departmentId: city.departments.housing!,
  requesterId: null,
});
const coordinator: CaseActor = { role: 'coordinator', userId: null, departmentId: null, requesterId: null };
const scan = (now: Date) => scanDeadlines(deps, { regionId: city.regionId, now, batchSize: 50 });
const alerts = (id: number) => listSlaAlerts(deps.db, city.regionId, id);
const urges = async (id: number) =>
  (await cases.listCaseEvents(deps.db, city.regionId, id)).filter((event) => event.event === 'urge');

describe('the SLA scan', () => {
  test('a case due soon is reminded once; overdue it is escalated once, as system, with the notifications', async () => {
    const { id, dueAt } = await openCase();
    const early = await scan(new Date(dueAt.getTime() - 5 * 24 * HOUR));
    assert.equal((await alerts(id)).length, 0, `nothing before the reminder window (${JSON.stringify(early)})`);

    const soon = new Date(dueAt.getTime() - HOUR);
    assert.ok((await scan(soon)).reminded >= 1);
    assert.deepEqual(
      (await alerts(id)).map((alert) => [alert.kind, alert.dueAt.toISOString(), alert.departmentId]),
      [['remind', dueAt.toISOString(), city.departments.housing]],
    );
    assert.equal((await scan(soon)).reminded, 0, 'running again reminds nobody twice');
    assert.equal((await urges(id)).length, 0, 'a reminder does not touch the timeline');

    const late = new Date(dueAt.getTime() + HOUR);
    assert.ok((await scan(late)).escalated >= 1);
    const [urge, ...more] = await urges(id);
    assert.equal(more.length, 0);
    assert.equal(urge!.actorLabel, 'system');
    assert.equal(urge!.details.actorRole, 'system');
    const notifications = urge!.details.notifications as {
      type: string;
      departmentId?: number;
      departmentIds?: number[];
    }[];
    assert.ok(
      notifications.some((entry) => entry.type === 'escalate' && entry.departmentId === city.departments.housing),
      JSON.stringify(notifications),
    );
    assert.ok(
      notifications.some((entry) => entry.type === 'notify_department'),
      JSON.stringify(notifications),
    );
    assert.deepEqual(
      (await alerts(id)).map((alert) => alert.kind),
      ['remind', 'escalate'],
    );

    const again = await scan(new Date(late.getTime() + 24 * HOUR));
    assert.equal(again.escalated + again.reminded, 0);
    assert.equal((await urges(id)).length, 1, 'running again escalates nobody twice');
  });

  test('an approved extension moves the deadline and re-arms the reminder and the escalation', async () => {
    const { id, dueAt } = await openCase();
    await scan(new Date(dueAt.getTime() + HOUR));
    assert.equal((await urges(id)).length, 1);
    const at = new Date(dueAt.getTime() + 2 * HOUR);
    await fire(id, { type: 'accept_work' }, handler(), at);
    await fire(id, { type: 'request_extension', days: 5, reason: '需要协调施工队' }, handler(), at);
    await fire(id, { type: 'approve_extension' }, coordinator, at);
    const record = (await cases.findCase(deps.db, city.regionId, id))!;
    const newDue = record.deadline!.dueAt;
    assert.ok(newDue.getTime() > dueAt.getTime());
    await scan(new Date(newDue.getTime() - HOUR));
    await scan(new Date(newDue.getTime() + HOUR));
    assert.equal((await urges(id)).length, 2);
    assert.deepEqual(
      (await alerts(id)).map((alert) => [alert.kind, alert.dueAt.toISOString()]),
      [
        ['escalate', dueAt.toISOString()],
        ['remind', newDue.toISOString()],
        ['escalate', newDue.toISOString()],
      ],
    );
  });

  test('a suspended case (no running deadline) is skipped', async () => {
    const { id, dueAt } = await openCase();
    const at = new Date(dueAt.getTime() - 3 * 24 * HOUR);
    await fire(id, { type: 'accept_work' }, handler(), at);
    await fire(id, { type: 'suspend', reason: '等待司法鉴定' }, handler(), at);
    await scan(new Date(dueAt.getTime() + 30 * 24 * HOUR));
    assert.equal((await alerts(id)).length, 0);
    assert.equal((await urges(id)).length, 0);
  });

  test('a replied case is closed by the scan once its rating window has ended, as system, once', async () => {
    const { id, dueAt } = await openCase();
    const at = new Date(dueAt.getTime() - 48 * HOUR);
    await fire(id, { type: 'accept_work' }, handler(), at);
    await fire(id, { type: 'reply', text: '已维修楼道灯。' }, handler(), new Date(at.getTime() + HOUR));
    const replied = (await cases.findCase(deps.db, city.regionId, id))!;
    assert.equal(replied.snapshot.state, 'replied');
    const closesAt = replied.snapshot.ratingClosesAt!;
    assert.ok(closesAt);

    await scan(new Date(closesAt.getTime() - HOUR));
    assert.equal(
      (await cases.findCase(deps.db, city.regionId, id))!.snapshot.state,
      'replied',
      'citizens may still rate',
    );
    const report = await scan(new Date(closesAt.getTime() + HOUR));
    assert.ok(report.closed >= 1, JSON.stringify(report));
    assert.equal((await cases.findCase(deps.db, city.regionId, id))!.snapshot.state, 'closed');
    const close = (await cases.listCaseEvents(deps.db, city.regionId, id)).find((event) => event.event === 'close')!;
    assert.equal(close.actorLabel, 'system');
    assert.equal((await scan(new Date(closesAt.getTime() + 2 * HOUR))).closed, 0, 'closed once');
  });

  test('two scans at once escalate a case once', async () => {
    const { id, dueAt } = await openCase();
    const late = new Date(dueAt.getTime() + HOUR);
    const reports = await Promise.all([scan(late), scan(late), scanDeadlines(deps, { now: late, batchSize: 1 })]);
    assert.equal((await urges(id)).length, 1, JSON.stringify(reports));
    assert.equal((await alerts(id)).filter((alert) => alert.kind === 'escalate').length, 1);
  });

  test('scanOnce runs every city (under the advisory lock on a server)', async () => {
    const { id, dueAt } = await openCase();
    const report = await scanOnce({ ...deps, clock: () => new Date(dueAt.getTime() + HOUR) });
    assert.ok(report === null || report.escalated >= 1);
    if (report) assert.equal((await urges(id)).length, 1);
  });

  test('the selection uses the pending index', async () => {
    const query = slaCandidatesQuery(city.regionId, slaHorizon(new Date()), 200).compile(deps.db);
    const { rows } = await deps.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      return sql.raw<{ 'QUERY PLAN': string }>(`explain ${inline(query.sql, query.parameters)}`).execute(trx);
    });
    const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
    assert.match(plan, /cases_sla_pending/, plan);
  });
});

/** The query with its parameters written in, for EXPLAIN. */
function inline(text: string, parameters: readonly unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const value = parameters[Number(n) - 1];
    if (value instanceof Date) return `'${value.toISOString()}'::timestamptz`;
    if (typeof value === 'number') return String(value);
    return `'${String(value).replace(/'/g, "''")}'`;
  });
}
