import type { DeliveryPageView, DeliveryView, NotificationPageView, NotificationView } from '../../contracts/notifications.ts';
import { api, request } from './client.ts';
import type { PageQuery } from './platform.ts';

export type { DeliveryPageView, DeliveryView, NotificationPageView, NotificationView };

const V1 = '/api/v1';

/** The caller's notifications, newest first, with the unread count. */
export const listNotifications = (query: PageQuery = {}, signal?: AbortSignal): Promise<NotificationPageView> =>
  api.get(`${V1}/notifications`, { ...query }, signal);

/** Marks one of the caller's notifications read; answers with it. */
export const markNotificationRead = (id: number): Promise<NotificationView> => api.post(`${V1}/notifications/${id}/read`);

/** Marks all the caller's notifications read; answers with how many were unread. */
export const markAllNotificationsRead = (): Promise<{ marked: number }> => api.post(`${V1}/notifications/read-all`);

/** The updates sent to a tracking code (anonymous requesters), newest first. */
export const listTrackingNotifications = (
  code: string,
  query: PageQuery = {},
  signal?: AbortSignal,
): Promise<NotificationPageView> =>
  request('GET', `${V1}/track/${encodeURIComponent(code)}/notifications`, { query: { ...query }, signal, allowAnonymous: true });

export interface DeliveryQuery extends PageQuery {
  status: 'failed' | 'pending';
  channel?: 'email' | 'webhook';
}

/** The city's failed (or pending) e-mail and webhook deliveries, targets masked; city-wide coordinators and admins. */
export const listDeliveries = (query: DeliveryQuery, signal?: AbortSignal): Promise<DeliveryPageView> =>
  api.get(`${V1}/notification-deliveries`, { ...query }, signal);

/** Queues a failed delivery again; the dispatcher sends it on its next run. */
export const resendDelivery = (id: number): Promise<DeliveryView> => api.post(`${V1}/notification-deliveries/${id}/resend`);

/** Queues every failed delivery of the city again; answers with how many. */
export const resendFailedDeliveries = (): Promise<{ resent: number }> => api.post(`${V1}/notification-deliveries/resend-failed`);
