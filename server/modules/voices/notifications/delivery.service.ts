import {
  AppError,
  assertAllowed,
  inTransaction,
  recordAudit,
  requireActor,
  type PlatformDeps,
  type RequestContext,
} from '../../../platform/index.ts';
import * as repository from './delivery.repository.ts';

/**
 * The admin side of notification deliveries: city-wide coordinators and
 * admins see the e-mails and webhook calls that are still pending or have
 * failed, and send failed ones again. Targets are shown masked; the
 * dispatcher does the sending on its next run.
 */

/** What an admin sees of a delivery: the target masked, never a tracking code, an address or a URL path. */
export interface DeliveryView extends Omit<repository.DeliveryRecord, 'email' | 'webhookUrl'> {
  readonly target: string;
}

/** `zhang.san@example.com` → `z***@example.com`: enough to tell two recipients apart, not to write to them. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${Array.from(address.slice(0, at))[0]}***${address.slice(at)}`;
}

/** A webhook's host (and port), without scheme, path, query or credentials. */
export function webhookHost(url: string): string {
  try {
    return new URL(url).host || '—';
  } catch {
    return '—';
  }
}

function viewOf(record: repository.DeliveryRecord): DeliveryView {
  const { email, webhookUrl, ...rest } = record;
  const target =
    record.channel === 'webhook' ? (webhookUrl ? webhookHost(webhookUrl) : '—') : email ? maskEmail(email) : '—';
  return { ...rest, target };
}

const allow = (context: RequestContext) => assertAllowed(requireActor(context), 'delivery.manage', { kind: 'city' });

/** The city's pending or failed deliveries, newest first. */
export async function listDeliveries(
  deps: PlatformDeps,
  context: RequestContext,
  query: { status: 'pending' | 'failed'; channel?: 'email' | 'webhook' | undefined; limit: number; offset: number },
): Promise<{ items: DeliveryView[]; total: number }> {
  allow(context);
  const page = await repository.listDeliveries(deps.db, context.regionId, query);
  return { items: page.items.map(viewOf), total: page.total };
}

/**
 * Queues a failed delivery again with a fresh set of attempts (409 when it is
 * not failed: pending ones are still being tried, sent ones are done).
 * Audited `notification_delivery.resend`.
 */
export async function resendDelivery(deps: PlatformDeps, context: RequestContext, id: number): Promise<DeliveryView> {
  allow(context);
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const found = await repository.findDelivery(trx, context.regionId, id);
    if (!found) throw new AppError('not_found', `Delivery ${id} does not exist`);
    if ((await repository.requeueFailed(trx, context.regionId, now, id)).length === 0) {
      throw new AppError('conflict', `Delivery ${id} is ${found.status}; only failed deliveries are sent again`, {
        deliveryStatus: found.status,
      });
    }
    await recordAudit(
      trx,
      context,
      {
        action: 'notification_delivery.resend',
        resourceType: 'notification_delivery',
        resourceId: id,
        details: { channel: found.channel, attempts: found.attempts },
      },
      now,
    );
    return viewOf((await repository.findDelivery(trx, context.regionId, id))!);
  });
}

/** Queues every failed delivery of the city again; audited `notification_delivery.resend_failed` with the count. */
export async function resendFailedDeliveries(deps: PlatformDeps, context: RequestContext): Promise<number> {
  allow(context);
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const ids = await repository.requeueFailed(trx, context.regionId, now);
    await recordAudit(
      trx,
      context,
      {
        action: 'notification_delivery.resend_failed',
        resourceType: 'notification_delivery',
        resourceId: null,
        details: { count: ids.length },
      },
      now,
    );
    return ids.length;
  });
}
