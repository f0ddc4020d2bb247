import crypto from 'node:crypto';
import dns from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import {
  AppError,
  accountIdOf,
  assertAllowed,
  inTransaction,
  normaliseTrackingCode,
  recordAudit,
  requireActor,
  sendMail,
  SmtpError,
  startIntervalJob,
  type IntervalJob,
  type PlatformDeps,
  type RequestContext,
} from '../../../platform/index.ts';
import { findMessageByTrackingCode } from '../cases/case.repository.ts';
import * as repository from './notification.repository.ts';

/** Attempts per delivery before it is `failed`; the wait doubles from one minute (1, 2, 4, 8 min). */
export const MAX_ATTEMPTS = 5;
const BACKOFF_BASE_MS = 60_000;
/** A claimed delivery is not retried by another dispatcher for this long (a crashed sender's claim expires). */
const LEASE_MS = 10 * 60_000;
/** Events older than this when first read (imports, demo history) are passed over: nobody is told about the past. */
const MAX_EVENT_AGE_MS = 3 * 24 * 3600_000;
const BATCH = 500;
const WEBHOOK_TIMEOUT_MS = 5_000;

export const backoffMs = (attempts: number): number => BACKOFF_BASE_MS * 2 ** (attempts - 1);

// --- what a notification says ------------------------------------------------------

/** A notification's title and body in Chinese and English. */
export interface Texts {
  readonly titleZh: string;
  readonly titleEn: string;
  readonly bodyZh: string;
  readonly bodyEn: string;
}

const EVENT_NAMES: Record<string, [string, string]> = {
  join: ['已并入案件', 'joined to a case'],
  dispatch: ['已派单', 'dispatched'],
  accept_work: ['已开始办理', 'taken in hand'],
  reply: ['已答复', 'answered'],
  return: ['被退回', 'returned'],
  arbitrate: ['经仲裁确定由本单位办理', 'assigned by arbitration'],
  request_transfer: ['申请转办', 'transfer requested'],
  approve_transfer: ['已转办', 'transferred'],
  request_extension: ['申请延期', 'extension requested'],
  approve_extension: ['已延期', 'extended'],
  urge: ['被督办', 'escalated (督办)'],
  rate: ['已评价', 'rated'],
  verify_unsatisfied: ['发回重办', 'sent back for rework'],
  close: ['已办结', 'closed'],
  reopen: ['已重新打开', 'reopened'],
  adopt: ['已被采纳，纳入工作计划', 'adopted into a work plan'],
  plan_item_changed: ['所纳入的工作计划事项有更新', 'the plan item it went into has changed'],
};

/** The texts of a notification, from its template (`case.<event>`) and params; never personal data. */
export function renderNotification(template: string, params: Record<string, string>): Texts {
  const event = template.replace(/^case\./, '');
  const [zh, en] = EVENT_NAMES[event] ?? [event, event.replace(/_/g, ' ')];
  const number = params.number ?? '';
  if (params.audience === 'requester') {
    return {
      titleZh: `您的诉求（${number}）${zh}`,
      titleEn: `Your message (case ${number}): ${en}`,
      bodyZh: event === 'reply' ? `承办单位已答复您的诉求 ${number}，请查看答复并评价。` : `您的诉求 ${number} 有新进展：${zh}。`,
      bodyEn: event === 'reply' ? `The department has answered your message (case ${number}); please read the reply and rate it.` : `Your message (case ${number}) has news: ${en}.`,
    };
  }
  return {
    titleZh: `案件 ${number} ${zh}`,
    titleEn: `Case ${number}: ${en}`,
    bodyZh: `案件 ${number}${params.department ? `（${params.department}）` : ''}：${zh}。`,
    bodyEn: `Case ${number}${params.department ? ` (${params.department})` : ''}: ${en}.`,
  };
}

/** What a hot-issue alert says to coordinators (docs/hot-issues.md); the texts are already masked. */
export interface HotIssueAlertNotice {
  readonly id: number;
  /** The region path most of the cluster sits in: coordinators whose scope covers it are told. */
  readonly regionPath: string;
  readonly place: string | null;
  readonly title: string;
  readonly recent: number;
  readonly ratio: number;
}

/**
 * Writes an in-app notification of a hot-issue surge for every active
 * coordinator whose scope covers the cluster, inside the caller's
 * transaction; at most one per alert and coordinator. Returns how many were
 * written.
 */
export async function notifyCoordinatorsOfAlert(trx: PlatformDeps['db'], regionId: number, alert: HotIssueAlertNotice, now: Date): Promise<number> {
  const subject = alert.place ?? alert.title;
  const ratio = alert.ratio.toFixed(1);
  const texts = {
    title_zh: `热点预警：${subject}`,
    title_en: `Hot issue alert: ${subject}`,
    body_zh: `“${alert.title}”近 7 天新增 ${alert.recent} 条留言，是其基线的 ${ratio} 倍。`,
    body_en: `"${alert.title}": ${alert.recent} messages in the last 7 days, ${ratio}× its baseline.`,
  };
  let written = 0;
  for (const coordinator of await repository.listCoordinators(trx, regionId, alert.regionPath)) {
    const inserted = await repository.insertAlertNotification(trx, {
      region_id: regionId,
      recipient: `user:${coordinator.userId}`,
      hot_issue_alert_id: alert.id,
      kind: 'hot_issue_alert',
      template: 'hot_issue.alert',
      params: { ...(alert.place ? { place: alert.place } : {}), recent: String(alert.recent), ratio },
      ...texts,
      created_at: now,
    });
    if (inserted) written += 1;
  }
  return written;
}

/** A notification to one account about something of another module (not a case, not an alert). */
export interface UserNotice {
  readonly userId: number;
  /** Names what it is about, unique per recipient (`pairing_reminder:<id>`): the same subject is told once. */
  readonly subject: string;
  /** What the web app keys its link on (`pairing_reminder` opens 我的帮扶户). */
  readonly kind: string;
  readonly template: string;
  readonly params: Record<string, string>;
  /** Shown in the bell and fit for e-mail: never personal data. */
  readonly texts: Texts;
  /**
   * Also by e-mail when the account has an address: queued in the same
   * transaction as a delivery the dispatcher sends like a case's (retries,
   * failures on the admin's list). Pass false when SMTP is not configured.
   */
  readonly email?: boolean;
}

/**
 * Writes an in-app notification for one account inside the caller's
 * transaction, at most once per subject and account; true when written.
 * With `email`, also queues the same text as an e-mail delivery when the
 * account has an address. The door other modules use to reach a person.
 */
export async function notifyUser(trx: PlatformDeps['db'], regionId: number, notice: UserNotice, now: Date): Promise<boolean> {
  const recipient = `user:${notice.userId}`;
  if (notice.email && (await repository.findEmailOf(trx, regionId, recipient))) {
    const { titleZh, titleEn, bodyZh, bodyEn } = notice.texts;
    await repository.insertSubjectDelivery(trx, { region_id: regionId, subject: notice.subject, target: recipient, payload: { subject: `${titleZh} / ${titleEn}`, text: `${bodyZh}\n\n${bodyEn}\n` }, now });
  }
  return repository.insertSubjectNotification(trx, {
    region_id: regionId,
    recipient,
    subject: notice.subject,
    kind: notice.kind,
    template: notice.template,
    params: notice.params,
    title_zh: notice.texts.titleZh,
    title_en: notice.texts.titleEn,
    body_zh: notice.texts.bodyZh,
    body_en: notice.texts.bodyEn,
    created_at: now,
  });
}

// --- the dispatcher ------------------------------------------------------------------

export interface DispatchReport {
  /** Outbox events read (including those passed over for age). */
  events: number;
  notifications: number;
  deliveriesQueued: number;
  sent: number;
  retrying: number;
  failed: number;
}

interface Audience {
  readonly role: 'requester' | 'staff';
  readonly email: boolean;
}

/**
 * Reads new `case_events` in order per city, writes the in-app notifications
 * and the deliveries they ask for (one transaction per batch, with the
 * city's cursor), then attempts the due deliveries. Idempotent: each event is
 * read once, and a notification or delivery exists at most once per event and
 * recipient, so two servers may run it at the same time.
 */
export async function dispatchNotifications(deps: PlatformDeps, options: { now?: Date } = {}): Promise<DispatchReport> {
  const now = options.now ?? deps.clock();
  const report: DispatchReport = { events: 0, notifications: 0, deliveriesQueued: 0, sent: 0, retrying: 0, failed: 0 };
  const cities = await repository.listCityIds(deps.db);
  const marks = await repository.highWaterMarks(deps.db, cities);
  for (const [regionId, mark] of marks ?? []) {
    for (;;) {
      const read = await inTransaction(deps.db, async (trx) => {
        const cursor = await repository.lockCursor(trx, regionId, now);
        if (BigInt(cursor) >= BigInt(mark)) return 0;
        const events = await repository.readOutbox(trx, regionId, cursor, mark, BATCH);
        const webhooks = await repository.listWebhooks(trx, regionId, true);
        for (const event of events) await expandEvent(trx, deps, regionId, event, webhooks, now, report);
        if (events.length > 0) await repository.moveCursor(trx, regionId, events[events.length - 1]!.position, now);
        report.events += events.length;
        return events.length;
      });
      if (read < BATCH) break;
    }
  }
  await sendDueDeliveries(deps, now, report);
  return report;
}

async function expandEvent(
  trx: PlatformDeps['db'],
  deps: PlatformDeps,
  regionId: number,
  event: repository.OutboxEvent,
  webhooks: readonly repository.WebhookRow[],
  now: Date,
  report: DispatchReport,
): Promise<void> {
  if (now.getTime() - event.at.getTime() > MAX_EVENT_AGE_MS) return;
  const facts = await repository.findCaseFacts(trx, regionId, event.caseId);
  if (!facts) return;
  const recipients = new Map<string, Audience>();
  const add = (key: string, audience: Audience) => {
    if (!recipients.has(key)) recipients.set(key, audience);
  };
  for (const notification of event.notifications) {
    const type = notification.type;
    if (type === 'notify_requesters') {
      let requesters = (await repository.listRequesters(trx, regionId, event.caseId)).filter((requester) => /^(user|code):/.test(requester.key));
      // A join tells only the requester who joined: the latest message up to the event.
      if (event.event === 'join') requesters = requesters.filter((requester) => requester.submittedAt <= event.at).slice(-1);
      for (const requester of requesters) add(requester.key, { role: 'requester', email: requester.hasEmail });
    } else if (type === 'notify_department' || type === 'escalate') {
      const departments = type === 'escalate' ? [Number(notification.departmentId)] : ((notification.departmentIds as number[] | undefined) ?? []);
      for (const handler of await repository.listHandlers(trx, regionId, departments)) add(`user:${handler.userId}`, { role: 'staff', email: handler.hasEmail });
    }
    if (type === 'notify_coordinators' || type === 'escalate') {
      for (const coordinator of await repository.listCoordinators(trx, regionId, facts.regionPath)) add(`user:${coordinator.userId}`, { role: 'staff', email: coordinator.hasEmail });
    }
  }
  const template = `case.${event.event}`;
  for (const [recipient, audience] of recipients) {
    const params: Record<string, string> = { number: facts.number, audience: audience.role, ...(facts.departmentName ? { department: facts.departmentName } : {}) };
    const texts = renderNotification(template, params);
    const inserted = await repository.insertNotification(trx, {
      region_id: regionId,
      recipient,
      case_id: event.caseId,
      case_version: event.version,
      kind: event.event,
      template,
      params,
      title_zh: texts.titleZh,
      title_en: texts.titleEn,
      body_zh: texts.bodyZh,
      body_en: texts.bodyEn,
      created_at: now,
    });
    if (inserted) report.notifications += 1;
    if (audience.email && deps.config.smtp) {
      const payload = { subject: `${texts.titleZh} / ${texts.titleEn}`, text: `${texts.bodyZh}\n\n${texts.bodyEn}\n` };
      if (await repository.insertDelivery(trx, { region_id: regionId, case_id: event.caseId, case_version: event.version, channel: 'email', target: recipient, payload, now })) report.deliveriesQueued += 1;
    }
  }
  for (const webhook of webhooks) {
    if (webhook.events.length > 0 && !webhook.events.includes(event.event)) continue;
    // Case number, state, event and department: never who asked or how to reach them.
    const payload = {
      event: event.event,
      caseNumber: facts.number,
      caseVersion: event.version,
      state: event.toState,
      previousState: event.fromState,
      departmentId: facts.departmentId,
      department: facts.departmentName,
      at: event.at.toISOString(),
    };
    if (await repository.insertDelivery(trx, { region_id: regionId, case_id: event.caseId, case_version: event.version, channel: 'webhook', target: `webhook:${webhook.id}`, payload, now })) report.deliveriesQueued += 1;
  }
}

/** A failure worth recording: the reason, never an address. */
class DeliveryError extends Error {
  readonly permanent: boolean;
  constructor(message: string, permanent: boolean) {
    super(message);
    this.permanent = permanent;
  }
}

async function sendDueDeliveries(deps: PlatformDeps, now: Date, report: DispatchReport): Promise<void> {
  for (;;) {
    const claimed = await repository.claimDueDeliveries(deps.db, now, new Date(now.getTime() + LEASE_MS), 20);
    if (claimed.length === 0) return;
    await Promise.all(
      claimed.map(async (delivery) => {
        try {
          await deliver(deps, delivery, now);
          await repository.finishDelivery(deps.db, delivery, { status: 'sent', nextAttemptAt: now, lastError: null, sentAt: now });
          report.sent += 1;
        } catch (error) {
          const permanent = error instanceof DeliveryError || error instanceof SmtpError ? error.permanent : false;
          const message = (error instanceof DeliveryError || error instanceof SmtpError ? error.message : 'Unexpected error').slice(0, 500);
          const failed = permanent || delivery.attempts >= MAX_ATTEMPTS;
          await repository.finishDelivery(deps.db, delivery, {
            status: failed ? 'failed' : 'pending',
            nextAttemptAt: failed ? now : new Date(now.getTime() + backoffMs(delivery.attempts)),
            lastError: message,
            sentAt: null,
          });
          if (failed) report.failed += 1;
          else report.retrying += 1;
          deps.logger.warn({ deliveryId: String(delivery.id), channel: delivery.channel, attempts: delivery.attempts, failed, reason: message }, 'notification delivery failed');
          if (!(error instanceof DeliveryError || error instanceof SmtpError)) deps.logger.error({ err: error, deliveryId: String(delivery.id) }, 'notification delivery crashed');
        }
      }),
    );
  }
}

async function deliver(deps: PlatformDeps, delivery: repository.DeliveryRow, now: Date): Promise<void> {
  const regionId = Number(delivery.region_id);
  if (delivery.channel === 'email') {
    const smtp = deps.config.smtp;
    if (!smtp) throw new DeliveryError('SMTP is not configured', true);
    const to = await repository.findEmailOf(deps.db, regionId, delivery.target);
    if (!to) throw new DeliveryError('The recipient has no e-mail address any more', true);
    const payload = delivery.payload as { subject: string; text: string };
    await sendMail(smtp, { from: deps.config.mailFrom, to, subject: payload.subject, text: payload.text }, now);
    return;
  }
  const webhook = await repository.findWebhook(deps.db, regionId, Number(delivery.target.replace(/^webhook:/, '')));
  if (!webhook?.active) throw new DeliveryError('The webhook was removed', true);
  await postWebhook(webhook, { id: `${regionId}-${delivery.id}`, ...delivery.payload });
}

// --- webhooks ----------------------------------------------------------------------------

/** Addresses a webhook may never reach: link-local (cloud metadata lives there), unspecified, multicast, known metadata hosts. */
export function isForbiddenAddress(address: string): boolean {
  const v4 = net.isIPv4(address) ? address : /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (v4) {
    const [a, b] = v4.split('.').map(Number) as [number, number];
    return a === 0 || (a === 169 && b === 254) || a >= 224 || v4 === '100.100.100.200';
  }
  const lower = address.toLowerCase();
  return lower === '::' || /^fe[89ab]/.test(lower) || lower.startsWith('ff') || lower.startsWith('fd00:ec2:');
}

/** Checks a webhook URL's form: http(s), no credentials, no literal forbidden address. */
export function checkWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('validation_failed', 'The webhook URL is not a URL', { errors: [{ path: 'url', message: 'not a URL' }] });
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const problem =
    url.protocol !== 'http:' && url.protocol !== 'https:'
      ? 'only http and https URLs'
      : url.username || url.password
        ? 'no credentials in the URL (use the secret)'
        : (net.isIP(host) && isForbiddenAddress(host)) || host === 'metadata.google.internal'
          ? 'link-local and metadata addresses are not allowed'
          : undefined;
  if (problem) throw new AppError('validation_failed', `The webhook URL is refused: ${problem}`, { errors: [{ path: 'url', message: problem }] });
  return url;
}

/** HMAC-SHA256 of the exact body with the webhook's secret, hex, as sent in `X-Minxin-Signature: sha256=<hex>`. */
export const signWebhookBody = (secret: string, body: string): string => `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;

async function postWebhook(webhook: repository.WebhookRow, payload: Record<string, unknown>): Promise<void> {
  const url = checkWebhookUrl(webhook.url);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // Resolve once and connect to the checked address (no DNS rebinding between check and use).
  const resolved = net.isIP(host) ? { address: host, family: net.isIPv6(host) ? 6 : 4 } : await dns.lookup(host).catch(() => undefined);
  if (!resolved) throw new DeliveryError('The webhook host does not resolve', false);
  if (isForbiddenAddress(resolved.address)) throw new DeliveryError('The webhook host resolves to a forbidden address', true);
  const body = JSON.stringify(payload);
  const client = url.protocol === 'https:' ? https : http;
  await new Promise<void>((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        timeout: WEBHOOK_TIMEOUT_MS,
        lookup: (_hostname, options, callback) => {
          if ((options as { all?: boolean }).all) (callback as unknown as (error: null, addresses: { address: string; family: number }[]) => void)(null, [resolved]);
          else callback(null, resolved.address, resolved.family);
        },
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Minxin-Webhook/1',
          'x-minxin-event': String(payload.event),
          'x-minxin-signature': signWebhookBody(webhook.secret, body),
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else reject(new DeliveryError(`The webhook answered ${status}`, status >= 400 && status < 500 && status !== 408 && status !== 429));
        });
      },
    );
    request.on('timeout', () => request.destroy(new DeliveryError('The webhook did not answer within 5 s', false)));
    request.on('error', (error) => reject(error instanceof DeliveryError ? error : new DeliveryError(`The webhook could not be reached (${(error as NodeJS.ErrnoException).code ?? 'error'})`, false)));
    request.end(body);
  });
}

export interface WebhookView {
  readonly id: number;
  readonly url: string;
  readonly events: readonly string[];
  readonly active: boolean;
  readonly createdAt: Date;
}

const viewOf = (row: repository.WebhookRow): WebhookView => ({ id: Number(row.id), url: row.url, events: row.events, active: row.active, createdAt: new Date(row.created_at) });

export async function listWebhooks(deps: PlatformDeps, context: RequestContext): Promise<WebhookView[]> {
  assertAllowed(requireActor(context), 'webhook.manage', { kind: 'city' });
  return (await repository.listWebhooks(deps.db, context.regionId)).map(viewOf);
}

/** Adds a webhook; the secret is generated and shown only in this answer. */
export async function createWebhook(deps: PlatformDeps, context: RequestContext, input: { url: string; events?: readonly string[] | undefined }): Promise<WebhookView & { secret: string }> {
  const actor = requireActor(context);
  assertAllowed(actor, 'webhook.manage', { kind: 'city' });
  checkWebhookUrl(input.url);
  const secret = `whsec_${crypto.randomBytes(24).toString('base64url')}`;
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const row = await repository.insertWebhook(trx, { region_id: context.regionId, url: input.url, secret, events: [...new Set(input.events ?? [])], created_at: now, created_by: accountIdOf(actor) });
    await recordAudit(trx, context, { action: 'webhook.create', resourceType: 'webhook', resourceId: Number(row.id), details: { events: row.events } }, now);
    return { ...viewOf(row), secret };
  });
}

export async function deleteWebhook(deps: PlatformDeps, context: RequestContext, id: number): Promise<WebhookView> {
  assertAllowed(requireActor(context), 'webhook.manage', { kind: 'city' });
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const row = await repository.deactivateWebhook(trx, context.regionId, id);
    if (!row) throw new AppError('not_found', `Webhook ${id} does not exist`);
    await recordAudit(trx, context, { action: 'webhook.delete', resourceType: 'webhook', resourceId: id, details: {} }, now);
    return viewOf(row);
  });
}

// --- reading notifications ---------------------------------------------------------------

export type NotificationPage = Awaited<ReturnType<typeof repository.listNotifications>>;

/** The signed-in user's notifications, newest first, with the unread count. */
export function listOwnNotifications(deps: PlatformDeps, context: RequestContext, page: { limit: number; offset: number }): Promise<NotificationPage> {
  const actor = requireActor(context);
  assertAllowed(actor, 'notification.read_own');
  return repository.listNotifications(deps.db, context.regionId, `user:${actor.userId}`, page);
}

export async function markOwnRead(deps: PlatformDeps, context: RequestContext, id: number): Promise<repository.NotificationRow> {
  const actor = requireActor(context);
  assertAllowed(actor, 'notification.read_own');
  const recipient = `user:${actor.userId}`;
  await repository.markRead(deps.db, context.regionId, recipient, deps.clock(), id);
  const row = await repository.findNotification(deps.db, context.regionId, recipient, id);
  if (!row) throw new AppError('not_found', `Notification ${id} does not exist`);
  return row;
}

export async function markAllOwnRead(deps: PlatformDeps, context: RequestContext): Promise<number> {
  const actor = requireActor(context);
  assertAllowed(actor, 'notification.read_own');
  return repository.markRead(deps.db, context.regionId, `user:${actor.userId}`, deps.clock());
}

/** The notifications of a tracking code (the code is the credential; unknown codes are 404). */
export async function listTrackingNotifications(deps: PlatformDeps, context: RequestContext, code: string, page: { limit: number; offset: number }): Promise<NotificationPage> {
  const normalised = normaliseTrackingCode(code);
  if (!normalised || !(await findMessageByTrackingCode(deps.db, context.regionId, normalised))) {
    throw new AppError('not_found', 'No message has this tracking code; check it and try again');
  }
  return repository.listNotifications(deps.db, context.regionId, `code:${normalised}`, page);
}

/** The server's dispatcher loop: one run every `intervalSeconds` (never two at once in this process); `stop` waits for the current run. */
export function startNotificationJob(deps: PlatformDeps, intervalSeconds: number): IntervalJob {
  return startIntervalJob(deps.logger, 'notification dispatch', intervalSeconds, () => dispatchNotifications(deps));
}
