// Hot-issue clustering of 100,000 messages (target ≤ 10 s, bounded memory), on
// two reading threads and on one,
// against segmenting the same messages with jieba, measured in the same run.
// The messages are hot-messages.jsonl (../shared) replicated into a bigger
// synthetic city (bench/hot-messages.ts). BENCH_HOT_MESSAGES sets the count
// (default 100,000). See docs/hot-issues.md and docs/benchmarks.md.
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { BODY_PREFIX_CHARS, createClusterer, rankHotIssues, type HotMessage } from '../../server/algorithms/hot-issues/index.ts';
import { synthesiseMessages, type HotMessageRow } from '../hot-messages.ts';
import { round, runTimedScenarios, type BenchOptions, type BenchSuite, type SuiteResult } from '../suite.ts';

const SOURCE = path.resolve(import.meta.dirname, '../../../shared/data/civic/teddy2020/hot-messages.jsonl');
const SEED = 20200417;
/** Messages handed to the clusterer at once, as `minxin hot` and the service do. */
const BATCH = 500;
const MB = 2 ** 20;

export const suite: BenchSuite = {
  name: 'hot-issues',
  description: 'Hot-issue clustering, heat and early warning of 100,000 messages (synthetic city from hot-messages.jsonl) vs jieba segmentation of the same text',
  run: runHotIssues,
};

async function runHotIssues(options: BenchOptions): Promise<SuiteResult> {
  if (!existsSync(SOURCE)) {
    options.log(`skipped: ${SOURCE} is absent`);
    return { setup: { skipped: `${SOURCE} is absent` }, scenarios: [] };
  }
  const count = Number(options.env.BENCH_HOT_MESSAGES || 100_000);
  const source = readFileSync(SOURCE, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as HotMessageRow);
  options.log(`generating ${count.toLocaleString('en')} messages from ${source.length} …`);
  const started = performance.now();
  const messages: HotMessage[] = [];
  for (const row of synthesiseMessages(source, count, SEED)) messages.push({ ...row, time: new Date(`${row.time}+08:00`) });
  options.log(`generated in ${round((performance.now() - started) / 1000, 1)} s`);
  const now = new Date(Math.max(...messages.map((message) => message.time.getTime())));
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  /** The last run of each scenario: phases in wall time and CPU (this thread's, and the process's with the reading worker). */
  const last: Record<string, Record<string, number>> = {};

  const jieba = Jieba.withDict(dict);
  const segmentAll = async (): Promise<number> => {
    let tokens = 0;
    for (let k = 0; k < messages.length; k += BATCH) {
      const text = messages.slice(k, k + BATCH).map((message) => `${message.title}\u0001${message.body.slice(0, BODY_PREFIX_CHARS)}`).join('\u0001');
      tokens += jieba.cut(text.normalize('NFKC').toLowerCase(), false).length;
    }
    return tokens;
  };
  const cpuSeconds = (usage: NodeJS.CpuUsage): number => round((usage.user + usage.system) / 1e6, 2);
  const clusterAll = (threads: number) => async (): Promise<void> => {
    const begun = performance.now();
    const threadCpu = process.threadCpuUsage();
    const processCpu = process.cpuUsage();
    const clusterer = createClusterer({ reading: { threads } });
    for (let k = 0; k < messages.length; k += BATCH) {
      clusterer.addMany(messages.slice(k, k + BATCH));
      if (k % (50 * BATCH) === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    clusterer.finishReading();
    const read = performance.now();
    const readThreadCpu = process.threadCpuUsage(threadCpu);
    const readProcessCpu = process.cpuUsage(processCpu);
    const clustering = clusterer.cluster();
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const issues = rankHotIssues(clustering, { now });
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    last[`${threads} thread${threads > 1 ? 's' : ''}`] = {
      readingThreads: clustering.reading.threads,
      readByWorker: clustering.reading.byWorker,
      readWaitedSeconds: clustering.reading.waitedSeconds,
      readSeconds: round((read - begun) / 1000, 2),
      clusterSeconds: round((performance.now() - read) / 1000, 2),
      readCpuSeconds: cpuSeconds(readThreadCpu),
      readCpuSecondsWithWorker: cpuSeconds(readProcessCpu),
      clusterCpuSeconds: cpuSeconds(process.threadCpuUsage(threadCpu)) - cpuSeconds(readThreadCpu),
      clusters: clustering.clusters.length,
      pairsCompared: clustering.pairsCompared,
      pairsLinked: clustering.pairsLinked,
      largest: clustering.clusters[0]?.members.length ?? 0,
      alerts: issues.filter((issue) => issue.growth.alert).length,
      loadAverage: round(loadavg()[0]!, 2),
    };
  };

  const operation = `${count.toLocaleString('en')} messages`;
  const scenarios = await runTimedScenarios(
    [
      { name: 'segment', description: `jieba (dictionary, no HMM) over each message's title and first ${BODY_PREFIX_CHARS} body characters, ${BATCH} messages per call: the reading every method needs`, operation: `segment ${operation}`, role: 'baseline', run: segmentAll },
      { name: 'cluster', description: 'createClusterer (reading on two threads: a worker reads every other batch), addMany in batches, cluster() and rankHotIssues (heat and early warning): the whole of minxin hot after parsing', operation: `cluster and rank ${operation}`, role: 'subject', baseline: 'segment', run: clusterAll(2), targets: { p99Ms: 10_000 } },
      { name: 'cluster-1-thread', description: 'the same on one thread (reading: { threads: 1 }): what two threads are compared with', operation: `cluster and rank ${operation}, one thread`, role: 'subject', baseline: 'segment', run: clusterAll(1) },
    ],
    options,
  );
  return {
    setup: {
      messages: count,
      sourceMessages: source.length,
      seed: SEED,
      lastRun: last,
      loadAverageAtEnd: round(loadavg()[0]!, 2),
      rssBeforeMb: round(rssBefore / MB, 0),
      peakRssMb: round(peakRss / MB, 0),
      clusteringRssMb: round((peakRss - rssBefore) / MB, 0),
      note: 'rssBeforeMb holds the generated messages themselves; clusteringRssMb is what clustering added at its peak (sampled every 25,000 messages and after each phase, worker included). lastRun: per scenario the last run\'s phases (wall seconds), this thread\'s CPU seconds per phase and the process\'s (worker included) for reading, the seconds this thread waited for the worker (on a quiet machine reading wall ≈ readCpuSeconds + readWaitedSeconds), and the 1-minute load average at its end',
    },
    scenarios,
  };
}
