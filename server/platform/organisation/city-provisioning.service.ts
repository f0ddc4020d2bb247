import type { Role } from '../authorization.ts';
import type { PlatformDeps } from '../context.ts';
import { AppError } from '../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { inTransaction } from '../database/transaction.ts';
import { hashPassword } from '../identity/password.ts';
import { checkRoleScope, type RegionLevel } from './organisation.ts';
import * as repository from './organisation.repository.ts';

/**
 * Everything a new city starts with, as plain data: regions parents-first,
 * departments parents-first, accounts with their initial passwords.
 */
export interface CityPlan {
  readonly city: { code: string; name: string; nameEn: string | null; centroid: [number, number] | null };
  readonly regions: readonly {
    code: string;
    name: string;
    nameEn: string | null;
    level: Exclude<RegionLevel, 'city'>;
    parentCode: string;
    centroid: [number, number] | null;
  }[];
  readonly departments: readonly {
    code: string;
    name: string;
    nameEn: string | null;
    districtCode: string | null;
    parentCode: string | null;
    areas: readonly string[];
    contactPhone: string | null;
    contactEmail: string | null;
    address: string | null;
  }[];
  readonly users: readonly {
    username: string;
    displayName: string;
    role: Role;
    departmentCode: string | null;
    scopeRegionCode: string | null;
    phone: string | null;
    email: string | null;
    password: string;
    mustChangePassword?: boolean;
  }[];
}

/**
 * Creates a city from a plan in one transaction (the demo city, a new
 * tenant, a test fixture). Fails with `duplicate` if the city code exists.
 * Identical passwords are hashed once, so seeding dozens of accounts stays fast.
 */
export async function provisionCity(deps: PlatformDeps, plan: CityPlan): Promise<{ regionId: number }> {
  const hashes = new Map<string, string>();
  for (const user of plan.users) if (!hashes.has(user.password)) hashes.set(user.password, await hashPassword(user.password));

  return inTransaction(deps.db, async (trx) => {
    if (await repository.findCityByCode(trx, plan.city.code)) throw new AppError('duplicate', `City ${plan.city.code} already exists`);
    const regionId = await repository.insertCity(trx, plan.city);
    const regions = new Map<string, { id: number; path: string; level: RegionLevel }>([
      [plan.city.code, { id: regionId, path: `/${regionId}/`, level: 'city' }],
    ]);
    for (const region of plan.regions) {
      const parent = regions.get(region.parentCode);
      if (!parent) throw new AppError('validation_failed', `Region ${region.code}: parent ${region.parentCode} is not listed before it`);
      const id = await repository.insertRegion(trx, regionId, parent, { ...region, boundary: null });
      regions.set(region.code, { id, path: `${parent.path}${id}/`, level: region.level });
    }
    const departments = new Map<string, number>();
    for (const department of plan.departments) {
      const districtId = department.districtCode === null ? null : regions.get(department.districtCode)?.id;
      const parentId = department.parentCode === null ? null : departments.get(department.parentCode);
      if (districtId === undefined || parentId === undefined) {
        throw new AppError('validation_failed', `Department ${department.code}: unknown district or parent`);
      }
      const id = await repository.insertDepartment(trx, regionId, department.code, {
        ...department,
        areas: [...department.areas],
        districtId,
        parentId,
      });
      departments.set(department.code, id);
    }
    for (const user of plan.users) {
      const departmentId = user.departmentCode === null ? null : departments.get(user.departmentCode);
      const scope = user.scopeRegionCode === null ? null : regions.get(user.scopeRegionCode);
      if (departmentId === undefined || scope === undefined) throw new AppError('validation_failed', `User ${user.username}: unknown department or region`);
      const problems = checkRoleScope({ role: user.role, departmentId, scopeRegionLevel: scope?.level ?? null });
      if (Object.keys(problems).length > 0) throw new AppError('validation_failed', `User ${user.username}: ${Object.values(problems).join('; ')}`);
      await repository.insertUser(trx, regionId, user.username, {
        ...user,
        departmentId,
        scopeRegionId: scope?.id ?? null,
        passwordHash: hashes.get(user.password)!,
        mustChangePassword: user.mustChangePassword ?? false,
      });
    }
    await recordAudit(
      trx,
      { actor: undefined, regionId, ip: null, requestId: null, label: 'system' },
      {
        action: 'city.provision',
        resourceType: 'city',
        resourceId: regionId,
        details: { code: plan.city.code, regions: plan.regions.length, departments: plan.departments.length, users: plan.users.length },
      },
      deps.clock(),
    );
    return { regionId };
  });
}
