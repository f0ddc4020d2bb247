/**
 * Turning scores into probabilities that mean what they say: a softmax with
 * one temperature fitted to held-out (cross-validated) scores by minimising
 * their negative log-likelihood — "temperature scaling" (Guo et al., 2017).
 * It never changes which class wins, only how sure the classifier claims to be.
 */

/** Softmax of `scores / temperature`, into `out`. */
export function softmax(scores: ArrayLike<number>, temperature: number, out: Float64Array = new Float64Array(scores.length)): Float64Array {
  let max = -Infinity;
  for (let k = 0; k < scores.length; k++) if (scores[k]! > max) max = scores[k]!;
  let sum = 0;
  for (let k = 0; k < scores.length; k++) {
    const e = Math.exp((scores[k]! - max) / temperature);
    out[k] = e;
    sum += e;
  }
  for (let k = 0; k < scores.length; k++) out[k]! /= sum;
  return out;
}

function negativeLogLikelihood(scores: readonly ArrayLike<number>[], labels: ArrayLike<number>, temperature: number): number {
  let total = 0;
  const out = new Float64Array(scores[0]?.length ?? 0);
  scores.forEach((row, i) => {
    softmax(row, temperature, out);
    total -= Math.log(Math.max(out[labels[i]!]!, 1e-12));
  });
  return total / Math.max(1, scores.length);
}

/**
 * The temperature in [0.01, 100] that minimises the held-out negative
 * log-likelihood, by golden-section search on its logarithm (the likelihood
 * is unimodal in it). Deterministic. Returns 1 for no data.
 */
export function fitTemperature(scores: readonly ArrayLike<number>[], labels: ArrayLike<number>): number {
  if (scores.length === 0) return 1;
  let low = Math.log(0.01);
  let high = Math.log(100);
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = high - ratio * (high - low);
  let b = low + ratio * (high - low);
  let fa = negativeLogLikelihood(scores, labels, Math.exp(a));
  let fb = negativeLogLikelihood(scores, labels, Math.exp(b));
  for (let step = 0; step < 60; step++) {
    if (fa <= fb) {
      high = b;
      b = a;
      fb = fa;
      a = high - ratio * (high - low);
      fa = negativeLogLikelihood(scores, labels, Math.exp(a));
    } else {
      low = a;
      a = b;
      fa = fb;
      b = low + ratio * (high - low);
      fb = negativeLogLikelihood(scores, labels, Math.exp(b));
    }
  }
  return Math.exp((low + high) / 2);
}

/** One bin of a reliability diagram: predictions whose confidence fell in [from, to). */
export interface ReliabilityBin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
  /** Mean confidence of the predictions in the bin. */
  readonly confidence: number;
  /** Share of them that were right. */
  readonly accuracy: number;
}

/** How well confidence matches accuracy: expected calibration error over equal-width bins, and the bins. */
export interface CalibrationReport {
  readonly ece: number;
  readonly bins: readonly ReliabilityBin[];
}

/**
 * Expected calibration error (ECE): the count-weighted mean gap between
 * confidence and accuracy over `binCount` equal-width confidence bins.
 */
export function calibrationReport(confidences: ArrayLike<number>, correct: ArrayLike<boolean>, binCount = 10): CalibrationReport {
  const count = new Array<number>(binCount).fill(0);
  const confidence = new Array<number>(binCount).fill(0);
  const right = new Array<number>(binCount).fill(0);
  for (let i = 0; i < confidences.length; i++) {
    const bin = Math.min(binCount - 1, Math.floor(confidences[i]! * binCount));
    count[bin]!++;
    confidence[bin]! += confidences[i]!;
    if (correct[i]) right[bin]!++;
  }
  let ece = 0;
  const bins: ReliabilityBin[] = [];
  for (let b = 0; b < binCount; b++) {
    if (count[b] === 0) continue;
    const meanConfidence = confidence[b]! / count[b]!;
    const accuracy = right[b]! / count[b]!;
    ece += (count[b]! / Math.max(1, confidences.length)) * Math.abs(meanConfidence - accuracy);
    bins.push({ from: b / binCount, to: (b + 1) / binCount, count: count[b]!, confidence: meanConfidence, accuracy });
  }
  return { ece, bins };
}
