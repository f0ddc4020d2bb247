/**
 * Choosing the department for a new case: pure, so the rule order can be
 * tested without a database.
 */
import type { RoutingRule } from '../cases/voices.ts';

/** Whether a rule's category prefix covers `categoryPath` (segment by segment, '' covers all). */
export function prefixCovers(prefix: string, categoryPath: string): boolean {
  return prefix === '' || categoryPath === prefix || categoryPath.startsWith(`${prefix}/`);
}

const depth = (prefix: string): number => (prefix === '' ? 0 : prefix.split('/').length);

/**
 * The active rule for a case, or undefined (the case then waits in the
 * triage queue). Among rules whose prefix covers the category and whose
 * district is the case's or any: the longest prefix wins, then a rule for
 * the case's district over a city-wide one, then the higher priority, then
 * the newer rule. O(rules).
 *
 * @example chooseRule(rules, { categoryPath: '城乡建设/住房管理/物业管理', districtId: 4 })
 */
export function chooseRule(
  rules: readonly RoutingRule[],
  target: { readonly categoryPath: string; readonly districtId: number | null },
): RoutingRule | undefined {
  let best: { rule: RoutingRule; score: number[] } | undefined;
  for (const rule of rules) {
    if (rule.retiredAt !== null || !prefixCovers(rule.categoryPathPrefix, target.categoryPath)) continue;
    if (rule.districtId !== null && rule.districtId !== target.districtId) continue;
    const score = [depth(rule.categoryPathPrefix), rule.districtId === null ? 0 : 1, rule.priority, rule.id];
    if (!best || isGreater(score, best.score)) best = { rule, score };
  }
  return best?.rule;
}

function isGreater(a: readonly number[], b: readonly number[]): boolean {
  for (let index = 0; index < a.length; index += 1) {
    if (a[index] !== b[index]) return a[index]! > b[index]!;
  }
  return false;
}
