import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { NotificationPageView } from '../../../../contracts/notifications.ts';
import type { CadreView, HouseholdView, RunView } from '../../../../contracts/pairing.ts';
import { buildVoicesTestApp, loginAs, TEST_PASSWORD, type TestSession } from '../../../../test/factories.ts';
import { startMailSink, type MailSink } from '../../../../test/mail-sink.ts';
import type { PlatformDeps, RequestContext } from '../../../platform/index.ts';
import { dispatchNotifications } from '../../voices/index.ts';
import { remindCadres, seedVisits } from '../index.ts';
import { reminderTexts, reminderWeekOf } from './reminder.service.ts';

/**
 * Reminders to cadres: the account `cadre` (cadre C1) has a household not
 * visited for 100 days, the account `cadre-2` (cadre C2) visited theirs five
 * days ago. C1 is reminded once a week, C2 never; the text names counts only,
 * the cadre's bell (GET /api/v1/notifications) lists the reminder, and the
 * cadre (whose account has an address) gets it by e-mail through the
 * dispatcher's deliveries, sent to a loopback SMTP sink.
 */

/** A mail as a reader sees it: the encoded-word subject and the base64 body decoded. */
function readMail(raw: string): { headers: string; subject: string; body: string } {
  const [headers = '', body = ''] = raw.split('\r\n\r\n');
  const subjectLines = /^Subject: (.*(?:\r\n .*)*)/m.exec(headers)?.[1] ?? '';
  const subject = [...subjectLines.matchAll(/=\?UTF-8\?B\?([^?]*)\?=/g)].map((match) => Buffer.from(match[1]!, 'base64')).reduce((all, part) => Buffer.concat([all, part]), Buffer.alloc(0)).toString('utf8');
  return { headers, subject, body: Buffer.from(body.replace(/\r\n/g, ''), 'base64').toString('utf8') };
}

const CADRES = [
  'code,name,district_code,capacity,username,x,y,skills',
  'C1,王干部,east,3,cadre,0,0,medical',
  'C2,李干部,east,3,cadre-2,5,0,',
].join('\n');

const HOUSEHOLDS = [
  'code,district_code,community_code,x,y,needs,members,contact_phone,notes',
  'H1,east,east-1-a,0.1,0,medical,1,13900000001,独居老人',
  'H2,east,east-1-a,0.2,0,,2,13900000002,',
  'H3,east,east-1-a,4.9,0,,3,13900000003,',
].join('\n');

const DAY_MS = 86_400_000;
let app: FastifyInstance;
let deps: PlatformDeps;
let regionId: number;
let cadre: TestSession;
let cadreTwoId: number;
let mail: MailSink;
const now = new Date();

const daysAgo = (days: number): string => new Date(now.getTime() - days * DAY_MS).toISOString().slice(0, 10);

async function notificationsOf(userId: number) {
  return deps.db
    .selectFrom('notifications' as never)
    .select(['kind', 'subject', 'title_zh', 'title_en', 'body_zh', 'body_en', 'params', 'case_id'] as never[])
    .where('region_id' as never, '=', regionId as never)
    .where('recipient' as never, '=', `user:${userId}` as never)
    .execute() as Promise<{ kind: string; subject: string | null; title_zh: string; title_en: string; body_zh: string; body_en: string; params: Record<string, string>; case_id: number | null }[]>;
}

before(async () => {
  mail = await startMailSink();
  const built = await buildVoicesTestApp({ env: { SMTP_URL: `smtp://127.0.0.1:${mail.port}`, MAIL_FROM: 'noreply@minxin.test', NOTIFY_INTERVAL_SECONDS: '0' } });
  ({ app, deps } = built);
  regionId = built.city.regionId;
  const admin = await loginAs(app, 'admin');
  const coordinator = await loginAs(app, 'coordinator');
  cadre = await loginAs(app, 'cadre');
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: admin.headers,
    payload: { username: 'cadre-2', displayName: '李干部', role: 'cadre', password: `${TEST_PASSWORD}-2`, scopeRegionId: built.city.communities['east-1-a']! },
  });
  assert.equal(created.statusCode, 201, created.body);
  cadreTwoId = created.json<{ id: number }>().id;
  for (const [kind, body] of [['cadres', CADRES], ['households', HOUSEHOLDS]] as const) {
    const imported = await app.inject({ method: 'POST', url: `/api/v1/pairing/imports/${kind}?filename=${kind}.csv`, headers: { ...admin.headers, 'content-type': 'text/csv' }, payload: body });
    assert.equal(imported.statusCode, 200, imported.body);
  }
  let run = (await app.inject({ method: 'POST', url: '/api/v1/pairing/runs', headers: coordinator.headers, payload: { scenario: 'full' } })).json<RunView>();
  while (run.status === 'queued' || run.status === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 20));
    run = (await app.inject({ url: `/api/v1/pairing/runs/${run.id}`, headers: coordinator.headers })).json<RunView>();
  }
  const approved = await app.inject({ method: 'POST', url: `/api/v1/pairing/runs/${run.id}/approve`, headers: coordinator.headers, payload: {} });
  assert.equal(approved.statusCode, 200, approved.body);
  const cadres = (await app.inject({ url: '/api/v1/pairing/cadres?limit=10', headers: coordinator.headers })).json<{ items: CadreView[] }>().items;
  const households = (await app.inject({ url: '/api/v1/pairing/households?limit=10', headers: coordinator.headers })).json<{ items: HouseholdView[] }>().items;
  const cadreOf = new Map(households.map((household) => [household.code, household.cadre?.id]));
  const [c1, c2] = ['C1', 'C2'].map((code) => cadres.find((candidate) => candidate.code === code)!.id);
  assert.deepEqual(['H1', 'H2', 'H3'].map((code) => cadreOf.get(code)), [c1, c1, c2], 'H1 and H2 go to C1, H3 to C2');
  const idOf = (code: string) => households.find((household) => household.code === code)!.id;
  const context: RequestContext = {
    actor: { regionId, userId: coordinator.userId, username: 'coordinator', role: 'coordinator', departmentId: null, scopePath: `/${regionId}/`, via: 'cli' },
    regionId,
    ip: null,
    requestId: null,
  };
  const visit = { durationMinutes: 30, met: '户主', situation: '情况稳定', createdAt: now };
  await seedVisits(deps, context, [
    { householdId: idOf('H1'), cadreId: c1!, visitedOn: daysAgo(100), ...visit },
    { householdId: idOf('H2'), cadreId: c1!, visitedOn: daysAgo(10), ...visit },
    { householdId: idOf('H3'), cadreId: c2!, visitedOn: daysAgo(5), ...visit },
  ]);
});

after(async () => {
  await app.close();
  await mail.close();
});

test('a cadre with a household not visited for 60 days is reminded once a week; a cadre who visited all is not', async () => {
  const first = await remindCadres(deps, { regionId, now });
  assert.deepEqual(first, { cities: 1, behind: 1, reminded: 1 });
  const told = await notificationsOf(cadre.userId);
  assert.equal(told.length, 1);
  assert.equal(told[0]!.kind, 'pairing_reminder');
  assert.equal(told[0]!.case_id, null);
  assert.match(told[0]!.subject!, /^pairing_reminder:\d+$/);
  assert.equal(told[0]!.title_zh, '结对帮扶提醒：1 户待走访');
  assert.equal(told[0]!.body_zh, '您有 1 户结对帮扶户超过 60 天未走访。请到“我的帮扶户”查看。');
  assert.deepEqual(await notificationsOf(cadreTwoId), [], 'C2 visited every household');

  assert.deepEqual(await remindCadres(deps, { regionId, now }), { cities: 1, behind: 0, reminded: 0 }, 'a second run in the same week');
  assert.deepEqual(await remindCadres(deps, { regionId, now: new Date(now.getTime() + 3_600_000) }), { cities: 1, behind: 0, reminded: 0 });
  assert.equal((await notificationsOf(cadre.userId)).length, 1);

  const nextWeek = new Date(reminderWeekOf(now).getTime() + 7 * DAY_MS + 3_600_000);
  assert.equal((await remindCadres(deps, { regionId, now: nextWeek })).reminded, 1, 'still behind the next week');
  assert.equal((await notificationsOf(cadre.userId)).length, 2);
  assert.deepEqual(await notificationsOf(cadreTwoId), []);
});

test('the reminder also goes by e-mail to a cadre with an address, through the dispatcher, counts only', async () => {
  const deliveries = await deps.db
    .selectFrom('notification_deliveries' as never)
    .select(['subject', 'target', 'channel', 'status', 'case_id'] as never[])
    .where('region_id' as never, '=', regionId as never)
    .execute() as { subject: string | null; target: string; channel: string; status: string; case_id: number | null }[];
  const reminders = deliveries.filter((delivery) => delivery.subject?.startsWith('pairing_reminder:'));
  assert.deepEqual(reminders.map((delivery) => [delivery.target, delivery.channel, delivery.case_id]), [[`user:${cadre.userId}`, 'email', null], [`user:${cadre.userId}`, 'email', null]], 'one per weekly reminder; cadre-2 has no address and was not behind');
  const report = await dispatchNotifications(deps, { now: new Date(now.getTime() + 8 * DAY_MS) });
  assert.ok(report.sent >= 2, JSON.stringify(report));
  const mails = mail.mails.map(({ data }) => readMail(data)).filter((message) => message.subject.startsWith('结对帮扶提醒'));
  assert.equal(mails.length, 2);
  assert.match(mails[0]!.headers, /^To: cadre@test\.example/m);
  assert.equal(mails[0]!.subject, '结对帮扶提醒：1 户待走访 / Pairing reminder: 1 household to visit');
  assert.match(mails[0]!.body, /您有 1 户结对帮扶户超过 60 天未走访/);
  assert.match(mails[0]!.body, /1 paired household has not been visited for over 60 days/);
  assert.doesNotMatch(mails.map((message) => message.subject + message.body).join('\n'), /H1|H2|H3|1390000|独居|王干部|east-1-a/);
});

test('the reminder holds counts only: no household code, phone, notes, community or cadre name', async () => {
  const everything = JSON.stringify(await notificationsOf(cadre.userId));
  assert.doesNotMatch(everything, /H1|H2|H3|1390000|独居|王干部|east-1-a/);
  const needsOnly = reminderTexts({ overdueHouseholds: 0, openNeeds: 2, visitDays: 60, needDays: 30 });
  assert.equal(needsOnly.titleEn, 'Pairing reminder: 2 needs unanswered');
  assert.equal(needsOnly.bodyEn, '2 needs found on visits have had no answer for over 30 days. See "My households".');
  const both = reminderTexts({ overdueHouseholds: 1, openNeeds: 1, visitDays: 60, needDays: 30 });
  assert.equal(both.bodyZh, '您有 1 户结对帮扶户超过 60 天未走访，1 项走访需求超过 30 天未答复。请到“我的帮扶户”查看。');
});

test('the cadre\'s bell lists the reminder (GET /api/v1/notifications)', async () => {
  const response = await app.inject({ url: '/api/v1/notifications?limit=10', headers: cadre.headers });
  assert.equal(response.statusCode, 200, response.body);
  const page = response.json<NotificationPageView>();
  assert.equal(page.unread, 2);
  assert.deepEqual(page.items.map((item) => [item.kind, item.caseId, item.hotIssueAlertId, item.title.en]), [
    ['pairing_reminder', null, null, 'Pairing reminder: 1 household to visit'],
    ['pairing_reminder', null, null, 'Pairing reminder: 1 household to visit'],
  ]);
});

test('a need unanswered after 30 days is part of the reminder', async () => {
  const households = (await app.inject({ url: '/api/v1/pairing/households?mine=true&limit=10', headers: cadre.headers })).json<{ items: HouseholdView[] }>().items;
  const h2 = households.find((household) => household.code === 'H2')!;
  const logged = await app.inject({
    method: 'POST',
    url: `/api/v1/pairing/households/${h2.id}/visits`,
    headers: cadre.headers,
    payload: { visitedOn: daysAgo(0), durationMinutes: 20, met: '户主', situation: '腿脚不便', needs: [{ needType: 'medical', description: '需要上门测血压' }] },
  });
  assert.equal(logged.statusCode, 201, logged.body);
  const later = new Date(now.getTime() + 31 * DAY_MS);
  assert.equal((await remindCadres(deps, { regionId, now: later })).reminded, 1);
  const newest = (await notificationsOf(cadre.userId)).find((row) => row.params.needs === '1');
  assert.ok(newest, 'the reminder counts the open need');
  assert.equal(newest.params.overdue, '1');
  assert.doesNotMatch(JSON.stringify(newest), /血压|H2/);
});
