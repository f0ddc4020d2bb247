import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClusterer } from './clustering.ts';
import { measureGrowth } from './early-warning.ts';
import { dailyCounts, heatOf, rankHotIssues } from './heat.ts';

const now = new Date('2019-12-31T00:00:00Z');
const at = (daysAgo: number): Date => new Date(now.getTime() - daysAgo * 86_400_000);
const member = (user: string, daysAgo: number, likes = 0, dislikes = 0) => ({ id: `${user}-${daysAgo}`, user, title: 't', time: at(daysAgo), likes, dislikes });
const quiet = { recent: 0, recentPeople: 0, baseline: 0, expected: 1, ratio: 0, probability: 1, alert: false };

test('heat: people count once, repeats a quarter, support by its square root', () => {
  assert.equal(heatOf([member('a', 0), member('b', 0)], quiet, now), 2);
  assert.equal(heatOf([member('a', 0), member('a', 0)], quiet, now), 1.25);
  assert.equal(heatOf([member('a', 0, 100, 0)], quiet, now), 11);
  assert.equal(heatOf([member('a', 0, 5, 9)], quiet, now), 1, 'more dislikes than likes is no support, not negative');
});

test('heat halves per half-life of age and grows up to twice with the growth ratio', () => {
  assert.equal(heatOf([member('a', 30)], quiet, now), 0.5);
  assert.equal(heatOf([member('a', 10)], quiet, now, 10), 0.5);
  assert.equal(heatOf([member('a', 0)], { ...quiet, ratio: 2 }, now), 1.5);
  assert.equal(heatOf([member('a', 0)], { ...quiet, ratio: 10 }, now), 2);
});

test('rankHotIssues: hottest first, each with its facts and members oldest first', () => {
  const clusterer = createClusterer();
  let id = 0;
  const add = (title: string, body: string, user: string, daysAgo: number, likes = 0) =>
    clusterer.add({ id: ++id, user, title, body, time: at(daysAgo), likes, dislikes: 0 });
  for (let k = 0; k < 6; k++) add('丽发新城附近建搅拌站噪音扰民', '丽发新城小区旁边的搅拌站日夜施工，噪音很大，粉尘污染严重。', `p${k}`, k);
  add('翠微花园电梯经常故障', '翠微花园小区的电梯三天两头坏，老人上下楼困难。', 'q', 40, 30);
  const issues = rankHotIssues(clusterer.cluster(), { now });
  assert.equal(issues.length, 2);
  const [hot, cold] = issues;
  assert.equal(hot!.place, '丽发新城');
  assert.equal(hot!.size, 6);
  assert.equal(hot!.people, 6);
  assert.deepEqual(hot!.members.map((m) => m.id), [6, 5, 4, 3, 2, 1]);
  assert.equal(hot!.firstAt.getTime(), at(5).getTime());
  assert.equal(hot!.lastAt.getTime(), at(0).getTime());
  assert.deepEqual(hot!.growth, measureGrowth(hot!.members, now));
  assert.equal(hot!.growth.alert, true);
  assert.equal(cold!.likes, 30);
  assert.ok(hot!.heat > cold!.heat);
});

test('dailyCounts: one entry per day in UTC+8, both ends included', () => {
  const counts = dailyCounts([{ time: new Date('2019-12-01T15:59:00Z') }, { time: new Date('2019-12-01T16:01:00Z') }, { time: new Date('2019-12-03T00:00:00Z') }], new Date('2019-11-30T16:00:00Z'), new Date('2019-12-03T15:00:00Z'));
  assert.deepEqual(counts, [
    { day: '2019-12-01', count: 1 },
    { day: '2019-12-02', count: 1 },
    { day: '2019-12-03', count: 1 },
  ]);
  assert.deepEqual(dailyCounts([], now, at(1)), []);
});
