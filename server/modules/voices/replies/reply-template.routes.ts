import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParamsSchema } from '../../../../contracts/platform.ts';
import {
  replyTemplateInputSchema,
  replyTemplateListQuerySchema,
  replyTemplateListSchema,
  replyTemplateSchema,
  type ReplyTemplateView,
} from '../../../../contracts/reply-templates.ts';
import type { PlatformDeps } from '../../../platform/index.ts';
import { PLACEHOLDERS, type ReplyTemplate } from './reply-template.ts';
import * as templates from './reply-template.service.ts';

const presentTemplate = (template: ReplyTemplate): ReplyTemplateView => ({
  ...template,
  createdAt: template.createdAt.toISOString(),
  retiredAt: template.retiredAt && template.retiredAt.toISOString(),
});

const placeholders = PLACEHOLDERS.map(({ zh, en, means }) => ({ zh, en, means }));

/** HTTP adapter of reply templates: parse → one service call → present. */
export function replyTemplateRoutes(app: FastifyInstance, deps: PlatformDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/reply-templates',
    {
      config: { access: 'reply_template.read' },
      schema: {
        tags: ['voices'],
        summary:
          'Reply templates: with caseId, those fitting the case, best first and filled (its lead department’s handlers, coordinators in scope); else the city’s and your departments’, newest first',
        querystring: replyTemplateListQuerySchema,
        response: { 200: replyTemplateListSchema },
      },
    },
    async (request) => {
      const { caseId, history, ...query } = request.query;
      if (caseId !== undefined) {
        const fitted = await templates.templatesForCase(deps, request.context, caseId);
        return {
          items: fitted.map((entry) => ({
            ...presentTemplate(entry.template),
            text: entry.text,
            unfilled: [...entry.unfilled],
          })),
          placeholders,
        };
      }
      const items = await templates.listReplyTemplates(deps, request.context, {
        ...query,
        withHistory: history === 'true',
      });
      return { items: items.map(presentTemplate), placeholders };
    },
  );

  api.post(
    '/api/v1/reply-templates',
    {
      config: { access: 'reply_template.manage' },
      schema: {
        tags: ['voices'],
        summary: 'Add a reply template: the city’s (departmentId null; city-wide coordinators) or a department’s own',
        body: replyTemplateInputSchema,
        response: { 201: replyTemplateSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(presentTemplate(await templates.createReplyTemplate(deps, request.context, request.body))),
  );

  api.put(
    '/api/v1/reply-templates/:id',
    {
      config: { access: 'reply_template.manage' },
      schema: {
        tags: ['voices'],
        summary: 'A new version of a template: the old one is retired and the new one points to it',
        params: idParamsSchema,
        body: replyTemplateInputSchema,
        response: { 200: replyTemplateSchema },
      },
    },
    async (request) =>
      presentTemplate(await templates.replaceReplyTemplate(deps, request.context, request.params.id, request.body)),
  );

  api.delete(
    '/api/v1/reply-templates/:id',
    {
      config: { access: 'reply_template.manage' },
      schema: {
        tags: ['voices'],
        summary: 'Retire a template (kept in the history)',
        params: idParamsSchema,
        response: { 200: replyTemplateSchema },
      },
    },
    async (request) => presentTemplate(await templates.retireReplyTemplate(deps, request.context, request.params.id)),
  );
}
