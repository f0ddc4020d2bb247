import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  deliveryListQuerySchema,
  deliveryPageSchema,
  deliverySchema,
  notificationListQuerySchema,
  notificationPageSchema,
  notificationSchema,
  readAllResultSchema,
  resendFailedResultSchema,
  webhookCreatedSchema,
  webhookInputSchema,
  webhookListSchema,
  webhookSchema,
  type DeliveryView,
  type NotificationView,
} from '../../../../contracts/notifications.ts';
import { idParamsSchema } from '../../../../contracts/platform.ts';
import { trackingParamsSchema } from '../../../../contracts/voices.ts';
import type { PlatformDeps } from '../../../platform/index.ts';
import type { NotificationRow } from './notification.repository.ts';
import * as notifications from './notification.service.ts';
import * as deliveries from './delivery.service.ts';

const TRACKING_RATE_LIMIT = { max: 60, timeWindow: 60_000 };

function present(row: NotificationRow): NotificationView {
  return {
    id: Number(row.id),
    caseId: row.case_id === null ? null : Number(row.case_id),
    hotIssueAlertId: row.hot_issue_alert_id === null ? null : Number(row.hot_issue_alert_id),
    kind: row.kind,
    template: row.template,
    params: row.params,
    title: { zh: row.title_zh, en: row.title_en },
    body: { zh: row.body_zh, en: row.body_en },
    createdAt: new Date(row.created_at).toISOString(),
    readAt: row.read_at ? new Date(row.read_at).toISOString() : null,
  };
}

const presentDelivery = (view: deliveries.DeliveryView): DeliveryView => ({
  ...view,
  createdAt: view.createdAt.toISOString(),
  nextAttemptAt: view.nextAttemptAt.toISOString(),
  sentAt: view.sentAt ? view.sentAt.toISOString() : null,
});

const presentWebhook = (view: notifications.WebhookView) => ({ ...view, events: [...view.events], createdAt: view.createdAt.toISOString() });

/** HTTP adapter of notifications (own and by tracking code), the city's webhooks and its unsent deliveries. */
export function notificationRoutes(app: FastifyInstance, deps: PlatformDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/v1/notifications', {
    config: { access: 'notification.read_own' },
    schema: { tags: ['notifications'], summary: 'Your notifications, newest first, with the unread count', querystring: notificationListQuerySchema, response: { 200: notificationPageSchema } },
  }, async (request) => {
    const page = await notifications.listOwnNotifications(deps, request.context, request.query);
    return { items: page.items.map(present), total: page.total, unread: page.unread, ...request.query };
  });

  api.post('/api/v1/notifications/:id/read', {
    config: { access: 'notification.read_own' },
    schema: { tags: ['notifications'], summary: 'Mark one of your notifications read', params: idParamsSchema, response: { 200: notificationSchema } },
  }, async (request) => present(await notifications.markOwnRead(deps, request.context, request.params.id)));

  api.post('/api/v1/notifications/read-all', {
    config: { access: 'notification.read_own' },
    schema: { tags: ['notifications'], summary: 'Mark all your notifications read', response: { 200: readAllResultSchema } },
  }, async (request) => ({ marked: await notifications.markAllOwnRead(deps, request.context) }));

  api.get('/api/v1/track/:code/notifications', {
    config: { access: 'public', rateLimit: TRACKING_RATE_LIMIT },
    schema: { tags: ['notifications'], summary: 'The notifications of a tracking code (anonymous citizens), newest first', params: trackingParamsSchema, querystring: notificationListQuerySchema, response: { 200: notificationPageSchema } },
  }, async (request) => {
    const page = await notifications.listTrackingNotifications(deps, request.context, request.params.code, request.query);
    return { items: page.items.map(present), total: page.total, unread: page.unread, ...request.query };
  });

  api.get('/api/v1/webhooks', {
    config: { access: 'webhook.manage' },
    schema: { tags: ['notifications'], summary: 'The city’s webhooks (never their secrets)', response: { 200: webhookListSchema } },
  }, async (request) => ({ items: (await notifications.listWebhooks(deps, request.context)).map(presentWebhook) }));

  api.post('/api/v1/webhooks', {
    config: { access: 'webhook.manage' },
    schema: { tags: ['notifications'], summary: 'Add a webhook: case events are POSTed as JSON signed with HMAC-SHA256 (X-Minxin-Signature); the secret is shown once', body: webhookInputSchema, response: { 201: webhookCreatedSchema } },
  }, async (request, reply) => {
    const created = await notifications.createWebhook(deps, request.context, request.body);
    return reply.status(201).send({ ...presentWebhook(created), secret: created.secret });
  });

  api.delete('/api/v1/webhooks/:id', {
    config: { access: 'webhook.manage' },
    schema: { tags: ['notifications'], summary: 'Turn a webhook off (kept for the record of its deliveries)', params: idParamsSchema, response: { 200: webhookSchema } },
  }, async (request) => presentWebhook(await notifications.deleteWebhook(deps, request.context, request.params.id)));

  api.get('/api/v1/notification-deliveries', {
    config: { access: 'delivery.manage' },
    schema: { tags: ['notifications'], summary: 'The city’s failed (or pending) e-mail and webhook deliveries, newest first; targets masked', querystring: deliveryListQuerySchema, response: { 200: deliveryPageSchema } },
  }, async (request) => {
    const page = await deliveries.listDeliveries(deps, request.context, request.query);
    return { items: page.items.map(presentDelivery), total: page.total, limit: request.query.limit, offset: request.query.offset };
  });

  api.post('/api/v1/notification-deliveries/:id/resend', {
    config: { access: 'delivery.manage' },
    schema: { tags: ['notifications'], summary: 'Send a failed delivery again (fresh attempts, on the dispatcher’s next run); 409 when it is not failed', params: idParamsSchema, response: { 200: deliverySchema } },
  }, async (request) => presentDelivery(await deliveries.resendDelivery(deps, request.context, request.params.id)));

  api.post('/api/v1/notification-deliveries/resend-failed', {
    config: { access: 'delivery.manage' },
    schema: { tags: ['notifications'], summary: 'Send every failed delivery of the city again', response: { 200: resendFailedResultSchema } },
  }, async (request) => ({ resent: await deliveries.resendFailedDeliveries(deps, request.context) }));
}
