/**
 * The coordinators' triage queue on the demo's "now": a real city always has
 * some dozens of cases waiting for dispatch. Among the last days' cases of the
 * history, some arrived without a category the classifier was sure of (they
 * wait unrouted), some were returned by the department they went to, and a
 * few wait for a coordinator to approve a transfer or an extension. Pure and
 * deterministic: the same city, history and `now` give the same result.
 */
import type { HistoricalCaseInput, HistoricalStep } from '../modules/voices/index.ts';
import type { DemoCity } from './demo-city.ts';
import { createRandom } from './random.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

export interface DemoTriageOptions {
  /** The end of the history (the loader's anchor). */
  readonly now: Date;
  /** Indexes to leave as they are (e.g. the demo citizen's cases). */
  readonly skip?: ReadonlySet<number>;
}

/** Chances per recent case: unclassified (under 60 hours old), returned (1–5 days), transfer or extension pending (2–5 days). */
const UNCLASSIFIED = 0.28;
const RETURNED = 0.1;
const PENDING_REQUEST = 0.07;

const RETURN_REASONS = [
  '该事项不属于我单位职责，请重新派单',
  '诉求地址不在我区辖区，请核实后重新派单',
  '经核实该问题属于市级部门职责，建议改派',
  '诉求涉及多个部门，请明确主办单位后派单',
];
const EXTENSION_REASONS = [
  '需协调多个部门现场处置，申请延期',
  '涉及施工方案调整和资金审批，申请延期',
  '需等待第三方检测结果，申请延期',
];

/**
 * Returns a copy of `history` whose recent cases leave a triage queue of a
 * few dozen at `now` (for the default 20,000 cases; it scales with the
 * history's density). Cases a merge touches are left alone.
 *
 * @example leaveTriageBacklog(demo, history, { now }).length === history.length // true
 */
export function leaveTriageBacklog(
  demo: DemoCity,
  history: readonly HistoricalCaseInput[],
  options: DemoTriageOptions,
): HistoricalCaseInput[] {
  const random = createRandom(demo.seed * 104_729 + 3);
  const now = options.now.getTime();
  const skip = options.skip ?? new Set<number>();
  const departments = new Map(demo.departments.map((department) => [department.code, department]));
  const handlerOf = new Map<string, string>();
  for (const user of demo.users) {
    if (user.role === 'handler' && user.departmentCode && !handlerOf.has(user.departmentCode))
      handlerOf.set(user.departmentCode, user.username);
  }
  const handler = (code: string): string => (handlerOf.has(code) ? `handler:${handlerOf.get(code)}` : 'handler');
  const result = [...history];
  for (let index = history.length - 1; index >= 0; index -= 1) {
    const entry = history[index]!;
    const age = now - entry.submittedAt.getTime();
    if (age > 5 * DAY) break;
    if (
      age <= 0 ||
      skip.has(index) ||
      entry.steps.some((step) => step.event.type === 'merge' || step.event.type === 'join')
    )
      continue;
    const [unclassified, returned, pending] = [random.next(), random.next(), random.next()];
    const first = entry.steps[0];
    const dispatch = first?.event.type === 'dispatch' ? { step: first, code: first.event.departmentCode } : null;
    const later = (from: number, min: number, max: number): Date =>
      new Date(Math.min(from + random.float(min, max), now - HOUR));
    if (age < 60 * HOUR && unclassified < UNCLASSIFIED) {
      // The classifier was not sure: no category, so no routing rule applied and it waits for a coordinator.
      result[index] = { ...entry, categoryPath: null, steps: [] };
    } else if (dispatch && age > DAY && returned < RETURNED && dispatch.step.at.getTime() < now - 4 * HOUR) {
      const at = later(dispatch.step.at.getTime(), 3 * HOUR, 40 * HOUR);
      const steps: HistoricalStep[] = [
        dispatch.step,
        {
          at,
          by: 'handler',
          label: handler(dispatch.code),
          event: { type: 'return', reason: random.pick(RETURN_REASONS) },
        },
      ];
      result[index] = { ...entry, steps };
    } else if (dispatch && age > 2 * DAY && pending < PENDING_REQUEST && dispatch.step.at.getTime() < now - DAY) {
      const accepted = later(dispatch.step.at.getTime(), HOUR, 8 * HOUR);
      const asked = later(accepted.getTime(), 4 * HOUR, 30 * HOUR);
      const lead = departments.get(dispatch.code);
      const parent = lead?.parentCode ? departments.get(lead.parentCode) : undefined;
      const request: HistoricalStep['event'] =
        parent && random.chance(0.5)
          ? { type: 'request_transfer', toDepartmentCode: parent.code, reason: '涉及全市统筹，申请转市级部门办理' }
          : { type: 'request_extension', days: random.int(5, 10), reason: random.pick(EXTENSION_REASONS) };
      const steps: HistoricalStep[] = [
        dispatch.step,
        { at: accepted, by: 'handler', label: handler(dispatch.code), event: { type: 'accept_work' } },
        { at: asked, by: 'handler', label: handler(dispatch.code), event: request },
      ];
      if (accepted.getTime() > dispatch.step.at.getTime() && asked.getTime() > accepted.getTime())
        result[index] = { ...entry, steps };
    }
  }
  return result;
}
