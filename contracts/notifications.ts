/** Request and response schemas of notifications and webhooks, shared by the server and the web app. */
import { z } from 'zod';
import { paginationQuery } from './platform.ts';

export const notificationSchema = z.object({
  id: z.number().int(),
  caseId: z.number().int(),
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
