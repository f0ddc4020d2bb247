import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChainVerifier, GENESIS_HASH, canonicalJson, digestOf, hashEntry, type AuditEntry } from './audit-chain.ts';

const entry = (seq: number, prevHash: string, overrides: Partial<AuditEntry> = {}): AuditEntry & { hash: string } => {
  const base: AuditEntry = {
    regionId: 7,
    seq,
    at: new Date(Date.UTC(2026, 11, 1, 8, 0, seq)),
    actorUserId: 3,
    actorLabel: 'admin:admin',
    action: 'department.update',
    resourceType: 'department',
    resourceId: '12',
    ip: '127.0.0.1',
    requestId: `r-${seq}`,
    beforeDigest: digestOf({ name: 'a' }),
    afterDigest: digestOf({ name: 'b' }),
    details: { fields: ['name'] },
    prevHash,
    ...overrides,
  };
  return { ...base, hash: hashEntry(base) };
};

const chain = (length: number): (AuditEntry & { hash: string })[] => {
  const entries: (AuditEntry & { hash: string })[] = [];
  for (let seq = 1; seq <= length; seq += 1) entries.push(entry(seq, entries.at(-1)?.hash ?? GENESIS_HASH));
  return entries;
};

test('canonical JSON ignores key order at every depth, as jsonb storage does', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } }), canonicalJson({ a: { c: null, d: [2, { e: 0, f: 1 }] }, b: 1 }));
  assert.notEqual(digestOf({ a: 1 }), digestOf({ a: 2 }));
});

test('changing any chained field changes the hash', () => {
  const original = entry(1, GENESIS_HASH);
  const changes: Partial<AuditEntry>[] = [
    { actorUserId: 4 },
    { actorLabel: 'admin:other' },
    { action: 'department.create' },
    { resourceId: '13' },
    { ip: '10.0.0.1' },
    { at: new Date(original.at.getTime() + 1) },
    { details: { fields: ['code'] } },
    { afterDigest: null },
    { prevHash: 'f'.repeat(64) },
  ];
  for (const change of changes) assert.notEqual(entry(1, GENESIS_HASH, change).hash, original.hash, JSON.stringify(change));
});

test('an intact chain verifies in batches, and its head must match', () => {
  const entries = chain(5);
  const verifier = new ChainVerifier();
  assert.equal(verifier.check(entries.slice(0, 2)), undefined);
  assert.equal(verifier.check(entries.slice(2)), undefined);
  assert.equal(verifier.checked, 5);
  assert.equal(verifier.checkHead({ seq: 5, hash: entries[4]!.hash }), undefined);
});

test('edits, removals and truncation are each found at the first broken entry', () => {
  const entries = chain(5);
  const edited = entries.map((e) => (e.seq === 3 ? { ...e, actorLabel: 'admin:someone-else' } : e));
  assert.deepEqual(new ChainVerifier().check(edited), { seq: 3, reason: 'hash_mismatch' });

  const rehashed = entries.map((e) => (e.seq === 3 ? entry(3, e.prevHash, { action: 'user.read_personal' }) : e));
  assert.deepEqual(new ChainVerifier().check(rehashed), { seq: 4, reason: 'prev_hash_mismatch' });

  const removed = entries.filter((e) => e.seq !== 2);
  assert.deepEqual(new ChainVerifier().check(removed), { seq: 2, reason: 'seq_gap' });

  const truncated = new ChainVerifier();
  assert.equal(truncated.check(entries.slice(0, 4)), undefined);
  assert.deepEqual(truncated.checkHead({ seq: 5, hash: entries[4]!.hash }), { seq: 5, reason: 'head_mismatch' });
});
