import type { Role } from '../authorization.ts';

/** A node of the city's region tree; `regionId` is the city (tenant) it belongs to. */
export interface Region {
  readonly regionId: number;
  readonly id: number;
  readonly parentId: number | null;
  readonly level: RegionLevel;
  readonly path: string;
  readonly code: string;
  readonly name: string;
  readonly nameEn: string | null;
  readonly centroid: [number, number] | null;
  readonly boundary: object | null;
  readonly childCount: number;
  readonly active: boolean;
  readonly version: number;
}

export type RegionLevel = 'city' | 'district' | 'street' | 'community';
export const REGION_LEVELS: readonly RegionLevel[] = ['city', 'district', 'street', 'community'];

/** The level a child of `parent` must have, or undefined under a community. */
export function childLevelOf(parent: RegionLevel): RegionLevel | undefined {
  return REGION_LEVELS[REGION_LEVELS.indexOf(parent) + 1];
}

/** A government department; `districtId` null means it serves the whole city. */
export interface Department {
  readonly id: number;
  readonly parentId: number | null;
  readonly code: string;
  readonly name: string;
  readonly nameEn: string | null;
  readonly districtId: number | null;
  readonly districtName: string | null;
  /** Region path the department's work covers: its district, or the city. */
  readonly path: string;
  readonly areas: string[];
  readonly contactPhone: string | null;
  readonly contactEmail: string | null;
  readonly address: string | null;
  readonly active: boolean;
  readonly version: number;
  readonly staffCount: number;
}

/** A person with an account. Contact details are personal data: read them only through the audited path. */
export interface User {
  readonly regionId: number;
  readonly id: number;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly departmentId: number | null;
  readonly departmentName: string | null;
  readonly scopeRegionId: number | null;
  readonly scopeRegionName: string | null;
  /** Region path the user's scope covers (scope region, else department district, else city). */
  readonly scopePath: string;
  readonly phone: string | null;
  readonly email: string | null;
  readonly active: boolean;
  readonly lockedUntil: Date | null;
  readonly mustChangePassword: boolean;
  readonly failedLogins: number;
  readonly lastLoginAt: Date | null;
  readonly version: number;
}

/** The subset of a user everyone in scope may see: no contact details. */
export type UserSummary = Omit<User, 'phone' | 'email'>;

/**
 * Checks that a role, its department and its scope region fit together, and
 * returns the problems as field → message. Pure, so the web form, the API
 * and the bulk import give the same answers.
 */
export function checkRoleScope(input: {
  role: Role;
  departmentId: number | null;
  scopeRegionLevel: RegionLevel | null;
}): Record<string, string> {
  const problems: Record<string, string> = {};
  const { role, departmentId, scopeRegionLevel } = input;
  if (role === 'handler' && departmentId === null) problems.departmentId = 'a handler must belong to a department';
  if (role === 'citizen') {
    if (departmentId !== null) problems.departmentId = 'a citizen has no department';
    if (scopeRegionLevel !== null) problems.scopeRegionId = 'a citizen has no scope region';
  }
  if (role === 'cadre' && (scopeRegionLevel === null || scopeRegionLevel === 'city')) {
    problems.scopeRegionId = 'a cadre is scoped to a district, street or community';
  }
  if (
    (role === 'coordinator' || role === 'auditor' || role === 'admin') &&
    scopeRegionLevel !== null &&
    scopeRegionLevel !== 'city' &&
    scopeRegionLevel !== 'district'
  ) {
    problems.scopeRegionId = `a ${role} is scoped to the city or one district`;
  }
  return problems;
}

/** Whether a lockout is in force at `now`. */
export function isLocked(user: Pick<User, 'lockedUntil'>, now: Date): boolean {
  return user.lockedUntil !== null && user.lockedUntil.getTime() > now.getTime();
}

/** The fields a change actually altered (for the audit log): requested and now different. */
export function changedFields<T extends object>(before: T, after: T, requested: readonly string[]): string[] {
  return requested.filter(
    (field) => field in before && JSON.stringify(before[field as keyof T]) !== JSON.stringify(after[field as keyof T]),
  );
}
