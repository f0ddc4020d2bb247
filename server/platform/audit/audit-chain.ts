import { createHash } from 'node:crypto';

/** The hash that precedes the first entry of every city's chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth, so equal data always hashes equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/** SHA-256 of the canonical JSON: what the log keeps of a record's before/after state. */
export function digestOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** One audit entry as it is chained. */
export interface AuditEntry {
  readonly regionId: number;
  readonly seq: number;
  readonly at: Date;
  readonly actorUserId: number | null;
  readonly actorLabel: string;
  readonly action: string;
  readonly resourceType: string;
  readonly resourceId: string | null;
  readonly ip: string | null;
  readonly requestId: string | null;
  readonly beforeDigest: string | null;
  readonly afterDigest: string | null;
  readonly details: Record<string, unknown>;
  readonly prevHash: string;
}

/** The entry's hash covers every field and the previous hash: change one and the chain breaks. */
export function hashEntry(entry: AuditEntry): string {
  const chained: Record<keyof AuditEntry, unknown> = {
    regionId: entry.regionId,
    seq: entry.seq,
    at: entry.at.toISOString(),
    actorUserId: entry.actorUserId,
    actorLabel: entry.actorLabel,
    action: entry.action,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId,
    ip: entry.ip,
    requestId: entry.requestId,
    beforeDigest: entry.beforeDigest,
    afterDigest: entry.afterDigest,
    details: entry.details,
    prevHash: entry.prevHash,
  };
  return createHash('sha256').update(canonicalJson(chained)).digest('hex');
}

/** Why an entry fails verification. */
export type ChainBreak = 'hash_mismatch' | 'prev_hash_mismatch' | 'seq_gap' | 'head_mismatch';

/**
 * Checks entries of one city in `seq` order, carrying state between calls so
 * a long log can be verified in batches with bounded memory.
 */
export class ChainVerifier {
  #expectedSeq = 1;
  #prevHash = GENESIS_HASH;
  checked = 0;

  /** Returns the first problem in this batch, or undefined. */
  check(entries: readonly (AuditEntry & { hash: string })[]): { seq: number; reason: ChainBreak } | undefined {
    for (const entry of entries) {
      if (entry.seq !== this.#expectedSeq) return { seq: this.#expectedSeq, reason: 'seq_gap' };
      if (entry.prevHash !== this.#prevHash) return { seq: entry.seq, reason: 'prev_hash_mismatch' };
      if (hashEntry(entry) !== entry.hash) return { seq: entry.seq, reason: 'hash_mismatch' };
      this.#prevHash = entry.hash;
      this.#expectedSeq += 1;
      this.checked += 1;
    }
    return undefined;
  }

  /** The chain must end where the head says, else entries were cut off the end. */
  checkHead(head: { seq: number; hash: string } | undefined): { seq: number; reason: ChainBreak } | undefined {
    const lastSeq = this.#expectedSeq - 1;
    if ((head?.seq ?? 0) !== lastSeq || (head?.hash ?? GENESIS_HASH) !== this.#prevHash) {
      return { seq: Math.min(lastSeq + 1, head?.seq ?? lastSeq + 1), reason: 'head_mismatch' };
    }
    return undefined;
  }
}
