import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParamsSchema } from '../../../../contracts/platform.ts';
import {
  budgetLineCreateSchema,
  budgetLineSchema,
  milestoneCreateSchema,
  milestonePatchSchema,
  milestoneSchema,
  paymentCreateSchema,
  paymentSchema,
  progressUpdateCreateSchema,
  progressUpdateSchema,
  projectCreateSchema,
  projectDetailSchema,
  projectLinkSchema,
  projectLinksSchema,
  caseLinkParamsSchema,
  planItemLinkParamsSchema,
  projectListQuerySchema,
  projectListSchema,
  projectPatchSchema,
  projectSummarySchema,
  publicProjectListSchema,
  publicProjectSchema,
} from '../../../../contracts/projects.ts';
import type { PlatformDeps } from '../../../platform/index.ts';
import { presentDetail, presentPublic, presentPublicSummary, presentSummary } from './project.presenter.ts';
import * as projects from './project.service.ts';

const today = (deps: PlatformDeps): string => deps.clock().toISOString().slice(0, 10);

/** HTTP adapter of the project registry, its money, milestones and progress, and the public project pages. */
export function projectRoutes(app: FastifyInstance, deps: PlatformDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['projects'];

  api.get('/api/v1/projects', {
    config: { access: 'project.read' },
    schema: { tags, summary: 'Livelihood projects: a handler’s department’s (lead or co-unit), or those in your scope', querystring: projectListQuerySchema, response: { 200: projectListSchema } },
  }, async (request) => ({ items: (await projects.listProjects(deps, request.context, request.query)).map(presentSummary) }));

  api.post('/api/v1/projects', {
    config: { access: 'project.manage' },
    schema: { tags, summary: 'Register a project (coordinators and admins in scope)', body: projectCreateSchema, response: { 201: projectSummarySchema } },
  }, async (request, reply) => reply.status(201).send(presentSummary(await projects.createProject(deps, request.context, request.body))));

  api.get('/api/v1/projects/:id', {
    config: { access: 'project.read' },
    schema: { tags, summary: 'A project: registry, money (planned / contracted / paid), milestones, progress, findings, linked cases, procurement with red flags', params: idParamsSchema, response: { 200: projectDetailSchema } },
  }, async (request) => presentDetail(await projects.getProject(deps, request.context, request.params.id), today(deps)));

  api.patch('/api/v1/projects/:id', {
    config: { access: 'project.manage' },
    schema: { tags, summary: 'Change a project’s registry entry (send the version you read; 409 when stale)', params: idParamsSchema, body: projectPatchSchema, response: { 200: projectSummarySchema } },
  }, async (request) => presentSummary(await projects.updateProject(deps, request.context, request.params.id, request.body)));

  api.post('/api/v1/projects/:id/budget-lines', {
    config: { access: 'project.manage' },
    schema: { tags, summary: 'Add a budget line (funding source, year, amount)', params: idParamsSchema, body: budgetLineCreateSchema, response: { 201: budgetLineSchema } },
  }, async (request, reply) => reply.status(201).send(await projects.addBudgetLine(deps, request.context, request.params.id, request.body)));

  api.post('/api/v1/projects/:id/payments', {
    config: { access: 'project.manage' },
    schema: { tags, summary: 'Record a payment; paying more than contracted is flagged, not refused', params: idParamsSchema, body: paymentCreateSchema, response: { 201: paymentSchema } },
  }, async (request, reply) => reply.status(201).send(await projects.addPayment(deps, request.context, request.params.id, request.body)));

  api.post('/api/v1/projects/:id/milestones', {
    config: { access: 'project.progress' },
    schema: { tags, summary: 'Add a milestone (the lead department’s handlers, coordinators and admins in scope)', params: idParamsSchema, body: milestoneCreateSchema, response: { 201: milestoneSchema } },
  }, async (request, reply) => reply.status(201).send(await projects.addMilestone(deps, request.context, request.params.id, request.body)));

  api.patch('/api/v1/project-milestones/:id', {
    config: { access: 'project.progress' },
    schema: { tags, summary: 'Report on a milestone (status, completion, evidence); done needs evidence; 409 when stale', params: idParamsSchema, body: milestonePatchSchema, response: { 200: milestoneSchema } },
  }, async (request) => projects.updateMilestone(deps, request.context, request.params.id, request.body));

  api.post('/api/v1/projects/:id/updates', {
    config: { access: 'project.progress' },
    schema: { tags, summary: 'Report progress (percentage and a note, optionally a milestone and a new status)', params: idParamsSchema, body: progressUpdateCreateSchema, response: { 201: progressUpdateSchema } },
  }, async (request, reply) => {
    const update = await projects.reportProgress(deps, request.context, request.params.id, request.body);
    return reply.status(201).send({ ...update, createdAt: update.createdAt.toISOString() });
  });

  api.post('/api/v1/projects/:id/links', {
    config: { access: 'project.progress' },
    schema: { tags, summary: 'Link a citizen’s case ({caseId} or {caseNumber}) or a work-plan item ({planItemId}) to the project', params: idParamsSchema, body: projectLinkSchema, response: { 200: projectLinksSchema } },
  }, async (request) => projects.linkToProject(deps, request.context, request.params.id, request.body));

  api.delete('/api/v1/projects/:id/links/cases/:caseId', {
    config: { access: 'project.progress' },
    schema: { tags, summary: 'Unlink a citizen’s case from the project', params: caseLinkParamsSchema, response: { 200: projectLinksSchema } },
  }, async (request) => projects.unlinkFromProject(deps, request.context, request.params.id, { caseId: request.params.caseId }));

  api.delete('/api/v1/projects/:id/links/plan-items/:planItemId', {
    config: { access: 'project.progress' },
    schema: { tags, summary: 'Unlink a work-plan item from the project', params: planItemLinkParamsSchema, response: { 200: projectLinksSchema } },
  }, async (request) => projects.unlinkFromProject(deps, request.context, request.params.id, { planItemId: request.params.planItemId }));

  api.get('/api/v1/public/projects', {
    config: { access: 'public' },
    schema: { tags, summary: 'The city’s livelihood projects for the public: progress and money, no people', querystring: projectListQuerySchema.omit({ departmentId: true }), response: { 200: publicProjectListSchema } },
  }, async (request) => ({ items: (await projects.listPublicProjects(deps, request.context, request.query)).map(presentPublicSummary) }));

  api.get('/api/v1/public/projects/:id', {
    config: { access: 'public' },
    schema: { tags, summary: 'A project’s public page: progress, money (planned / contracted / paid), milestones, open findings', params: idParamsSchema, response: { 200: publicProjectSchema } },
  }, async (request) => presentPublic(await projects.getPublicProject(deps, request.context, request.params.id)));
}
