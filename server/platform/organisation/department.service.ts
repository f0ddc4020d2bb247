import { assertAllowed } from '../authorization.ts';
import type { PlatformDeps, RequestContext, Trx } from '../context.ts';
import { AppError } from '../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { inTransaction, rethrowConstraint } from '../database/transaction.ts';
import { requireActor } from '../identity/identity.service.ts';
import { changedFields, type Department } from './organisation.ts';
import * as repository from './organisation.repository.ts';
import type { DepartmentFields, Page, PageRequest } from './organisation.repository.ts';

export function listDepartments(
  deps: PlatformDeps,
  context: RequestContext,
  filter: { q?: string; districtId?: number; area?: string },
  page: PageRequest,
): Promise<Page<Department>> {
  assertAllowed(requireActor(context), 'department.read');
  return repository.listDepartments(deps.db, context.regionId, filter, page);
}

export async function getDepartment(deps: PlatformDeps, context: RequestContext, id: number): Promise<Department> {
  assertAllowed(requireActor(context), 'department.read');
  const department = await repository.findDepartment(deps.db, context.regionId, id);
  if (!department) throw new AppError('not_found', `Department ${id} does not exist`);
  return department;
}

export interface DepartmentInput {
  code: string;
  name: string;
  nameEn?: string | undefined;
  parentId?: number | undefined;
  districtId?: number | undefined;
  areas?: string[] | undefined;
  contactPhone?: string | undefined;
  contactEmail?: string | undefined;
  address?: string | undefined;
}

/** The region path a department with this district covers, after checking the district is one. */
async function districtPath(trx: Trx, regionId: number, districtId: number | null): Promise<string> {
  if (districtId === null) return `/${regionId}/`;
  const district = await repository.findRegion(trx, regionId, districtId);
  if (!district || district.level !== 'district') {
    throw new AppError('validation_failed', `Region ${districtId} is not a district of this city`, { errors: [{ path: 'districtId', message: 'not a district' }] });
  }
  return district.path;
}

async function checkParent(trx: Trx, regionId: number, parentId: number | null, selfId?: number): Promise<void> {
  if (parentId === null) return;
  if (parentId === selfId) throw new AppError('validation_failed', 'A department cannot be its own parent', { errors: [{ path: 'parentId', message: 'self' }] });
  if (!(await repository.findDepartment(trx, regionId, parentId))) {
    throw new AppError('validation_failed', `Parent department ${parentId} does not exist`, { errors: [{ path: 'parentId', message: 'unknown department' }] });
  }
}

export async function createDepartment(deps: PlatformDeps, context: RequestContext, input: DepartmentInput): Promise<Department> {
  const actor = requireActor(context);
  assertAllowed(actor, 'department.manage');
  return inTransaction(deps.db, async (trx) => {
    const fields: DepartmentFields = {
      name: input.name,
      nameEn: input.nameEn ?? null,
      parentId: input.parentId ?? null,
      districtId: input.districtId ?? null,
      areas: [...new Set(input.areas ?? [])],
      contactPhone: input.contactPhone ?? null,
      contactEmail: input.contactEmail ?? null,
      address: input.address ?? null,
    };
    const path = await districtPath(trx, context.regionId, fields.districtId);
    assertAllowed(actor, 'department.manage', { kind: 'department', id: 0, path });
    await checkParent(trx, context.regionId, fields.parentId);
    const id = await repository
      .insertDepartment(trx, context.regionId, input.code, fields)
      .catch((error: unknown) => rethrowConstraint(error, `Department code ${input.code}`));
    const department = (await repository.findDepartment(trx, context.regionId, id))!;
    await recordAudit(trx, context, { action: 'department.create', resourceType: 'department', resourceId: id, after: department }, deps.clock());
    return department;
  });
}

export type DepartmentChange = { version: number; active?: boolean | undefined } & {
  [K in keyof DepartmentFields]?: DepartmentFields[K] | undefined;
};

/** Changes a department if unchanged since `version`; a district admin keeps it inside their district. */
export async function updateDepartment(deps: PlatformDeps, context: RequestContext, id: number, change: DepartmentChange): Promise<Department> {
  const actor = requireActor(context);
  assertAllowed(actor, 'department.manage');
  return inTransaction(deps.db, async (trx) => {
    const before = await repository.findDepartment(trx, context.regionId, id);
    if (!before) throw new AppError('not_found', `Department ${id} does not exist`);
    assertAllowed(actor, 'department.manage', { kind: 'department', id, path: before.path });
    if (change.districtId !== undefined) {
      const path = await districtPath(trx, context.regionId, change.districtId);
      assertAllowed(actor, 'department.manage', { kind: 'department', id, path });
    }
    if (change.parentId !== undefined) await checkParent(trx, context.regionId, change.parentId, id);
    const now = deps.clock();
    const { version, ...fields } = change;
    if (fields.areas) fields.areas = [...new Set(fields.areas)];
    if (!(await repository.updateDepartment(trx, context.regionId, id, version, fields, now))) {
      throw new AppError('version_conflict', `Department ${id} was changed by someone else; reload and try again`, { currentVersion: before.version });
    }
    const after = (await repository.findDepartment(trx, context.regionId, id))!;
    await recordAudit(trx, context, { action: 'department.update', resourceType: 'department', resourceId: id, before, after, details: { fields: changedFields(before, after, Object.keys(fields)) } }, now);
    return after;
  });
}

