import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParamsSchema } from '../../../../contracts/platform.ts';
import {
  findingCreateSchema,
  findingListQuerySchema,
  findingListSchema,
  findingPatchSchema,
  findingSchema,
  rectificationCreateSchema,
  rectificationListQuerySchema,
  rectificationListSchema,
  rectificationPatchSchema,
  rectificationSchema,
} from '../../../../contracts/projects.ts';
import type { PlatformDeps } from '../../../platform/index.ts';
import { presentFinding, presentRectification } from '../registry/project.presenter.ts';
import * as findings from './finding.service.ts';

const today = (deps: PlatformDeps): string => deps.clock().toISOString().slice(0, 10);

/** HTTP adapter of inspections and audit findings and the rectification board. */
export function findingRoutes(app: FastifyInstance, deps: PlatformDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['findings'];

  api.get('/api/v1/findings', {
    config: { access: 'finding.read' },
    schema: { tags, summary: 'Inspection and audit findings with their rectification items (auditors: all; others: the projects they read)', querystring: findingListQuerySchema, response: { 200: findingListSchema } },
  }, async (request) => ({ items: (await findings.listFindings(deps, request.context, request.query)).map((finding) => presentFinding(finding, today(deps))) }));

  api.post('/api/v1/findings', {
    config: { access: 'finding.manage' },
    schema: { tags, summary: 'Open a finding (city-wide auditors), optionally from a red flag ({flagId}) and with rectification items', body: findingCreateSchema, response: { 201: findingSchema } },
  }, async (request, reply) => reply.status(201).send(presentFinding(await findings.openFinding(deps, request.context, request.body), today(deps))));

  api.patch('/api/v1/findings/:id', {
    config: { access: 'finding.manage' },
    schema: { tags, summary: 'Change or close a finding (closing needs every item signed off); 409 when stale', params: idParamsSchema, body: findingPatchSchema, response: { 200: findingSchema } },
  }, async (request) => presentFinding(await findings.updateFinding(deps, request.context, request.params.id, request.body), today(deps)));

  api.post('/api/v1/findings/:id/rectifications', {
    config: { access: 'finding.manage' },
    schema: { tags, summary: 'Add a rectification item (owner department, due date)', params: idParamsSchema, body: rectificationCreateSchema, response: { 201: rectificationSchema } },
  }, async (request, reply) => reply.status(201).send(presentRectification(await findings.addRectification(deps, request.context, request.params.id, request.body), today(deps))));

  api.get('/api/v1/rectifications', {
    config: { access: 'finding.read' },
    schema: { tags, summary: 'The rectification board: a handler’s department’s items, others those in scope; overdue marked', querystring: rectificationListQuerySchema, response: { 200: rectificationListSchema } },
  }, async (request) => ({ items: (await findings.listRectifications(deps, request.context, request.query)).map((item) => presentRectification(item, today(deps))) }));

  api.patch('/api/v1/rectifications/:id', {
    config: { access: 'rectification.update' },
    schema: { tags, summary: 'Report on an item (owners: evidence, submitted) or sign it off (auditors); 409 when stale', params: idParamsSchema, body: rectificationPatchSchema, response: { 200: rectificationSchema } },
  }, async (request) => presentRectification(await findings.updateRectification(deps, request.context, request.params.id, request.body), today(deps)));
}
