/**
 * Linear one-vs-rest trainers over sparse vectors: an L2-regularised
 * squared-hinge SVM solved by dual coordinate descent (the method of
 * LIBLINEAR's default solver), and the same SVM over features scaled by
 * naive-Bayes log-count ratios ("NB-SVM"). All classes are solved in one pass
 * over the data with weights laid out feature-major ([feature × class]), so a
 * document's features are read once per pass for every class. Deterministic
 * for a given seed.
 */

import { seededRandom } from '../seeded-random.ts';

/** A sparse vector: `indices[i]` has value `values[i]`. */
export interface SparseVector {
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/** Weights laid out [feature × class] (`weights[f * classes + k]`), then one bias per class. */
export interface LinearModel {
  readonly classes: number;
  readonly dimension: number;
  readonly weights: Float64Array;
}

/** Shuffles `order` in place (Fisher–Yates). */
export function shuffle(order: Int32Array | number[], random: () => number): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const held = order[i]!;
    order[i] = order[j]!;
    order[j] = held;
  }
}

export interface SvmOptions {
  /** Cost of a margin violation (inverse regularisation). */
  readonly cost: number;
  readonly seed: number;
  /** Most passes over the data. */
  readonly epochs: number;
  /** Stop when the largest projected gradient falls below this. */
  readonly tolerance: number;
  /** Per-(feature, class) scaling (NB-SVM); none: plain SVM. */
  readonly scale?: Float64Array;
}

/**
 * One-vs-rest squared-hinge SVMs for `classes` classes, by dual coordinate
 * descent with shrinking. `labels[i]` is document i's class. Returns weights
 * on the unscaled features (any `scale` is folded in). Time per pass is
 * O(non-zeros × classes).
 *
 * @example trainSvm(vectors, labels, 7, dimension, { cost: 1, seed: 1, epochs: 30, tolerance: 0.05 })
 */
export function trainSvm(
  vectors: readonly SparseVector[],
  labels: Int32Array,
  classes: number,
  dimension: number,
  options: SvmOptions,
): LinearModel {
  const n = vectors.length;
  const K = classes;
  const bias = dimension * K;
  const scale = options.scale;
  const weights = new Float64Array((dimension + 1) * K);
  const alpha = new Float64Array(n * K);
  const diagonal = 0.5 / options.cost;
  const qd = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    const { indices, values } = vectors[i]!;
    for (let k = 0; k < K; k++) {
      let sum = 1;
      for (let t = 0; t < indices.length; t++) {
        const v = scale ? values[t]! * scale[indices[t]! * K + k]! : values[t]!;
        sum += v * v;
      }
      qd[i * K + k] = sum + diagonal;
    }
  }
  const active = new Uint8Array(n * K).fill(1);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const random = seededRandom(options.seed);
  const dots = new Float64Array(K);
  const delta = new Float64Array(K);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, random);
    let largest = 0;
    for (let o = 0; o < n; o++) {
      const i = order[o]!;
      let any = 0;
      for (let k = 0; k < K; k++) any |= active[i * K + k]!;
      if (!any) continue;
      const { indices, values } = vectors[i]!;
      for (let k = 0; k < K; k++) dots[k] = weights[bias + k]!;
      if (scale) {
        for (let t = 0; t < indices.length; t++) {
          const base = indices[t]! * K;
          const v = values[t]!;
          for (let k = 0; k < K; k++) dots[k]! += weights[base + k]! * scale[base + k]! * v;
        }
      } else {
        for (let t = 0; t < indices.length; t++) {
          const base = indices[t]! * K;
          const v = values[t]!;
          for (let k = 0; k < K; k++) dots[k]! += weights[base + k]! * v;
        }
      }
      let changed = false;
      for (let k = 0; k < K; k++) {
        delta[k] = 0;
        const ik = i * K + k;
        if (!active[ik]) continue;
        const y = labels[i] === k ? 1 : -1;
        const a = alpha[ik]!;
        const gradient = y * dots[k]! - 1 + a * diagonal;
        if (a === 0 && gradient > 0) {
          // Comfortably outside the margin: leave it out of later passes until the final check.
          if (epoch > 0) active[ik] = 0;
          continue;
        }
        const projected = a === 0 ? Math.min(gradient, 0) : gradient;
        if (Math.abs(projected) > largest) largest = Math.abs(projected);
        if (projected !== 0) {
          const next = Math.max(a - gradient / qd[ik]!, 0);
          alpha[ik] = next;
          delta[k] = (next - a) * y;
          changed = true;
        }
      }
      if (!changed) continue;
      for (let t = 0; t < indices.length; t++) {
        const base = indices[t]! * K;
        const v = values[t]!;
        if (scale) for (let k = 0; k < K; k++) weights[base + k]! += delta[k]! * scale[base + k]! * v;
        else for (let k = 0; k < K; k++) weights[base + k]! += delta[k]! * v;
      }
      for (let k = 0; k < K; k++) weights[bias + k]! += delta[k]!;
    }
    if (largest < options.tolerance) {
      if (active.every((flag) => flag === 1)) break;
      active.fill(1);
    }
  }
  if (scale) for (let j = 0; j < dimension * K; j++) weights[j]! *= scale[j]!;
  return { classes: K, dimension, weights };
}

/**
 * Naive-Bayes log-count ratios r[f, k] = ln(p_k(f) / p_¬k(f)) from binarised
 * features with add-`smoothing` counts: how much more often a feature
 * occurs in class k than outside it (Wang & Manning's NB-SVM scaling).
 */
export function naiveBayesRatios(
  vectors: readonly SparseVector[],
  labels: Int32Array,
  classes: number,
  dimension: number,
  smoothing: number,
): Float64Array {
  const K = classes;
  const inClass = new Float64Array(dimension * K);
  const everywhere = new Float64Array(dimension);
  const classTotal = new Float64Array(K);
  let total = 0;
  vectors.forEach(({ indices }, i) => {
    const k = labels[i]!;
    for (let t = 0; t < indices.length; t++) {
      inClass[indices[t]! * K + k]! += 1;
      everywhere[indices[t]!]! += 1;
    }
    classTotal[k]! += indices.length;
    total += indices.length;
  });
  const ratios = new Float64Array(dimension * K);
  for (let f = 0; f < dimension; f++) {
    for (let k = 0; k < K; k++) {
      const p = (inClass[f * K + k]! + smoothing) / (classTotal[k]! + smoothing * dimension);
      const q = (everywhere[f]! - inClass[f * K + k]! + smoothing) / (total - classTotal[k]! + smoothing * dimension);
      ratios[f * K + k] = Math.log(p / q);
    }
  }
  return ratios;
}

/** Scores of every class for one vector: weights · x + bias. */
export function linearScores(model: LinearModel, vector: SparseVector, out = new Float64Array(model.classes)): Float64Array {
  const K = model.classes;
  const { weights } = model;
  const bias = model.dimension * K;
  for (let k = 0; k < K; k++) out[k] = weights[bias + k]!;
  for (let t = 0; t < vector.indices.length; t++) {
    const base = vector.indices[t]! * K;
    const v = vector.values[t]!;
    for (let k = 0; k < K; k++) out[k]! += weights[base + k]! * v;
  }
  return out;
}
