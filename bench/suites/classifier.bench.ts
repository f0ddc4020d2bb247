// The message classifier (docs/classifier.md): quality of the shipped model
// on the dev split against a character TF-IDF + linear SVM baseline trained
// on the same data in this run; training time on all the shared labelled
// data; model size; and classification throughput on one thread (messages
// already in memory) against the baseline's. Needs ../shared; skipped
// without it.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { classifyMessage, evaluate, loadClassifier, trainClassifier, type TrainingExample } from '../../server/algorithms/text-classifier/index.ts';
import { TAXONOMY_ROWS } from '../../server/modules/voices/classification/classifier.service.ts';
import { DEFAULT_MODEL_FILE } from '../../server/modules/voices/classification/default-model.ts';
import { predictBaseline, trainBaseline, type BaselineExample } from '../tfidf-svm-baseline.ts';
import { round, runTimedScenarios, type BenchOptions, type BenchSuite, type SuiteResult } from '../suite.ts';

const DATA = path.resolve(import.meta.dirname, '../../../shared/data/civic/teddy2020');
/** Messages per timed operation: throughput in messages per second is operations per second × this. */
const BATCH = 1000;

export const suite: BenchSuite = {
  name: 'classifier',
  description: 'Message classifier: dev macro-F1 of the shipped model vs a char 1–3-gram TF-IDF + linear SVM trained in this run, training time, model size, and messages classified per second on one thread vs the baseline',
  run: runClassifier,
};

function rows(file: string): Record<string, string>[] {
  return readFileSync(path.join(DATA, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, string>);
}

async function runClassifier(options: BenchOptions): Promise<SuiteResult> {
  if (!existsSync(DATA)) {
    options.log(`skipped: ${DATA} is absent`);
    return { setup: { skipped: `${DATA} is absent` }, scenarios: [] };
  }
  const train = rows('messages-train.jsonl');
  const extra = rows('messages-tokenised-extra.jsonl');
  const dev = rows('messages-dev.jsonl');

  options.log('training the classifier as scripts/train-default-model.ts does …');
  const examples: TrainingExample[] = [
    ...train.map((row) => ({ input: { title: row.title!, body: row.body! }, label: row.label! })),
    ...extra.map((row) => ({ input: { tokens: row.tokens!.split(' ') }, label: row.label! })),
  ];
  let started = performance.now();
  const trained = trainClassifier(examples, { taxonomy: TAXONOMY_ROWS, seed: 1 });
  const trainingSeconds = (performance.now() - started) / 1000;
  const shippedBytes = readFileSync(DEFAULT_MODEL_FILE);
  const shipped = loadClassifier(shippedBytes);
  const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

  options.log('training the TF-IDF + linear SVM baseline on the same data …');
  const baselineExamples: BaselineExample[] = [
    ...train.map((row) => ({ text: `${row.title}\n${row.body}`, label: row.label! })),
    ...extra.map((row) => ({ text: row.tokens!.replaceAll(' ', ''), label: row.label! })),
  ];
  started = performance.now();
  const baseline = trainBaseline(baselineExamples);
  const baselineSeconds = (performance.now() - started) / 1000;

  const truth = dev.map((row) => row.label!);
  const ours = evaluate(truth, dev.map((row) => classifyMessage(shipped, { title: row.title!, body: row.body! }).label), shipped.labels);
  const theirs = evaluate(truth, dev.map((row) => predictBaseline(baseline, `${row.title}\n${row.body}`)), shipped.labels);
  const margin = ours.macroF1 - theirs.macroF1;
  options.log(`dev macro-F1: shipped ${ours.macroF1.toFixed(4)}, baseline ${theirs.macroF1.toFixed(4)}, margin ${margin.toFixed(4)}`);

  // Every raw message there is, cycled: the timed operation classifies BATCH of them.
  const messages = [...train, ...dev].map((row) => ({ title: row.title!, body: row.body! }));
  let next = 0;
  const batch = (): { title: string; body: string }[] => {
    const out: { title: string; body: string }[] = [];
    for (let i = 0; i < BATCH; i++) out.push(messages[(next + i) % messages.length]!);
    next = (next + BATCH) % messages.length;
    return out;
  };
  const scenarios = await runTimedScenarios(
    [
      {
        name: 'baseline-classify',
        description: 'The TF-IDF + linear SVM baseline: char 1–3-grams of title and body in a Map vocabulary, 7 dot products',
        operation: `classify ${BATCH} messages`,
        role: 'baseline',
        run: async () => {
          for (const message of batch()) predictBaseline(baseline, `${message.title}\n${message.body}`);
        },
      },
      {
        name: 'classify',
        description: 'classifyMessage with the shipped model: checks, segmentation, hashed features, scores, calibrated confidence, level-2/3 path',
        operation: `classify ${BATCH} messages`,
        role: 'subject',
        baseline: 'baseline-classify',
        run: async () => {
          for (const message of batch()) classifyMessage(shipped, message);
        },
      },
    ],
    options,
  );
  const perSecond = (name: string): number => round((scenarios.find((scenario) => scenario.name === name)?.throughput ?? 0) * BATCH, 0);
  const report = trained.report;
  return {
    setup: {
      data: { train: train.length, tokenisedExtra: extra.length, dev: dev.length },
      training: {
        seconds: round(trainingSeconds, 1),
        target: '≤ 120 s on 2 cores',
        crossValidation: { folds: report.crossValidation.folds, macroF1: round(report.crossValidation.macroF1, 4), accuracy: round(report.crossValidation.accuracy, 4), n: report.crossValidation.n },
        temperature: round(report.temperature, 4),
        ece: { before: round(report.calibrationBefore.ece, 4), after: round(report.calibrationAfter.ece, 4) },
        sameAsShipped: sha(trained.bytes) === sha(shippedBytes),
      },
      model: { file: path.relative(process.cwd(), DEFAULT_MODEL_FILE), bytes: shippedBytes.length, sha256: sha(shippedBytes), target: '≤ 50 MB' },
      quality: {
        split: 'messages-dev.jsonl (not trained on)',
        shipped: { macroF1: round(ours.macroF1, 4), accuracy: round(ours.accuracy, 4), n: ours.n, perClass: ours.classes.map((c) => ({ label: c.label, precision: round(c.precision, 4), recall: round(c.recall, 4), f1: round(c.f1, 4), support: c.support })) },
        baseline: { method: 'char 1–3-gram TF-IDF + one-vs-rest linear SVM (squared hinge, C = 1, dual coordinate descent) on train + tokenised extra', macroF1: round(theirs.macroF1, 4), accuracy: round(theirs.accuracy, 4), trainingSeconds: round(baselineSeconds, 1) },
        margin: round(margin, 4),
        targetsMet: { macroF1AtLeast092: ours.macroF1 >= 0.92, marginAtLeast002: margin >= 0.02 },
      },
      throughput: {
        messagesPerSecond: perSecond('classify'),
        baselineMessagesPerSecond: perSecond('baseline-classify'),
        target: '≥ 10,000 messages/s single-threaded',
        messages: messages.length,
        meanChars: round(messages.reduce((sum, m) => sum + m.title.length + m.body.length, 0) / messages.length, 0),
      },
    },
    scenarios,
  };
}
