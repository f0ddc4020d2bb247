import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { seededRandom } from '../seeded-random.ts';
import { createClusterer, type ClusterOptions, type Clustering, type HotMessage } from './clustering.ts';
import { createReader } from './message-terms.ts';
import { decodeBatch, encodeBatch } from './parallel-reading.ts';

const FILE = path.resolve(import.meta.dirname, '../../../../shared/data/civic/teddy2020/hot-messages.jsonl');

/** Names made of characters jieba does not know as words, so the reader must find them as runs (and both threads meet new ones). */
const NAME_CHARS = '堉鉦篔琨瑶璟滘噐鮫炐蜶珺琰瑸璘嶸崧岍峤';
const PLACE_ENDS = ['新城', '花园', '小区', '路', '村'];
const PROBLEMS = [
  ['旁边新建搅拌站噪音扰民', '附近新建了一个搅拌站，日夜施工噪音很大，粉尘污染严重，请环保部门处理。'],
  ['物业强行停水', '物业以欠费为由强行给业主家停水，水表被锁，老人小孩生活困难。'],
  ['捆绑销售车位', '开发商要求买房必须同时购买车位，否则不给办理交房手续，这是捆绑销售。'],
  ['高压线离居民楼太近', '一条110kV高压线从居民楼旁边经过，居民担心辐射影响健康，希望迁改线路。'],
  ['餐馆油烟扰民', '一楼的餐馆油烟直排，楼上住户家里全是油烟味，窗户都不敢开。'],
] as const;

/** A small synthetic city: places × problems, some writers writing twice, spread over 60 days. */
function syntheticMessages(count: number): HotMessage[] {
  const random = seededRandom(7);
  const places = Array.from({ length: 40 }, (_, k) => {
    const name = Array.from({ length: 2 + (k % 2) }, () => NAME_CHARS[Math.floor(random() * NAME_CHARS.length)]).join('');
    return name + PLACE_ENDS[k % PLACE_ENDS.length];
  });
  return Array.from({ length: count }, (_, id) => {
    const place = places[Math.floor(random() * places.length)]!;
    const [title, body] = PROBLEMS[Math.floor(random() * PROBLEMS.length)]!;
    return {
      id,
      user: `u${Math.floor(random() * count * 0.8)}`,
      title: random() < 0.7 ? `${place}${title}` : title,
      body: `我是A${1 + Math.floor(random() * 3)}区${place}的业主，${body}`,
      time: new Date(Date.UTC(2019, 8, 1) + Math.floor(random() * 60 * 86_400_000)),
      likes: Math.floor(random() * 5),
      dislikes: 0,
    };
  });
}

/** Everything a clustering says, in order: clusters (members, representative, place, key terms) and the work done. */
function summary(clustering: Clustering): unknown {
  return { clusters: clustering.clusters, pairsCompared: clustering.pairsCompared, pairsLinked: clustering.pairsLinked };
}

function clusterAll(messages: readonly HotMessage[], options: ClusterOptions, slice: number): Clustering {
  const clusterer = createClusterer(options);
  for (let k = 0; k < messages.length; k += slice) clusterer.addMany(messages.slice(k, k + slice));
  return clusterer.cluster();
}

const TWO_THREADS: ClusterOptions = { reading: { threads: 2, parallelFrom: 0, batch: 40, awaitWorker: true } };

test('reading on two threads gives the same clusters, in the same order, as one thread', () => {
  const messages = syntheticMessages(1_200);
  const one = clusterAll(messages, { reading: { threads: 1 } }, 100);
  const two = clusterAll(messages, TWO_THREADS, 100);
  assert.equal(one.reading.threads, 1);
  assert.equal(two.reading.threads, 2);
  assert.ok(two.reading.byWorker > 0 && two.reading.byWorker < messages.length, `the worker read ${two.reading.byWorker} of ${messages.length}`);
  assert.ok(one.clusters.some((cluster) => cluster.members.length > 2), 'the sample has clusters to compare');
  assert.deepEqual(summary(two), summary(one));
});

test('the real messages cluster the same on two threads (skipped without the shared data)', { skip: !existsSync(FILE) }, () => {
  const messages: HotMessage[] = readFileSync(FILE, 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const row = JSON.parse(line) as HotMessage & { time: string };
      return { ...row, time: new Date(`${row.time}+08:00`) };
    });
  const one = clusterAll(messages, { reading: { threads: 1 } }, 500);
  const two = clusterAll(messages, { reading: { ...TWO_THREADS.reading, batch: 150 } }, 500);
  assert.ok(two.reading.byWorker > 0);
  assert.deepEqual(summary(two), summary(one));
});

test('a small run reads on one thread: no worker is started below parallelFrom', () => {
  const clustering = clusterAll(syntheticMessages(200), { reading: { threads: 2 } }, 50);
  assert.deepEqual(clustering.reading, { threads: 1, byWorker: 0, waitedSeconds: 0 });
});

test('messages added after cluster() are read and clustered too', () => {
  const messages = syntheticMessages(300);
  const clusterer = createClusterer(TWO_THREADS);
  clusterer.addMany(messages.slice(0, 200));
  assert.equal(clusterer.cluster().clusters.reduce((sum, cluster) => sum + cluster.members.length, 0), 200);
  clusterer.addMany(messages.slice(200));
  const second = clusterer.cluster();
  assert.equal(second.messages.length, 300);
  assert.deepEqual(summary(second), summary(clusterAll(messages, { reading: { threads: 1 } }, 300)));
});

test('a batch read in the worker survives its trip as typed arrays', () => {
  const reader = createReader();
  const reads = syntheticMessages(20).map((message) => reader.read(message.title, message.body));
  const decoded = decodeBatch(structuredClone(encodeBatch(3, reads, reader.words)));
  assert.equal(decoded.length, reads.length);
  decoded.forEach((read, k) => {
    const original = reads[k]!;
    assert.deepEqual([...read.tokens], [...original.tokens]);
    assert.deepEqual([...read.roles], [...original.roles]);
    assert.equal(read.titleTokens, original.titleTokens);
    assert.deepEqual(read.places, original.places);
    assert.deepEqual(read.names, original.names);
    assert.deepEqual(read.areas, original.areas);
  });
});
