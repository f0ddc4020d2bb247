import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditEntrySchema, auditListQuerySchema, auditVerificationSchema } from '../../../contracts/platform.ts';
import type { PlatformDeps } from '../context.ts';
import { listAudit, verifyAuditForActor } from './audit.service.ts';

/** HTTP adapter for reading and verifying the audit chain (auditors and admins). */
export function auditRoutes(app: FastifyInstance, deps: PlatformDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/v1/audit', {
    config: { access: 'audit.read' },
    schema: {
      tags: ['audit'],
      summary: 'Audit entries, newest first',
      querystring: auditListQuerySchema,
      response: { 200: z.object({ items: z.array(auditEntrySchema), nextBeforeSeq: z.number().int().nullable() }) },
    },
  }, async (request) => {
    const { limit, ...filter } = request.query;
    const entries = await listAudit(deps, request.context, filter, limit);
    return {
      items: entries.map(({ regionId: _regionId, prevHash: _prevHash, at, ...entry }) => ({ ...entry, at: at.toISOString() })),
      nextBeforeSeq: entries.length === limit ? entries[entries.length - 1]!.seq : null,
    };
  });

  api.get('/api/v1/audit/verify', {
    config: { access: 'audit.read' },
    schema: { tags: ['audit'], summary: "Walk this city's hash chain and report the first broken entry", response: { 200: auditVerificationSchema } },
  }, async (request) => verifyAuditForActor(deps, request.context));
}
