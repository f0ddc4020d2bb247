import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { CaseDetailView, MessageReceiptView, TrackedCaseView } from '../../../../contracts/voices.ts';
import { buildVoicesTestApp, loginAs, testClock, type TestSession } from '../../../../test/factories.ts';
import type { PlatformDeps, RequestContext } from '../../../platform/index.ts';
import { importHotlineExport } from '../hotline-import/hotline-import.ts';
import type { VoicesTables } from '../cases/voices.table.ts';
import type { ReplyQualityTables } from './reply-quality.table.ts';
import { backfillReplyScores } from './reply-quality.service.ts';

/**
 * Reply scores on cases, on the test database (PGlite, or a server with
 * TEST_DATABASE_URL): a handler's reply is scored in its transaction, staff
 * read the scores with the case and the citizen never does, imported replies
 * are scored, and the backfill fills gaps and re-scores.
 */
describe('reply quality on cases', () => {
  let app: FastifyInstance;
  let deps: PlatformDeps;
  let city: Awaited<ReturnType<typeof buildVoicesTestApp>>['city'];
  let dir: string;
  const clock = testClock(new Date('2026-03-02T01:00:00Z'));
  const as: Record<string, TestSession> = {};
  const scores = () => deps.db.withTables<ReplyQualityTables & VoicesTables>().selectFrom('reply_scores');

  before(async () => {
    ({ app, deps, city } = await buildVoicesTestApp({ clock: clock.now, env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000', SESSION_TTL_HOURS: '720' } }));
    for (const username of ['coordinator', 'handler-housing', 'auditor', 'citizen']) as[username] = await loginAs(app, username);
    dir = await mkdtemp(path.join(tmpdir(), 'minxin-reply-quality-'));
  });
  after(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  const context = async (): Promise<RequestContext> => {
    const admin = await deps.db.selectFrom('users').select('id').where('region_id', '=', city.regionId).where('username', '=', 'admin').executeTakeFirstOrThrow();
    return {
      actor: { regionId: city.regionId, userId: Number(admin.id), username: 'admin', role: 'admin', departmentId: null, scopePath: `/${city.regionId}/`, via: 'cli' },
      regionId: city.regionId,
      ip: null,
      requestId: null,
    };
  };
  const read = async (id: number, who: string): Promise<CaseDetailView> => {
    const response = await app.inject({ url: `/api/v1/cases/${id}`, headers: as[who]!.headers });
    assert.equal(response.statusCode, 200, response.body);
    return response.json<CaseDetailView>();
  };
  const fire = async (id: number, who: string, event: Record<string, unknown>): Promise<CaseDetailView> => {
    const current = await read(id, who);
    const response = await app.inject({ method: 'POST', url: `/api/v1/cases/${id}/events`, headers: as[who]!.headers, payload: { version: current.version, event } });
    assert.equal(response.statusCode, 200, response.body);
    return response.json<CaseDetailView>();
  };

  test('a handler’s reply is scored when it is written; staff see the score, the citizen and the tracking page do not', async () => {
    const submitted = await app.inject({
      method: 'POST',
      url: '/api/v1/messages',
      headers: as.citizen!.headers,
      payload: {
        title: '南泉小区门口路灯不亮',
        description: '南泉小区门口的路灯坏了两个月，晚上很黑，老人出门不安全。请问什么时候能修好？',
        kind: 'request_for_help',
        categoryPath: '城乡建设/城市建设和市政管理/其他',
        communityId: city.communities['east-1-a'],
      },
    });
    assert.equal(submitted.statusCode, 201, submitted.body);
    const receipt = submitted.json<MessageReceiptView>();
    await fire(receipt.caseId, 'handler-housing', { type: 'accept_work' });
    clock.advance(2 * 86_400_000);
    const replied = await fire(receipt.caseId, 'handler-housing', {
      type: 'reply',
      text: '经现场核实，南泉小区门口两盏路灯因线路老化损坏。根据《城市照明管理规定》第十条，路灯由我所负责养护。我所已于3月3日更换线路，路灯已恢复照明。如再发现故障，可拨打12345报修。',
    });

    const [score] = replied.replyQuality ?? [];
    assert.ok(score, 'the handler sees the score in the answer to their reply');
    const replyRow = replied.timeline.find((entry) => entry.event === 'reply')!;
    assert.equal(score.version, replyRow.version);
    assert.equal(score.round, 1);
    assert.equal(score.departmentId, city.departments.housing);
    assert.equal(score.method, 'reply-quality/1');
    assert.deepEqual(score.delay, { elapsed: 2, limit: 5, unit: 'working_days' });
    assert.deepEqual(score.timeliness?.cues, [{ code: 'within_limit', count: 2, total: 5 }]);
    assert.ok(score.timeliness.score > 0.9 && score.timeliness.score < 1);
    assert.ok(score.overall > 0.5, `overall ${score.overall}`);
    assert.ok(score.explainability.cues.some((cue) => cue.code === 'named_document'));
    assert.ok(score.completeness.cues.some((cue) => cue.code === 'result'));
    assert.ok(!JSON.stringify(score).includes('南泉'), 'scores carry codes and counts, no text of the case');

    for (const who of ['coordinator', 'auditor']) assert.equal((await read(receipt.caseId, who)).replyQuality?.length, 1, who);
    const own = await read(receipt.caseId, 'citizen');
    assert.equal(own.replyQuality, undefined, 'the citizen reads their case without its scores');
    const tracked = await app.inject({ url: `/api/v1/track/${receipt.trackingCode}` });
    assert.equal(tracked.statusCode, 200, tracked.body);
    assert.ok(!('replyQuality' in tracked.json<TrackedCaseView>()));
    assert.ok(!tracked.body.includes('reply-quality/1'));

    const rows = await scores().selectAll().where('region_id', '=', city.regionId).where('case_id', '=', receipt.caseId).execute();
    assert.equal(rows.length, 1);
    assert.equal(Number(rows[0]!.department_id), city.departments.housing);
    assert.equal(new Date(rows[0]!.replied_at).toISOString(), clock.now().toISOString());
  });

  test('replies brought in by the hotline import are scored; the backfill fills gaps and re-scores', async () => {
    const file = path.join(dir, 'replies.jsonl');
    const rows = [
      { id: 'R-1', title: '建议增设路灯', body: '小区门口太黑，请问能否安装路灯？', time: '2019-04-01 09:00:00', reply: '网友您好！留言已收悉。', reply_time: '2019-04-03 10:00:00' },
      { id: 'R-2', title: '公交线路咨询', body: '请问12路几点收班？', time: '2019-04-01 09:00:00', reply: '经公交公司核实，12路末班车为22:00从火车站发出。', reply_time: '2019-05-20 10:00:00' },
      { id: 'R-3', title: '噪音扰民', body: '工地夜间施工。', time: '2019-04-02 09:00:00', reply: null, reply_time: null },
    ];
    await writeFile(file, rows.map((row) => JSON.stringify(row)).join('\n'));
    const mapping = {
      sourceSystem: 'rq-test',
      sourceId: 'id',
      title: 'title',
      body: 'body',
      submittedAt: { column: 'time', timeZone: 'Asia/Shanghai' },
      kind: { constant: 'consultation' },
      reply: 'reply',
      repliedAt: { column: 'reply_time', timeZone: 'Asia/Shanghai' },
      finalState: 'closed',
    };
    const report = await importHotlineExport(deps, await context(), { path: file, mapping });
    assert.equal(report.created, 3);
    const imported = await scores()
      .innerJoin('messages as m', (join) => join.onRef('m.region_id', '=', 'reply_scores.region_id').onRef('m.case_id', '=', 'reply_scores.case_id'))
      .select(['m.source_id', 'reply_scores.overall', 'reply_scores.relevance', 'reply_scores.delay_elapsed', 'reply_scores.delay_limit', 'reply_scores.timeliness'])
      .where('reply_scores.region_id', '=', city.regionId)
      .where('m.source_system', '=', 'rq-test')
      .orderBy('m.source_id')
      .execute();
    assert.deepEqual(imported.map((row) => row.source_id), ['R-1', 'R-2'], 'one score per reply; the case without a reply has none');
    const [acknowledged, answered] = imported;
    assert.equal(acknowledged!.relevance, 0);
    assert.ok(answered!.relevance > acknowledged!.relevance);
    // Consultations have 3 working days; R-2 took 35 (April 2019 counts Monday to Friday: the shipped calendar starts in 2025).
    assert.deepEqual([answered!.delay_elapsed, answered!.delay_limit, answered!.timeliness], [35, 3, 0]);

    // The backfill scores replies stored without a score (as before this feature), and only those.
    const caseIds = (await scores().select('case_id').where('region_id', '=', city.regionId).execute()).map((row) => Number(row.case_id));
    const before = caseIds.length;
    await deps.db.withTables<ReplyQualityTables>().deleteFrom('reply_scores').where('region_id', '=', city.regionId).where('case_id', '=', caseIds[0]!).execute();
    const filled = await backfillReplyScores(deps, await context(), { batchSize: 1 });
    assert.deepEqual(filled, { scored: 1, batches: 1 });
    assert.deepEqual(await backfillReplyScores(deps, await context()), { scored: 0, batches: 0 });
    const all = await backfillReplyScores(deps, await context(), { which: 'all', batchSize: 2 });
    assert.equal(all.scored, before);
    assert.equal(Number((await scores().select((eb) => eb.fn.countAll().as('n')).where('region_id', '=', city.regionId).executeTakeFirstOrThrow()).n), before);
    const audit = await deps.db.selectFrom('audit_log').select(['action', 'details']).where('region_id', '=', city.regionId).where('action', '=', 'reply_quality.backfill').execute();
    assert.equal(audit.length, 3);
  });
});
