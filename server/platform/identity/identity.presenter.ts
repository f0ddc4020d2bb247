import type { ApiToken, Me } from '../../../contracts/platform.ts';
import type { Region, User } from '../organisation/organisation.ts';
import type { StoredApiToken } from './identity.repository.ts';

export function presentMe(user: User, city: Region): Me {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    departmentId: user.departmentId,
    departmentName: user.departmentName,
    scopeRegionId: user.scopeRegionId,
    scopeRegionName: user.scopeRegionName,
    mustChangePassword: user.mustChangePassword,
    city: { id: city.id, code: city.code, name: city.name, nameEn: city.nameEn },
  };
}

export function presentApiToken(token: StoredApiToken): ApiToken {
  return {
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt?.toISOString() ?? null,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
  };
}
