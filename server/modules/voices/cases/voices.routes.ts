import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParamsSchema, pageOf } from '../../../../contracts/platform.ts';
import {
  caseBulkEventRequestSchema,
  caseBulkEventResultSchema,
  caseDetailSchema,
  caseEventRequestSchema,
  caseExportQuerySchema,
  caseListQuerySchema,
  caseSummarySchema,
  categoryListSchema,
  idempotencyHeadersSchema,
  messageCreateSchema,
  messageReceiptSchema,
  routingRuleInputSchema,
  routingRuleListQuerySchema,
  routingRuleListSchema,
  routingRuleSchema,
  trackedCaseSchema,
  trackingParamsSchema,
  trackingRatingSchema,
  type CaseEventRequest,
} from '../../../../contracts/voices.ts';
import type { PlatformDeps } from '../../../platform/index.ts';
import type { CaseEvent } from './case.ts';
import * as cases from './case.service.ts';
import { contentDisposition } from './case-export.ts';
import { exportCases } from './case-export.service.ts';
import * as categories from '../routing/category.service.ts';
import * as intake from '../intake/intake.service.ts';
import * as routing from '../routing/routing.service.ts';
import * as tracking from './tracking.service.ts';
import { presentBulkOutcomes, presentCaseDetail, presentCaseSummary, presentCategory, presentReceipt, presentRoutingRule, presentTrackedCase } from './voices.presenter.ts';

/** Tracking codes are credentials: guessing them is slowed down per address. */
const TRACKING_RATE_LIMIT = { max: 60, timeWindow: 60_000 };

/** The wire form of an event, with its due date as a Date. */
function toCaseEvent(event: CaseEventRequest): CaseEvent {
  return 'dueAt' in event && event.dueAt !== undefined ? ({ ...event, dueAt: new Date(event.dueAt) } as CaseEvent) : (event as CaseEvent);
}

/** HTTP adapter of the voices loop: parse → one service call → present. */
export function voicesRoutes(app: FastifyInstance, deps: PlatformDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post('/api/v1/messages', {
    config: { access: 'public', ...(deps.config.intakeRateLimitPerMinute > 0 ? { rateLimit: { max: deps.config.intakeRateLimitPerMinute, timeWindow: 60_000 } } : {}) },
    schema: {
      tags: ['voices'],
      summary: 'Submit a message (anonymous or signed in; channel web, api or, for cadres on a home visit, visit); honours Idempotency-Key; returns the tracking code',
      headers: idempotencyHeadersSchema,
      body: messageCreateSchema,
      response: { 201: messageReceiptSchema },
    },
  }, async (request, reply) => {
    const { channel = 'api', ...message } = request.body;
    const receipt = await intake.submitMessage(deps, request.context, message, {
      channel,
      idempotencyKey: request.headers['idempotency-key'],
    });
    return reply.status(201).send(presentReceipt(receipt));
  });

  api.get('/api/v1/cases', {
    config: { access: 'case.read' },
    schema: { tags: ['voices'], summary: 'The inbox: cases in your scope, soonest deadline first (queue=triage for coordinators)', querystring: caseListQuerySchema, response: { 200: pageOf(caseSummarySchema) } },
  }, async (request) => {
    const { limit, offset, overdue, ...query } = request.query;
    const page = await cases.listCases(deps, request.context, { ...query, overdue: overdue === 'true' }, { limit, offset });
    const now = deps.clock();
    return { items: page.items.map((record) => presentCaseSummary(record, now)), total: page.total, limit, offset };
  });

  api.get('/api/v1/cases/export.csv', {
    config: { access: 'case.export' },
    schema: {
      tags: ['voices'],
      summary: 'The deadline export: the list\'s filters and scope as CSV (UTF-8 with BOM, Asia/Shanghai times, no personal data), streamed',
      querystring: caseExportQuerySchema,
      produces: ['text/csv'],
    },
  }, async (request, reply) => {
    const { overdue, lang, ...query } = request.query;
    const file = await exportCases(deps, request.context, { ...query, overdue: overdue === 'true' }, lang ?? 'zh-CN');
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', contentDisposition(file.filename))
      .header('cache-control', 'no-store')
      .send(Readable.from(file.chunks));
  });

  api.post('/api/v1/cases/bulk-events', {
    config: { access: 'case.act' },
    schema: { tags: ['voices'], summary: 'Fire one event on many cases, each with its own version check and authorization; every case\'s outcome is listed (partial success is explicit)', body: caseBulkEventRequestSchema, response: { 200: caseBulkEventResultSchema } },
  }, async (request) => presentBulkOutcomes(await cases.applyCaseEventToMany(deps, request.context, request.body.items, toCaseEvent(request.body.event))));

  api.get('/api/v1/cases/:id', {
    config: { access: 'case.read' },
    schema: { tags: ['voices'], summary: 'One case with its messages and timeline; requester contact only for the handling department and coordinators (audited)', params: idParamsSchema, response: { 200: caseDetailSchema } },
  }, async (request) => presentCaseDetail(await cases.getCase(deps, request.context, request.params.id), deps.clock()));

  api.post('/api/v1/cases/:id/events', {
    config: { access: 'case.act' },
    schema: { tags: ['voices'], summary: 'Fire a lifecycle event (optimistic: send the version you read; 409 lists the allowed events)', params: idParamsSchema, body: caseEventRequestSchema, response: { 200: caseDetailSchema } },
  }, async (request) => {
    const fired = await cases.applyCaseEvent(deps, request.context, request.params.id, { version: request.body.version, event: toCaseEvent(request.body.event) });
    return presentCaseDetail(await cases.getCaseAfterEvent(deps, request.context, request.params.id, fired.snapshot.version), deps.clock());
  });

  api.get('/api/v1/track/:code', {
    config: { access: 'public', rateLimit: TRACKING_RATE_LIMIT },
    schema: { tags: ['voices'], summary: 'Follow a message by its tracking code (public view, personal data masked)', params: trackingParamsSchema, response: { 200: trackedCaseSchema } },
  }, async (request) => presentTrackedCase(await tracking.trackCase(deps, request.context, request.params.code)));

  api.post('/api/v1/track/:code/rating', {
    config: { access: 'public', rateLimit: TRACKING_RATE_LIMIT },
    schema: { tags: ['voices'], summary: 'Rate the reply (1–5) as the requester the tracking code stands for', params: trackingParamsSchema, body: trackingRatingSchema, response: { 200: trackedCaseSchema } },
  }, async (request) => presentTrackedCase(await tracking.rateByTrackingCode(deps, request.context, request.params.code, request.body)));

  api.get('/api/v1/categories', {
    config: { access: 'public' },
    schema: { tags: ['voices'], summary: 'The taxonomy, flat with paths (parents before children)', response: { 200: categoryListSchema } },
  }, async (request) => ({ items: (await categories.listCategories(deps, request.context)).map(presentCategory) }));

  api.get('/api/v1/routing-rules', {
    config: { access: 'routing.manage' },
    schema: { tags: ['voices'], summary: 'Routing rules, newest first (history=true adds the retired ones)', querystring: routingRuleListQuerySchema, response: { 200: routingRuleListSchema } },
  }, async (request) => ({
    items: (await routing.listRoutingRules(deps, request.context, { withHistory: request.query.history === 'true' })).map(presentRoutingRule),
  }));

  api.post('/api/v1/routing-rules', {
    config: { access: 'routing.manage' },
    schema: { tags: ['voices'], summary: 'Add a routing rule: category prefix × district → department', body: routingRuleInputSchema, response: { 201: routingRuleSchema } },
  }, async (request, reply) => reply.status(201).send(presentRoutingRule(await routing.createRoutingRule(deps, request.context, request.body))));

  api.put('/api/v1/routing-rules/:id', {
    config: { access: 'routing.manage' },
    schema: { tags: ['voices'], summary: 'Replace a rule: the old one is retired and the new one points to it', params: idParamsSchema, body: routingRuleInputSchema, response: { 200: routingRuleSchema } },
  }, async (request) => presentRoutingRule(await routing.replaceRoutingRule(deps, request.context, request.params.id, request.body)));

  api.delete('/api/v1/routing-rules/:id', {
    config: { access: 'routing.manage' },
    schema: { tags: ['voices'], summary: 'Retire a rule (kept in the history)', params: idParamsSchema, response: { 200: routingRuleSchema } },
  }, async (request) => presentRoutingRule(await routing.retireRoutingRule(deps, request.context, request.params.id)));
}
