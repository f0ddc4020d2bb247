import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../platform/index.ts';
import type { VoicesTables } from '../cases/voices.table.ts';

type Executor = Kysely<Database>;
const tables = (db: Executor): Kysely<Database & VoicesTables> => db.withTables<VoicesTables>();

/** A delivery as the admin page needs it: where it went resolved to an address or URL (masked by the service). */
export interface DeliveryRecord {
  readonly id: number;
  readonly caseId: number;
  readonly caseNumber: string;
  readonly channel: 'email' | 'webhook';
  readonly event: string;
  readonly status: 'pending' | 'sent' | 'failed';
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly nextAttemptAt: Date;
  readonly sentAt: Date | null;
  /** The e-mail address the target stands for today (personal data: mask before showing). */
  readonly email: string | null;
  readonly webhookUrl: string | null;
}

const deliveryQuery = (db: Executor, regionId: number) =>
  tables(db)
    .selectFrom('notification_deliveries as d')
    .innerJoin('cases as c', (join) => join.onRef('c.region_id', '=', 'd.region_id').onRef('c.id', '=', 'd.case_id'))
    .leftJoin('case_events as e', (join) =>
      join
        .onRef('e.region_id', '=', 'd.region_id')
        .onRef('e.case_id', '=', 'd.case_id')
        .onRef('e.version', '=', 'd.case_version'),
    )
    .where('d.region_id', '=', regionId)
    .select([
      'd.id',
      'd.case_id',
      'c.number',
      'd.channel',
      'e.event',
      'd.status',
      'd.attempts',
      'd.last_error',
      'd.created_at',
      'd.next_attempt_at',
      'd.sent_at',
      // The target names a recipient (`user:<id>`, `code:<tracking code>`) or a webhook; resolve it here, mask in the service.
      sql<string | null>`case
        when d.target like 'user:%' then (select u.email from users u where u.region_id = d.region_id and u.id = substring(d.target from 6)::bigint)
        when d.target like 'code:%' then (select m.contact->>'email' from messages m where m.region_id = d.region_id and m.tracking_code = substring(d.target from 6) limit 1)
      end`.as('email'),
      sql<string | null>`case
        when d.target like 'webhook:%' then (select w.url from webhooks w where w.region_id = d.region_id and w.id = substring(d.target from 9)::bigint)
      end`.as('webhook_url'),
    ]);

type DeliveryQueryRow = Awaited<ReturnType<ReturnType<typeof deliveryQuery>['executeTakeFirstOrThrow']>>;

const toRecord = (row: DeliveryQueryRow): DeliveryRecord => ({
  id: Number(row.id),
  caseId: Number(row.case_id),
  caseNumber: row.number,
  channel: row.channel,
  event: row.event ?? '',
  status: row.status,
  attempts: row.attempts,
  lastError: row.last_error,
  createdAt: new Date(row.created_at),
  nextAttemptAt: new Date(row.next_attempt_at),
  sentAt: row.sent_at ? new Date(row.sent_at) : null,
  email: row.email,
  webhookUrl: row.webhook_url,
});

/** A city's deliveries in one status (newest first), read through the partial index on unsent rows. */
export async function listDeliveries(
  db: Executor,
  regionId: number,
  filter: { status: 'pending' | 'failed'; channel?: 'email' | 'webhook' | undefined; limit: number; offset: number },
): Promise<{ items: DeliveryRecord[]; total: number }> {
  let query = deliveryQuery(db, regionId).where('d.status', '=', filter.status);
  let count = tables(db)
    .selectFrom('notification_deliveries')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('region_id', '=', regionId)
    .where('status', '=', filter.status);
  if (filter.channel) {
    query = query.where('d.channel', '=', filter.channel);
    count = count.where('channel', '=', filter.channel);
  }
  const rows = await query.orderBy('d.id', 'desc').limit(filter.limit).offset(filter.offset).execute();
  const total = await count.executeTakeFirstOrThrow();
  return { items: rows.map(toRecord), total: Number(total.n) };
}

export async function findDelivery(db: Executor, regionId: number, id: number): Promise<DeliveryRecord | undefined> {
  const row = await deliveryQuery(db, regionId).where('d.id', '=', id).executeTakeFirst();
  return row && toRecord(row);
}

/**
 * Puts failed deliveries (one, or all of the city's) back in the queue with a
 * fresh set of attempts, due at once; rows not failed are left alone.
 * Returns the ids requeued.
 */
export async function requeueFailed(db: Executor, regionId: number, now: Date, id?: number): Promise<number[]> {
  let query = tables(db)
    .updateTable('notification_deliveries')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now })
    .where('region_id', '=', regionId)
    .where('status', '=', 'failed');
  if (id !== undefined) query = query.where('id', '=', id);
  const rows = await query.returning('id').execute();
  return rows.map((row) => Number(row.id));
}
