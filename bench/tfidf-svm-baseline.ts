/**
 * The yardstick the classifier is measured against in the `classifier`
 * suite: character 1–3-gram TF-IDF and one-vs-rest linear SVMs, the textbook
 * setup (as scikit-learn's TfidfVectorizer(analyzer='char', ngram_range=(1, 3))
 * + LinearSVC would run it: lower-cased raw text, every character including
 * punctuation, raw term counts, smoothed idf, unit length; squared hinge
 * loss, C = 1, bias as a regularised constant feature, solved by dual
 * coordinate descent). Written for the benchmark only; the product does
 * not use it. Tokenised training lines are joined without spaces.
 */

export interface BaselineExample {
  readonly text: string;
  readonly label: string;
}

export interface BaselineModel {
  readonly labels: readonly string[];
  readonly vocabulary: ReadonlyMap<string, number>;
  readonly idf: Float64Array;
  /** Per label, weights then bias. */
  readonly weights: readonly Float64Array[];
}

function ngrams(text: string): Map<string, number> {
  const lower = text.toLowerCase();
  const counts = new Map<string, number>();
  for (let i = 0; i < lower.length; i++) {
    for (let n = 1; n <= 3 && i + n <= lower.length; n++) {
      const gram = lower.slice(i, i + n);
      counts.set(gram, (counts.get(gram) ?? 0) + 1);
    }
  }
  return counts;
}

interface Vector {
  readonly indices: Int32Array;
  readonly values: Float64Array;
}

function vectorise(counts: Map<string, number>, vocabulary: ReadonlyMap<string, number>, idf: Float64Array): Vector {
  const indices: number[] = [];
  const values: number[] = [];
  let norm = 0;
  for (const [gram, count] of counts) {
    const index = vocabulary.get(gram);
    if (index === undefined) continue;
    const value = count * idf[index]!;
    indices.push(index);
    values.push(value);
    norm += value * value;
  }
  norm = Math.sqrt(norm) || 1;
  return { indices: Int32Array.from(indices), values: Float64Array.from(values, (value) => value / norm) };
}

/** Trains the baseline; deterministic (fixed visiting order from `seed`). */
export function trainBaseline(examples: readonly BaselineExample[], seed = 1): BaselineModel {
  const labels = [...new Set(examples.map((example) => example.label))].sort();
  const counted = examples.map((example) => ngrams(example.text));
  const vocabulary = new Map<string, number>();
  const documentFrequency: number[] = [];
  for (const counts of counted) {
    for (const gram of counts.keys()) {
      let index = vocabulary.get(gram);
      if (index === undefined) {
        index = vocabulary.size;
        vocabulary.set(gram, index);
        documentFrequency.push(0);
      }
      documentFrequency[index]!++;
    }
  }
  const n = examples.length;
  const idf = Float64Array.from(documentFrequency, (df) => Math.log((1 + n) / (1 + df)) + 1);
  const vectors = counted.map((counts) => vectorise(counts, vocabulary, idf));
  const dimension = vocabulary.size;
  const weights = labels.map((label, k) => {
    const y = Int8Array.from(examples, (example) => (example.label === label ? 1 : -1));
    return dualCoordinateDescent(vectors, y, dimension, 1, seed + k);
  });
  return { labels, vocabulary, idf, weights };
}

/** L2-regularised squared-hinge SVM (LIBLINEAR's dual solver, without shrinking), bias as feature `dimension`. */
function dualCoordinateDescent(vectors: readonly Vector[], y: Int8Array, dimension: number, cost: number, seed: number): Float64Array {
  const w = new Float64Array(dimension + 1);
  const alpha = new Float64Array(vectors.length);
  const diagonal = 0.5 / cost;
  const qd = vectors.map((vector) => vector.values.reduce((sum, v) => sum + v * v, 1) + diagonal);
  const order = Array.from(vectors.keys());
  let state = seed >>> 0;
  const random = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  for (let epoch = 0; epoch < 50; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let largest = 0;
    for (const i of order) {
      const { indices, values } = vectors[i]!;
      let dot = w[dimension]!;
      for (let t = 0; t < indices.length; t++) dot += w[indices[t]!]! * values[t]!;
      const gradient = y[i]! * dot - 1 + alpha[i]! * diagonal;
      const projected = alpha[i] === 0 ? Math.min(gradient, 0) : gradient;
      largest = Math.max(largest, Math.abs(projected));
      if (projected === 0) continue;
      const previous = alpha[i]!;
      alpha[i] = Math.max(previous - gradient / qd[i]!, 0);
      const delta = (alpha[i]! - previous) * y[i]!;
      for (let t = 0; t < indices.length; t++) w[indices[t]!]! += delta * values[t]!;
      w[dimension]! += delta;
    }
    if (largest < 0.1) break;
  }
  return w;
}

/** The label with the highest SVM score. */
export function predictBaseline(model: BaselineModel, text: string): string {
  const vector = vectorise(ngrams(text), model.vocabulary, model.idf);
  let best = 0;
  let bestScore = -Infinity;
  model.weights.forEach((w, k) => {
    let score = w[w.length - 1]!;
    for (let t = 0; t < vector.indices.length; t++) score += w[vector.indices[t]!]! * vector.values[t]!;
    if (score > bestScore) {
      bestScore = score;
      best = k;
    }
  });
  return model.labels[best]!;
}
