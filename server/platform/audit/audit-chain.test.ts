import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import {
  AUDIT_CHAINS,
  ChainVerifier,
  GENESIS_HASH,
  canonicalJson,
  chainOf,
  digestOf,
  hashEntry,
  hashTemplateOf,
  type AuditEntry,
} from './audit-chain.ts';

const entry = (seq: number, prevHash: string, overrides: Partial<AuditEntry> = {}): AuditEntry & { hash: string } => {
  const base: AuditEntry = {
    regionId: 7,
    chain: 0,
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
    { chain: 1 },
    { seq: 2 },
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

test('an entry of chain 0 hashes as entries did before the chains were split', () => {
  const { chain: _chain, ...fields } = entry(1, GENESIS_HASH);
  const { hash, ...unhashed } = fields;
  // The hash as it was computed before `chain` existed: every other field, same canonical JSON.
  const legacy = createHash('sha256')
    .update(canonicalJson({ ...unhashed, at: unhashed.at.toISOString() }))
    .digest('hex');
  assert.equal(hash, legacy);
  assert.notEqual(entry(1, GENESIS_HASH, { chain: 3 }).hash, legacy, 'another chain, another hash');
});

test('a key always picks the same chain, and keys spread over all of them', () => {
  assert.equal(chainOf('case:42'), chainOf('case:42'));
  const used = new Set(Array.from({ length: 400 }, (_, id) => chainOf(`case:${id}`)));
  assert.equal(used.size, AUDIT_CHAINS);
  for (const chain of used) assert.ok(Number.isInteger(chain) && chain >= 0 && chain < AUDIT_CHAINS);
  assert.equal(chainOf('case:42', 1), 0);
});

test('chains verify independently: a chain of its own starts at seq 1 after the genesis hash', () => {
  const other = (seq: number, prevHash: string) => entry(seq, prevHash, { chain: 5 });
  const first = other(1, GENESIS_HASH);
  const second = other(2, first.hash);
  const verifier = new ChainVerifier();
  assert.equal(verifier.check([first, second]), undefined);
  assert.equal(verifier.checkHead({ seq: 2, hash: second.hash }), undefined);
  const moved = { ...second, chain: 0 };
  assert.deepEqual(new ChainVerifier().check([first, moved]), { seq: 2, reason: 'hash_mismatch' }, 'moved between chains');
});

test('a hash template completed with the previous hash and seq hashes like hashEntry, whatever the details say', () => {
  const tricky = { note: '"prevHash":"x" "seq":1 \u0000 中文 😀', nested: { seq: 7, prevHash: 'y' } };
  for (const chain of [0, 5]) {
    for (const details of [{}, tricky]) {
      const full = entry(12345, 'f'.repeat(64), { chain, details, resourceId: null, actorUserId: null });
      const { seq, prevHash, hash, ...unchained } = full;
      const template = hashTemplateOf(unchained);
      const text = template.beforePrev + prevHash + template.beforeSeq + String(seq) + template.after;
      assert.equal(createHash('sha256').update(text, 'utf8').digest('hex'), hash);
    }
  }
});
