import { assertAllowed } from '../authorization.ts';
import type { PlatformDeps, RequestContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { inTransaction, rethrowConstraint } from '../database/transaction.ts';
import { requireActor } from '../identity/identity.service.ts';
import { changedFields, childLevelOf, type Region, type RegionLevel } from './organisation.ts';
import * as repository from './organisation.repository.ts';
import type { Page, PageRequest } from './organisation.repository.ts';

/** The region tree is public information (the portal's community picker needs it). */
export function listRegions(
  deps: PlatformDeps,
  context: RequestContext,
  filter: { parentId?: number; level?: RegionLevel; q?: string },
  page: PageRequest,
): Promise<Page<Region>> {
  return repository.listRegions(deps.db, context.regionId, filter, page);
}

export async function getRegion(deps: PlatformDeps, context: RequestContext, id: number): Promise<Region> {
  const region = await repository.findRegion(deps.db, context.regionId, id);
  if (!region) throw new AppError('not_found', `Region ${id} does not exist`);
  return region;
}

export interface RegionInput {
  parentId: number;
  code: string;
  name: string;
  nameEn?: string | undefined;
  centroid?: [number, number] | undefined;
  boundary?: object | undefined;
}

/** Adds a child region one level below its parent (city › district › street › community). */
export async function createRegion(deps: PlatformDeps, context: RequestContext, input: RegionInput): Promise<Region> {
  const actor = requireActor(context);
  return inTransaction(deps.db, async (trx) => {
    const parent = await repository.findRegion(trx, context.regionId, input.parentId);
    if (!parent) throw new AppError('validation_failed', `Parent region ${input.parentId} does not exist`, { field: 'parentId' });
    const level = childLevelOf(parent.level);
    if (!level) throw new AppError('validation_failed', 'A community cannot have child regions', { field: 'parentId' });
    assertAllowed(actor, 'region.manage', { kind: 'region', path: `${parent.path}new/` });
    const id = await repository
      .insertRegion(trx, context.regionId, parent, {
        level,
        code: input.code,
        name: input.name,
        nameEn: input.nameEn ?? null,
        centroid: input.centroid ?? null,
        boundary: input.boundary ?? null,
      })
      .catch((error: unknown) => rethrowConstraint(error, `Region code ${input.code}`));
    const region = (await repository.findRegion(trx, context.regionId, id))!;
    await recordAudit(trx, context, { action: 'region.create', resourceType: 'region', resourceId: id, after: region }, deps.clock());
    return region;
  });
}

export interface RegionChange {
  version: number;
  name?: string | undefined;
  nameEn?: string | null | undefined;
  centroid?: [number, number] | null | undefined;
  boundary?: object | null | undefined;
  active?: boolean | undefined;
}

/** Changes a region if nobody changed it since `version` was read (else `version_conflict`). */
export async function updateRegion(deps: PlatformDeps, context: RequestContext, id: number, change: RegionChange): Promise<Region> {
  const actor = requireActor(context);
  return inTransaction(deps.db, async (trx) => {
    const before = await repository.findRegion(trx, context.regionId, id);
    if (!before) throw new AppError('not_found', `Region ${id} does not exist`);
    assertAllowed(actor, 'region.manage', { kind: 'region', path: before.path });
    const now = deps.clock();
    const { version, ...fields } = change;
    if (!(await repository.updateRegion(trx, context.regionId, id, version, fields, now))) {
      throw new AppError('version_conflict', `Region ${id} was changed by someone else; reload and try again`, { currentVersion: before.version });
    }
    const after = (await repository.findRegion(trx, context.regionId, id))!;
    await recordAudit(trx, context, { action: 'region.update', resourceType: 'region', resourceId: id, before, after, details: { fields: changedFields(before, after, Object.keys(fields)) } }, now);
    return after;
  });
}
