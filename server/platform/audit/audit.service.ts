import { accountIdOf, assertAllowed } from '../authorization.ts';
import type { Db } from '../database/database.ts';
import type { PlatformDeps, RequestContext, Trx } from '../context.ts';
import { requireActor } from '../identity/identity.service.ts';
import { AUDIT_CHAINS, ChainVerifier, chainOf, digestOf, hashEntry, hashTemplateOf, type AuditEntry, type ChainBreak } from './audit-chain.ts';
import {
  createHeads,
  findHead,
  insertEntries,
  listChainEntries,
  listChainRegions,
  listChains,
  listEntries,
  reserveNext,
  type AuditCursor,
  type PreparedAudit,
  type StoredAuditEntry,
} from './audit.repository.ts';

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
  /**
   * Picks the entry's chain: entries with one key share a chain, in order.
   * Defaults to the resource (`case:42`); without a resource id the entry
   * goes to a chain this transaction already holds, else the next in turn.
   */
  readonly chainKey?: string;
}

/**
 * Appends one entry to one of the city's hash chains inside the caller's
 * transaction, so the audit entry and the change it records commit together.
 * That chain's head stays locked from here until the transaction ends:
 * make it the last write before commit (see `recordAudits`).
 */
export function recordAudit(trx: Trx, context: RequestContext, event: AuditEvent, now: Date): Promise<void> {
  return recordAudits(trx, [{ context, event }], now);
}

/**
 * The highest chain each open transaction holds per city. Heads are locked
 * in ascending chain order within a transaction, so two transactions never
 * wait for each other's heads in a cycle (no deadlock): an entry whose own
 * chain is below one already held goes into the held one instead.
 */
const heldChains = new WeakMap<Trx, Map<number, number>>();
let rotation = 0;

/** The chain an entry's key names (its own, or its resource), or undefined for an entry with neither. */
function keyedChain(event: AuditEvent): number | undefined {
  const key = event.chainKey ?? (event.resourceId === undefined || event.resourceId === null ? undefined : `${event.resourceType}:${event.resourceId}`);
  return key === undefined ? undefined : chainOf(key);
}

/**
 * Appends several entries of one city, in order within each chain, with one
 * head lock per chain touched (ascending) and two round trips per chain
 * (lock the head, then insert the entries and move the head). A write that
 * audits several things calls this once, as its last statement; entries
 * about one resource share a chain, so an intake's two entries cost one lock.
 */
export async function recordAudits(trx: Trx, items: readonly { context: RequestContext; event: AuditEvent }[], now: Date): Promise<void> {
  if (items.length === 0) return;
  const regionId = items[0]!.context.regionId;
  if (items.some((item) => item.context.regionId !== regionId)) throw new Error('recordAudits: entries of one city at a time');
  let held = heldChains.get(trx);
  if (!held) heldChains.set(trx, (held = new Map()));
  const heldBefore = held.get(regionId);
  const keyed = items.map((item) => keyedChain(item.event));
  const named = keyed.filter((chain) => chain !== undefined);
  // Entries without a key join a chain this transaction holds or takes anyway; else the next in turn.
  const keyless = heldBefore ?? (named.length > 0 ? Math.min(...named) : (rotation = (rotation + 1) % AUDIT_CHAINS));
  const byChain = new Map<number, { context: RequestContext; event: AuditEvent }[]>();
  items.forEach((item, index) => {
    const own = keyed[index] ?? keyless;
    const chain = heldBefore !== undefined && own < heldBefore ? heldBefore : own;
    byChain.set(chain, [...(byChain.get(chain) ?? []), item]);
  });
  for (const [chain, group] of [...byChain].sort(([a], [b]) => a - b)) {
    const { seq, prevHash } = await reserveNext(trx, regionId, chain, AUDIT_CHAINS);
    held.set(regionId, Math.max(chain, held.get(regionId) ?? chain));
    let previous = prevHash;
    const entries = group.map(({ context, event }, index) => {
      const entry = { ...unchainedEntryOf(regionId, chain, context, event, now), seq: seq + index, prevHash: previous };
      const stored = { ...entry, hash: hashEntry(entry) };
      previous = stored.hash;
      return stored;
    });
    await insertEntries(trx, entries);
  }
}

/** An entry as the caller's event makes it, before its chain position (seq, previous hash) is known. */
function unchainedEntryOf(regionId: number, chain: number, context: RequestContext, event: AuditEvent, now: Date): Omit<AuditEntry, 'seq' | 'prevHash'> {
  return {
    regionId,
    chain,
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
  };
}

/**
 * Entries about one resource, ready to be appended by a repository inside a
 * larger statement (`appendAuditSql`): the chain is the resource's (as
 * `recordAudits` picks it), and each entry carries its hash template, so the
 * statement locks the head, hashes, inserts and moves the head in one round
 * trip. For writes that are a single statement, such as intake.
 */
export function prepareAudits(items: readonly { context: RequestContext; event: AuditEvent }[], now: Date): PreparedAudit {
  const first = items[0];
  if (!first) throw new Error('prepareAudits: no entries');
  const regionId = first.context.regionId;
  const chain = keyedChain(first.event);
  if (chain === undefined || items.some((item) => item.context.regionId !== regionId || keyedChain(item.event) !== chain)) {
    throw new Error('prepareAudits: entries of one city and one keyed chain at a time');
  }
  const entries = items.map(({ context, event }) => {
    const entry = unchainedEntryOf(regionId, chain, context, event, now);
    return { ...entry, template: hashTemplateOf(entry) };
  });
  return { regionId, chain, entries };
}

/**
 * Makes sure a city's chain heads exist (a city's first append creates them
 * all). Callers that append with `appendAuditSql` call it once per city
 * before, as that statement fails rather than append without a head.
 */
export async function ensureAuditHeads(db: Db, regionId: number): Promise<void> {
  await createHeads(db, regionId, AUDIT_CHAINS);
}

export type { AuditCursor, PreparedAudit };

/** Result of walking the chains. */
export interface AuditVerification {
  readonly ok: boolean;
  readonly checked: number;
  readonly firstBroken?: { readonly regionId: number; readonly chain: number; readonly seq: number; readonly reason: ChainBreak };
}

const BATCH = 5_000;

/**
 * Walks every chain of every city (or of one city) in batches and reports
 * the first broken entry: an edited field, a removed or inserted row, a
 * truncated end, or a chain whose head row is gone. Chains are independent,
 * so a break in one names that chain; the others are still read in order.
 */
export async function verifyAudit(db: Db, regionId?: number): Promise<AuditVerification> {
  const regions = regionId === undefined ? await listChainRegions(db) : [regionId];
  let checked = 0;
  for (const region of regions) {
    const found = await listChains(db, region);
    // A city's first append creates every head, so each of 0..AUDIT_CHAINS-1 must have one.
    const expected = found.hasHeads ? Array.from({ length: AUDIT_CHAINS }, (_, chain) => chain) : [];
    for (const chain of [...new Set([...expected, ...found.chains])].sort((a, b) => a - b)) {
      const verifier = new ChainVerifier();
      let afterSeq = 0;
      for (;;) {
        const batch = await listChainEntries(db, region, chain, { afterSeq, limit: BATCH });
        const broken = verifier.check(batch);
        if (broken) return { ok: false, checked: checked + verifier.checked, firstBroken: { regionId: region, chain, ...broken } };
        if (batch.length < BATCH) break;
        afterSeq = batch[batch.length - 1]!.seq;
      }
      const head = await findHead(db, region, chain);
      const headBroken = found.hasHeads && !head ? { seq: verifier.checked + 1, reason: 'head_missing' as const } : verifier.checkHead(head);
      if (headBroken) return { ok: false, checked: checked + verifier.checked, firstBroken: { regionId: region, chain, ...headBroken } };
      checked += verifier.checked;
    }
  }
  return { ok: true, checked };
}

/** Audit entries of the actor's city across its chains, newest first; auditors and city-wide admins only. */
export async function listAudit(
  deps: PlatformDeps,
  context: RequestContext,
  filter: { before?: AuditCursor | undefined; actorUserId?: number | undefined; resourceType?: string | undefined; action?: string | undefined },
  limit: number,
): Promise<StoredAuditEntry[]> {
  assertAllowed(requireActor(context), 'audit.read', { kind: 'city' });
  const options = Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined));
  return listEntries(deps.db, context.regionId, { ...options, limit });
}

/** Verifies every chain of the actor's city. */
export function verifyAuditForActor(deps: PlatformDeps, context: RequestContext): Promise<AuditVerification> {
  assertAllowed(requireActor(context), 'audit.read', { kind: 'city' });
  return verifyAudit(deps.db, context.regionId);
}
