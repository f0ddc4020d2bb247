import type { Department as DepartmentView, Region as RegionView, User as UserView, UserDetail } from '../../../contracts/platform.ts';
import type { Department, Region, User, UserSummary } from './organisation.ts';

/** Region → API shape; the boundary is large, so lists only say whether there is one. */
export function presentRegion(region: Region): RegionView {
  return {
    id: region.id,
    parentId: region.parentId,
    level: region.level,
    code: region.code,
    name: region.name,
    nameEn: region.nameEn,
    centroid: region.centroid,
    hasBoundary: region.boundary !== null,
    childCount: region.childCount,
    active: region.active,
    version: region.version,
  };
}

export function presentDepartment(department: Department): DepartmentView {
  return {
    id: department.id,
    parentId: department.parentId,
    code: department.code,
    name: department.name,
    nameEn: department.nameEn,
    districtId: department.districtId,
    districtName: department.districtName,
    areas: department.areas,
    contactPhone: department.contactPhone,
    contactEmail: department.contactEmail,
    address: department.address,
    active: department.active,
    version: department.version,
    staffCount: department.staffCount,
  };
}

export function presentUser(user: UserSummary, now: Date): UserView {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    departmentId: user.departmentId,
    departmentName: user.departmentName,
    scopeRegionId: user.scopeRegionId,
    scopeRegionName: user.scopeRegionName,
    active: user.active,
    locked: user.lockedUntil !== null && user.lockedUntil.getTime() > now.getTime(),
    mustChangePassword: user.mustChangePassword,
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    version: user.version,
  };
}

/** A user with contact details, for the admin who may see them. */
export function presentUserWithContacts(user: User, now: Date): UserDetail {
  return { ...presentUser(user, now), phone: user.phone, email: user.email };
}

/** Adds contact details when the service returned them (admins in scope, audited). */
export function presentUserDetail(user: User | UserSummary, now: Date): UserView | UserDetail {
  return 'phone' in user ? presentUserWithContacts(user, now) : presentUser(user, now);
}
