/**
 * Classification quality: per-class precision, recall and F1, their macro
 * average (every class counts the same, however rare), and accuracy.
 */

export interface ClassScores {
  readonly label: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Messages whose true class this is. */
  readonly support: number;
}

export interface Evaluation {
  readonly classes: readonly ClassScores[];
  readonly macroF1: number;
  readonly accuracy: number;
  readonly n: number;
}

/**
 * Scores predictions against the truth. Classes are `labels` plus any other
 * label that occurs in `truth` or `predicted` (in order of appearance).
 * Macro-F1 averages over classes that occur in the truth or the predictions.
 *
 * @example evaluate(['a', 'b'], ['a', 'a'], ['a', 'b']).accuracy // 0.5
 */
export function evaluate(truth: readonly string[], predicted: readonly string[], labels: readonly string[] = []): Evaluation {
  const all = [...labels];
  for (const label of [...truth, ...predicted]) if (!all.includes(label)) all.push(label);
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  let right = 0;
  truth.forEach((gold, i) => {
    const guess = predicted[i]!;
    if (gold === guess) {
      right++;
      tp.set(gold, (tp.get(gold) ?? 0) + 1);
    } else {
      fp.set(guess, (fp.get(guess) ?? 0) + 1);
      fn.set(gold, (fn.get(gold) ?? 0) + 1);
    }
  });
  const classes = all.map((label): ClassScores => {
    const t = tp.get(label) ?? 0;
    const p = t + (fp.get(label) ?? 0);
    const r = t + (fn.get(label) ?? 0);
    const precision = p === 0 ? 0 : t / p;
    const recall = r === 0 ? 0 : t / r;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, precision, recall, f1, support: r };
  });
  const counted = classes.filter((c) => c.support > 0 || (fp.get(c.label) ?? 0) > 0);
  const macroF1 = counted.length === 0 ? 0 : counted.reduce((sum, c) => sum + c.f1, 0) / counted.length;
  return { classes, macroF1, accuracy: truth.length === 0 ? 0 : right / truth.length, n: truth.length };
}
