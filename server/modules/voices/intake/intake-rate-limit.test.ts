import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { assertProblem, buildVoicesTestApp } from '../../../../test/factories.ts';

/** The public form is anonymous by design, so each address may submit only so many messages a minute. */
describe('intake rate limit (INTAKE_RATE_LIMIT_PER_MINUTE)', () => {
  let app: FastifyInstance;

  before(async () => {
    ({ app } = await buildVoicesTestApp({ env: { INTAKE_RATE_LIMIT_PER_MINUTE: '3', NOTIFY_INTERVAL_SECONDS: '0' } }));
  });

  after(() => app.close());

  const post = (address: string, n: number) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/messages',
      remoteAddress: address,
      payload: { title: `第${n}条`, description: '小区门口的路灯坏了一周', kind: 'request_for_help' },
    });

  test('the fourth message a minute from one address is refused with 429 problem+json; another address is not', async () => {
    for (let n = 1; n <= 3; n += 1) assert.equal((await post('203.0.113.7', n)).statusCode, 201);
    const refused = await post('203.0.113.7', 4);
    assertProblem(refused, 429, 'rate_limited');
    assert.equal((await post('198.51.100.9', 5)).statusCode, 201);
  });
});

describe('intake rate limit off (0)', () => {
  let app: FastifyInstance;

  before(async () => {
    ({ app } = await buildVoicesTestApp({ env: { INTAKE_RATE_LIMIT_PER_MINUTE: '0', NOTIFY_INTERVAL_SECONDS: '0' } }));
  });

  after(() => app.close());

  test('a gateway or a benchmark may turn it off', async () => {
    for (let n = 1; n <= 5; n += 1) {
      const response = await app.inject({ method: 'POST', url: '/api/v1/messages', remoteAddress: '203.0.113.8', payload: { title: `第${n}条`, description: '路灯坏了', kind: 'request_for_help' } });
      assert.equal(response.statusCode, 201, response.body);
    }
  });
});
