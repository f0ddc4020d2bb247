import assert from 'node:assert/strict';
import http from 'node:http';
import type net from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { DeliveryPageView, DeliveryView } from '../../../../contracts/notifications.ts';
import type { CaseDetailView, MessageReceiptView } from '../../../../contracts/voices.ts';
import type { PlatformDeps } from '../../../platform/index.ts';
import { assertProblem, buildVoicesTestApp, loginAs, type TestSession } from '../../../../test/factories.ts';
import { startMailSink, type MailSink } from '../../../../test/mail-sink.ts';
import { maskEmail, webhookHost } from './delivery.service.ts';
import { dispatchNotifications } from './notification.service.ts';

describe('failed deliveries: admins see them masked and send them again', () => {
  let app: FastifyInstance;
  let deps: PlatformDeps;
  let mail: MailSink;
  let hookStatus = 410;
  const hits: string[] = [];
  let hook: http.Server;
  let hookUrl = '';
  const as: Record<string, TestSession> = {};

  before(async () => {
    mail = await startMailSink({ refuse: true });
    hook = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        hits.push(body);
        response.statusCode = hookStatus;
        response.end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(hook.address() as net.AddressInfo).port}/secret-path/hook?token=abc`;
    ({ app, deps } = await buildVoicesTestApp({
      env: {
        LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
        SMTP_URL: `smtp://127.0.0.1:${mail.port}`,
        MAIL_FROM: 'noreply@minxin.test',
        NOTIFY_INTERVAL_SECONDS: '0',
      },
    }));
    for (const username of ['coordinator', 'coordinator-east', 'admin', 'handler-housing'])
      as[username] = await loginAs(app, username);
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      headers: as.coordinator!.headers,
      payload: { url: hookUrl, events: ['reply'] },
    });
    assert.equal(created.statusCode, 201, created.body);
    await dispatchNotifications(deps); // start from a clean outbox
  });
  after(async () => {
    await app.close();
    await Promise.all([mail.close(), new Promise<void>((resolve) => hook.close(() => resolve()))]);
  });

  const fire = async (id: number, event: Record<string, unknown>) => {
    const current = (
      await app.inject({ url: `/api/v1/cases/${id}`, headers: as['handler-housing']!.headers })
    ).json<CaseDetailView>();
    const response = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${id}/events`,
      headers: as['handler-housing']!.headers,
      payload: { version: current.version, event },
    });
    assert.equal(response.statusCode, 200, response.body);
  };
  const list = async (who: string, query: string) => {
    const response = await app.inject({ url: `/api/v1/notification-deliveries${query}`, headers: as[who]!.headers });
    assert.equal(response.statusCode, 200, response.body);
    return response;
  };

  test('a reply whose e-mail and webhook fail shows up masked; one is resent, then all; the next run sends them', async () => {
    const submitted = await app.inject({
      method: 'POST',
      url: '/api/v1/messages',
      payload: {
        title: '楼道灯坏了',
        description: '3号楼楼道灯坏了一个月。',
        kind: 'request_for_help',
        categoryPath: '城乡建设/城市建设和市政管理/其他',
        contact: { name: '张三', email: 'zhang.san@example.com' },
      },
    });
    assert.equal(submitted.statusCode, 201, submitted.body);
    const receipt = submitted.json<MessageReceiptView>();
    await fire(receipt.caseId, { type: 'accept_work' });
    await fire(receipt.caseId, { type: 'reply', text: '已修复。' });
    const report = await dispatchNotifications(deps);
    assert.ok(report.failed >= 2, JSON.stringify(report));

    const response = await list('coordinator', '?status=failed');
    const page = response.json<DeliveryPageView>();
    const ours = page.items.filter((item) => item.caseNumber === receipt.caseNumber);
    const email = ours.find((item) => item.channel === 'email' && item.target === 'z***@example.com');
    const webhook = ours.find((item) => item.channel === 'webhook');
    assert.ok(email, JSON.stringify(ours));
    assert.ok(webhook, JSON.stringify(ours));
    assert.deepEqual([email.event, email.status, email.attempts, email.caseId], ['reply', 'failed', 1, receipt.caseId]);
    assert.match(email.lastError ?? '', /554/);
    assert.equal(webhook.target, new URL(hookUrl).host);
    assert.match(webhook.lastError ?? '', /410/);
    for (const secret of ['zhang.san', '张三', receipt.trackingCode, 'secret-path', 'token=abc'])
      assert.ok(!response.body.includes(secret), `no ${secret} in the list`);
    assert.ok(page.total >= 2);
    assert.ok(
      !(await list('admin', '?status=pending'))
        .json<DeliveryPageView>()
        .items.some((item) => item.caseNumber === receipt.caseNumber),
    );
    assert.deepEqual(
      (await list('admin', '?status=failed&channel=webhook'))
        .json<DeliveryPageView>()
        .items.map((item) => item.channel)
        .filter((channel) => channel !== 'webhook'),
      [],
    );

    assertProblem(
      await app.inject({ url: '/api/v1/notification-deliveries', headers: as['handler-housing']!.headers }),
      403,
      'forbidden',
    );
    assertProblem(
      await app.inject({ url: '/api/v1/notification-deliveries', headers: as['coordinator-east']!.headers }),
      403,
      'forbidden',
    );
    assertProblem(
      await app.inject({
        method: 'POST',
        url: `/api/v1/notification-deliveries/${email.id}/resend`,
        headers: as['coordinator-east']!.headers,
      }),
      403,
      'forbidden',
    );

    mail.refuse = false;
    const resent = await app.inject({
      method: 'POST',
      url: `/api/v1/notification-deliveries/${email.id}/resend`,
      headers: as.coordinator!.headers,
    });
    assert.equal(resent.statusCode, 200, resent.body);
    assert.deepEqual([resent.json<DeliveryView>().status, resent.json<DeliveryView>().attempts], ['pending', 0]);
    assertProblem(
      await app.inject({
        method: 'POST',
        url: `/api/v1/notification-deliveries/${email.id}/resend`,
        headers: as.coordinator!.headers,
      }),
      409,
      'conflict',
    );
    assertProblem(
      await app.inject({
        method: 'POST',
        url: '/api/v1/notification-deliveries/999999999/resend',
        headers: as.coordinator!.headers,
      }),
      404,
      'not_found',
    );
    assert.ok(
      (await list('coordinator', '?status=pending'))
        .json<DeliveryPageView>()
        .items.some((item) => item.id === email.id),
    );

    hookStatus = 204;
    const all = await app.inject({
      method: 'POST',
      url: '/api/v1/notification-deliveries/resend-failed',
      headers: as.admin!.headers,
    });
    assert.equal(all.statusCode, 200, all.body);
    assert.ok(all.json<{ resent: number }>().resent >= 1);

    await dispatchNotifications(deps);
    assert.ok(mail.mails.some(({ data }) => /^To: zhang\.san@example\.com$/m.test(data)));
    assert.ok(hits.some((body) => JSON.parse(body).caseNumber === receipt.caseNumber));
    for (const status of ['failed', 'pending']) {
      assert.ok(
        !(await list('coordinator', `?status=${status}`))
          .json<DeliveryPageView>()
          .items.some((item) => item.caseNumber === receipt.caseNumber),
        status,
      );
    }

    const audit = await app.inject({
      url: '/api/v1/audit?resourceType=notification_delivery',
      headers: as.admin!.headers,
    });
    assert.equal(audit.statusCode, 200, audit.body);
    const actions = audit.json<{ items: { action: string }[] }>().items.map((entry) => entry.action);
    assert.ok(
      actions.includes('notification_delivery.resend') && actions.includes('notification_delivery.resend_failed'),
      actions.join(),
    );
  });

  test('masking keeps the first character and the domain; webhooks show their host only', () => {
    assert.equal(maskEmail('zhang.san@example.com'), 'z***@example.com');
    assert.equal(maskEmail('张三@例子.中国'), '张***@例子.中国');
    assert.equal(maskEmail('broken'), '***');
    assert.equal(webhookHost('https://user:pw@hooks.example.gov.cn:8443/path?q=1'), 'hooks.example.gov.cn:8443');
    assert.equal(webhookHost('not a url'), '—');
  });
});
