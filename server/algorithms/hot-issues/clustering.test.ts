import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClusterer, type Clustering, type HotMessage } from './clustering.ts';

let next = 1;
const day = (n: number): Date => new Date(Date.UTC(2019, 10, n, 2));
const message = (title: string, body: string, user = `u${next}`, time = day(1 + (next % 20))): HotMessage => ({ id: next++, user, title, body, time, likes: 0, dislikes: 0 });

/** Which cluster each message id ended in. */
function clusterOf(result: Clustering): Map<string | number, number> {
  const map = new Map<string | number, number>();
  result.clusters.forEach((cluster, k) => cluster.members.forEach((member) => map.set(result.messages[member]!.id, k)));
  return map;
}

const mixer = [
  message('丽发新城附近建搅拌站噪音扰民', '丽发新城小区旁边新建了一个搅拌站，日夜施工噪音很大，粉尘污染严重。'),
  message('投诉丽发新城搅拌站粉尘噪音', '我是丽发新城的业主，搅拌站的粉尘和噪音让人无法休息。'),
  message('丽发新城小区旁的搅拌站严重扰民', '搅拌站噪音大、灰尘多，请环保部门处理丽发新城旁的搅拌站。'),
];
const sameEstateOtherProblem = message('丽发新城物业强行停水', '丽发新城物业以欠费为由强行给业主家停水，水表被锁。');
const samePlaceOtherEstate = message('翠微花园附近建搅拌站噪音扰民', '翠微花园小区旁边新建了一个搅拌站，日夜施工噪音很大，粉尘污染严重。');

test('messages about one problem at one place cluster; the same estate\'s other problem and the same problem elsewhere do not', () => {
  const clusterer = createClusterer();
  clusterer.addMany([...mixer, sameEstateOtherProblem, samePlaceOtherEstate]);
  const where = clusterOf(clusterer.cluster());
  const group = where.get(mixer[0]!.id);
  for (const member of mixer) assert.equal(where.get(member.id), group, member.title);
  assert.notEqual(where.get(sameEstateOtherProblem.id), group);
  assert.notEqual(where.get(samePlaceOtherEstate.id), group);
});

test('a place learned from one message is found in another that names it without a suffix', () => {
  const clusterer = createClusterer();
  const named = message('绿地海外滩小区距高铁太近', '绿地海外滩小区二期离规划中的高铁线路不到三十米，噪音和振动影响居民。');
  const bare = message('高铁离绿地海外滩二期太近了', '规划中的高铁线路离绿地海外滩二期不到三十米，噪音和振动影响居民。');
  clusterer.addMany([named, bare]);
  const result = clusterer.cluster();
  assert.equal(result.clusters.length, 1);
  assert.equal(result.clusters[0]!.place, '绿地海外滩');
});

test('different district codes never link; one writer repeating a different complaint does not link either', () => {
  const clusterer = createClusterer();
  const east = message('A2区幸福路路灯不亮', '幸福路的路灯坏了一个月，晚上一片漆黑。');
  const west = message('A5区幸福路路灯不亮', '幸福路的路灯坏了一个月，晚上一片漆黑。');
  const same = message('幸福路的树木需要修剪', '幸福路的行道树很久没修剪，枝叶遮挡了路灯。', 'writer');
  const again = message('幸福路的路灯晚上不亮', '幸福路的路灯坏了很久，晚上看不见路。', 'writer');
  clusterer.addMany([east, west, same, again]);
  const where = clusterOf(clusterer.cluster());
  assert.notEqual(where.get(east.id), where.get(west.id));
  assert.notEqual(where.get(same.id), where.get(again.id));
});

test('clusters are reported largest first with a representative, a place and key terms; add and addMany agree', () => {
  const one = createClusterer();
  const many = createClusterer();
  const all = [...mixer, sameEstateOtherProblem, samePlaceOtherEstate];
  for (const item of all) one.add(item);
  many.addMany(all);
  const a = one.cluster();
  const b = many.cluster();
  assert.deepEqual(a.clusters, b.clusters);
  assert.equal(one.size, all.length);
  const top = a.clusters[0]!;
  assert.equal(top.members.length, 3);
  assert.equal(top.place, '丽发新城');
  assert.ok(top.keyTerms.includes('搅拌站'), top.keyTerms.join(','));
  assert.ok(top.members.includes(top.representative));
  assert.ok(a.pairsCompared >= a.pairsLinked);
});

test('nothing in, nothing out; empty texts make singletons', () => {
  assert.deepEqual(createClusterer().cluster().clusters, []);
  const clusterer = createClusterer();
  clusterer.addMany([message('', ''), message('', '')]);
  assert.equal(clusterer.cluster().clusters.length, 2);
});
