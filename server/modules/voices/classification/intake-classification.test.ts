import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { CaseDetailView, MessageReceiptView } from '../../../../contracts/voices.ts';
import { buildVoicesTestApp, loginAs, type TestSession } from '../../../../test/factories.ts';
import { intakeClassifierOf } from './intake-classifier.ts';

/** Intake with the shipped classifier: every message gets a suggestion; it files the case only when the citizen chose none. */
describe('classification at intake', () => {
  const streetLight = { title: '小区路灯坏了没人修', description: '我们小区的路灯坏了两个多月，物业和街道都说不归他们管，晚上出行很不安全，希望尽快维修。', kind: 'request_for_help' };
  let sure: { app: FastifyInstance; city: Awaited<ReturnType<typeof buildVoicesTestApp>>['city'] };
  let unsure: { app: FastifyInstance };
  let coordinator: TestSession;
  let coordinatorUnsure: TestSession;

  before(async () => {
    sure = await buildVoicesTestApp({ env: { CLASSIFIER_MIN_CONFIDENCE: '0', LOGIN_RATE_LIMIT_PER_MINUTE: '1000' } });
    unsure = await buildVoicesTestApp({ env: { CLASSIFIER_MIN_CONFIDENCE: '1', LOGIN_RATE_LIMIT_PER_MINUTE: '1000' } });
    coordinator = await loginAs(sure.app, 'coordinator');
    coordinatorUnsure = await loginAs(unsure.app, 'coordinator');
  });
  after(async () => {
    await sure.app.close();
    await unsure.app.close();
  });

  const submit = async (app: FastifyInstance, payload: Record<string, unknown>): Promise<MessageReceiptView> => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/messages', payload });
    assert.equal(response.statusCode, 201, response.body);
    return response.json<MessageReceiptView>();
  };
  const caseOf = async (app: FastifyInstance, session: TestSession, id: number): Promise<CaseDetailView> =>
    (await app.inject({ url: `/api/v1/cases/${id}`, headers: session.headers })).json<CaseDetailView>();

  test('an uncategorised message is filed under the suggestion when it is sure enough, and routed by it', async () => {
    const receipt = await submit(sure.app, streetLight);
    const detail = await caseOf(sure.app, coordinator, receipt.caseId);
    const suggestion = detail.messages[0]!.suggestion!;
    assert.equal(suggestion.categoryPath.split('/')[0], '城乡建设');
    assert.ok(suggestion.confidence > 0 && suggestion.confidence <= 1);
    assert.match(suggestion.model, /^default-model\.mxm@[0-9a-f]{12}$/);
    assert.equal(detail.categoryPath, suggestion.categoryPath);
    assert.equal(detail.state, 'dispatched', 'the 城乡建设 rule routes it');
    assert.equal(detail.departmentId, sure.city.departments.housing);
  });

  test('below the confidence the case waits in triage, the suggestion on its page', async () => {
    const receipt = await submit(unsure.app, streetLight);
    const detail = await caseOf(unsure.app, coordinatorUnsure, receipt.caseId);
    assert.equal(detail.state, 'accepted');
    assert.equal(detail.categoryPath, null);
    assert.equal(detail.messages[0]!.suggestion?.categoryPath.split('/')[0], '城乡建设');
  });

  test("the citizen's own category stands, with the suggestion kept beside it", async () => {
    const receipt = await submit(sure.app, { ...streetLight, categoryPath: '交通运输' });
    const detail = await caseOf(sure.app, coordinator, receipt.caseId);
    assert.equal(detail.categoryPath, '交通运输');
    assert.equal(detail.departmentId, sure.city.departments.transport);
    assert.equal(detail.messages[0]!.suggestion?.categoryPath.split('/')[0], '城乡建设');
  });

  test('a model file that is not a model is refused with the reason, never replaced by a default', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'minxin-model-'));
    const file = path.join(dir, 'broken.mxm');
    await writeFile(file, 'this is not a model');
    await assert.rejects(intakeClassifierOf({ classifierModelPath: file }), (error: Error & { code?: string }) => error.code === 'config_invalid' && error.message.includes(file));
    await assert.rejects(intakeClassifierOf({ classifierModelPath: path.join(dir, 'missing.mxm') }), /Cannot read the classifier model/);
  });
});
