import { sql, type RawBuilder, type Selectable, type Transaction } from 'kysely';
import type { Db } from '../database/database.ts';
import type { Database } from '../database/schema.ts';
import { GENESIS_HASH, type AuditEntry, type HashTemplate } from './audit-chain.ts';
import type { AuditLogTable } from './audit.table.ts';

type Executor = Db | Transaction<Database>;

/** Stored entry: the chained fields plus the hash. */
export type StoredAuditEntry = AuditEntry & { hash: string };

/**
 * Reserves the next sequence number of one chain of a city. The row lock on
 * that chain's head serialises appends to the chain until the surrounding
 * transaction ends, so callers append last, just before commit; other chains
 * of the city stay free. One round trip once the heads exist: a city's very
 * first append creates the heads of all `chains` at once, so a chain whose
 * head later disappears is noticed by verification.
 */
export async function reserveNext(
  trx: Transaction<Database>,
  regionId: number,
  chain: number,
  chains: number,
): Promise<{ seq: number; prevHash: string }> {
  const lockHead = () =>
    trx
      .selectFrom('audit_heads')
      .select(['seq', 'hash'])
      .where('region_id', '=', regionId)
      .where('chain', '=', chain)
      .forUpdate()
      .executeTakeFirst();
  let head = await lockHead();
  if (!head) {
    await createHeads(trx, regionId, Math.max(chains, chain + 1));
    head = await lockHead();
    if (!head) throw new Error(`audit head of region ${regionId} chain ${chain} vanished`);
  }
  return { seq: Number(head.seq) + 1, prevHash: head.hash };
}

/** Creates the heads of chains 0 … chains - 1 of a city that do not exist yet. */
export async function createHeads(db: Executor, regionId: number, chains: number): Promise<void> {
  await sql`insert into audit_heads (region_id, chain, seq, hash)
    select ${regionId}, c, 0, ${GENESIS_HASH} from generate_series(0, ${chains - 1}::int) as c
    on conflict (region_id, chain) do nothing`.execute(db);
}

/** Entries of one city and chain whose seq and previous hash the appending statement fills in. */
export interface PreparedAudit {
  readonly regionId: number;
  readonly chain: number;
  readonly entries: readonly (Omit<AuditEntry, 'seq' | 'prevHash'> & { readonly template: HashTemplate })[];
}

/**
 * The common table expressions that append prepared entries to their chain
 * inside another statement: lock the head (`for update`), hash each entry in
 * SQL from its template, the head's hash and seq (`sha256`, PostgreSQL ≥ 11
 * and PGlite), insert them and move the head, all in that one statement. To
 * be placed in a `with` list; `audit_rows` returns the seqs appended. Without
 * a head the insert fails (seq is null), so nothing is written unaudited.
 */
export function appendAuditSql(prepared: PreparedAudit): RawBuilder<unknown> {
  const { regionId, chain, entries } = prepared;
  if (entries.length === 0) throw new Error('appendAuditSql: no entries');
  const utf8 = (text: string) => Buffer.from(text, 'utf8');
  const steps = entries.map((entry, index) => {
    const name = sql.raw(`audit_e${index}`);
    // The first entry follows the head (a missing head leaves nulls), each next one the entry before.
    const source = index === 0 ? sql`(select 1) as one left join audit_head as prev on true` : sql`${sql.raw(`audit_e${index - 1}`)} as prev`;
    const { beforePrev, beforeSeq, after } = entry.template;
    return sql`${name} as (select prev.seq + 1 as seq, prev.hash as prev_hash,
      encode(sha256(${utf8(beforePrev)}::bytea || convert_to(prev.hash, 'UTF8') || ${utf8(beforeSeq)}::bytea
        || convert_to((prev.seq + 1)::text, 'UTF8') || ${utf8(after)}::bytea), 'hex') as hash
      from ${source})`;
  });
  const rows = entries.map(
    (entry, index) => sql`select ${regionId}::bigint, ${chain}::int, e.seq, ${entry.at}::timestamptz, ${entry.actorUserId}::bigint, ${entry.actorLabel}::text,
      ${entry.action}::text, ${entry.resourceType}::text, ${entry.resourceId}::text, ${entry.ip}::text, ${entry.requestId}::text,
      ${entry.beforeDigest}::text, ${entry.afterDigest}::text, ${JSON.stringify(entry.details)}::jsonb, e.prev_hash, e.hash
      from ${sql.raw(`audit_e${index}`)} as e`,
  );
  const last = sql.raw(`audit_e${entries.length - 1}`);
  return sql`audit_head as (select seq, hash from audit_heads where region_id = ${regionId} and chain = ${chain} for update),
    ${sql.join(steps, sql`, `)},
    audit_rows as (insert into audit_log (region_id, chain, seq, at, actor_user_id, actor_label, action, resource_type, resource_id,
        ip, request_id, before_digest, after_digest, details, prev_hash, hash)
      ${sql.join(rows, sql` union all `)} returning seq),
    audit_moved as (update audit_heads set seq = last.seq, hash = last.hash from ${last} as last
      where audit_heads.region_id = ${regionId} and audit_heads.chain = ${chain})`;
}

/**
 * Stores consecutive entries of one chain (reserved with `reserveNext`) and
 * moves that chain's head to the last of them, in one statement.
 */
export async function insertEntries(trx: Transaction<Database>, entries: readonly StoredAuditEntry[]): Promise<void> {
  const last = entries.at(-1);
  if (!last) return;
  await trx
    .with('appended', (db) =>
      db.insertInto('audit_log').values(
        entries.map((entry) => ({
          region_id: entry.regionId,
          chain: entry.chain,
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
    .where('chain', '=', last.chain)
    .execute();
}

/** One chain's entries with seq > afterSeq, oldest first: what verification walks. */
export async function listChainEntries(
  db: Executor,
  regionId: number,
  chain: number,
  options: { afterSeq: number; limit: number },
): Promise<StoredAuditEntry[]> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('region_id', '=', regionId)
    .where('chain', '=', chain)
    .where('seq', '>', options.afterSeq)
    .orderBy('seq')
    .limit(options.limit)
    .execute();
  return rows.map(toEntry);
}

/** A place in the newest-first listing: entries strictly older than this come next. */
export interface AuditCursor {
  readonly at: Date;
  readonly chain: number;
  readonly seq: number;
}

/**
 * A city's entries across all its chains, newest first: by time, then chain,
 * then seq, a total order, so a page that starts `before` the last entry of
 * the previous one never skips or repeats an entry while the log grows.
 */
export async function listEntries(
  db: Executor,
  regionId: number,
  options: { before?: AuditCursor; limit: number; actorUserId?: number; resourceType?: string; action?: string },
): Promise<StoredAuditEntry[]> {
  let query = db.selectFrom('audit_log').selectAll().where('region_id', '=', regionId);
  const before = options.before;
  if (before) query = query.where(sql<boolean>`(at, chain, seq) < (${before.at}, ${before.chain}, ${before.seq})`);
  if (options.actorUserId !== undefined) query = query.where('actor_user_id', '=', options.actorUserId);
  if (options.resourceType !== undefined) query = query.where('resource_type', '=', options.resourceType);
  if (options.action !== undefined) query = query.where('action', '=', options.action);
  const rows = await query.orderBy('at', 'desc').orderBy('chain', 'desc').orderBy('seq', 'desc').limit(options.limit).execute();
  return rows.map(toEntry);
}

function toEntry(row: Selectable<AuditLogTable>): StoredAuditEntry {
  return {
    regionId: Number(row.region_id),
    chain: Number(row.chain),
    seq: Number(row.seq),
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
  };
}

/** One chain's head, or undefined when it has none. */
export async function findHead(db: Executor, regionId: number, chain: number): Promise<{ seq: number; hash: string } | undefined> {
  const head = await db.selectFrom('audit_heads').select(['seq', 'hash']).where('region_id', '=', regionId).where('chain', '=', chain).executeTakeFirst();
  return head && { seq: Number(head.seq), hash: head.hash };
}

/** The chains a city has, by head or by entries, and whether it has any head at all. */
export async function listChains(db: Executor, regionId: number): Promise<{ chains: number[]; hasHeads: boolean }> {
  const { rows } = await sql<{ chain: number; head: boolean }>`
    select chain, bool_or(head) as head from (
      select chain, true as head from audit_heads where region_id = ${regionId}
      union all
      select distinct chain, false from audit_log where region_id = ${regionId}
    ) as found group by chain order by chain`.execute(db);
  return { chains: rows.map((row) => Number(row.chain)), hasHeads: rows.some((row) => row.head) };
}

/** Every city that has an audit chain (head or entries). */
export async function listChainRegions(db: Executor): Promise<number[]> {
  const rows = await sql<{ region_id: number }>`
    select region_id from audit_heads union select distinct region_id from audit_log order by 1`.execute(db);
  return rows.rows.map((row) => Number(row.region_id));
}
