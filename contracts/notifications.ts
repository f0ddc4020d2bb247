/** Request and response schemas of notifications and webhooks, shared by the server and the web app. */
import { z } from 'zod';
import { paginationQuery } from './platform.ts';

export const notificationSchema = z.object({
  id: z.number().int(),
  /** The case it is about; null for a hot-issue alert or a notification about another subject (kind `pairing_reminder`: a cadre's weekly reminder). */
  caseId: z.number().int().nullable(),
  /** The hot-issue early-warning alert it is about (coordinators); null for a case's. */
  hotIssueAlertId: z.number().int().nullable(),
  kind: z.string(),
  template: z.string(),
  params: z.record(z.string(), z.string()),
  title: z.object({ zh: z.string(), en: z.string() }),
  body: z.object({ zh: z.string(), en: z.string() }),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type NotificationView = z.infer<typeof notificationSchema>;

export const notificationPageSchema = z.object({
  items: z.array(notificationSchema),
  total: z.number().int(),
  unread: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
export type NotificationPageView = z.infer<typeof notificationPageSchema>;

export const notificationListQuerySchema = z.strictObject({ ...paginationQuery });
export const readAllResultSchema = z.object({ marked: z.number().int() });

export const webhookInputSchema = z.strictObject({
  url: z.string().trim().min(1).max(2000),
  /** Case event types to send (e.g. `reply`, `close`); empty or absent means all. */
  events: z.array(z.string().regex(/^[a-z_]{2,40}$/)).max(40).optional(),
});

export const webhookSchema = z.object({
  id: z.number().int(),
  url: z.string(),
  events: z.array(z.string()),
  active: z.boolean(),
  createdAt: z.string(),
});
export const webhookCreatedSchema = webhookSchema.extend({ secret: z.string() });
export const webhookListSchema = z.object({ items: z.array(webhookSchema) });

export const DELIVERY_STATUSES = ['pending', 'failed'] as const;

/** The deliveries page's filters: unsent deliveries only (sent ones are history). */
export const deliveryListQuerySchema = z.strictObject({
  status: z.enum(DELIVERY_STATUSES).default('failed'),
  channel: z.enum(['email', 'webhook']).optional(),
  ...paginationQuery,
});

/**
 * One e-mail or webhook delivery as admins see it: the target masked
 * (`z***@example.com`, a webhook's host only), never a tracking code or a name.
 */
export const deliverySchema = z.object({
  id: z.number().int(),
  caseId: z.number().int(),
  caseNumber: z.string(),
  channel: z.enum(['email', 'webhook']),
  target: z.string(),
  event: z.string(),
  status: z.enum(['pending', 'sent', 'failed']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  nextAttemptAt: z.string(),
  sentAt: z.string().nullable(),
});
export type DeliveryView = z.infer<typeof deliverySchema>;
export const deliveryPageSchema = z.object({
  items: z.array(deliverySchema),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
export type DeliveryPageView = z.infer<typeof deliveryPageSchema>;
export const resendFailedResultSchema = z.object({ resent: z.number().int() });
