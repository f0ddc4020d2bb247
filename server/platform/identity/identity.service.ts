import type { Actor } from '../authorization.ts';
import type { PlatformDeps, RequestContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { inTransaction, rethrowConstraint } from '../database/transaction.ts';
import { isLocked, type Region, type User } from '../organisation/organisation.ts';
import * as organisation from '../organisation/organisation.repository.ts';
import * as repository from './identity.repository.ts';
import type { StoredApiToken } from './identity.repository.ts';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './password.ts';
import { issueSecret, parseSecret, randomToken } from './secret-token.ts';

/** The acting user, or `unauthenticated` when the request carries no valid credentials. */
export function requireActor(context: RequestContext): Actor {
  if (!context.actor) throw new AppError('unauthenticated', 'Please log in first');
  return context.actor;
}

export function actorOf(user: User, via: Actor['via']): Actor {
  return {
    regionId: user.regionId,
    userId: user.id,
    username: user.username,
    role: user.role,
    departmentId: user.departmentId,
    scopePath: user.scopePath,
    via,
  };
}

/** The city a request is for: the named code, or the server's default city. */
export async function resolveCity(deps: PlatformDeps, code: string | undefined): Promise<Region> {
  const city = await organisation.findCityByCode(deps.db, code ?? deps.config.defaultCity);
  if (!city) throw new AppError('not_found', `City "${code ?? deps.config.defaultCity}" is not served here`);
  return city;
}

/** What a successful login or registration hands back. */
export interface SignedIn {
  readonly sessionSecret: string;
  readonly csrfToken: string;
  readonly expiresAt: Date;
  readonly user: User;
  readonly city: Region;
}

type LoginOutcome =
  | { ok: true; signedIn: SignedIn }
  | { ok: false; error: AppError };

/**
 * Password login. Failures are counted and audited (committed even though
 * the call fails); after `loginMaxFailures` the account is locked for
 * `loginLockMinutes`. Unknown users take as long as known ones.
 */
export async function login(
  deps: PlatformDeps,
  context: Omit<RequestContext, 'regionId' | 'actor'>,
  input: { username: string; password: string; city?: string | undefined },
): Promise<SignedIn> {
  const city = await resolveCity(deps, input.city);
  const invalid = new AppError('invalid_credentials', 'Wrong username or password');
  const user = await organisation.findUserByUsername(deps.db, city.id, input.username);
  if (!user) {
    await verifyAgainstDummy(input.password);
    throw invalid;
  }
  const now = deps.clock();
  const auditContext: RequestContext = { ...context, regionId: city.id, actor: actorOf(user, 'session') };
  const locked = () =>
    new AppError('account_locked', `Too many failed logins; try again after ${user.lockedUntil?.toISOString() ?? 'a while'}`, {
      lockedUntil: user.lockedUntil?.toISOString(),
    });
  if (isLocked(user, now)) {
    await verifyAgainstDummy(input.password);
    throw locked();
  }
  const passwordHash = (await organisation.findPasswordHash(deps.db, city.id, user.id))!;
  const passwordOk = await verifyPassword(passwordHash, input.password);

  const outcome = await inTransaction<LoginOutcome>(deps.db, async (trx) => {
    if (!passwordOk) {
      const lockUntil = new Date(now.getTime() + deps.config.loginLockMinutes * 60_000);
      const lockedUntil = await organisation.recordLoginFailure(trx, city.id, user.id, deps.config.loginMaxFailures, lockUntil);
      await recordAudit(trx, auditContext, { action: 'session.login_failed', resourceType: 'user', resourceId: user.id, details: { locked: lockedUntil !== null } }, now);
      if (lockedUntil && lockedUntil.getTime() > now.getTime()) {
        return { ok: false, error: new AppError('account_locked', `Too many failed logins; the account is locked until ${lockedUntil.toISOString()}`, { lockedUntil: lockedUntil.toISOString() }) };
      }
      return { ok: false, error: invalid };
    }
    if (!user.active) return { ok: false, error: new AppError('account_disabled', 'This account has been disabled; ask an administrator') };
    await organisation.recordLoginSuccess(trx, city.id, user.id, now);
    const signedIn = await openSession(trx, deps, city, user, context.ip, now);
    await recordAudit(trx, auditContext, { action: 'session.login', resourceType: 'user', resourceId: user.id }, now);
    return { ok: true, signedIn };
  });
  if (!outcome.ok) throw outcome.error;
  return outcome.signedIn;
}

async function openSession(
  trx: PlatformDeps['db'],
  deps: PlatformDeps,
  city: Region,
  user: User,
  ip: string | null,
  now: Date,
): Promise<SignedIn> {
  const secret = issueSecret('session', city.id);
  const csrfToken = randomToken();
  const expiresAt = new Date(now.getTime() + deps.config.sessionTtlHours * 3_600_000);
  await repository.insertSession(trx, city.id, { tokenHash: secret.hash, userId: user.id, csrfToken, ip, expiresAt });
  return { sessionSecret: secret.secret, csrfToken, expiresAt, user, city };
}

/** A session looked up from its cookie. */
export interface ResolvedSession {
  readonly sessionId: number;
  readonly csrfToken: string;
  readonly user: User;
  readonly actor: Actor;
}

/** Finds the live session a cookie names; `session_expired` when it ended, `unauthenticated` when unknown. */
export async function resolveSession(deps: PlatformDeps, sessionSecret: string): Promise<ResolvedSession> {
  const parsed = parseSecret('session', sessionSecret);
  if (!parsed) throw new AppError('unauthenticated', 'Please log in first');
  const session = await repository.findSession(deps.db, parsed.regionId, parsed.hash);
  if (!session) throw new AppError('unauthenticated', 'Please log in first');
  if (session.revokedAt !== null || session.expiresAt.getTime() <= deps.clock().getTime()) {
    throw new AppError('session_expired', 'Your session has ended; please log in again');
  }
  const user = await organisation.findUser(deps.db, parsed.regionId, session.userId);
  if (!user || !user.active) throw new AppError('session_expired', 'Your session has ended; please log in again');
  return { sessionId: session.id, csrfToken: session.csrfToken, user, actor: actorOf(user, 'session') };
}

export async function logout(deps: PlatformDeps, context: RequestContext, sessionId: number): Promise<void> {
  await inTransaction(deps.db, async (trx) => {
    const now = deps.clock();
    await repository.revokeSession(trx, context.regionId, sessionId, now);
    await recordAudit(trx, context, { action: 'session.logout', resourceType: 'user', resourceId: context.actor?.userId ?? null }, now);
  });
}

/** Finds the user behind a personal API token (`Authorization: Bearer mxt_…`). */
export async function resolveApiToken(deps: PlatformDeps, bearer: string): Promise<{ user: User; actor: Actor }> {
  const parsed = parseSecret('api', bearer);
  const rejected = () => new AppError('unauthenticated', 'The API token is not valid');
  if (!parsed) throw rejected();
  const token = await repository.findApiTokenByHash(deps.db, parsed.regionId, parsed.hash);
  const now = deps.clock();
  if (!token || token.revokedAt !== null || (token.expiresAt !== null && token.expiresAt.getTime() <= now.getTime())) throw rejected();
  const user = await organisation.findUser(deps.db, parsed.regionId, token.userId);
  if (!user || !user.active || isLocked(user, now)) throw rejected();
  // Recording every use would write on every request; once a minute is enough to tell stale tokens.
  if (token.lastUsedAt === null || now.getTime() - token.lastUsedAt.getTime() > 60_000) {
    await repository.touchApiToken(deps.db, parsed.regionId, token.id, now);
  }
  return { user, actor: actorOf(user, 'token') };
}

/** A citizen opens an account and is signed in at once. */
export async function registerCitizen(
  deps: PlatformDeps,
  context: Omit<RequestContext, 'regionId' | 'actor'>,
  input: { username: string; password: string; displayName: string; phone?: string | undefined; email?: string | undefined; city?: string | undefined },
): Promise<SignedIn> {
  const city = await resolveCity(deps, input.city);
  const passwordHash = await hashPassword(input.password);
  return inTransaction(deps.db, async (trx) => {
    const now = deps.clock();
    const id = await organisation
      .insertUser(trx, city.id, input.username, {
        displayName: input.displayName,
        role: 'citizen',
        departmentId: null,
        scopeRegionId: null,
        phone: input.phone ?? null,
        email: input.email ?? null,
        passwordHash,
        mustChangePassword: false,
      })
      .catch((error: unknown) => rethrowConstraint(error, `Username ${input.username}`));
    const user = (await organisation.findUser(trx, city.id, id))!;
    const signedIn = await openSession(trx, deps, city, user, context.ip, now);
    await recordAudit(trx, { ...context, regionId: city.id, actor: actorOf(user, 'session') }, { action: 'user.register', resourceType: 'user', resourceId: id, after: { username: user.username, role: user.role } }, now);
    return signedIn;
  });
}

/** Changes one's own password after checking the current one; other sessions are ended. */
export async function changeOwnPassword(
  deps: PlatformDeps,
  context: RequestContext,
  input: { currentPassword: string; newPassword: string },
  currentSessionId: number | undefined,
): Promise<void> {
  const actor = requireActor(context);
  const stored = await organisation.findPasswordHash(deps.db, context.regionId, actor.userId);
  if (!stored || !(await verifyPassword(stored, input.currentPassword))) {
    throw new AppError('validation_failed', 'The current password is wrong', { errors: [{ path: 'currentPassword', message: 'wrong password' }] });
  }
  if (input.currentPassword === input.newPassword) {
    throw new AppError('validation_failed', 'The new password must differ from the current one', { errors: [{ path: 'newPassword', message: 'same as current' }] });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await inTransaction(deps.db, async (trx) => {
    const now = deps.clock();
    await organisation.setPasswordHash(trx, context.regionId, actor.userId, passwordHash, false, now);
    await repository.revokeUserSessions(trx, context.regionId, actor.userId, now, currentSessionId);
    await recordAudit(trx, context, { action: 'user.change_password', resourceType: 'user', resourceId: actor.userId }, now);
  });
}

export function listOwnApiTokens(deps: PlatformDeps, context: RequestContext): Promise<StoredApiToken[]> {
  const actor = requireActor(context);
  return repository.listApiTokens(deps.db, context.regionId, actor.userId);
}

/** Issues a personal API token; the secret is returned this once and only its hash is kept. */
export async function createOwnApiToken(
  deps: PlatformDeps,
  context: RequestContext,
  input: { name: string; expiresInDays?: number | undefined },
): Promise<StoredApiToken & { token: string }> {
  const actor = requireActor(context);
  return inTransaction(deps.db, async (trx) => {
    const now = deps.clock();
    const secret = issueSecret('api', context.regionId);
    const expiresAt = input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000) : null;
    const token = await repository.insertApiToken(trx, context.regionId, {
      userId: actor.userId,
      name: input.name,
      tokenHash: secret.hash,
      prefix: secret.prefix,
      expiresAt,
      now,
    });
    await recordAudit(trx, context, { action: 'api_token.create', resourceType: 'api_token', resourceId: token.id, details: { name: input.name } }, now);
    return { ...token, token: secret.secret };
  });
}

export async function revokeOwnApiToken(deps: PlatformDeps, context: RequestContext, id: number): Promise<void> {
  const actor = requireActor(context);
  await inTransaction(deps.db, async (trx) => {
    const now = deps.clock();
    if (!(await repository.revokeApiToken(trx, context.regionId, actor.userId, id, now))) {
      throw new AppError('not_found', `You have no active API token ${id}`);
    }
    await recordAudit(trx, context, { action: 'api_token.revoke', resourceType: 'api_token', resourceId: id }, now);
  });
}
