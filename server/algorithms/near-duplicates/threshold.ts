/**
 * The coordinators' decisions on join proposals, learned as a threshold tweak.
 * Each decision is a proposal's score and whether it was confirmed (really the
 * same thing) or rejected. The rule, applied to a city's most recent decisions:
 *
 * 1. Below `minDecisions` decisions nothing is learned: the current threshold stays.
 * 2. Every threshold t on a 0.01 grid within [`lower`, `upper`] is judged on
 *    the decisions as if only scores ≥ t had been proposed: precision =
 *    confirmed ≥ t / decided ≥ t, recall = confirmed ≥ t / all confirmed.
 * 3. The t with the best F1 among those keeping precision ≥ `minPrecision`
 *    wins (ties: the lower t, fewer missed joins); when none keeps it, the t
 *    with the best precision (ties: the higher t, fewer wrong proposals).
 * 4. Proposals are only made above the current threshold, so nothing is known
 *    below the lowest decided score: the threshold goes at most `step` below it.
 */

/** One coordinator decision on a proposal. */
export interface ThresholdDecision {
  readonly score: number;
  readonly confirmed: boolean;
}

export interface ThresholdRule {
  readonly minDecisions: number;
  readonly lower: number;
  readonly upper: number;
  readonly minPrecision: number;
  readonly step: number;
}

export const DEFAULT_THRESHOLD_RULE: ThresholdRule = Object.freeze({ minDecisions: 20, lower: 0.3, upper: 0.8, minPrecision: 0.9, step: 0.05 });

/** The learned threshold and the numbers behind it, for the record and the UI. */
export interface LearnedThreshold {
  readonly threshold: number;
  /** False when too few decisions: `threshold` is the current one. */
  readonly learned: boolean;
  readonly decisions: number;
  readonly confirmed: number;
  /** Precision and recall of `threshold` on the decisions (null when not learned). */
  readonly precision: number | null;
  readonly recall: number | null;
}

const cents = (value: number): number => Math.round(value * 100) / 100;

/**
 * Applies the rule above to `decisions` (the city's recent ones). Pure and
 * deterministic; O(decisions × grid).
 *
 * @example learnThreshold(0.5, [{ score: 0.52, confirmed: false }, …]) // → { threshold: 0.56, learned: true, … }
 */
export function learnThreshold(current: number, decisions: readonly ThresholdDecision[], rule: ThresholdRule = DEFAULT_THRESHOLD_RULE): LearnedThreshold {
  const confirmed = decisions.filter((decision) => decision.confirmed).length;
  if (decisions.length < rule.minDecisions) {
    return { threshold: current, learned: false, decisions: decisions.length, confirmed, precision: null, recall: null };
  }
  const floor = Math.min(...decisions.map((decision) => decision.score)) - rule.step;
  let best: { t: number; precision: number; recall: number; f1: number } | undefined;
  let fallback: { t: number; precision: number; recall: number } | undefined;
  for (let step = Math.round(rule.lower * 100); step <= Math.round(rule.upper * 100); step += 1) {
    const t = step / 100;
    if (t < floor) continue;
    const above = decisions.filter((decision) => decision.score >= t);
    if (above.length === 0) break;
    const hits = above.filter((decision) => decision.confirmed).length;
    const precision = hits / above.length;
    const recall = confirmed === 0 ? 0 : hits / confirmed;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    if (precision >= rule.minPrecision && (!best || f1 > best.f1)) best = { t, precision, recall, f1 };
    if (!fallback || precision >= fallback.precision) fallback = { t, precision, recall };
  }
  const chosen = best ?? fallback;
  if (!chosen) return { threshold: current, learned: false, decisions: decisions.length, confirmed, precision: null, recall: null };
  return {
    threshold: cents(chosen.t),
    learned: true,
    decisions: decisions.length,
    confirmed,
    precision: cents(chosen.precision),
    recall: cents(chosen.recall),
  };
}
