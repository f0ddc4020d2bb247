import { accountIdOf, assertAllowed } from '../authorization.ts';
import type { Db } from '../database/database.ts';
import type { PlatformDeps, RequestContext, Trx } from '../context.ts';
import { requireActor } from '../identity/identity.service.ts';
import { ChainVerifier, digestOf, hashEntry, type ChainBreak } from './audit-chain.ts';
import { findHead, insertEntries, listChainRegions, listEntries, reserveNext, type StoredAuditEntry } from './audit.repository.ts';

/** What happened, in the words of the module that did it. */
export interface AuditEvent {
  /** Verb-phrase code such as `department.create` or `user.read_personal`. */
  readonly action: string;
  readonly resourceType: string;
  readonly resourceId?: string | number | null;
  /** The record before and after; only their digests are kept. */
  readonly before?: unknown;
  readonly after?: unknown;
  /** Small non-personal facts (field names changed, counts); never personal data. */
  readonly details?: Record<string, unknown>;
}

/**
 * Appends one entry to the city's hash chain inside the caller's
 * transaction, so the audit entry and the change it records commit together.
 * The city's chain head stays locked from here until the transaction ends:
 * make it the last write before commit (see `recordAudits`).
 */
export function recordAudit(trx: Trx, context: RequestContext, event: AuditEvent, now: Date): Promise<void> {
  return recordAudits(trx, [{ context, event }], now);
}

/**
 * Appends several entries of one city, in order, with one head lock and two
 * round trips (lock the head, then insert the entries and move the head):
 * a write that audits several things calls this once, as its last statement.
 */
export async function recordAudits(trx: Trx, items: readonly { context: RequestContext; event: AuditEvent }[], now: Date): Promise<void> {
  if (items.length === 0) return;
  const regionId = items[0]!.context.regionId;
  if (items.some((item) => item.context.regionId !== regionId)) throw new Error('recordAudits: entries of one city at a time');
  const { seq, prevHash } = await reserveNext(trx, regionId);
  let previous = prevHash;
  const entries = items.map(({ context, event }, index) => {
    const entry = {
      regionId,
      seq: seq + index,
      at: now,
      actorUserId: context.actor ? accountIdOf(context.actor) : null,
      actorLabel: context.actor ? `${context.actor.via === 'cli' ? 'cli' : context.actor.role}:${context.actor.username}` : (context.label ?? 'anonymous'),
      action: event.action,
      resourceType: event.resourceType,
      resourceId: event.resourceId === undefined || event.resourceId === null ? null : String(event.resourceId),
      ip: context.ip,
      requestId: context.requestId,
      beforeDigest: event.before === undefined ? null : digestOf(event.before),
      afterDigest: event.after === undefined ? null : digestOf(event.after),
      details: event.details ?? {},
      prevHash: previous,
    };
    const stored = { ...entry, hash: hashEntry(entry) };
    previous = stored.hash;
    return stored;
  });
  await insertEntries(trx, entries);
}

/** Result of walking the chains. */
export interface AuditVerification {
  readonly ok: boolean;
  readonly checked: number;
  readonly firstBroken?: { readonly regionId: number; readonly seq: number; readonly reason: ChainBreak };
}

const BATCH = 5_000;

/**
 * Walks every city's chain (or one) in batches and reports the first broken
 * entry: an edited field, a removed or inserted row, or a truncated end.
 */
export async function verifyAudit(db: Db, regionId?: number): Promise<AuditVerification> {
  const regions = regionId === undefined ? await listChainRegions(db) : [regionId];
  let checked = 0;
  for (const region of regions) {
    const verifier = new ChainVerifier();
    let afterSeq = 0;
    for (;;) {
      const batch = await listEntries(db, region, { afterSeq, limit: BATCH });
      const broken = verifier.check(batch);
      if (broken) return { ok: false, checked: checked + verifier.checked, firstBroken: { regionId: region, ...broken } };
      if (batch.length < BATCH) break;
      afterSeq = batch[batch.length - 1]!.seq;
    }
    const headBroken = verifier.checkHead(await findHead(db, region));
    if (headBroken) return { ok: false, checked: checked + verifier.checked, firstBroken: { regionId: region, ...headBroken } };
    checked += verifier.checked;
  }
  return { ok: true, checked };
}

/** Audit entries of the actor's city, newest first; auditors and city-wide admins only. */
export async function listAudit(
  deps: PlatformDeps,
  context: RequestContext,
  filter: { beforeSeq?: number | undefined; actorUserId?: number | undefined; resourceType?: string | undefined; action?: string | undefined },
  limit: number,
): Promise<StoredAuditEntry[]> {
  assertAllowed(requireActor(context), 'audit.read', { kind: 'city' });
  const options = Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined));
  return listEntries(deps.db, context.regionId, { ...options, limit, order: 'desc' });
}

/** Verifies the chain of the actor's city. */
export function verifyAuditForActor(deps: PlatformDeps, context: RequestContext): Promise<AuditVerification> {
  assertAllowed(requireActor(context), 'audit.read', { kind: 'city' });
  return verifyAudit(deps.db, context.regionId);
}
