/**
 * Classifying with a trained model: load its bytes once (`loadClassifier`),
 * then `classifyMessage` per message — synchronous, no allocation per
 * feature, tens of thousands of messages a second on one core.
 */
import { softmax } from './calibration.ts';
import { Featuriser, HUGE_TEXT_CHARS, type ClassifierInput, type FeatureConfig } from './features.ts';
import { createLexicon } from '../segmentation/index.ts';
import { decodeModel, dequantise, type ModelHeader } from './model-file.ts';
import { STOP_WORDS } from './stop-words.ts';
import { buildTaxonomyCues, compilePathFinder, findPath, type PathFinder } from './taxonomy-path.ts';

/** Why a message could not be read as it stands (the result is still given, see docs/classifier.md). */
export type InputWarning = 'empty' | 'binary' | 'huge' | 'no-chinese';

/** A message's level-1 category, how sure the model is, and a deeper path where the text supports one. */
export interface Classification {
  /** A level-1 name of the taxonomy, one of the model's labels. */
  readonly label: string;
  /** Calibrated probability that `label` is right, 0…1. */
  readonly confidence: number;
  /** [level 1, level 2] or [level 1, level 2, level 3] when cue words support it; absent otherwise. */
  readonly path?: readonly string[];
  /** Set when the text was empty, binary, huge (over 100,000 characters) or had no Chinese. */
  readonly warning?: InputWarning;
}

/** A loaded model, ready to classify. Immutable apart from its private scratch buffers. */
export interface Classifier {
  readonly labels: readonly string[];
  readonly features: FeatureConfig;
  readonly temperature: number;
  /** What the model file says about its training (data sizes, seed, cross-validated quality). */
  readonly training: Readonly<Record<string, unknown>>;
  /** @internal */
  readonly state: ClassifierState;
}

interface ClassifierState {
  readonly featuriser: Featuriser;
  /**
   * Per feature, K + 1 bytes side by side — its idf, then each class's
   * quantised weight + 128 — so scoring a feature touches one cache line.
   */
  readonly packed: Uint8Array;
  /** Per class, the weight each quantised byte (offset by 128) stands for. */
  readonly table: Float64Array;
  readonly bias: Float64Array;
  /** The most common training label and its share: the answer without evidence. */
  readonly prior: { readonly label: string; readonly share: number };
  /** Per label, its level-2/3 cues compiled for scanning. */
  readonly paths: ReadonlyMap<string, PathFinder>;
  readonly scores: Float64Array;
  readonly probabilities: Float64Array;
  /** How many features of the last scored input the model knows. */
  known: number;
}

/**
 * Reads a model file. Throws `ModelFileError` (with a one-line `reason`)
 * when the bytes are not a usable Minxin model — never returns a default.
 *
 * @example const classifier = loadClassifier(await readFile('model.mxm'));
 */
export function loadClassifier(bytes: Uint8Array): Classifier {
  const { header, lexicon, idf, weights } = decodeModel(bytes);
  return fromContents(header, lexicon, idf, weights);
}

/** Builds a classifier from decoded parts (training uses it to score before it writes a file). */
export function fromContents(
  header: Omit<ModelHeader, 'sections'>,
  lexicon: readonly { word: string; frequency: number }[],
  idf: Uint8Array,
  weights: Int8Array,
): Classifier {
  const K = header.labels.length;
  const table = new Float64Array(K * 256);
  for (let k = 0; k < K; k++) for (let q = -128; q < 128; q++) table[k * 256 + q + 128] = dequantise(q, header.weightScale[k]!);
  const featuriser = new Featuriser(createLexicon(lexicon, STOP_WORDS, header.lexiconTotal), header.features);
  const stride = K + 1;
  const packed = new Uint8Array(idf.length * stride);
  for (let f = 0; f < idf.length; f++) {
    packed[f * stride] = idf[f]!;
    for (let k = 0; k < K; k++) packed[f * stride + 1 + k] = weights[f * K + k]! + 128;
  }
  featuriser.idfTable = packed;
  featuriser.idfStride = stride;
  return {
    labels: header.labels,
    features: header.features,
    temperature: header.temperature,
    training: header.training,
    state: {
      featuriser,
      packed,
      table,
      bias: Float64Array.from(header.bias),
      prior: priorOf(header.labels, header.priors),
      paths: pathFinders(header.labels, header.taxonomy),
      scores: new Float64Array(K),
      probabilities: new Float64Array(K),
      known: 0,
    },
  };
}

function pathFinders(labels: readonly string[], taxonomy: readonly (readonly string[])[]): Map<string, PathFinder> {
  const cues = buildTaxonomyCues(taxonomy, labels);
  return new Map(labels.map((label) => [label, compilePathFinder(cues[label])]));
}

function priorOf(labels: readonly string[], priors: readonly number[]): { label: string; share: number } {
  let best = 0;
  for (let k = 1; k < labels.length; k++) if (priors[k]! > priors[best]!) best = k;
  return { label: labels[best]!, share: priors[best]! };
}

/**
 * Raw class scores of an input, into the classifier's scratch buffer (valid
 * until the next call). Used by `classifyMessage` and by training's checks.
 */
export function scoreInput(classifier: Classifier, input: ClassifierInput): Float64Array {
  const { featuriser, packed, table, bias, scores } = classifier.state;
  let known = 0;
  const K = classifier.labels.length;
  const stride = K + 1;
  const size = featuriser.count(input);
  featuriser.weigh();
  for (let k = 0; k < K; k++) scores[k] = 0;
  const { indices, values } = featuriser;
  for (let i = 0; i < size; i++) {
    const value = values[i]!;
    if (value === 0) continue;
    known++;
    const base = indices[i]! * stride + 1;
    for (let k = 0; k < K; k++) scores[k]! += table[k * 256 + packed[base + k]!]! * value;
  }
  for (let k = 0; k < K; k++) scores[k]! += bias[k]!;
  classifier.state.known = known;
  return scores;
}

const BINARY_SHARE = 0.05;
/** Characters looked at to tell binary from text. */
const INSPECTED_CHARS = 20_000;

/**
 * What is wrong with a text as input, if anything: empty (nothing but
 * spaces), binary (at least 5 % control or replacement characters in the
 * first 20,000), huge (over 100,000 characters) or no-chinese (no CJK
 * ideograph at all).
 */
export function inspectText(title: string, body: string): InputWarning | undefined {
  const length = title.length + body.length;
  if (title.trim().length === 0 && body.trim().length === 0) return 'empty';
  let odd = 0;
  let chinese = 0;
  const sample = Math.min(length, INSPECTED_CHARS);
  for (let i = 0; i < sample; i++) {
    const unit = i < title.length ? title.charCodeAt(i) : body.charCodeAt(i - title.length);
    if ((unit < 0x20 && unit !== 0x0a && unit !== 0x0d && unit !== 0x09) || unit === 0xfffd || (unit >= 0x7f && unit < 0xa0)) odd++;
    else if ((unit >= 0x4e00 && unit <= 0x9fff) || (unit >= 0x3400 && unit <= 0x4dbf)) chinese++;
  }
  if (odd > 0 && odd >= BINARY_SHARE * sample) return 'binary';
  if (length > HUGE_TEXT_CHARS) return 'huge';
  if (chinese === 0) return 'no-chinese';
  return undefined;
}

/**
 * Classifies one message. Never throws on odd text: an empty or binary text,
 * or one with no feature the model knows, gets the prior — the most common
 * training label, with its share of the training data as the confidence —
 * and empty or binary text a warning; only the first `maxChars` (2,000)
 * characters of title and body are read, and a text over 100,000 characters
 * is flagged `huge`; text without Chinese is classified on what there is,
 * with a warning. O(min(text length, maxChars)).
 *
 * @example classifyMessage(classifier, { title: '小区噪音扰民', body: '…' }) // { label: '环境保护', confidence: 0.93, path: [...] }
 */
export function classifyMessage(classifier: Classifier, message: { readonly title: string; readonly body: string }): Classification {
  const title = typeof message.title === 'string' ? message.title : '';
  const body = typeof message.body === 'string' ? message.body : '';
  const warning = inspectText(title, body);
  const prior = classifier.state.prior;
  if (warning === 'empty' || warning === 'binary') return { label: prior.label, confidence: prior.share, warning };
  const scores = scoreInput(classifier, { title, body });
  if (classifier.state.known === 0) return { label: prior.label, confidence: prior.share, ...(warning ? { warning } : {}) };
  const probabilities = softmax(scores, classifier.temperature, classifier.state.probabilities);
  let best = 0;
  for (let k = 1; k < probabilities.length; k++) if (probabilities[k]! > probabilities[best]!) best = k;
  const label = classifier.labels[best]!;
  const read = classifier.features.maxChars;
  const deeper = findPath(classifier.state.paths.get(label)!, title.slice(0, read), body.slice(0, Math.max(0, read - title.length)));
  return {
    label,
    confidence: probabilities[best]!,
    ...(deeper ? { path: [label, ...deeper] } : {}),
    ...(warning ? { warning } : {}),
  };
}

/** The most probable label of an input given as title/body or as tokens (evaluation of tokenised files). */
export function predictLabel(classifier: Classifier, input: ClassifierInput): { label: string; confidence: number } {
  const probabilities = softmax(scoreInput(classifier, input), classifier.temperature, classifier.state.probabilities);
  let best = 0;
  for (let k = 1; k < probabilities.length; k++) if (probabilities[k]! > probabilities[best]!) best = k;
  return { label: classifier.labels[best]!, confidence: probabilities[best]! };
}

