import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParamsSchema } from '../../../../contracts/platform.ts';
import {
  flagLeaderListSchema,
  importQuerySchema,
  importReportSchema,
  indicatorSettingsCreateSchema,
  indicatorSettingsListSchema,
  ocidParamsSchema,
  procurementDetailSchema,
  procurementLinkSchema,
  procurementListQuerySchema,
  procurementListSchema,
  procurementSummarySchema,
} from '../../../../contracts/projects.ts';
import type { PlatformDeps } from '../../../platform/index.ts';
import { presentFlag, presentProcess } from '../registry/project.presenter.ts';
import * as procurement from './procurement.service.ts';

/** Largest OCDS body the API takes; bigger files go through `minxin ocds import`. */
const IMPORT_BODY_LIMIT = 50 * 1024 * 1024;

/** HTTP adapter of procurement: OCDS import and export, processes with their red flags, the flag leaders, indicator settings. */
export function procurementRoutes(app: FastifyInstance, deps: PlatformDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['procurement'];

  void app.register(async (scoped) => {
    // OCDS arrives as JSON or JSON Lines; both are read as text and parsed by the importer, which names bad lines.
    scoped.removeContentTypeParser('application/json');
    scoped.addContentTypeParser(['application/json', 'application/x-ndjson', 'application/jsonl', 'text/plain'], { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT }, (_request, body, done) => done(null, body));
    scoped.withTypeProvider<ZodTypeProvider>().post('/api/v1/procurement/imports', {
      config: { access: 'procurement.import' },
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Import OCDS (release/record package, release, JSON Lines); idempotent: releases already stored are skipped; optionally link every process to a project',
        querystring: importQuerySchema,
        body: z.string(),
        response: { 200: importReportSchema },
      },
    }, async (request) =>
      procurement.importOcds(deps, request.context, { name: request.query.name ?? 'upload', sha256: createHash('sha256').update(request.body).digest('hex'), items: procurement.releasesOfText(request.body), projectId: request.query.projectId }));
  });

  api.get('/api/v1/procurement', {
    config: { access: 'procurement.read' },
    schema: { tags, summary: 'Contracting processes, most flagged first (handlers: their projects’)', querystring: procurementListQuerySchema, response: { 200: procurementListSchema } },
  }, async (request) => {
    const { flagged, ...rest } = request.query;
    const page = await procurement.listProcurement(deps, request.context, { ...rest, ...(flagged !== undefined && { flagged: flagged === 'true' }) });
    return { items: page.items.map(presentProcess), total: page.total };
  });

  api.get('/api/v1/procurement/flag-leaders', {
    config: { access: 'procurement.read' },
    schema: { tags, summary: 'Buyers and suppliers with the most red flags (city-wide readers)', response: { 200: flagLeaderListSchema } },
  }, async (request) => procurement.listFlagLeaders(deps, request.context));

  api.get('/api/v1/procurement/processes/:ocid', {
    config: { access: 'procurement.read' },
    schema: { tags, summary: 'A contracting process: figures, compiled release, releases, red flags with explanations', params: ocidParamsSchema, response: { 200: procurementDetailSchema } },
  }, async (request) => {
    const detail = await procurement.getProcurement(deps, request.context, request.params.ocid);
    return { ...presentProcess(detail.process), compiled: detail.compiled, releases: detail.releases, flagList: detail.flags.map(presentFlag) };
  });

  api.put('/api/v1/procurement/processes/:ocid/project', {
    config: { access: 'project.manage' },
    schema: { tags, summary: 'Link a process to a project ({projectId}) or unlink it ({projectId: null})', params: ocidParamsSchema, body: procurementLinkSchema, response: { 200: procurementSummarySchema } },
  }, async (request) => presentProcess(await procurement.linkProcurement(deps, request.context, request.params.ocid, request.body.projectId)));

  api.get('/api/v1/projects/:id/ocds', {
    config: { access: 'procurement.read' },
    schema: { tags, summary: 'A project’s procurement as an OCDS 1.1 release package (?compiled=true for compiled releases)', params: idParamsSchema, querystring: z.strictObject({ compiled: z.enum(['true', 'false']).optional() }), response: { 200: z.record(z.string(), z.unknown()) } },
  }, async (request) => {
    const releasePackage = await procurement.exportProjectProcurement(deps, request.context, request.params.id, {
      uri: `${request.protocol}://${request.host}${request.url}`,
      publisher: 'Minxin',
      compiled: request.query.compiled === 'true',
    });
    return { ...releasePackage };
  });

  api.get('/api/v1/indicator-settings', {
    config: { access: 'procurement.read' },
    schema: { tags, summary: 'The city’s red-flag settings, newest version first (version 0: the defaults)', response: { 200: indicatorSettingsListSchema } },
  }, async (request) => ({ items: (await procurement.listIndicatorSettings(deps, request.context)).map((row) => ({ ...row, createdAt: row.createdAt.toISOString() })) }));

  api.post('/api/v1/indicator-settings', {
    config: { access: 'indicator_settings.manage' },
    schema: { tags, summary: 'Save a new settings version (INI; checked) and recompute the flags (city-wide auditors)', body: indicatorSettingsCreateSchema, response: { 201: z.object({ version: z.number().int(), flags: z.number().int() }) } },
  }, async (request, reply) => reply.status(201).send(await procurement.saveIndicatorSettings(deps, request.context, request.body)));
}
