import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { buildDeps, buildVoicesCity } from '../../../../test/factories.ts';
import { AppError, type PlatformDeps, type RequestContext, type Role } from '../../../platform/index.ts';
import { submitMessage } from '../intake/intake.service.ts';
import { alertPeriodOf, listHotIssues, scanHotIssues } from './hot-issue.service.ts';

/** Hot issues on a real database: a city with a surge at one estate, read by scope, announced once a week. */
describe('hot issues of a city', () => {
  let deps: PlatformDeps;
  let city: Awaited<ReturnType<typeof buildVoicesCity>>;
  const as = async (username: string, role: Role, scope: 'city' | 'east' = 'city'): Promise<RequestContext> => {
    const user = await deps.db.selectFrom('users').select(['id']).where('region_id', '=', city.regionId).where('username', '=', username).executeTakeFirstOrThrow();
    const scopePath = scope === 'city' ? `/${city.regionId}/` : `/${city.regionId}/${city.districts.east}/`;
    return { actor: { regionId: city.regionId, userId: Number(user.id), username, role, departmentId: null, scopePath, via: 'session' }, regionId: city.regionId, ip: null, requestId: null };
  };

  before(async () => {
    deps = await buildDeps();
    city = await buildVoicesCity(deps);
    const anonymous: RequestContext = { actor: undefined, regionId: city.regionId, ip: null, requestId: null };
    // Eight citizens in the east district about the mixing plant next to 丽发新城 this week, one 王家坪 complaint in the west.
    for (let k = 0; k < 8; k++) {
      await submitMessage(deps, anonymous, { title: k % 2 ? '丽发新城附近建搅拌站噪音扰民 13912345678' : '投诉丽发新城小区旁的搅拌站', description: `丽发新城小区旁边新建了一个搅拌站，日夜施工噪音很大，粉尘污染严重（第${k + 1}户）。`, kind: 'complaint', districtId: city.districts.east }, { channel: 'web' });
    }
    await submitMessage(deps, anonymous, { title: '王家坪村道路坑洼', description: '王家坪村的道路坑坑洼洼，雨天积水。', kind: 'complaint', districtId: city.districts.west }, { channel: 'web' });
  });

  test('coordinators see the clusters of their scope, texts masked, with cases, trend and growth', async () => {
    const report = await listHotIssues(deps, await as('coordinator', 'coordinator'), { days: 30, top: 10 });
    assert.equal(report.messages, 9);
    const [top] = report.issues;
    assert.equal(top!.place, '丽发新城');
    assert.equal(top!.size, 8);
    assert.equal(top!.people, 8);
    assert.equal(top!.members.length, 8);
    assert.ok(top!.members.every((member) => member.caseNumber !== null && member.caseId > 0));
    assert.ok(top!.members.every((member) => !member.title.includes('13912345678')), 'phone numbers are masked');
    assert.equal(top!.growth.alert, true);
    assert.equal(top!.trend.reduce((sum, point) => sum + point.count, 0), 8);
    const east = await listHotIssues(deps, await as('coordinator-east', 'coordinator', 'east'), { days: 30, top: 10 });
    assert.equal(east.messages, 8, 'a district coordinator sees only the district’s messages');
    assert.equal((await listHotIssues(deps, await as('coordinator', 'coordinator'), { days: 30, top: 1 })).issues.length, 1);
  });

  test('handlers and citizens may not read hot issues', async () => {
    await assert.rejects(listHotIssues(deps, await as('handler-housing', 'handler'), { days: 30, top: 10 }), (error: unknown) => error instanceof AppError && error.code === 'forbidden');
  });

  test('the scan announces a surge once a week to the coordinators whose scope covers it', async () => {
    const now = new Date();
    const first = await scanHotIssues(deps, { regionId: city.regionId, now });
    assert.equal(first.surging, 1);
    assert.equal(first.alerted, 1);
    assert.ok(first.notifications >= 2, 'the city-wide and the east coordinators');
    const alerts = await deps.db.selectFrom('hot_issue_alerts' as never).selectAll().where('region_id' as never, '=', city.regionId as never).execute();
    assert.equal(alerts.length, 1);
    assert.equal(new Date((alerts[0] as { period_start: Date }).period_start).getTime(), alertPeriodOf(now).getTime());
    const notes = await deps.db.selectFrom('notifications' as never).select(['recipient', 'title_zh', 'body_zh', 'case_id'] as never[]).where('region_id' as never, '=', city.regionId as never).where('kind' as never, '=', 'hot_issue_alert' as never).execute();
    assert.equal(notes.length, first.notifications);
    for (const note of notes as { title_zh: string; body_zh: string; case_id: number | null }[]) {
      assert.equal(note.case_id, null);
      assert.match(note.title_zh, /^热点预警：丽发新城/);
      assert.ok(!note.body_zh.includes('13912345678'));
    }
    const again = await scanHotIssues(deps, { regionId: city.regionId, now: new Date(now.getTime() + 3_600_000) });
    assert.equal(again.surging, 1);
    assert.equal(again.alerted, 0, 'the same cluster in the same week is not announced again');
    const report = await listHotIssues(deps, await as('coordinator', 'coordinator'), { days: 7, top: 5 });
    assert.equal(report.alerts.length, 1);
  });

  test('alert periods start on Monday 00:00 China Standard Time', () => {
    assert.equal(alertPeriodOf(new Date('2019-12-11T12:00:00+08:00')).toISOString(), '2019-12-08T16:00:00.000Z');
    assert.equal(alertPeriodOf(new Date('2019-12-09T00:00:00+08:00')).toISOString(), '2019-12-08T16:00:00.000Z');
    assert.equal(alertPeriodOf(new Date('2019-12-08T23:59:00+08:00')).toISOString(), '2019-12-01T16:00:00.000Z');
  });
});
