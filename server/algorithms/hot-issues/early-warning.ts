/**
 * Early warning: a cluster growing faster than its own baseline.
 *
 * Rule (docs/hot-issues.md): at time `now`, count the cluster's messages in
 * the last `recentDays` (7) and in the `baselineDays` (28) before them. The
 * expected count for the recent window is the baseline's rate scaled to it,
 * but at least `floor` (1 message a week: a new issue has no baseline, and
 * one message a week is what an ordinary, quiet issue gets). A cluster
 * alerts when, in the recent window, it has at least `minMessages` (5)
 * messages from at least `minPeople` (3) distinct people, at least `minRatio`
 * (3) times the expected count, and so many that a Poisson count with the
 * expected mean would reach it with probability at most `maxProbability`
 * (0.001). The minimum counts keep one angry writer, or two messages
 * instead of none, from alerting; the Poisson test keeps a big, steady issue
 * from alerting on its ordinary weekly volume.
 */

/** The thresholds of the rule; every field has the default named above. */
export interface SurgeRule {
  readonly recentDays: number;
  readonly baselineDays: number;
  /** Least expected messages per recent window. */
  readonly floor: number;
  readonly minMessages: number;
  readonly minPeople: number;
  readonly minRatio: number;
  readonly maxProbability: number;
}

export const DEFAULT_SURGE_RULE: SurgeRule = {
  recentDays: 7,
  baselineDays: 28,
  floor: 1,
  minMessages: 5,
  minPeople: 3,
  minRatio: 3,
  maxProbability: 0.001,
};

/** What the rule measured for one cluster, alerting or not. */
export interface Growth {
  /** Messages in the recent window. */
  readonly recent: number;
  /** Distinct people among them. */
  readonly recentPeople: number;
  /** Messages in the baseline window before it. */
  readonly baseline: number;
  /** Expected messages in a recent window: the baseline rate, at least the floor. */
  readonly expected: number;
  /** recent / expected. */
  readonly ratio: number;
  /** P(X ≥ recent) for X ~ Poisson(expected). */
  readonly probability: number;
  readonly alert: boolean;
}

const DAY_MS = 86_400_000;

/**
 * Measures a cluster's growth at `now` and says whether it alerts. Messages
 * after `now` are ignored. O(members).
 *
 * @example measureGrowth(members, new Date('2019-12-10'), DEFAULT_SURGE_RULE).alert // → true for 12 messages from 10 people this week after none before
 */
export function measureGrowth(members: readonly { readonly time: Date; readonly user: string }[], now: Date, rule: SurgeRule = DEFAULT_SURGE_RULE): Growth {
  const end = now.getTime();
  const recentStart = end - rule.recentDays * DAY_MS;
  const baselineStart = recentStart - rule.baselineDays * DAY_MS;
  let recent = 0;
  let baseline = 0;
  const people = new Set<string>();
  for (const member of members) {
    const time = member.time.getTime();
    if (time > end || time <= baselineStart) continue;
    if (time > recentStart) {
      recent++;
      people.add(member.user);
    } else baseline++;
  }
  const expected = Math.max(rule.floor, (baseline * rule.recentDays) / rule.baselineDays);
  const ratio = recent / expected;
  const probability = poissonTail(recent, expected);
  const alert = recent >= rule.minMessages && people.size >= rule.minPeople && ratio >= rule.minRatio && probability <= rule.maxProbability;
  return { recent, recentPeople: people.size, baseline, expected, ratio, probability, alert };
}

/** P(X ≥ k) for X ~ Poisson(mean), from the log of P(X = k) so that large counts neither overflow nor underflow. */
export function poissonTail(k: number, mean: number): number {
  if (k <= 0) return 1;
  if (mean <= 0) return 0;
  const atK = Math.exp(-mean + k * Math.log(mean) - logFactorial(k));
  if (k > mean) {
    // Terms fall from k upwards: sum them until they no longer matter.
    let sum = 0;
    let term = atK;
    for (let i = k; term > sum * 1e-15 && i < k + 100_000; ) {
      sum += term;
      i++;
      term *= mean / i;
    }
    return Math.min(1, sum);
  }
  // k ≤ mean: the tail is at least about a half; one minus the terms below k, summed downwards.
  let below = 0;
  let term = (atK * k) / mean;
  for (let i = k - 1; i >= 0 && term > 0; i--) {
    below += term;
    term *= i / mean;
  }
  return Math.max(0, Math.min(1, 1 - below));
}

function logFactorial(n: number): number {
  if (n < 256) {
    let sum = 0;
    for (let i = 2; i <= n; i++) sum += Math.log(i);
    return sum;
  }
  // Stirling's series, exact to double precision at this size.
  return n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n) + 1 / (12 * n) - 1 / (360 * n ** 3);
}
