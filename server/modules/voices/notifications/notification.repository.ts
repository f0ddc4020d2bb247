import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../platform/index.ts';
import type { NotificationDeliveryTable, NotificationTable, VoicesTables, WebhookTable } from '../cases/voices.table.ts';
import type { Selectable } from 'kysely';

type Executor = Kysely<Database>;
const tables = (db: Executor): Kysely<Database & VoicesTables> => db.withTables<VoicesTables>();

export type NotificationRow = Selectable<NotificationTable>;
export type DeliveryRow = Selectable<NotificationDeliveryTable>;
export type WebhookRow = Selectable<WebhookTable>;

// --- the outbox ---------------------------------------------------------------------

/** Every city (regions of level city are their own tenant). */
export async function listCityIds(db: Executor): Promise<number[]> {
  const rows = await db.selectFrom('regions').select('region_id').where('level', '=', 'city').execute();
  return rows.map((row) => Number(row.region_id));
}

/**
 * The highest outbox position of each city below which every event is
 * committed: `lock table … in share mode` waits for the transactions writing
 * events to finish (and holds new ones back for a moment), so no event with a
 * lower position can appear later. Undefined when the lock is not had in 5 s.
 */
export async function highWaterMarks(db: Executor, cityIds: readonly number[]): Promise<Map<number, string> | undefined> {
  try {
    return await db.transaction().execute(async (trx) => {
      await sql`set local lock_timeout = '5s'`.execute(trx);
      await sql`lock table case_events in share mode`.execute(trx);
      const marks = new Map<number, string>();
      for (const regionId of cityIds) {
        const row = await tables(trx).selectFrom('case_events').select((eb) => eb.fn.max('position').as('max')).where('region_id', '=', regionId).executeTakeFirst();
        if (row?.max !== null && row?.max !== undefined) marks.set(regionId, String(row.max));
      }
      return marks;
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === '55P03') return undefined;
    throw error;
  }
}

/** The city's cursor, locked for this transaction (a second dispatcher waits here). */
export async function lockCursor(trx: Executor, regionId: number, now: Date): Promise<string> {
  await tables(trx).insertInto('notification_cursor').values({ region_id: regionId, position: '0', updated_at: now }).onConflict((conflict) => conflict.column('region_id').doNothing()).execute();
  const row = await tables(trx).selectFrom('notification_cursor').select('position').where('region_id', '=', regionId).forUpdate().executeTakeFirstOrThrow();
  return String(row.position);
}

export async function moveCursor(trx: Executor, regionId: number, position: string, now: Date): Promise<void> {
  await tables(trx).updateTable('notification_cursor').set({ position, updated_at: now }).where('region_id', '=', regionId).execute();
}

export interface OutboxEvent {
  readonly position: string;
  readonly caseId: number;
  readonly version: number;
  readonly at: Date;
  readonly event: string;
  readonly fromState: string | null;
  readonly toState: string;
  readonly notifications: readonly Record<string, unknown>[];
}

export async function readOutbox(trx: Executor, regionId: number, after: string, upTo: string, limit: number): Promise<OutboxEvent[]> {
  const rows = await tables(trx)
    .selectFrom('case_events')
    .select(['position', 'case_id', 'version', 'at', 'event', 'from_state', 'to_state', 'details'])
    .where('region_id', '=', regionId)
    .where('position', '>', after)
    .where('position', '<=', upTo)
    .orderBy('position')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    position: String(row.position),
    caseId: Number(row.case_id),
    version: row.version,
    at: new Date(row.at),
    event: row.event,
    fromState: row.from_state,
    toState: row.to_state,
    notifications: Array.isArray(row.details.notifications) ? (row.details.notifications as Record<string, unknown>[]) : [],
  }));
}

// --- who to tell ----------------------------------------------------------------------

export interface CaseFacts {
  readonly number: string;
  readonly departmentId: number | null;
  readonly departmentName: string | null;
  readonly regionPath: string;
}

export async function findCaseFacts(db: Executor, regionId: number, caseId: number): Promise<CaseFacts | undefined> {
  const row = await tables(db)
    .selectFrom('cases')
    .leftJoin('regions as district', (join) => join.onRef('district.region_id', '=', 'cases.region_id').onRef('district.id', '=', 'cases.district_id'))
    .leftJoin('departments', (join) => join.onRef('departments.region_id', '=', 'cases.region_id').onRef('departments.id', '=', 'cases.department_id'))
    .select(['cases.number', 'cases.department_id', 'departments.name as department_name', 'district.path as district_path'])
    .where('cases.region_id', '=', regionId)
    .where('cases.id', '=', caseId)
    .executeTakeFirst();
  return (
    row && {
      number: row.number,
      departmentId: row.department_id === null ? null : Number(row.department_id),
      departmentName: row.department_name,
      regionPath: row.district_path ?? `/${regionId}/`,
    }
  );
}

export interface Requester {
  readonly key: string;
  readonly userId: number | null;
  readonly hasEmail: boolean;
  readonly submittedAt: Date;
}

/** The case's requesters (one per requester key, first message first) and whether an e-mail reaches them. */
export async function listRequesters(db: Executor, regionId: number, caseId: number): Promise<Requester[]> {
  const rows = await tables(db)
    .selectFrom('messages')
    .leftJoin('users', (join) => join.onRef('users.region_id', '=', 'messages.region_id').onRef('users.id', '=', 'messages.requester_user_id'))
    .select(['messages.requester_key', 'messages.requester_user_id', 'messages.submitted_at', 'users.email', sql<string | null>`messages.contact->>'email'`.as('contact_email')])
    .where('messages.region_id', '=', regionId)
    .where('messages.case_id', '=', caseId)
    .orderBy('messages.id')
    .execute();
  const seen = new Map<string, Requester>();
  for (const row of rows) {
    if (seen.has(row.requester_key)) continue;
    const userId = row.requester_user_id === null ? null : Number(row.requester_user_id);
    seen.set(row.requester_key, { key: row.requester_key, userId, hasEmail: Boolean(userId === null ? row.contact_email : row.email), submittedAt: new Date(row.submitted_at) });
  }
  return [...seen.values()];
}

export interface StaffMember {
  readonly userId: number;
  readonly hasEmail: boolean;
}

/** Active handlers of the departments. */
export async function listHandlers(db: Executor, regionId: number, departmentIds: readonly number[]): Promise<StaffMember[]> {
  if (departmentIds.length === 0) return [];
  const rows = await db
    .selectFrom('users')
    .select(['id', 'email'])
    .where('region_id', '=', regionId)
    .where('role', '=', 'handler')
    .where('active', '=', true)
    .where('department_id', 'in', [...departmentIds])
    .execute();
  return rows.map((row) => ({ userId: Number(row.id), hasEmail: row.email !== null }));
}

/** Active coordinators whose scope covers the region path (city-wide ones always). */
export async function listCoordinators(db: Executor, regionId: number, regionPath: string): Promise<StaffMember[]> {
  const rows = await db
    .selectFrom('users')
    .leftJoin('regions', (join) => join.onRef('regions.region_id', '=', 'users.region_id').onRef('regions.id', '=', 'users.scope_region_id'))
    .select(['users.id', 'users.email', 'regions.path'])
    .where('users.region_id', '=', regionId)
    .where('users.role', '=', 'coordinator')
    .where('users.active', '=', true)
    .execute();
  return rows.filter((row) => row.path === null || regionPath.startsWith(row.path)).map((row) => ({ userId: Number(row.id), hasEmail: row.email !== null }));
}

/** Where an e-mail for `user:<id>` or `code:<tracking code>` goes, looked up at sending time; undefined when none. */
export async function findEmailOf(db: Executor, regionId: number, recipient: string): Promise<string | undefined> {
  const [kind, value] = [recipient.slice(0, recipient.indexOf(':')), recipient.slice(recipient.indexOf(':') + 1)];
  if (kind === 'user' && /^\d+$/.test(value)) {
    const row = await db.selectFrom('users').select('email').where('region_id', '=', regionId).where('id', '=', Number(value)).where('active', '=', true).executeTakeFirst();
    return row?.email ?? undefined;
  }
  if (kind === 'code') {
    const row = await tables(db).selectFrom('messages').select(sql<string | null>`contact->>'email'`.as('email')).where('region_id', '=', regionId).where('tracking_code', '=', value).executeTakeFirst();
    return row?.email ?? undefined;
  }
  return undefined;
}

// --- writes -------------------------------------------------------------------------

export type NewNotification = Omit<NotificationTable, 'id' | 'read_at' | 'params' | 'created_at' | 'hot_issue_alert_id' | 'subject'> & { params: Record<string, string>; created_at: Date };

export async function insertNotification(trx: Executor, notification: NewNotification): Promise<boolean> {
  const result = await tables(trx)
    .insertInto('notifications')
    .values({ ...notification, params: JSON.stringify(notification.params) })
    .onConflict((conflict) => conflict.columns(['region_id', 'case_id', 'case_version', 'recipient']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** A notification about a hot-issue alert (no case); at most one per alert and recipient. */
export async function insertAlertNotification(trx: Executor, notification: Omit<NewNotification, 'case_id' | 'case_version'> & { hot_issue_alert_id: number }): Promise<boolean> {
  const result = await tables(trx)
    .insertInto('notifications')
    .values({ ...notification, case_id: null, case_version: 0, params: JSON.stringify(notification.params) })
    .onConflict((conflict) => conflict.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** A notification about a named subject (neither case nor alert); at most one per subject and recipient. */
export async function insertSubjectNotification(trx: Executor, notification: Omit<NewNotification, 'case_id' | 'case_version'> & { subject: string }): Promise<boolean> {
  const result = await tables(trx)
    .insertInto('notifications')
    .values({ ...notification, case_id: null, case_version: 0, params: JSON.stringify(notification.params) })
    .onConflict((conflict) => conflict.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export interface NewDelivery {
  readonly region_id: number;
  readonly case_id: number;
  readonly case_version: number;
  readonly channel: 'email' | 'webhook';
  readonly target: string;
  readonly payload: Record<string, unknown>;
  readonly now: Date;
}

export async function insertDelivery(trx: Executor, delivery: NewDelivery): Promise<boolean> {
  const { now, payload, ...fields } = delivery;
  const result = await tables(trx)
    .insertInto('notification_deliveries')
    .values({ ...fields, payload: JSON.stringify(payload), next_attempt_at: now, created_at: now, last_error: null, sent_at: null })
    .onConflict((conflict) => conflict.columns(['region_id', 'case_id', 'case_version', 'channel', 'target']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** An e-mail about a subject (not a case) to a `user:<id>` target, at most once per subject, channel and target; true when queued. */
export async function insertSubjectDelivery(
  trx: Executor,
  delivery: { region_id: number; subject: string; target: string; payload: Record<string, unknown>; now: Date },
): Promise<boolean> {
  const { now, payload, ...fields } = delivery;
  const result = await tables(trx)
    .insertInto('notification_deliveries')
    .values({ ...fields, case_id: null, case_version: 0, channel: 'email', payload: JSON.stringify(payload), next_attempt_at: now, created_at: now, last_error: null, sent_at: null })
    .onConflict((conflict) => conflict.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * Claims up to `limit` due deliveries for one attempt: counts the attempt and
 * moves `next_attempt_at` past `leaseUntil`, so another dispatcher skips them
 * (rows locked meanwhile are skipped too).
 */
export async function claimDueDeliveries(db: Executor, now: Date, leaseUntil: Date, limit: number): Promise<DeliveryRow[]> {
  return db.transaction().execute(async (trx) => {
    const due = await tables(trx)
      .selectFrom('notification_deliveries')
      .select(['region_id', 'id'])
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    const claimed: DeliveryRow[] = [];
    for (const row of due) {
      claimed.push(
        await tables(trx)
          .updateTable('notification_deliveries')
          .set({ attempts: sql`attempts + 1`, next_attempt_at: leaseUntil })
          .where('region_id', '=', row.region_id)
          .where('id', '=', row.id)
          .returningAll()
          .executeTakeFirstOrThrow(),
      );
    }
    return claimed;
  });
}

export async function finishDelivery(
  db: Executor,
  delivery: DeliveryRow,
  outcome: { status: 'sent' | 'failed' | 'pending'; nextAttemptAt: Date; lastError: string | null; sentAt: Date | null },
): Promise<void> {
  await tables(db)
    .updateTable('notification_deliveries')
    .set({ status: outcome.status, next_attempt_at: outcome.nextAttemptAt, last_error: outcome.lastError, sent_at: outcome.sentAt })
    .where('region_id', '=', delivery.region_id)
    .where('id', '=', delivery.id)
    .execute();
}

// --- reading notifications and webhooks ---------------------------------------------------

export async function listNotifications(db: Executor, regionId: number, recipient: string, page: { limit: number; offset: number }): Promise<{ items: NotificationRow[]; total: number; unread: number }> {
  const base = tables(db).selectFrom('notifications').where('region_id', '=', regionId).where('recipient', '=', recipient);
  const items = await base.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute();
  const counts = await base
    .select((eb) => [eb.fn.countAll<string>().as('total'), eb.fn.count<string>('id').filterWhere('read_at', 'is', null).as('unread')])
    .executeTakeFirstOrThrow();
  return { items, total: Number(counts.total), unread: Number(counts.unread) };
}

/** Marks one notification (or, without `id`, all) of the recipient read; returns how many changed. */
export async function markRead(db: Executor, regionId: number, recipient: string, now: Date, id?: number): Promise<number> {
  let query = tables(db).updateTable('notifications').set({ read_at: now }).where('region_id', '=', regionId).where('recipient', '=', recipient).where('read_at', 'is', null);
  if (id !== undefined) query = query.where('id', '=', id);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function findNotification(db: Executor, regionId: number, recipient: string, id: number): Promise<NotificationRow | undefined> {
  return tables(db).selectFrom('notifications').selectAll().where('region_id', '=', regionId).where('recipient', '=', recipient).where('id', '=', id).executeTakeFirst();
}

export async function listWebhooks(db: Executor, regionId: number, onlyActive = false): Promise<WebhookRow[]> {
  let query = tables(db).selectFrom('webhooks').selectAll().where('region_id', '=', regionId);
  if (onlyActive) query = query.where('active', '=', true);
  return query.orderBy('id').execute();
}

export async function findWebhook(db: Executor, regionId: number, id: number): Promise<WebhookRow | undefined> {
  return tables(db).selectFrom('webhooks').selectAll().where('region_id', '=', regionId).where('id', '=', id).executeTakeFirst();
}

export async function insertWebhook(db: Executor, fields: { region_id: number; url: string; secret: string; events: readonly string[]; created_at: Date; created_by: number | null }): Promise<WebhookRow> {
  return tables(db)
    .insertInto('webhooks')
    .values({ ...fields, events: JSON.stringify(fields.events) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Deactivates a webhook (kept, so its deliveries still name it); pending deliveries to it stop. */
export async function deactivateWebhook(db: Executor, regionId: number, id: number): Promise<WebhookRow | undefined> {
  return tables(db).updateTable('webhooks').set({ active: false }).where('region_id', '=', regionId).where('id', '=', id).returningAll().executeTakeFirst();
}
