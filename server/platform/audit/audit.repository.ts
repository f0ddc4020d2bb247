import { sql, type Transaction } from 'kysely';
import type { Db } from '../database/database.ts';
import type { Database } from '../database/schema.ts';
import { GENESIS_HASH, type AuditEntry } from './audit-chain.ts';

type Executor = Db | Transaction<Database>;

/** Stored entry: the chained fields plus the hash. */
export type StoredAuditEntry = AuditEntry & { hash: string };

/**
 * Reserves the next sequence number of a city's chain. The row lock on the
 * head serialises appends per city until the surrounding transaction ends,
 * so callers append last, just before commit. One round trip once the head
 * exists (the insert only runs for a city's very first entry).
 */
export async function reserveNext(trx: Transaction<Database>, regionId: number): Promise<{ seq: number; prevHash: string }> {
  const lockHead = () => trx.selectFrom('audit_heads').select(['seq', 'hash']).where('region_id', '=', regionId).forUpdate().executeTakeFirst();
  let head = await lockHead();
  if (!head) {
    await sql`insert into audit_heads (region_id, seq, hash) values (${regionId}, 0, ${GENESIS_HASH}) on conflict (region_id) do nothing`.execute(trx);
    head = await lockHead();
    if (!head) throw new Error(`audit head of region ${regionId} vanished`);
  }
  return { seq: head.seq + 1, prevHash: head.hash };
}

/**
 * Stores consecutive entries of one city's chain (reserved with `reserveNext`)
 * and moves the head to the last of them, in one statement.
 */
export async function insertEntries(trx: Transaction<Database>, entries: readonly StoredAuditEntry[]): Promise<void> {
  const last = entries.at(-1);
  if (!last) return;
  await trx
    .with('appended', (db) =>
      db.insertInto('audit_log').values(
        entries.map((entry) => ({
          region_id: entry.regionId,
          seq: entry.seq,
          at: entry.at,
          actor_user_id: entry.actorUserId,
          actor_label: entry.actorLabel,
          action: entry.action,
          resource_type: entry.resourceType,
          resource_id: entry.resourceId,
          ip: entry.ip,
          request_id: entry.requestId,
          before_digest: entry.beforeDigest,
          after_digest: entry.afterDigest,
          details: JSON.stringify(entry.details),
          prev_hash: entry.prevHash,
          hash: entry.hash,
        })),
      ),
    )
    .updateTable('audit_heads')
    .set({ seq: last.seq, hash: last.hash })
    .where('region_id', '=', last.regionId)
    .execute();
}

/** Entries with seq > afterSeq, oldest first. */
export async function listEntries(
  db: Executor,
  regionId: number,
  options: { afterSeq?: number; beforeSeq?: number; limit: number; order?: 'asc' | 'desc'; actorUserId?: number; resourceType?: string; action?: string },
): Promise<StoredAuditEntry[]> {
  let query = db.selectFrom('audit_log').selectAll().where('region_id', '=', regionId);
  if (options.afterSeq !== undefined) query = query.where('seq', '>', options.afterSeq);
  if (options.beforeSeq !== undefined) query = query.where('seq', '<', options.beforeSeq);
  if (options.actorUserId !== undefined) query = query.where('actor_user_id', '=', options.actorUserId);
  if (options.resourceType !== undefined) query = query.where('resource_type', '=', options.resourceType);
  if (options.action !== undefined) query = query.where('action', '=', options.action);
  const rows = await query.orderBy('seq', options.order ?? 'asc').limit(options.limit).execute();
  return rows.map((row) => ({
    regionId: row.region_id,
    seq: row.seq,
    at: row.at,
    actorUserId: row.actor_user_id,
    actorLabel: row.actor_label,
    action: row.action,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    ip: row.ip,
    requestId: row.request_id,
    beforeDigest: row.before_digest,
    afterDigest: row.after_digest,
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
  }));
}

export async function findHead(db: Executor, regionId: number): Promise<{ seq: number; hash: string } | undefined> {
  return db.selectFrom('audit_heads').select(['seq', 'hash']).where('region_id', '=', regionId).executeTakeFirst();
}

/** Every city that has an audit chain (head or entries). */
export async function listChainRegions(db: Executor): Promise<number[]> {
  const rows = await sql<{ region_id: number }>`
    select region_id from audit_heads union select distinct region_id from audit_log order by 1`.execute(db);
  return rows.rows.map((row) => Number(row.region_id));
}
