import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { assertProblem, buildTestApp, loginAs, TEST_PASSWORD, type TestSession } from '../../../test/factories.ts';
import { createLogger } from '../logger.ts';

/**
 * What the HTTP app does with input it should refuse, and the edges every
 * response shares: problem+json errors, health, metrics, security headers,
 * request ids, and logs free of personal data. The app logs at `trace` into
 * memory for the whole file, so every request below is checked for leaks.
 */

const logLines: string[] = [];
let app: FastifyInstance;
let admin: TestSession;

describe('the HTTP app with bad input', () => {
  before(async () => {
    const logger = createLogger('trace', { write: (line: string) => void logLines.push(line) });
    ({ app } = await buildTestApp({ logger, env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000' } }));
    admin = await loginAs(app, 'admin');
  });
  after(() => app.close());

  async function departmentCount(): Promise<number> {
    const response = await app.inject({ url: '/api/v1/departments?limit=1', headers: admin.headers });
    assert.equal(response.statusCode, 200);
    return response.json<{ total: number }>().total;
  }

  /** Posts to the department route as admin and checks that nothing was created. */
  async function postDepartment(request: Pick<InjectOptions, 'payload' | 'headers'>) {
    const before = await departmentCount();
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/departments',
      ...request,
      headers: { ...admin.headers, 'content-type': 'application/json', ...request.headers },
    });
    assert.equal(await departmentCount(), before, 'no department was created');
    return response;
  }

  describe('bad bodies on POST /api/v1/departments', () => {
    test('malformed JSON is 400 invalid_body', async () => {
      assertProblem(await postDepartment({ payload: '{"code": "broken", "name": ' }), 400, 'invalid_body');
    });

    test('an empty JSON body is 400 invalid_body', async () => {
      assertProblem(await postDepartment({ payload: '' }), 400, 'invalid_body');
    });

    test('an unknown field is 422 validation_failed with errors', async () => {
      const problem = assertProblem(
        await postDepartment({ payload: { code: 'water', name: '水务局', colour: 'blue' } }),
        422,
        'validation_failed',
      );
      assert.ok(problem.errors && problem.errors.length > 0);
      assert.ok(problem.errors.every((error) => error.path.startsWith('body')));
      assert.match(JSON.stringify(problem.errors), /colour/);
    });

    test('a field of the wrong type is 422 validation_failed naming the field', async () => {
      const problem = assertProblem(
        await postDepartment({ payload: { code: 42, name: '水务局' } }),
        422,
        'validation_failed',
      );
      assert.deepEqual(
        problem.errors?.map((error) => error.path),
        ['body.code'],
      );
    });

    test('a body over 1 MB is 413 payload_too_large', async () => {
      const payload = JSON.stringify({ code: 'huge', name: '大', address: 'x'.repeat(1024 * 1024) });
      assertProblem(await postDepartment({ payload }), 413, 'payload_too_large');
    });

    test('a content type no parser takes is 415 unsupported_media_type', async () => {
      const response = await postDepartment({
        payload: '<department code="water"/>',
        headers: { 'content-type': 'application/xml' },
      });
      assertProblem(response, 415, 'unsupported_media_type');
    });

    test('text/plain on a JSON route is refused as problem+json without creating anything', async () => {
      const response = await postDepartment({
        payload: '{"code":"plain","name":"纯文本"}',
        headers: { 'content-type': 'text/plain' },
      });
      assert.ok(response.statusCode >= 400 && response.statusCode < 500, response.body);
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    });

    test('text/plain on a JSON route is 415 unsupported_media_type', async () => {
      const response = await postDepartment({
        payload: '{"code":"plain","name":"纯文本"}',
        headers: { 'content-type': 'text/plain' },
      });
      assertProblem(response, 415, 'unsupported_media_type');
    });
  });

  describe('the edges every response shares', () => {
    test('an unknown API path is a problem+json 404', async () => {
      assertProblem(await app.inject({ url: '/api/v1/no-such-thing', headers: admin.headers }), 404, 'not_found');
      assertProblem(await app.inject({ method: 'POST', url: '/api/v1/no-such-thing' }), 404, 'not_found');
    });

    test('/health answers ok', async () => {
      const response = await app.inject({ url: '/health' });
      assert.equal(response.statusCode, 200);
      assert.equal(response.json<{ status: string }>().status, 'ok');
    });

    test('/metrics exposes request counts in the Prometheus format', async () => {
      const response = await app.inject({ url: '/metrics' });
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^text\/plain/);
      assert.match(response.body, /^minxin_http_requests_total\{.*route="\/api\/v1\/departments".*\} \d+$/m);
      assert.doesNotMatch(response.body, /13800138000|\?q=/, 'metrics label routes by pattern, never by raw URL');
    });

    test('security headers are set and CORS is off by default', async () => {
      const response = await app.inject({ url: '/api/v1/regions', headers: { origin: 'https://evil.example' } });
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-security-policy']), /default-src 'self'/);
      assert.match(String(response.headers['content-security-policy']), /frame-ancestors 'none'/);
      assert.equal(response.headers['x-content-type-options'], 'nosniff');
      assert.equal(response.headers['access-control-allow-origin'], undefined);
      assert.equal(response.headers['access-control-allow-credentials'], undefined);
    });

    test('a well-formed x-request-id is echoed; anything else is replaced by a fresh id', async () => {
      const echoed = await app.inject({ url: '/health', headers: { 'x-request-id': 'trace-42.abc_DEF' } });
      assert.equal(echoed.headers['x-request-id'], 'trace-42.abc_DEF');
      const replaced = await app.inject({ url: '/health', headers: { 'x-request-id': 'not ok; <script>' } });
      assert.match(String(replaced.headers['x-request-id']), /^[0-9a-f-]{36}$/);
      const problem = await app.inject({
        url: '/api/v1/no-such-thing',
        headers: { 'x-request-id': 'failing-request-1' },
      });
      assert.equal(problem.headers['x-request-id'], 'failing-request-1');
    });
  });

  describe('logs', () => {
    test('carry requests but no passwords, phone numbers or session cookies', async () => {
      const session = await loginAs(app, 'coordinator');
      const searched = await app.inject({ url: '/api/v1/users?q=13800138000', headers: session.headers });
      assert.equal(searched.statusCode, 200);
      const wrongLogin = await app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { username: 'coordinator', password: 'Wrong-password-13800138000' },
      });
      assert.equal(wrongLogin.statusCode, 401);
      const invalid = await app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: admin.headers,
        payload: { username: 'x', displayName: '某人', role: 'handler', password: TEST_PASSWORD, phone: '13800138000' },
      });
      assert.equal(invalid.statusCode, 422);

      const log = logLines.join('');
      const lines = log
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { req?: { path?: string } });
      assert.ok(
        lines.some((line) => line.req?.path === '/api/v1/users'),
        'the request to /api/v1/users was logged',
      );
      const sessionSecret = session.headers.cookie!.split('=')[1]!;
      for (const secret of [
        TEST_PASSWORD,
        'Wrong-password',
        '13800138000',
        sessionSecret,
        admin.headers.cookie!.split('=')[1]!,
        session.csrfToken,
      ]) {
        assert.ok(!log.includes(secret), `the log must not contain ${secret.slice(0, 6)}…`);
      }
    });
  });
});
