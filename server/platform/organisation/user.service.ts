import { assertAllowed, isAllowed, type Resource, type Role } from '../authorization.ts';
import type { PlatformDeps, RequestContext, Trx } from '../context.ts';
import { AppError } from '../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { inTransaction, rethrowConstraint } from '../database/transaction.ts';
import { requireActor } from '../identity/identity.service.ts';
import { revokeUserSessions } from '../identity/identity.repository.ts';
import { hashPassword } from '../identity/password.ts';
import { changedFields, checkRoleScope, type User, type UserSummary } from './organisation.ts';
import * as repository from './organisation.repository.ts';
import type { Page, PageRequest, UserFields } from './organisation.repository.ts';

const asResource = (user: Pick<User, 'id' | 'role' | 'departmentId' | 'scopePath'>): Resource => ({
  kind: 'user',
  id: user.id,
  role: user.role,
  departmentId: user.departmentId,
  path: user.scopePath,
});

const summarise = ({ phone: _phone, email: _email, ...summary }: User): UserSummary => summary;

/**
 * Users the actor may see: admins, coordinators and auditors see their
 * region scope; handlers see their own department only.
 */
export async function listUsers(
  deps: PlatformDeps,
  context: RequestContext,
  filter: { q?: string; role?: Role; departmentId?: number },
  page: PageRequest,
): Promise<Page<UserSummary>> {
  const actor = requireActor(context);
  assertAllowed(actor, 'user.read');
  const scope =
    actor.role === 'handler'
      ? { onlyDepartmentId: actor.departmentId ?? -1, orUserId: actor.userId }
      : { withinPath: actor.scopePath };
  const result = await repository.listUsers(deps.db, context.regionId, { ...filter, ...scope }, page);
  return { items: result.items.map(summarise), total: result.total };
}

/**
 * One user. Admins in scope get contact details, and that read of personal
 * data is written to the audit log; others in scope get the summary.
 */
export async function getUser(deps: PlatformDeps, context: RequestContext, id: number): Promise<User | UserSummary> {
  const actor = requireActor(context);
  assertAllowed(actor, 'user.read');
  const user = await repository.findUser(deps.db, context.regionId, id);
  if (!user) throw new AppError('not_found', `User ${id} does not exist`);
  const resource = asResource(user);
  assertAllowed(actor, 'user.read', resource);
  if (!isAllowed(actor, 'user.read_personal', resource)) return summarise(user);
  await inTransaction(deps.db, (trx) =>
    recordAudit(trx, context, { action: 'user.read_personal', resourceType: 'user', resourceId: id, details: { fields: ['phone', 'email'] } }, deps.clock()),
  );
  return user;
}

/** Checks role, department and scope region together; returns the scope path the user will have. */
async function validatePlacement(
  trx: Trx,
  regionId: number,
  placement: { role: Role; departmentId: number | null; scopeRegionId: number | null },
): Promise<string> {
  const department = placement.departmentId === null ? undefined : await repository.findDepartment(trx, regionId, placement.departmentId);
  if (placement.departmentId !== null && !department) {
    throw new AppError('validation_failed', `Department ${placement.departmentId} does not exist`, { errors: [{ path: 'departmentId', message: 'unknown department' }] });
  }
  const scopeRegion = placement.scopeRegionId === null ? undefined : await repository.findRegion(trx, regionId, placement.scopeRegionId);
  if (placement.scopeRegionId !== null && !scopeRegion) {
    throw new AppError('validation_failed', `Region ${placement.scopeRegionId} does not exist`, { errors: [{ path: 'scopeRegionId', message: 'unknown region' }] });
  }
  const problems = checkRoleScope({ ...placement, scopeRegionLevel: scopeRegion?.level ?? null });
  const errors = Object.entries(problems).map(([path, message]) => ({ path, message }));
  if (errors.length > 0) throw new AppError('validation_failed', errors.map((error) => error.message).join('; '), { errors });
  return scopeRegion?.path ?? department?.path ?? `/${regionId}/`;
}

export interface UserInput {
  username: string;
  displayName: string;
  role: Role;
  password: string;
  departmentId?: number | undefined;
  scopeRegionId?: number | undefined;
  phone?: string | undefined;
  email?: string | undefined;
}

/**
 * Creates an account. Accounts made by an admin must change their password
 * at first login unless `mustChangePassword` is false (demo and CLI seeding).
 */
export async function createUser(
  deps: PlatformDeps,
  context: RequestContext,
  input: UserInput,
  options: { mustChangePassword?: boolean } = {},
): Promise<User> {
  const actor = requireActor(context);
  assertAllowed(actor, 'user.manage');
  const passwordHash = await hashPassword(input.password);
  return inTransaction(deps.db, async (trx) => {
    const fields: UserFields = {
      displayName: input.displayName,
      role: input.role,
      departmentId: input.departmentId ?? null,
      scopeRegionId: input.scopeRegionId ?? null,
      phone: input.phone ?? null,
      email: input.email ?? null,
    };
    const path = await validatePlacement(trx, context.regionId, fields);
    assertAllowed(actor, 'user.manage', { kind: 'user', id: 0, role: fields.role, departmentId: fields.departmentId, path });
    const id = await repository
      .insertUser(trx, context.regionId, input.username, { ...fields, passwordHash, mustChangePassword: options.mustChangePassword ?? true })
      .catch((error: unknown) => rethrowConstraint(error, `Username ${input.username}`));
    const user = (await repository.findUser(trx, context.regionId, id))!;
    await recordAudit(trx, context, { action: 'user.create', resourceType: 'user', resourceId: id, after: user, details: { role: user.role } }, deps.clock());
    return user;
  });
}

export type UserChange = { version: number; active?: boolean | undefined; unlock?: true | undefined } & {
  [K in keyof UserFields]?: UserFields[K] | undefined;
};

/** Changes an account if unchanged since `version`; disabling it ends its sessions. */
export async function updateUser(deps: PlatformDeps, context: RequestContext, id: number, change: UserChange): Promise<User> {
  const actor = requireActor(context);
  assertAllowed(actor, 'user.manage');
  return inTransaction(deps.db, async (trx) => {
    const before = await repository.findUser(trx, context.regionId, id);
    if (!before) throw new AppError('not_found', `User ${id} does not exist`);
    assertAllowed(actor, 'user.manage', asResource(before));
    const placement = {
      role: change.role ?? before.role,
      departmentId: change.departmentId !== undefined ? change.departmentId : before.departmentId,
      scopeRegionId: change.scopeRegionId !== undefined ? change.scopeRegionId : before.scopeRegionId,
    };
    const path = await validatePlacement(trx, context.regionId, placement);
    assertAllowed(actor, 'user.manage', { kind: 'user', id, role: placement.role, departmentId: placement.departmentId, path });
    const roleChanges = change.role !== undefined && change.role !== before.role;
    if (id === actor.userId && (roleChanges || change.active === false)) {
      throw new AppError('forbidden', 'You cannot change your own role or disable yourself');
    }
    const now = deps.clock();
    const { version, ...fields } = change;
    if (!(await repository.updateUser(trx, context.regionId, id, version, fields, now))) {
      throw new AppError('version_conflict', `User ${id} was changed by someone else; reload and try again`, { currentVersion: before.version });
    }
    if ((change.active === false && before.active) || roleChanges) await revokeUserSessions(trx, context.regionId, id, now);
    const after = (await repository.findUser(trx, context.regionId, id))!;
    await recordAudit(trx, context, { action: 'user.update', resourceType: 'user', resourceId: id, before, after, details: { fields: changedFields(before, after, Object.keys(fields)) } }, now);
    return after;
  });
}

/** An admin sets a temporary password: the user must change it at next login, and their sessions end. */
export async function resetPassword(deps: PlatformDeps, context: RequestContext, id: number, newPassword: string): Promise<void> {
  const actor = requireActor(context);
  assertAllowed(actor, 'user.reset_password');
  const passwordHash = await hashPassword(newPassword);
  await inTransaction(deps.db, async (trx) => {
    const user = await repository.findUser(trx, context.regionId, id);
    if (!user) throw new AppError('not_found', `User ${id} does not exist`);
    assertAllowed(actor, 'user.reset_password', asResource(user));
    const now = deps.clock();
    await repository.setPasswordHash(trx, context.regionId, id, passwordHash, true, now);
    await revokeUserSessions(trx, context.regionId, id, now);
    await recordAudit(trx, context, { action: 'user.reset_password', resourceType: 'user', resourceId: id }, now);
  });
}
