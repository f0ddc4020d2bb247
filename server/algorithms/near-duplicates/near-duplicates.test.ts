import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DEFAULT_PARAMETERS,
  bandKeys,
  compareMessages,
  createMinHasher,
  createSigner,
  estimateJaccard,
  extractPlaces,
  hashText,
  learnThreshold,
  normaliseText,
  shingleHashes,
  type MessageFacts,
  type TextSignature,
} from './index.ts';

const signer = createSigner();
const facts = (signature: TextSignature, overrides: Partial<MessageFacts> = {}): MessageFacts => ({
  signature,
  communityId: null,
  districtId: null,
  categoryPath: null,
  lat: null,
  lng: null,
  submittedAt: new Date('2026-03-01T08:00:00Z'),
  ...overrides,
});

const OIL_SMOKE = { title: 'A3区润芳园小区临街门面油烟直排扰民', body: '润芳园小区临街的烧烤店、米粉店长期油烟直排，没有烟道，晚上经营到12点，严重影响居民生活，请求处理。' };
const OIL_SMOKE_AGAIN = { title: '润芳园小区门面油烟扰民', body: '我们润芳园小区楼下的烧烤店油烟直排，一天到晚都是烟，没有烟道，投诉多次无果，请政府处理。' };
const STREET_LIGHT = { title: '东二环辅路路灯不亮', body: '东二环辅路从火车站到汽车站一段路灯坏了一个月，晚上一片漆黑，行人很危险，请尽快维修。' };

describe('signatures', () => {
  test('are deterministic: the same text and seed give the same signature, another seed another one', () => {
    assert.equal(hashText('民心'), hashText('民心'));
    assert.equal(hashText('民心'), 221591045, 'the hash function is fixed: stored signatures stay comparable');
    const again = createSigner().sign(OIL_SMOKE);
    const first = signer.sign(OIL_SMOKE);
    assert.deepEqual(again, first);
    const reseeded = createSigner({ ...DEFAULT_PARAMETERS, seed: 1 }).sign(OIL_SMOKE);
    assert.notDeepEqual(reseeded.minhash, first.minhash);
  });

  test('hold one LSH key per band and a key per named site', () => {
    const signature = signer.sign(OIL_SMOKE);
    assert.equal(signature.minhash.length, DEFAULT_PARAMETERS.permutations);
    assert.equal(signature.bandKeys.length, DEFAULT_PARAMETERS.bands);
    assert.equal(signature.siteKeys.length, 1, 'the site 润芳园');
    const keys = [...signature.bandKeys, ...signature.siteKeys];
    assert.ok(keys.every((key) => Number.isInteger(key) && key >= -(2 ** 31) && key < 2 ** 31), 'keys fit PostgreSQL integer');
    assert.ok(signature.places.some((place) => place.term === '润芳园' && place.kind === 'site'));
    assert.ok(signature.terms.some((term) => term.term === '油烟'));
  });

  test('MinHash estimates the Jaccard similarity of shingle sets', () => {
    const minhash = createMinHasher({ permutations: 256, seed: 3 });
    const a = Uint32Array.from({ length: 300 }, (_, i) => hashText(`x${i}`));
    const b = Uint32Array.from({ length: 300 }, (_, i) => hashText(`x${i + 100}`)); // 200 shared of 400: J = 0.5
    assert.ok(Math.abs(estimateJaccard(minhash(a), minhash(b)) - 0.5) < 0.1);
    assert.equal(estimateJaccard(minhash(a), minhash(a)), 1);
    assert.equal(estimateJaccard(minhash(new Uint32Array()), minhash(new Uint32Array())), 0, 'empty texts match nothing');
    assert.deepEqual(bandKeys(minhash(new Uint32Array()), 8, 2), []);
    assert.throws(() => bandKeys(minhash(a), 200, 2), /need 400 components/);
  });

  test('shingles ignore punctuation, spacing, full-width digits and masks', () => {
    const plain = shingleHashes(normaliseText('路灯12号不亮').replace(/[^\p{L}\p{N}]/gu, ''), 3);
    const noisy = shingleHashes(normaliseText('路灯，１２号 不亮！').replace(/[^\p{L}\p{N}]/gu, ''), 3);
    assert.deepEqual(noisy, plain);
    assert.equal(normaliseText('电话*********').trim(), '电话');
  });
});

describe('places', () => {
  test('named sites, areas, roads and districts; generic words are not places', () => {
    const places = extractPlaces(normaliseText('A3区梅溪湖看云路一师润芳园小区临街门面，天顶街道青山新村社区青青家园小区'));
    const byTerm = Object.fromEntries(places.map((place) => [place.term, place.kind]));
    assert.equal(byTerm['a3区'], 'district');
    assert.equal(byTerm['看云路'], 'road');
    assert.equal(byTerm['润芳园'], 'site');
    assert.equal(byTerm['青青家园'], 'site');
    assert.equal(byTerm['青山新村'], 'site');
    assert.equal(byTerm['天顶街道'], 'area');
    assert.equal(byTerm['芳园小区'], undefined, '小区 continues 润芳园, it is not a second place');
    const generic = extractPlaces(normaliseText('文明城市建设影响小区居民，农村县城的安置小区和市政府'));
    assert.deepEqual(generic.filter((place) => place.kind === 'site'), []);
    assert.ok(extractPlaces(normaliseText('中海国际社区三期')).some((place) => place.term === '中海国际社区'), 'a generic name takes four characters');
  });
});

describe('similarity', () => {
  const a = signer.sign(OIL_SMOKE);
  const b = signer.sign(OIL_SMOKE_AGAIN);
  const c = signer.sign(STREET_LIGHT);

  test('the same problem at the same place scores above the threshold, another problem elsewhere far below', () => {
    const same = compareMessages(facts(a), facts(b));
    assert.ok(same.score >= DEFAULT_PARAMETERS.threshold, `score ${same.score}`);
    assert.deepEqual(same.place.shared, ['润芳园']);
    assert.equal(same.place.basis, 'text');
    assert.ok(same.problem.shared.includes('油烟'));
    const other = compareMessages(facts(a), facts(c));
    assert.ok(other.score < 0.3, `score ${other.score}`);
    assert.deepEqual(compareMessages(facts(b), facts(a)), { ...same }, 'symmetric');
  });

  test('what intake knows about the place decides before the text', () => {
    const elsewhere = compareMessages(facts(a, { communityId: 1 }), facts(b, { communityId: 2 }));
    assert.equal(elsewhere.place.basis, 'community');
    assert.equal(elsewhere.place.score, 0);
    assert.ok(elsewhere.score < DEFAULT_PARAMETERS.threshold / 1.5, 'another community halves the score');
    assert.equal(compareMessages(facts(a, { districtId: 1 }), facts(b, { districtId: 2 })).place.basis, 'district');
    const near = compareMessages(facts(a, { lat: 28.2, lng: 112.9 }), facts(c, { lat: 28.2005, lng: 112.9 }));
    assert.equal(near.place.basis, 'pin');
    assert.equal(near.place.score, 1);
    assert.ok(near.place.distanceKm! < 0.1);
    const far = compareMessages(facts(a, { lat: 28.2, lng: 112.9 }), facts(b, { lat: 28.3, lng: 112.9 }));
    assert.equal(far.place.score, 0, 'pins 11 km apart');
    assert.equal(compareMessages(facts(a, { communityId: 5 }), facts(c, { communityId: 5 })).place.score, 1);
  });

  test('the same category counts towards the same problem', () => {
    const withCategory = compareMessages(facts(a, { categoryPath: '环境保护/大气污染' }), facts(c, { categoryPath: '环境保护/大气污染' }));
    const without = compareMessages(facts(a), facts(c));
    assert.equal(withCategory.problem.basis, 'category');
    assert.ok(withCategory.problem.score > without.problem.score);
    const otherCategory = compareMessages(facts(a, { categoryPath: '环境保护/大气污染' }), facts(b, { categoryPath: '交通运输/道路' }));
    assert.ok(otherCategory.problem.score < compareMessages(facts(a), facts(b)).problem.score);
  });

  test('days apart are reported', () => {
    const later = compareMessages(facts(a), facts(b, { submittedAt: new Date('2026-03-11T08:00:00Z') }));
    assert.equal(later.daysApart, 10);
  });
});

describe('threshold learning', () => {
  const decisions = (pairs: [number, boolean][]) => pairs.map(([score, confirmed]) => ({ score, confirmed }));

  test('learns nothing from too few decisions', () => {
    assert.deepEqual(learnThreshold(0.5, decisions([[0.6, true]])), { threshold: 0.5, learned: false, decisions: 1, confirmed: 1, precision: null, recall: null });
  });

  test('rises above scores coordinators keep rejecting', () => {
    const mixed = decisions([
      ...Array.from({ length: 10 }, (_, i): [number, boolean] => [0.5 + i * 0.005, false]),
      ...Array.from({ length: 15 }, (_, i): [number, boolean] => [0.6 + i * 0.02, true]),
    ]);
    const learned = learnThreshold(0.5, mixed);
    assert.equal(learned.learned, true);
    assert.ok(learned.threshold > 0.545 && learned.threshold <= 0.6, `threshold ${learned.threshold}`);
    assert.equal(learned.precision, 1);
    assert.equal(learned.recall, 1);
  });

  test('goes at most one step below the lowest decided score when every proposal was confirmed', () => {
    const allConfirmed = decisions(Array.from({ length: 20 }, (_, i): [number, boolean] => [0.5 + i * 0.01, true]));
    assert.equal(learnThreshold(0.5, allConfirmed).threshold, 0.45);
  });

  test('stays within its bounds and prefers precision when nothing reaches it', () => {
    const allRejected = decisions(Array.from({ length: 20 }, (_, i): [number, boolean] => [0.5 + i * 0.02, false]));
    assert.equal(learnThreshold(0.5, allRejected).threshold, 0.8, 'nothing confirmed: as few proposals as the bounds allow');
    const high = decisions(Array.from({ length: 30 }, (_, i): [number, boolean] => [0.85 + (i % 10) * 0.01, i % 2 === 0]));
    assert.ok(learnThreshold(0.5, high).threshold <= 0.8);
  });
});
