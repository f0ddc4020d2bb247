import {
  AppError,
  accountIdOf,
  assertAllowed,
  inTransaction,
  isAllowed,
  recordAudit,
  requireActor,
  type PlatformDeps,
  type RequestContext,
} from '../../../platform/index.ts';
import { submitMessage } from '../../voices/index.ts';
import * as registry from '../registry/registry.repository.ts';
import { householdResource } from '../registry/registry.service.ts';
import * as repository from './visit.repository.ts';

/**
 * Visits (走访): the household's own cadre logs each visit; every need
 * found becomes a voices message (channel `visit`) about the household's
 * community, routed like any other, and the need keeps the case's id so
 * the household page shows its progress. The coverage board tells
 * coordinators which households wait too long for a visit, which cadres
 * are behind and which needs stay open; public statistics are counts only.
 */

/** A need found on a visit: its type (a skill tag) and what the cadre wrote; optionally the taxonomy path for routing. */
export interface NeedInput {
  readonly needType: string;
  readonly description: string;
  readonly categoryPath?: string | undefined;
  /** Photos uploaded before through the attachments feature (id and token each); linked to the need's case. */
  readonly photos?: readonly { readonly id: number; readonly token: string }[] | undefined;
}

export interface VisitInput {
  /** YYYY-MM-DD, not in the future. */
  readonly visitedOn: string;
  readonly durationMinutes: number;
  /** Who was met (户主, 家属…). */
  readonly met: string;
  readonly situation: string;
  readonly needs: readonly NeedInput[];
}

/** The visit logged and the cases its needs became. */
export interface VisitReceipt {
  readonly visitId: number;
  readonly needs: readonly { needId: number; caseId: number; caseNumber: string }[];
}

const NEED_TITLES: Record<string, string> = {
  medical: '医疗帮扶需求',
  legal: '法律援助需求',
  employment: '就业帮扶需求',
  education: '教育帮扶需求',
  elderly: '养老服务需求',
  disability: '助残服务需求',
  housing: '住房保障需求',
  psychological: '心理疏导需求',
};

/**
 * Logs a visit by the household's cadre (403 for anyone else) and turns
 * each need into a voices case. The visit is written first; a need whose
 * message is refused (422 naming `needs[i]`) leaves the visit and the
 * needs before it in place.
 */
export async function logVisit(deps: PlatformDeps, context: RequestContext, householdId: number, input: VisitInput): Promise<VisitReceipt> {
  const actor = requireActor(context);
  assertAllowed(actor, 'visit.log');
  const regionId = context.regionId;
  const entry = await registry.findHouseholdEntry(deps.db, regionId, householdId);
  const resource = entry && householdResource(entry.household, entry.cadre?.userId ?? null);
  if (!entry || !resource || !isAllowed(actor, 'pairing.read', resource)) throw new AppError('not_found', `No household ${householdId}`);
  assertAllowed(actor, 'visit.log', resource);
  const now = deps.clock();
  // The cadre's calendar day may be ahead of UTC (up to UTC+14), never further.
  if (input.visitedOn > new Date(now.getTime() + 14 * 3_600_000).toISOString().slice(0, 10)) {
    throw new AppError('validation_failed', 'A visit cannot be in the future', { errors: [{ path: 'visitedOn', message: 'in the future' }] });
  }
  const cadreId = entry.cadre!.id;
  const visitId = await inTransaction(deps.db, async (trx) => {
    const id = await repository.insertVisit(trx, regionId, { householdId, cadreId, ...input, createdBy: accountIdOf(actor), createdAt: now });
    await recordAudit(trx, context, { action: 'visit.log', resourceType: 'household', resourceId: householdId, details: { visitId: id, needs: input.needs.length } }, now);
    return id;
  });
  const needs: { needId: number; caseId: number; caseNumber: string }[] = [];
  for (const [index, need] of input.needs.entries()) {
    const receipt = await submitMessage(
      deps,
      context,
      {
        title: `${NEED_TITLES[need.needType] ?? '帮扶需求'}（结对户 ${entry.household.code}）`,
        description: need.description,
        kind: 'request_for_help',
        communityId: entry.household.communityId,
        ...(need.categoryPath ? { categoryPath: need.categoryPath } : {}),
        ...(need.photos && need.photos.length > 0 ? { photos: need.photos } : {}),
        contact: { name: `结对户 ${entry.household.code}`, ...(entry.contact.contactPhone ? { phone: entry.contact.contactPhone } : {}) },
      },
      { channel: 'visit', idempotencyKey: `pairing-visit-${regionId}-${visitId}-need-${index}` },
    ).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'validation_failed') {
        throw new AppError('validation_failed', `needs[${index}]: ${error.message}`, { errors: [{ path: `needs[${index}]`, message: error.message }] });
      }
      throw error;
    });
    const needId = await repository.insertNeed(deps.db, regionId, { householdId, visitId, needType: need.needType, description: need.description, caseId: receipt.caseId, createdAt: now });
    needs.push({ needId, caseId: receipt.caseId, caseNumber: receipt.caseNumber });
  }
  return { visitId, needs };
}

/**
 * The coverage board of the reader's area: households not visited in
 * `days` days, cadres with such households, needs open for more than
 * `needDays` days. The overdue list names households by code only.
 */
export function coverageBoard(deps: PlatformDeps, context: RequestContext, days: number, needDays: number): Promise<repository.Coverage> {
  const actor = requireActor(context);
  assertAllowed(actor, 'pairing.manage');
  const now = deps.clock();
  const since = new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
  return repository.coverage(deps.db, context.regionId, actor.scopePath, since, new Date(now.getTime() - needDays * 86_400_000), 200);
}

/** Public statistics per district (counts and visit rates over the last `days` days); nothing about any household. */
export async function publicStatistics(deps: PlatformDeps, context: RequestContext, days: number) {
  const since = new Date(deps.clock().getTime() - days * 86_400_000).toISOString().slice(0, 10);
  const districts = await repository.statsByDistrict(deps.db, context.regionId, since);
  return districts.map((district) => ({ ...district, visitRate: district.households === 0 ? 0 : district.visited / district.households }));
}

/** A visit of the past, for a city's first load (the demo's year of visits). */
export type HistoricalVisit = Parameters<typeof repository.insertVisits>[2][number];

/** Inserts past visits in bulk, in one transaction, with one audit entry (the demo city). */
export async function seedVisits(deps: PlatformDeps, context: RequestContext, visits: readonly HistoricalVisit[]): Promise<void> {
  assertAllowed(requireActor(context), 'pairing.manage', { kind: 'city' });
  const now = deps.clock();
  await inTransaction(deps.db, async (trx) => {
    await repository.insertVisits(trx, context.regionId, visits);
    await recordAudit(trx, context, { action: 'visit.seed', resourceType: 'pairing_registry', details: { visits: visits.length } }, now);
  });
}
