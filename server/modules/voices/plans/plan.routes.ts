import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParamsSchema } from '../../../../contracts/platform.ts';
import {
  adoptRequestSchema,
  adoptionListSchema,
  planCreateSchema,
  planItemCreateSchema,
  planItemListSchema,
  planItemPatchSchema,
  planItemSchema,
  planListQuerySchema,
  planListSchema,
  planSchema,
  type PlanItemView,
  type PlanView,
} from '../../../../contracts/plans.ts';
import { trackingParamsSchema } from '../../../../contracts/voices.ts';
import type { PlatformDeps } from '../../../platform/index.ts';
import * as plans from './plan.service.ts';

const TRACKING_RATE_LIMIT = { max: 60, timeWindow: 60_000 };

const presentPlan = (plan: plans.PlanRow): PlanView => ({
  id: plan.id,
  departmentId: plan.departmentId,
  department: plan.department,
  title: plan.title,
  year: plan.year,
  period: plan.period,
  itemCount: plan.itemCount,
  version: plan.version,
  createdAt: plan.createdAt.toISOString(),
  updatedAt: plan.updatedAt.toISOString(),
});

const presentItem = (item: plans.PlanItemRow): PlanItemView => ({
  ...item,
  sourceCaseIds: [...item.sourceCaseIds],
  createdAt: item.createdAt.toISOString(),
  updatedAt: item.updatedAt.toISOString(),
});

/** HTTP adapter of work plans and the adoption of suggestions. */
export function planRoutes(app: FastifyInstance, deps: PlatformDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/v1/plans', {
    config: { access: 'plan.read' },
    schema: { tags: ['plans'], summary: 'Work plans: a handler’s department’s, or the departments’ in your scope; newest year first', querystring: planListQuerySchema, response: { 200: planListSchema } },
  }, async (request) => ({ items: (await plans.listPlans(deps, request.context, request.query)).map(presentPlan) }));

  api.post('/api/v1/plans', {
    config: { access: 'plan.manage' },
    schema: { tags: ['plans'], summary: 'Create a department’s work plan (handlers: their own department; coordinators: one in scope)', body: planCreateSchema, response: { 201: planSchema } },
  }, async (request, reply) => reply.status(201).send(presentPlan(await plans.createPlan(deps, request.context, request.body))));

  api.get('/api/v1/plans/:id/items', {
    config: { access: 'plan.read' },
    schema: { tags: ['plans'], summary: 'The items of a plan, with the cases adopted into each', params: idParamsSchema, response: { 200: planItemListSchema } },
  }, async (request) => ({ items: (await plans.listPlanItems(deps, request.context, request.params.id)).map(presentItem) }));

  api.post('/api/v1/plans/:id/items', {
    config: { access: 'plan.manage' },
    schema: { tags: ['plans'], summary: 'Add an item to a plan', params: idParamsSchema, body: planItemCreateSchema, response: { 201: planItemSchema } },
  }, async (request, reply) => reply.status(201).send(presentItem(await plans.createPlanItem(deps, request.context, request.params.id, request.body))));

  api.patch('/api/v1/plan-items/:id', {
    config: { access: 'plan.manage' },
    schema: { tags: ['plans'], summary: 'Change an item (send the version you read; 409 when stale); the originators of its suggestions are notified', params: idParamsSchema, body: planItemPatchSchema, response: { 200: planItemSchema } },
  }, async (request) => presentItem(await plans.updatePlanItem(deps, request.context, request.params.id, request.body)));

  api.post('/api/v1/cases/:id/adopt', {
    config: { access: 'plan.manage' },
    schema: { tags: ['plans'], summary: 'Adopt a suggestion into a plan item of its department ({planItemId} or {newItem: {planId, …}})', params: idParamsSchema, body: adoptRequestSchema, response: { 201: planItemSchema } },
  }, async (request, reply) => reply.status(201).send(presentItem(await plans.adoptCase(deps, request.context, request.params.id, request.body))));

  api.get('/api/v1/cases/:id/plan-items', {
    config: { access: 'case.read' },
    schema: { tags: ['plans'], summary: 'The plan items a case was adopted into (its requesters may read them)', params: idParamsSchema, response: { 200: adoptionListSchema } },
  }, async (request) => ({ adoptedInto: await plans.adoptionsOfCase(deps, request.context, request.params.id) }));

  api.get('/api/v1/track/:code/plan-items', {
    config: { access: 'public', rateLimit: TRACKING_RATE_LIMIT },
    schema: { tags: ['plans'], summary: 'The plan items a tracked message was adopted into (public: titles, status, progress, due date)', params: trackingParamsSchema, response: { 200: adoptionListSchema } },
  }, async (request) => ({ adoptedInto: await plans.adoptionsByTrackingCode(deps, request.context, request.params.code) }));
}
