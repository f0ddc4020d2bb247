/**
 * Training a classifier from labelled messages: segment, count hashed
 * features, weigh them by TF-IDF, fit two linear models (an SVM and an
 * NB-SVM) and average them into one, calibrate its confidence by
 * cross-validation, and write it all into one model file. Deterministic:
 * the same examples, options and seed give byte-identical model files.
 */
import { dict as jiebaDictionary } from '@node-rs/jieba/dict.js';
import { calibrationReport, fitTemperature, softmax, type CalibrationReport } from './calibration.ts';
import { loadClassifier, type Classifier } from './classifier.ts';
import { DEFAULT_FEATURES, Featuriser, IDF_STEP, featureLayout, weighFeatures, type ClassifierInput, type FeatureConfig } from './features.ts';
import { createLexicon, parseDictionary, type LexiconEntry } from '../segmentation/index.ts';
import { seededRandom } from '../seeded-random.ts';
import { naiveBayesRatios, shuffle, trainSvm, type SparseVector } from './linear.ts';
import { evaluate, type Evaluation } from './metrics.ts';
import { encodeModel, quantise } from './model-file.ts';
import { STOP_WORDS } from './stop-words.ts';

/** One labelled message: raw title and body, or tokens, and its level-1 label. */
export interface TrainingExample {
  readonly input: ClassifierInput;
  readonly label: string;
}

export interface TrainingOptions {
  /** Rows [level 1, level 2, level 3]; labels must be level-1 names here. */
  readonly taxonomy: readonly (readonly string[])[];
  /** Seed of every random choice (data order, folds). Default 1. */
  readonly seed?: number;
  /** A jieba-format dictionary; default the one shipped with @node-rs/jieba. */
  readonly dictionary?: Uint8Array;
  readonly features?: FeatureConfig;
  /** Cross-validation folds for calibration and the quality estimate (≥ 2). Default 5. */
  readonly folds?: number;
  /** SVM cost. Default 1. */
  readonly cost?: number;
  /** Features in fewer examples than this are dropped (0 idf). Default 2. */
  readonly minDocumentFrequency?: number;
  /** Progress lines for a person. */
  readonly onProgress?: (line: string) => void;
}

/** What training measured, also stored in the model file's header. */
export interface TrainingReport {
  readonly examples: number;
  readonly rawExamples: number;
  readonly tokenisedExamples: number;
  readonly labels: readonly string[];
  readonly perLabel: Readonly<Record<string, number>>;
  readonly seed: number;
  readonly lexiconWords: number;
  readonly features: number;
  /** Out-of-fold quality on the examples the folds held out (raw messages when there are any). */
  readonly crossValidation: Evaluation & { readonly folds: number; readonly heldOut: 'raw' | 'all' };
  readonly temperature: number;
  readonly calibrationBefore: CalibrationReport;
  readonly calibrationAfter: CalibrationReport;
}

export interface TrainedModel {
  readonly bytes: Uint8Array;
  readonly classifier: Classifier;
  readonly report: TrainingReport;
}

/** A problem with the training data, naming the example (0-based) it is in. */
export class TrainingDataError extends Error {
  readonly index: number | undefined;
  constructor(message: string, index?: number) {
    super(message);
    this.name = 'TrainingDataError';
    this.index = index;
  }
}

const NB_SMOOTHING = 1;
// Ten passes with a loose stopping rule score the same in cross-validation as thirty with a tight one, in a third of the time.
const EPOCHS = 10;
const TOLERANCE = 0.2;

interface Prepared {
  readonly vectors: SparseVector[];
  readonly labels: Int32Array;
  readonly dimension: number;
  /** Compact id → feature index in the model's table. */
  readonly featureOf: Int32Array;
}

/**
 * Trains a model. Throws `TrainingDataError` for a label that is not a
 * level-1 name of the taxonomy, fewer than two labels, or no examples.
 * Time: a few passes over the data per fold, O(folds × examples × features × labels).
 *
 * @example const { bytes } = trainClassifier(examples, { taxonomy, seed: 1 });
 */
export function trainClassifier(examples: readonly TrainingExample[], options: TrainingOptions): TrainedModel {
  const seed = options.seed ?? 1;
  const config = options.features ?? DEFAULT_FEATURES;
  const folds = options.folds ?? 5;
  const cost = options.cost ?? 1;
  const minDocumentFrequency = options.minDocumentFrequency ?? 2;
  const progress = options.onProgress ?? (() => {});
  if (!Number.isInteger(folds) || folds < 2) throw new RangeError(`folds must be a whole number ≥ 2, got ${folds}`);
  const labels = labelSet(examples, options.taxonomy);

  progress(`segmenting and counting features of ${examples.length} examples`);
  const lexicon = createLexicon(parseDictionary(options.dictionary ?? jiebaDictionary), STOP_WORDS);
  const featuriser = new Featuriser(lexicon, config);
  featuriser.usedWords = new Uint8Array(lexicon.words.length);
  const layout = featureLayout(config);
  const counted = examples.map((example) => {
    const size = featuriser.count(example.input);
    return { indices: featuriser.indices.slice(0, size), counts: Float32Array.from(featuriser.counts.subarray(0, size)) };
  });
  const documentFrequency = new Int32Array(layout.dimension);
  for (const { indices } of counted) for (let t = 0; t < indices.length; t++) documentFrequency[indices[t]!]!++;
  const idf = new Uint8Array(layout.dimension);
  for (let f = 0; f < layout.dimension; f++) {
    const df = documentFrequency[f]!;
    if (df >= minDocumentFrequency) idf[f] = Math.min(255, Math.round(IDF_STEP * (Math.log((1 + examples.length) / (1 + df)) + 1)));
  }
  const prepared = prepare(counted, idf, examples, labels, config);

  const rawIndex = examples.flatMap((example, i) => ('tokens' in example.input ? [] : [i]));
  const heldOut = rawIndex.length >= folds * labels.length ? 'raw' : 'all';
  const candidates = heldOut === 'raw' ? rawIndex : examples.map((_, i) => i);
  const foldOf = stratifiedFolds(candidates, prepared.labels, folds, seed);
  const outOfFold: Float64Array[] = [];
  const truth: number[] = [];
  for (let fold = 0; fold < folds; fold++) {
    progress(`cross-validation fold ${fold + 1}/${folds}`);
    const held = candidates.filter((i) => foldOf.get(i) === fold);
    const heldSet = new Set(held);
    const trainOn = examples.map((_, i) => i).filter((i) => !heldSet.has(i));
    const weights = fitEnsemble(prepared, trainOn, labels.length, cost, seed + fold + 1);
    for (const i of held) {
      outOfFold.push(scoreVector(weights, prepared.vectors[i]!, prepared.dimension, labels.length));
      truth.push(prepared.labels[i]!);
    }
  }
  const temperature = fitTemperature(outOfFold, truth);
  const predictedOutOfFold = outOfFold.map(argmax);
  const crossValidation = evaluate(
    truth.map((k) => labels[k]!),
    predictedOutOfFold.map((k) => labels[k]!),
    labels,
  );
  const correct = predictedOutOfFold.map((k, i) => k === truth[i]);
  const confidenceAt = (t: number) => outOfFold.map((scores) => Math.max(...softmax(scores, t)));
  const calibrationBefore = calibrationReport(confidenceAt(1), correct);
  const calibrationAfter = calibrationReport(confidenceAt(temperature), correct);

  progress(`fitting the final model on all ${examples.length} examples`);
  const final = fitEnsemble(prepared, examples.map((_, i) => i), labels.length, cost, seed);
  const K = labels.length;
  const full = new Float64Array(layout.dimension * K);
  for (let c = 0; c < prepared.dimension; c++) {
    const f = prepared.featureOf[c]!;
    for (let k = 0; k < K; k++) full[f * K + k] = final[c * K + k]!;
  }
  const quantised = new Int8Array(layout.dimension * K);
  const weightScale = labels.map((_, k) => quantise(full, K, k, quantised));
  const bias = labels.map((_, k) => final[prepared.dimension * K + k]!);

  const modelLexicon: LexiconEntry[] = [];
  lexicon.words.forEach((word, id) => {
    if (featuriser.usedWords![id] || lexicon.stop[id]) modelLexicon.push({ word, frequency: Math.round(Math.exp(lexicon.logProbability[id]!) * lexicon.total) });
  });
  const perLabel = Object.fromEntries(labels.map((label) => [label, examples.filter((example) => example.label === label).length]));
  const report: TrainingReport = {
    examples: examples.length,
    rawExamples: rawIndex.length,
    tokenisedExamples: examples.length - rawIndex.length,
    labels,
    perLabel,
    seed,
    lexiconWords: modelLexicon.length,
    features: prepared.dimension,
    crossValidation: { ...crossValidation, folds, heldOut },
    temperature,
    calibrationBefore,
    calibrationAfter,
  };
  const header = {
    kind: 'minxin-text-classifier' as const,
    labels,
    features: config,
    lexiconTotal: lexicon.total,
    bias,
    priors: labels.map((label) => perLabel[label]! / examples.length),
    weightScale,
    temperature,
    taxonomy: options.taxonomy.filter((row) => labels.includes(row[0]!)).map((row) => [...row]),
    training: {
      examples: report.examples,
      rawExamples: report.rawExamples,
      tokenisedExamples: report.tokenisedExamples,
      perLabel,
      seed,
      crossValidation: { folds, heldOut, macroF1: round(crossValidation.macroF1), accuracy: round(crossValidation.accuracy), n: crossValidation.n },
      ece: { before: round(calibrationBefore.ece), after: round(calibrationAfter.ece) },
    },
  };
  const bytes = encodeModel({ header, lexicon: modelLexicon, idf, weights: quantised });
  // Read back what was written, so a model that cannot be loaded is never handed out.
  const classifier = loadClassifier(bytes);
  return { bytes, classifier, report };
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}

/** Level-1 labels in taxonomy order, checked against it. */
function labelSet(examples: readonly TrainingExample[], taxonomy: readonly (readonly string[])[]): string[] {
  if (examples.length === 0) throw new TrainingDataError('no training examples');
  const level1 = [...new Set(taxonomy.map((row) => row[0]!))];
  const known = new Set(level1);
  const seen = new Set<string>();
  examples.forEach((example, i) => {
    if (!known.has(example.label)) throw new TrainingDataError(`label "${example.label}" is not a level-1 category of the taxonomy`, i);
    seen.add(example.label);
  });
  const labels = level1.filter((label) => seen.has(label));
  if (labels.length < 2) throw new TrainingDataError(`need at least two labels, got ${labels.length}`);
  return labels;
}

function prepare(
  counted: readonly { indices: Int32Array; counts: Float32Array }[],
  idf: Uint8Array,
  examples: readonly TrainingExample[],
  labels: readonly string[],
  config: FeatureConfig,
): Prepared {
  const layout = featureLayout(config);
  const compactOf = new Int32Array(layout.dimension).fill(-1);
  let dimension = 0;
  for (let f = 0; f < layout.dimension; f++) if (idf[f]! > 0) compactOf[f] = dimension++;
  const featureOf = new Int32Array(dimension);
  for (let f = 0; f < layout.dimension; f++) if (compactOf[f]! >= 0) featureOf[compactOf[f]!] = f;
  const scratch = new Float64Array(1024);
  const vectors = counted.map(({ indices, counts }) => {
    const values = indices.length > scratch.length ? new Float64Array(indices.length) : scratch;
    weighFeatures(indices, counts, Uint8Array.from(indices, (f) => idf[f]!), indices.length, layout, config, values);
    // Only features that survived the document-frequency cut, sorted so the solvers walk the weights in memory order.
    const order = Array.from(indices.keys())
      .filter((t) => compactOf[indices[t]!]! >= 0)
      .sort((a, b) => compactOf[indices[a]!]! - compactOf[indices[b]!]!);
    return {
      indices: Int32Array.from(order, (t) => compactOf[indices[t]!]!),
      values: Float32Array.from(order, (t) => values[t]!),
    };
  });
  const labelIndex = new Map(labels.map((label, k) => [label, k]));
  return { vectors, labels: Int32Array.from(examples, (example) => labelIndex.get(example.label)!), dimension, featureOf };
}

/**
 * The ensemble: a plain SVM and an NB-SVM on the same features, each scaled
 * by the spread of its training scores and averaged. Both are linear, so the
 * average is one linear model — no cost at classification time.
 */
function fitEnsemble(data: Prepared, rows: readonly number[], K: number, cost: number, seed: number): Float64Array {
  const vectors = rows.map((i) => data.vectors[i]!);
  const labels = Int32Array.from(rows, (i) => data.labels[i]!);
  const plain = trainSvm(vectors, labels, K, data.dimension, { cost, seed, epochs: EPOCHS, tolerance: TOLERANCE });
  const ratios = naiveBayesRatios(vectors, labels, K, data.dimension, NB_SMOOTHING);
  const scaled = trainSvm(vectors, labels, K, data.dimension, { cost, seed: seed + 7919, epochs: EPOCHS, tolerance: TOLERANCE, scale: ratios });
  const spreadPlain = scoreSpread(plain.weights, vectors, data.dimension, K);
  const spreadScaled = scoreSpread(scaled.weights, vectors, data.dimension, K);
  const combined = new Float64Array(plain.weights.length);
  for (let j = 0; j < combined.length; j++) combined[j] = (0.5 * plain.weights[j]!) / spreadPlain + (0.5 * scaled.weights[j]!) / spreadScaled;
  return combined;
}

function scoreVector(weights: Float64Array, vector: SparseVector, dimension: number, K: number): Float64Array {
  const out = new Float64Array(K);
  for (let k = 0; k < K; k++) out[k] = weights[dimension * K + k]!;
  for (let t = 0; t < vector.indices.length; t++) {
    const base = vector.indices[t]! * K;
    const v = vector.values[t]!;
    for (let k = 0; k < K; k++) out[k]! += weights[base + k]! * v;
  }
  return out;
}

/** Standard deviation of all training scores: what makes two models' scores comparable. */
function scoreSpread(weights: Float64Array, vectors: readonly SparseVector[], dimension: number, K: number): number {
  let sum = 0;
  let squares = 0;
  for (const vector of vectors) {
    const scores = scoreVector(weights, vector, dimension, K);
    for (let k = 0; k < K; k++) {
      sum += scores[k]!;
      squares += scores[k]! * scores[k]!;
    }
  }
  const n = vectors.length * K;
  const variance = squares / n - (sum / n) ** 2;
  return variance > 0 ? Math.sqrt(variance) : 1;
}

function argmax(scores: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < scores.length; k++) if (scores[k]! > scores[best]!) best = k;
  return best;
}

/** Each candidate's fold, stratified by label, from a seeded shuffle. */
function stratifiedFolds(candidates: readonly number[], labels: Int32Array, folds: number, seed: number): Map<number, number> {
  const random = seededRandom(seed);
  const byLabel = new Map<number, number[]>();
  for (const i of candidates) {
    const list = byLabel.get(labels[i]!) ?? [];
    list.push(i);
    byLabel.set(labels[i]!, list);
  }
  const foldOf = new Map<number, number>();
  let next = 0;
  for (const label of [...byLabel.keys()].sort((a, b) => a - b)) {
    const members = byLabel.get(label)!;
    shuffle(members, random);
    for (const i of members) foldOf.set(i, next++ % folds);
  }
  return foldOf;
}

