import { AppError, accountIdOf, assertAllowed, inTransaction, recordAudit, requireActor, type Actor, type PlatformDeps, type RequestContext, type Trx } from '../../../platform/index.ts';
import * as cases from '../cases/case.repository.ts';
import * as categories from './category.repository.ts';
import * as repository from './routing.repository.ts';
import { forgetRoutingFacts } from './routing-facts.ts';
import type { RoutingRule } from '../cases/voices.ts';

/** What a coordinator writes: category prefix × district → lead department (+ co-handlers). */
export interface RoutingRuleInput {
  readonly categoryPathPrefix: string;
  readonly districtId: number | null;
  readonly departmentId: number;
  readonly coHandlerIds: readonly number[];
  readonly priority: number;
}

const invalid = (path: string, message: string): AppError =>
  new AppError('validation_failed', message, { errors: [{ path, message }] });

/** Checks a rule against the city and the actor's scope; returns the region path it covers. */
async function checkRule(trx: Trx, actor: Actor, regionId: number, input: RoutingRuleInput): Promise<void> {
  let path = `/${regionId}/`;
  if (input.districtId !== null) {
    const district = await cases.findPlace(trx, regionId, input.districtId);
    if (!district || district.level !== 'district') throw invalid('districtId', `Region ${input.districtId} is not a district of this city`);
    path = district.path;
  }
  assertAllowed(actor, 'routing.manage', { kind: 'region', path });
  if (input.categoryPathPrefix !== '' && !(await categories.findCategoryByPath(trx, regionId, input.categoryPathPrefix))) {
    throw invalid('categoryPathPrefix', `No category ${input.categoryPathPrefix}`);
  }
  if (input.coHandlerIds.includes(input.departmentId)) throw invalid('coHandlerIds', 'The lead department cannot also be a co-handler');
  const wanted = [...new Set([input.departmentId, ...input.coHandlerIds])];
  const found = await cases.findDepartmentIds(trx, regionId, wanted);
  const missing = wanted.find((id) => !found.has(id));
  if (missing !== undefined) throw invalid(missing === input.departmentId ? 'departmentId' : 'coHandlerIds', `Department ${missing} is not an active department of this city`);
}

/** The city's routing rules, newest first; with `withHistory` the retired ones too (each points to the rule it replaced). */
export function listRoutingRules(deps: PlatformDeps, context: RequestContext, options: { withHistory: boolean }): Promise<RoutingRule[]> {
  assertAllowed(requireActor(context), 'routing.manage');
  return repository.listRules(deps.db, context.regionId, options);
}

/** Adds a rule. Coordinators and admins, for their region scope (a city-wide rule needs city-wide scope). */
export async function createRoutingRule(deps: PlatformDeps, context: RequestContext, input: RoutingRuleInput): Promise<RoutingRule> {
  const actor = requireActor(context);
  assertAllowed(actor, 'routing.manage');
  const written = await inTransaction(deps.db, async (trx) => {
    await checkRule(trx, actor, context.regionId, input);
    const now = deps.clock();
    const rule = await repository.insertRule(trx, context.regionId, { ...input, coHandlerIds: [...new Set(input.coHandlerIds)], createdAt: now, createdBy: accountIdOf(actor), replacesId: null });
    await recordAudit(trx, context, { action: 'routing.create', resourceType: 'routing_rule', resourceId: rule.id, after: rule }, now);
    return rule;
  });
  forgetRoutingFacts(deps.db, context.regionId);
  return written;
}

async function activeRule(trx: Trx, actor: Actor, regionId: number, id: number): Promise<RoutingRule> {
  const rule = await repository.findRule(trx, regionId, id);
  if (!rule) throw new AppError('not_found', `Routing rule ${id} does not exist`);
  const district = rule.districtId === null ? undefined : await cases.findPlace(trx, regionId, rule.districtId);
  assertAllowed(actor, 'routing.manage', { kind: 'region', path: district?.path ?? `/${regionId}/` });
  if (rule.retiredAt !== null) throw new AppError('conflict', `Routing rule ${id} was retired; change its successor instead`);
  return rule;
}

/**
 * Replaces a rule: the old one is retired and a new one, pointing to it,
 * takes its place, so the chain of rules is the history. A retired rule
 * cannot be replaced again (409).
 */
export async function replaceRoutingRule(deps: PlatformDeps, context: RequestContext, id: number, input: RoutingRuleInput): Promise<RoutingRule> {
  const actor = requireActor(context);
  assertAllowed(actor, 'routing.manage');
  const written = await inTransaction(deps.db, async (trx) => {
    const before = await activeRule(trx, actor, context.regionId, id);
    await checkRule(trx, actor, context.regionId, input);
    const now = deps.clock();
    if (!(await repository.retireRule(trx, context.regionId, id, now))) throw new AppError('conflict', `Routing rule ${id} was retired by someone else`);
    const rule = await repository.insertRule(trx, context.regionId, { ...input, coHandlerIds: [...new Set(input.coHandlerIds)], createdAt: now, createdBy: accountIdOf(actor), replacesId: id });
    await recordAudit(trx, context, { action: 'routing.replace', resourceType: 'routing_rule', resourceId: rule.id, before, after: rule, details: { replaces: id } }, now);
    return rule;
  });
  forgetRoutingFacts(deps.db, context.regionId);
  return written;
}

/** Retires a rule: new cases stop matching it; cases already routed keep their department. */
export async function retireRoutingRule(deps: PlatformDeps, context: RequestContext, id: number): Promise<RoutingRule> {
  const actor = requireActor(context);
  assertAllowed(actor, 'routing.manage');
  const written = await inTransaction(deps.db, async (trx) => {
    const before = await activeRule(trx, actor, context.regionId, id);
    const now = deps.clock();
    if (!(await repository.retireRule(trx, context.regionId, id, now))) throw new AppError('conflict', `Routing rule ${id} was retired by someone else`);
    await recordAudit(trx, context, { action: 'routing.retire', resourceType: 'routing_rule', resourceId: id, before }, now);
    return { ...before, retiredAt: now };
  });
  forgetRoutingFacts(deps.db, context.regionId);
  return written;
}
