import { MAX_HOURS, MAX_WORKING_DAYS } from './deadline-error.ts';

/** A time limit: whole working days, or elapsed hours for urgent cases. */
export interface SlaLimit {
  readonly unit: SlaUnit;
  readonly amount: number;
}

export type SlaUnit = 'working_days' | 'hours';

/** The kinds of message a case can be (issue #3): each has its own usual limit. */
export type SlaCaseKind = 'complaint' | 'request_for_help' | 'consultation' | 'suggestion' | 'praise';

export const SLA_CASE_KINDS: readonly SlaCaseKind[] = Object.freeze([
  'complaint',
  'request_for_help',
  'consultation',
  'suggestion',
  'praise',
]);

/**
 * One line of the limits table. Every selector is optional: a rule without
 * `kind` applies to all kinds, without `categoryPrefix` to all categories,
 * without `urgent` to urgent and ordinary cases alike.
 */
export interface SlaRule {
  readonly kind?: SlaCaseKind;
  /** Leading segments of the taxonomy path, e.g. `['城乡建设', '安全生产']` covers everything below it. */
  readonly categoryPrefix?: readonly string[];
  readonly urgent?: boolean;
  readonly limit: SlaLimit;
  /** Why the rule exists, for the coordinator who edits the table. */
  readonly note?: string;
}

/** When a clock turns `due_soon`: this close to its deadline, in each unit. */
export interface RemindBefore {
  readonly workingDays: number;
  readonly hours: number;
}

/** A city's limits table: rules, the limit when no rule matches, and the reminder lead. */
export interface SlaPolicy {
  readonly rules: readonly SlaRule[];
  readonly fallback: SlaLimit;
  readonly remindBefore: RemindBefore;
}

/** What {@link resolveLimit} looks at. */
export interface SlaCaseFacts {
  readonly kind: SlaCaseKind;
  readonly categoryPath?: readonly string[] | null;
  readonly urgent?: boolean;
}

/**
 * The limit for a case: the most specific matching rule wins. Specificity is
 * compared in this order:
 *
 * 1. a rule for urgent cases (`urgent: true`) beats every other rule, because
 *    urgency is judged on the case in hand while categories and kinds describe
 *    cases in general: an urgent case must never fall back to working days
 *    because a category rule happened to be more detailed;
 * 2. then the longer `categoryPrefix` (segments equal one by one) wins;
 * 3. then a rule that names the `kind` wins;
 * 4. then a rule for ordinary cases only (`urgent: false`) wins;
 * 5. on a tie, the rule listed first wins.
 *
 * No match gives `policy.fallback`, so the function is total. O(rules).
 *
 * @example resolveLimit(DEFAULT_SLA_POLICY, { kind: 'complaint', categoryPath: ['城乡建设', '安全生产', '安全隐患'] })
 * // → { unit: 'working_days', amount: 3 }
 */
export function resolveLimit(policy: SlaPolicy, facts: SlaCaseFacts): SlaLimit {
  const path = facts.categoryPath ?? [];
  const urgent = facts.urgent === true;
  let best: { rule: SlaRule; score: readonly number[] } | undefined;
  for (const rule of policy.rules) {
    if (rule.kind !== undefined && rule.kind !== facts.kind) continue;
    if (rule.urgent !== undefined && rule.urgent !== urgent) continue;
    const prefix = rule.categoryPrefix ?? [];
    if (prefix.length > path.length || prefix.some((segment, index) => segment !== path[index])) continue;
    const score = [
      rule.urgent === true ? 1 : 0,
      prefix.length,
      rule.kind === undefined ? 0 : 1,
      rule.urgent === false ? 1 : 0,
    ];
    if (!best || isGreater(score, best.score)) best = { rule, score };
  }
  return best?.rule.limit ?? policy.fallback;
}

function isGreater(a: readonly number[], b: readonly number[]): boolean {
  for (let index = 0; index < a.length; index += 1) {
    if (a[index] !== b[index]) return a[index]! > b[index]!;
  }
  return false;
}

/**
 * Problems of a limits table as readable lines (empty when it is fine), for
 * the coordinators' editor and for boot: unknown kinds, limits out of range,
 * rules that can never win because an identical selector comes first.
 */
export function checkSlaPolicy(policy: SlaPolicy): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  policy.rules.forEach((rule, index) => {
    const at = `rules[${index}]`;
    if (rule.kind !== undefined && !SLA_CASE_KINDS.includes(rule.kind))
      problems.push(`${at}.kind: unknown kind "${rule.kind}"`);
    if (rule.categoryPrefix?.some((segment) => typeof segment !== 'string' || segment.trim() === '')) {
      problems.push(`${at}.categoryPrefix: segments must be non-empty text`);
    }
    problems.push(...limitProblems(rule.limit, `${at}.limit`));
    const selector = JSON.stringify([rule.kind ?? null, rule.categoryPrefix ?? [], rule.urgent ?? null]);
    const first = seen.get(selector);
    if (first === undefined) seen.set(selector, index);
    else problems.push(`${at}: same selector as rules[${first}], so it never applies`);
  });
  problems.push(...limitProblems(policy.fallback, 'fallback'));
  for (const unit of ['workingDays', 'hours'] as const) {
    const value = policy.remindBefore[unit];
    if (!Number.isFinite(value) || value < 0) problems.push(`remindBefore.${unit}: a number ≥ 0`);
  }
  return problems;
}

/** Problems of one limit; the same bounds `startClock` enforces. */
export function limitProblems(limit: SlaLimit, at = 'limit'): string[] {
  if (limit.unit === 'working_days') {
    return Number.isInteger(limit.amount) && limit.amount >= 0 && limit.amount <= MAX_WORKING_DAYS
      ? []
      : [`${at}: working days are a whole number from 0 to ${MAX_WORKING_DAYS}`];
  }
  if (limit.unit === 'hours') {
    return Number.isFinite(limit.amount) && limit.amount > 0 && limit.amount <= MAX_HOURS
      ? []
      : [`${at}: hours are a number above 0 and up to ${MAX_HOURS}`];
  }
  return [`${at}.unit: "working_days" or "hours"`];
}

const workingDays = (amount: number): SlaLimit => ({ unit: 'working_days', amount });
const hours = (amount: number): SlaLimit => ({ unit: 'hours', amount });

/**
 * A starting table from common 12345 practice; every city configures its own
 * (local regulations differ, and the hotline's 考核 rules decide). Typical
 * figures: a consultation is answered within 1–3 working days, a request for
 * help within 5, a complaint within 5–15 (10 here), a suggestion within 15;
 * urgent matters within 2–24 hours, the short end for safety hazards.
 */
export const DEFAULT_SLA_POLICY: SlaPolicy = deepFreeze({
  rules: [
    { kind: 'consultation', limit: workingDays(3), note: '咨询：政策、办事指引，多数当场或三个工作日内答复' },
    { kind: 'request_for_help', limit: workingDays(5), note: '求助：需要部门上门或协调' },
    { kind: 'complaint', limit: workingDays(10), note: '投诉举报：需要调查核实' },
    { kind: 'suggestion', limit: workingDays(15), note: '意见建议：需要研究，可能纳入工作计划' },
    { kind: 'praise', limit: workingDays(5), note: '表扬：转达并告知' },
    { categoryPrefix: ['城乡建设', '安全生产'], limit: workingDays(3), note: '安全隐患从快' },
    { categoryPrefix: ['经济管理', '安全生产'], limit: workingDays(3), note: '安全隐患从快' },
    { urgent: true, limit: hours(24), note: '紧急工单：24 小时内办结' },
    { urgent: true, categoryPrefix: ['城乡建设', '安全生产'], limit: hours(2), note: '紧急安全隐患：2 小时' },
    { urgent: true, categoryPrefix: ['经济管理', '安全生产'], limit: hours(2), note: '紧急安全隐患：2 小时' },
  ],
  fallback: workingDays(15),
  remindBefore: { workingDays: 1, hours: 2 },
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
