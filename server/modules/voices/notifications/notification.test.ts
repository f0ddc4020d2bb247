import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { NotificationPageView } from '../../../../contracts/notifications.ts';
import type { CaseDetailView, MessageReceiptView } from '../../../../contracts/voices.ts';
import type { PlatformDeps } from '../../../platform/index.ts';
import { buildVoicesTestApp, loginAs, testClock, type TestSession } from '../../../../test/factories.ts';
import { startMailSink, type MailSink } from '../../../../test/mail-sink.ts';
import { MAX_ATTEMPTS, backoffMs, dispatchNotifications } from './notification.service.ts';

/** A loopback webhook receiver answering `status()` to every POST. */
async function startReceiver(status: () => number): Promise<{ url: string; hits: { headers: http.IncomingHttpHeaders; body: string }[]; close: () => Promise<void> }> {
  const hits: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      hits.push({ headers: request.headers, body });
      response.statusCode = status();
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/hook`, hits, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('notifications', () => {
  let app: FastifyInstance;
  let deps: PlatformDeps;
  let smtp: MailSink;
  let good: Awaited<ReturnType<typeof startReceiver>>;
  let bad: Awaited<ReturnType<typeof startReceiver>>;
  const clock = testClock(new Date());
  const as: Record<string, TestSession> = {};
  let goodSecret = '';

  before(async () => {
    smtp = await startMailSink();
    good = await startReceiver(() => 204);
    bad = await startReceiver(() => 503);
    ({ app, deps } = await buildVoicesTestApp({
      clock: clock.now,
      env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000', SESSION_TTL_HOURS: '720', SMTP_URL: `smtp://mailer:secret@127.0.0.1:${smtp.port}`, MAIL_FROM: 'noreply@minxin.test', NOTIFY_INTERVAL_SECONDS: '0' },
    }));
    for (const username of ['coordinator', 'handler-housing', 'citizen']) as[username] = await loginAs(app, username);
    const created = await app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: as.coordinator!.headers, payload: { url: good.url, events: ['reply', 'urge'] } });
    assert.equal(created.statusCode, 201, created.body);
    goodSecret = created.json<{ secret: string }>().secret;
    const failing = await app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: as.coordinator!.headers, payload: { url: bad.url, events: ['urge'] } });
    assert.equal(failing.statusCode, 201, failing.body);
    await dispatchNotifications(deps); // start from a clean outbox
  });
  after(async () => {
    await app.close();
    await Promise.all([smtp.close(), good.close(), bad.close()]);
  });

  const submit = async (payload: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/messages',
      headers,
      payload: { title: '楼道灯坏了', description: '3号楼楼道灯坏了一个月。', kind: 'request_for_help', categoryPath: '城乡建设/城市建设和市政管理/其他', ...payload },
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json<MessageReceiptView>();
  };
  const fire = async (id: number, who: string, event: Record<string, unknown>) => {
    const current = (await app.inject({ url: `/api/v1/cases/${id}`, headers: as[who]!.headers })).json<CaseDetailView>();
    const response = await app.inject({ method: 'POST', url: `/api/v1/cases/${id}/events`, headers: as[who]!.headers, payload: { version: current.version, event } });
    assert.equal(response.statusCode, 200, response.body);
  };

  test('a reply notifies the anonymous requester on the track page and by e-mail, and a webhook gets a signed POST; twice sends nothing twice', async () => {
    const receipt = await submit({ contact: { name: '李四', email: 'li.si@example.cn' } });
    await fire(receipt.caseId, 'handler-housing', { type: 'accept_work' });
    await dispatchNotifications(deps);
    const mailsBefore = smtp.mails.length;
    await fire(receipt.caseId, 'handler-housing', { type: 'reply', text: '已修复。' });
    const report = await dispatchNotifications(deps);
    assert.equal(report.events, 1, JSON.stringify(report));

    const tracked = await app.inject({ url: `/api/v1/track/${receipt.trackingCode}/notifications` });
    assert.equal(tracked.statusCode, 200, tracked.body);
    const page = tracked.json<NotificationPageView>();
    assert.equal(page.items[0]!.kind, 'reply');
    assert.match(page.items[0]!.title.zh, new RegExp(`您的诉求（${receipt.caseNumber}）已答复`));
    assert.equal(page.unread, page.total);

    const mails = smtp.mails.slice(mailsBefore).filter((mail) => mail.to.includes('li.si@example.cn'));
    assert.equal(mails.length, 1);
    const mail = mails[0]!;
    assert.equal(mail.from, 'noreply@minxin.test');
    assert.match(mail.data, /^From: noreply@minxin\.test$/m);
    assert.match(mail.data, /^To: li\.si@example\.cn$/m);
    assert.match(mail.data, /^Content-Type: text\/plain; charset=UTF-8$/m);
    const subject = /^Subject: (.*(?:\r\n .*)*)$/m.exec(mail.data)![1]!;
    const decoded = subject.split(/\r\n /).map((word) => Buffer.from(/^=\?UTF-8\?B\?(.*)\?=$/.exec(word)![1]!, 'base64').toString('utf8')).join('');
    assert.equal(decoded, `您的诉求（${receipt.caseNumber}）已答复 / Your message (case ${receipt.caseNumber}): answered`);

    const hit = good.hits.find((candidate) => JSON.parse(candidate.body).caseNumber === receipt.caseNumber);
    assert.ok(hit, 'the webhook got the reply');
    const expected = `sha256=${crypto.createHmac('sha256', goodSecret).update(hit.body).digest('hex')}`;
    assert.equal(hit.headers['x-minxin-signature'], expected);
    const body = JSON.parse(hit.body) as Record<string, unknown>;
    assert.equal(body.event, 'reply');
    assert.equal(body.state, 'replied');
    assert.ok(!hit.body.includes('li.si') && !hit.body.includes('李四') && !hit.body.includes(receipt.trackingCode), 'no requester identity in webhooks');

    const counts = { mails: smtp.mails.length, hits: good.hits.length, total: page.total };
    const again = await dispatchNotifications(deps);
    assert.equal(again.events, 0);
    assert.equal(again.sent, 0);
    assert.equal(smtp.mails.length, counts.mails);
    assert.equal(good.hits.length, counts.hits);
    assert.equal((await app.inject({ url: `/api/v1/track/${receipt.trackingCode}/notifications` })).json<NotificationPageView>().total, counts.total);
  });

  test('a signed-in citizen reads theirs at /api/v1/notifications, marks them read; e-mail goes to their account address', async () => {
    const receipt = await submit({}, as.citizen!.headers);
    await fire(receipt.caseId, 'handler-housing', { type: 'accept_work' });
    await fire(receipt.caseId, 'handler-housing', { type: 'reply', text: '已处理。' });
    const before = smtp.mails.length;
    await dispatchNotifications(deps);
    const page = (await app.inject({ url: '/api/v1/notifications', headers: as.citizen!.headers })).json<NotificationPageView>();
    const mine = page.items.find((item) => item.caseId === receipt.caseId && item.kind === 'reply');
    assert.ok(mine);
    assert.ok(page.unread >= 1);
    assert.ok(smtp.mails.slice(before).some((mail) => mail.to.includes('citizen@test.example')));
    const read = await app.inject({ method: 'POST', url: `/api/v1/notifications/${mine.id}/read`, headers: as.citizen!.headers });
    assert.equal(read.statusCode, 200, read.body);
    assert.ok(read.json<{ readAt: string | null }>().readAt);
    const all = await app.inject({ method: 'POST', url: '/api/v1/notifications/read-all', headers: as.citizen!.headers });
    assert.equal(all.statusCode, 200, all.body);
    assert.equal((await app.inject({ url: '/api/v1/notifications', headers: as.citizen!.headers })).json<NotificationPageView>().unread, 0);
    const other = await app.inject({ method: 'POST', url: `/api/v1/notifications/${mine.id}/read`, headers: as['handler-housing']!.headers });
    assert.equal(other.statusCode, 404, 'someone else’s notification is not found');
  });

  test('urge (督办) notifies the department’s handlers and the coordinators; a failing webhook is retried with backoff and ends failed', async () => {
    const receipt = await submit({});
    await fire(receipt.caseId, 'coordinator', { type: 'urge', note: '请加快办理' });
    const first = await dispatchNotifications(deps);
    assert.ok(first.retrying >= 1, JSON.stringify(first));
    for (const who of ['handler-housing', 'coordinator']) {
      const page = (await app.inject({ url: '/api/v1/notifications', headers: as[who]!.headers })).json<NotificationPageView>();
      assert.ok(page.items.some((item) => item.caseId === receipt.caseId && item.kind === 'urge'), `${who} is told`);
    }
    const hitsAfterFirst = bad.hits.length;
    assert.ok(hitsAfterFirst >= 1);
    // Not due yet: nothing is retried before the backoff.
    assert.equal((await dispatchNotifications(deps)).retrying, 0);
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt += 1) {
      clock.advance(backoffMs(attempt) + 1000);
      await dispatchNotifications(deps);
    }
    const rows = await deps.db
      .withTables<{ notification_deliveries: { case_id: number; channel: string; status: string; attempts: number; last_error: string | null } }>()
      .selectFrom('notification_deliveries')
      .selectAll()
      .where('case_id', '=', receipt.caseId)
      .where('channel', '=', 'webhook')
      .execute();
    const failed = rows.find((row) => row.status === 'failed');
    assert.ok(failed, JSON.stringify(rows));
    assert.equal(failed.attempts, MAX_ATTEMPTS);
    assert.match(failed.last_error ?? '', /503/);
    assert.ok(rows.some((row) => row.status === 'sent'), 'the good webhook got it once');
    clock.advance(24 * 3600_000);
    const hits = bad.hits.length;
    await dispatchNotifications(deps);
    assert.equal(bad.hits.length, hits, 'a failed delivery is not tried again');
  });

  test('webhook URLs: only http(s), never link-local or metadata addresses', async () => {
    for (const url of ['ftp://example.org/x', 'http://169.254.169.254/latest/meta-data', 'http://[fe80::1]/x', 'http://metadata.google.internal/']) {
      const response = await app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: as.coordinator!.headers, payload: { url } });
      assert.equal(response.statusCode, 422, `${url}: ${response.body}`);
    }
    const list = await app.inject({ url: '/api/v1/webhooks', headers: as.coordinator!.headers });
    assert.ok(!list.body.includes('whsec_'), 'secrets are never listed');
  });
});
