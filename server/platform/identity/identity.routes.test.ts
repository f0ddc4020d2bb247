import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { ApiToken, SessionResponse, User } from '../../../contracts/platform.ts';
import {
  TEST_PASSWORD,
  assertProblem,
  buildTestApp,
  loginAs,
  testClock,
  type TestSession,
} from '../../../test/factories.ts';

/**
 * Sign-in, sessions, CSRF, API tokens and passwords through the real HTTP
 * app. Each scenario uses its own account of the test city, so a lockout or
 * a changed password in one test cannot leak into another.
 */

const login = (app: FastifyInstance, username: string, password = TEST_PASSWORD): Promise<LightMyRequestResponse> =>
  app.inject({ method: 'POST', url: '/api/v1/session', payload: { username, password } });

const whoAmI = (app: FastifyInstance, session: TestSession): Promise<LightMyRequestResponse> =>
  app.inject({ url: '/api/v1/session', headers: session.headers });

/** A user as an admin sees it, found by exact username. */
async function findUser(app: FastifyInstance, admin: TestSession, username: string): Promise<User> {
  const response = await app.inject({ url: `/api/v1/users?q=${username}`, headers: admin.headers });
  const user = response.json<{ items: User[] }>().items.find((candidate) => candidate.username === username);
  assert.ok(user, `user ${username} exists`);
  return user;
}

async function departmentTotal(app: FastifyInstance, session: TestSession): Promise<number> {
  const response = await app.inject({ url: '/api/v1/departments?limit=1', headers: session.headers });
  assert.equal(response.statusCode, 200);
  return response.json<{ total: number }>().total;
}

describe('sessions, CSRF, tokens and passwords', () => {
  let app: FastifyInstance;
  let admin: TestSession;

  before(async () => {
    ({ app } = await buildTestApp({ env: { LOGIN_MAX_FAILURES: '3', LOGIN_RATE_LIMIT_PER_MINUTE: '1000' } }));
    admin = await loginAs(app, 'admin');
  });
  after(() => app.close());

  test('a good login returns the user and a CSRF token and sets a Secure, httpOnly, SameSite=Lax cookie', async () => {
    const response = await login(app, 'coordinator');
    assert.equal(response.statusCode, 200);
    const body = response.json<SessionResponse>();
    assert.equal(body.user.username, 'coordinator');
    assert.equal(body.user.role, 'coordinator');
    assert.equal(body.user.mustChangePassword, false);
    assert.ok(body.csrfToken.length >= 20);

    const setCookie = [response.headers['set-cookie']].flat().find((header) => header?.startsWith('minxin_session='));
    assert.ok(setCookie, 'a session cookie is set');
    const attributes = setCookie.split(';').map((part) => part.trim());
    assert.match(attributes[0]!, /^minxin_session=mxs_\d+_[A-Za-z0-9_-]{43}$/);
    for (const attribute of ['HttpOnly', 'Secure', 'SameSite=Lax', 'Path=/']) {
      assert.ok(attributes.includes(attribute), `Set-Cookie has ${attribute}: ${setCookie}`);
    }
    assert.ok(!JSON.stringify(body).includes(attributes[0]!.split('=')[1]!), 'the cookie secret is not in the body');
  });

  test('a wrong password and an unknown user get the same 401, so usernames cannot be guessed', async () => {
    const wrongPassword = assertProblem(await login(app, 'auditor', 'not-the-password'), 401, 'invalid_credentials');
    const unknownUser = assertProblem(await login(app, 'nobody-here', 'not-the-password'), 401, 'invalid_credentials');
    assert.equal(unknownUser.detail, wrongPassword.detail);
    assert.equal(unknownUser.title, wrongPassword.title);
    assert.equal(unknownUser.type, wrongPassword.type);
    assert.equal((await login(app, 'auditor')).statusCode, 200);
  });

  test('LOGIN_MAX_FAILURES wrong passwords lock the account even against the right one, until an admin unlocks it', async () => {
    assertProblem(await login(app, 'coordinator-east', 'wrong-password-1'), 401, 'invalid_credentials');
    assertProblem(await login(app, 'coordinator-east', 'wrong-password-2'), 401, 'invalid_credentials');
    const locked = await login(app, 'coordinator-east', 'wrong-password-3');
    assertProblem(locked, 423, 'account_locked');
    assert.ok(locked.headers['retry-after'], 'a locked answer says when to retry');
    assertProblem(await login(app, 'coordinator-east'), 423, 'account_locked');

    const user = await findUser(app, admin, 'coordinator-east');
    assert.equal(user.locked, true);
    const unlocked = await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      headers: admin.headers,
      payload: { version: user.version, unlock: true },
    });
    assert.equal(unlocked.statusCode, 200, unlocked.body);
    assert.equal(unlocked.json<User>().locked, false);
    assert.equal((await login(app, 'coordinator-east')).statusCode, 200);
  });

  test('after logout the cookie no longer works', async () => {
    const session = await loginAs(app, 'coordinator');
    assert.equal((await whoAmI(app, session)).statusCode, 200);
    const logout = await app.inject({ method: 'DELETE', url: '/api/v1/session', headers: session.headers });
    assert.equal(logout.statusCode, 204);
    assertProblem(await whoAmI(app, session), 401, 'session_expired');
  });

  test('a cookie-authenticated write without a valid CSRF token is refused and changes nothing', async () => {
    const before = await departmentTotal(app, admin);
    const payload = { code: 'csrf-probe', name: 'CSRF 探针' };
    const { 'x-csrf-token': _token, ...cookieOnly } = admin.headers;

    assertProblem(
      await app.inject({ method: 'POST', url: '/api/v1/departments', headers: cookieOnly, payload }),
      403,
      'csrf_failed',
    );
    const forged = { ...cookieOnly, 'x-csrf-token': 'A'.repeat(admin.csrfToken.length) };
    assertProblem(
      await app.inject({ method: 'POST', url: '/api/v1/departments', headers: forged, payload }),
      403,
      'csrf_failed',
    );
    assert.equal(await departmentTotal(app, admin), before);

    // The same request with the session's token goes through: the check is not refusing everything.
    const genuine = await app.inject({ method: 'POST', url: '/api/v1/departments', headers: admin.headers, payload });
    assert.equal(genuine.statusCode, 201, genuine.body);
    assert.equal(await departmentTotal(app, admin), before + 1);
  });

  test('an API token is shown once, works as a Bearer token without CSRF, is never listed, and stops working when revoked', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      headers: admin.headers,
      payload: { name: 'reporting script' },
    });
    assert.equal(created.statusCode, 201, created.body);
    const token = created.json<ApiToken & { token: string }>();
    assert.match(token.token, /^mxt_\d+_[A-Za-z0-9_-]{43}$/);
    assert.ok(token.token.startsWith(token.prefix));
    const bearer = { authorization: `Bearer ${token.token}` };

    const read = await app.inject({ url: '/api/v1/departments', headers: bearer });
    assert.equal(read.statusCode, 200, read.body);
    const write = await app.inject({
      method: 'POST',
      url: '/api/v1/departments',
      headers: bearer,
      payload: { code: 'via-token', name: '令牌创建' },
    });
    assert.equal(write.statusCode, 201, write.body);

    const list = await app.inject({ url: '/api/v1/me/tokens', headers: admin.headers });
    assert.equal(list.statusCode, 200);
    const listed = list.json<{ items: ApiToken[] }>().items.find((item) => item.id === token.id);
    assert.ok(listed, 'the new token is listed');
    assert.equal(listed.prefix, token.prefix);
    assert.notEqual(listed.lastUsedAt, null);
    assert.ok(!list.body.includes(token.token), 'the list never shows the secret');
    assert.ok(!('token' in listed));

    const revoked = await app.inject({
      method: 'DELETE',
      url: `/api/v1/me/tokens/${token.id}`,
      headers: admin.headers,
    });
    assert.equal(revoked.statusCode, 204);
    assertProblem(await app.inject({ url: '/api/v1/departments', headers: bearer }), 401, 'unauthenticated');
    assertProblem(
      await app.inject({ url: '/api/v1/departments', headers: { authorization: 'Bearer mxt_1_not-a-token' } }),
      401,
      'unauthenticated',
    );
  });

  test('changing one’s password needs the current one, ends the other sessions and keeps this one', async () => {
    const current = await loginAs(app, 'cadre');
    const other = await loginAs(app, 'cadre');
    const newPassword = 'Another-password-2026';

    const wrong = await app.inject({
      method: 'PUT',
      url: '/api/v1/me/password',
      headers: current.headers,
      payload: { currentPassword: 'not-my-password', newPassword },
    });
    assert.deepEqual(
      assertProblem(wrong, 422, 'validation_failed').errors?.map((error) => error.path),
      ['currentPassword'],
    );
    assert.equal((await whoAmI(app, other)).statusCode, 200, 'a refused change ends nothing');

    const changed = await app.inject({
      method: 'PUT',
      url: '/api/v1/me/password',
      headers: current.headers,
      payload: { currentPassword: TEST_PASSWORD, newPassword },
    });
    assert.equal(changed.statusCode, 204, changed.body);
    assert.equal((await whoAmI(app, current)).statusCode, 200, 'the session that changed it lives on');
    assert.equal((await whoAmI(app, other)).statusCode, 401, 'the other session has ended');
    assertProblem(await login(app, 'cadre'), 401, 'invalid_credentials');
    assert.equal((await login(app, 'cadre', newPassword)).statusCode, 200);
  });

  test('an admin password reset ends the user’s sessions and forces a change at next login', async () => {
    const victim = await loginAs(app, 'handler-east');
    const temporary = 'Temporary-pass-2026';
    const reset = await app.inject({
      method: 'POST',
      url: `/api/v1/users/${victim.userId}/password-reset`,
      headers: admin.headers,
      payload: { newPassword: temporary },
    });
    assert.equal(reset.statusCode, 204, reset.body);
    assert.equal((await whoAmI(app, victim)).statusCode, 401);
    assertProblem(await login(app, 'handler-east'), 401, 'invalid_credentials');
    const fresh = await login(app, 'handler-east', temporary);
    assert.equal(fresh.statusCode, 200);
    assert.equal(fresh.json<SessionResponse>().user.mustChangePassword, true);
  });

  test('a citizen can register and is signed in; a taken username is a 409 duplicate', async () => {
    const payload = { username: 'new-citizen', password: 'Citizen-pass-2026', displayName: '新市民' };
    const registered = await app.inject({ method: 'POST', url: '/api/v1/citizens', payload });
    assert.equal(registered.statusCode, 201, registered.body);
    const body = registered.json<SessionResponse>();
    assert.equal(body.user.role, 'citizen');
    assert.equal(body.user.username, 'new-citizen');
    const cookie = registered.cookies.find((candidate) => candidate.name === 'minxin_session');
    assert.ok(cookie?.httpOnly);
    const me = await app.inject({ url: '/api/v1/session', headers: { cookie: `minxin_session=${cookie.value}` } });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json<SessionResponse>().user.username, 'new-citizen');

    assertProblem(await app.inject({ method: 'POST', url: '/api/v1/citizens', payload }), 409, 'duplicate');
    assertProblem(
      await app.inject({ method: 'POST', url: '/api/v1/citizens', payload: { ...payload, username: 'New-Citizen' } }),
      409,
      'duplicate',
    );
    assertProblem(
      await app.inject({ method: 'POST', url: '/api/v1/citizens', payload: { ...payload, username: 'admin' } }),
      409,
      'duplicate',
    );
    assert.equal((await login(app, 'new-citizen', payload.password)).statusCode, 200);
  });

  test('a deactivated user cannot log in and their sessions end', async () => {
    const session = await loginAs(app, 'handler-transport');
    const user = await findUser(app, admin, 'handler-transport');
    const disabled = await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      headers: admin.headers,
      payload: { version: user.version, active: false },
    });
    assert.equal(disabled.statusCode, 200, disabled.body);
    assert.equal(disabled.json<User>().active, false);
    assert.equal((await whoAmI(app, session)).statusCode, 401);
    assertProblem(await login(app, 'handler-transport'), 403, 'account_disabled');
  });
});

describe('login rate limit', () => {
  let app: FastifyInstance;
  before(async () => {
    ({ app } = await buildTestApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '3' } }));
  });
  after(() => app.close());

  test('more than LOGIN_RATE_LIMIT_PER_MINUTE attempts from one address get 429, even with the right password', async () => {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      assertProblem(await login(app, 'nobody-here', 'guess'), 401, 'invalid_credentials');
    }
    const limited = await login(app, 'admin');
    assertProblem(limited, 429, 'rate_limited');
    assert.ok(limited.headers['retry-after']);
  });
});

describe('session expiry', () => {
  const clock = testClock();
  let app: FastifyInstance;
  let ttlMs: number;
  before(async () => {
    const built = await buildTestApp({ clock: clock.now });
    app = built.app;
    ttlMs = built.deps.config.sessionTtlHours * 3_600_000;
  });
  after(() => app.close());

  test('a session works until SESSION_TTL_HOURS have passed, then answers 401 session_expired', async () => {
    const session = await loginAs(app, 'coordinator');
    clock.advance(ttlMs - 60_000);
    assert.equal((await whoAmI(app, session)).statusCode, 200);
    clock.advance(2 * 60_000);
    assertProblem(await whoAmI(app, session), 401, 'session_expired');
    assertProblem(await app.inject({ url: '/api/v1/departments', headers: session.headers }), 401, 'session_expired');
    assert.equal((await login(app, 'coordinator')).statusCode, 200, 'a fresh login works');
  });
});
