import { createHash, randomBytes } from 'node:crypto';

/** The hash that precedes the first entry of every chain. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Independent hash chains per city. Appends to different chains never wait
 * for each other, so a city's writes are no longer serialised on one chain
 * head; an entry's chain is stored with it, so this number may change later
 * for new entries only (verification reads the chains that exist).
 */
export const AUDIT_CHAINS = 16;

/**
 * The chain for a stable key such as `case:42`: every entry with that key
 * lands in the same chain, so a resource's entries stay in one order there.
 * The first four bytes of the key's SHA-256, modulo `chains`.
 *
 * @example
 * chainOf('case:42') === chainOf('case:42'); // always
 */
export function chainOf(key: string, chains = AUDIT_CHAINS): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) % chains;
}

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
  /** Which of the city's chains (0 for every entry written before the chains were split). */
  readonly chain: number;
  /** Position in its chain, from 1. */
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

/**
 * The entry's hash covers every field, its chain and seq, and the previous
 * hash: change one and the chain breaks. Chain 0 is hashed as an absent
 * field, so entries written before the split (all chain 0) keep their hashes
 * and still verify; moving an entry to another chain changes its hash all
 * the same.
 */
export function hashEntry(entry: AuditEntry): string {
  return createHash('sha256').update(canonicalTextOf(entry)).digest('hex');
}

function canonicalTextOf(entry: AuditEntry): string {
  const chained: Record<keyof AuditEntry, unknown> = {
    regionId: entry.regionId,
    chain: entry.chain === 0 ? undefined : entry.chain,
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
  return canonicalJson(chained);
}

/**
 * An entry's hashed text cut around the two fields only the database knows
 * while it appends (the previous hash and the seq, both under the chain head's
 * lock), so the hash can be computed in SQL in the same statement that locks
 * the head: sha256(`beforePrev` + prevHash + `beforeSeq` + seq + `after`),
 * in UTF-8, is exactly `hashEntry` of the completed entry.
 */
export interface HashTemplate {
  readonly beforePrev: string;
  readonly beforeSeq: string;
  readonly after: string;
}

/** Cuts the canonical text of an entry whose prevHash and seq are not known yet (see `HashTemplate`). */
export function hashTemplateOf(entry: Omit<AuditEntry, 'seq' | 'prevHash'>): HashTemplate {
  // Random markers, so no text in the entry can pass for one; each must occur exactly once.
  const marker = randomBytes(16).toString('hex');
  const prevMark = `p${marker}`;
  const seqMark = `"s${marker}"`;
  const text = canonicalTextOf({ ...entry, seq: `s${marker}` as unknown as number, prevHash: prevMark });
  const prevAt = text.indexOf(prevMark);
  const seqAt = text.indexOf(seqMark);
  if (prevAt < 0 || seqAt < prevAt || text.indexOf(prevMark, prevAt + 1) >= 0 || text.indexOf(seqMark, seqAt + 1) >= 0) {
    throw new Error('hashTemplateOf: the chained fields are not in the expected order');
  }
  return { beforePrev: text.slice(0, prevAt), beforeSeq: text.slice(prevAt + prevMark.length, seqAt), after: text.slice(seqAt + seqMark.length) };
}

/** Why an entry fails verification; `head_missing`: a chain of the city lost its head row. */
export type ChainBreak = 'hash_mismatch' | 'prev_hash_mismatch' | 'seq_gap' | 'head_mismatch' | 'head_missing';

/**
 * Checks the entries of one chain of one city in `seq` order, carrying state
 * between calls so a long log can be verified in batches with bounded memory.
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
