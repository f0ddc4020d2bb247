// `node scripts/train-default-model.ts [--check]`
// Builds the classifier model that ships with Minxin from the shared Teddy
// Cup 2020 data: messages-train.jsonl (raw) + messages-tokenised-extra.jsonl
// (tokenised), seed 1, the shipped taxonomy. The dev split is NOT trained on;
// the script scores the model on it and prints the result. Deterministic:
// re-running writes byte-identical bytes. `--check` writes nothing and exits
// 1 when the committed model differs from what the data would give now.
// Output: server/modules/voices/classification/default-model.mxm
import { readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { classifyMessage, evaluate, trainClassifier, type TrainingExample } from '../server/algorithms/text-classifier/index.ts';
import { TAXONOMY_ROWS } from '../server/modules/voices/classification/classifier.service.ts';
import { DEFAULT_MODEL_FILE } from '../server/modules/voices/classification/default-model.ts';

const DATA = fileURLToPath(new URL('../../shared/data/civic/teddy2020/', import.meta.url));
const SEED = 1;

async function lines(file: string): Promise<Record<string, string>[]> {
  return (await readFile(DATA + file, 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, string>);
}

if (!existsSync(DATA)) {
  console.error(`train-default-model: ${DATA} not found (the shared data sits next to the repository)`);
  process.exit(1);
}
const check = process.argv.includes('--check');
const examples: TrainingExample[] = [
  ...(await lines('messages-train.jsonl')).map((row) => ({ input: { title: row.title!, body: row.body! }, label: row.label! })),
  ...(await lines('messages-tokenised-extra.jsonl')).map((row) => ({ input: { tokens: row.tokens!.split(' ') }, label: row.label! })),
];
const started = performance.now();
const { bytes, classifier, report } = trainClassifier(examples, { taxonomy: TAXONOMY_ROWS, seed: SEED, onProgress: (line) => console.error(line) });
const seconds = (performance.now() - started) / 1000;
const dev = await lines('messages-dev.jsonl');
const results = dev.map((row) => classifyMessage(classifier, { title: row.title!, body: row.body! }));
const scores = evaluate(
  dev.map((row) => row.label!),
  results.map((result) => result.label),
  classifier.labels,
);
const cv = report.crossValidation;
console.log(`trained in ${seconds.toFixed(1)} s on ${report.examples} examples (${report.rawExamples} raw + ${report.tokenisedExamples} tokenised), seed ${SEED}`);
console.log(`cross-validation (${cv.folds} folds, raw messages held out): macroF1=${cv.macroF1.toFixed(4)} accuracy=${cv.accuracy.toFixed(4)} n=${cv.n}`);
console.log(`calibration: temperature ${report.temperature.toFixed(3)}, ECE ${report.calibrationBefore.ece.toFixed(4)} → ${report.calibrationAfter.ece.toFixed(4)}`);
console.log(`dev (not trained on): macroF1=${scores.macroF1.toFixed(4)} accuracy=${scores.accuracy.toFixed(4)} n=${scores.n}; deeper path on ${results.filter((r) => r.path).length}`);
console.log(`model: ${bytes.length} bytes, sha256 ${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}`);
if (check) {
  const committed = existsSync(DEFAULT_MODEL_FILE) ? await readFile(DEFAULT_MODEL_FILE) : Buffer.alloc(0);
  if (!committed.equals(bytes)) {
    console.error(`${DEFAULT_MODEL_FILE} differs from the model the data gives now; run node scripts/train-default-model.ts`);
    process.exit(1);
  }
  console.log(`${DEFAULT_MODEL_FILE} is up to date`);
} else {
  await writeFile(DEFAULT_MODEL_FILE, bytes);
  console.log(`wrote ${DEFAULT_MODEL_FILE}`);
}
