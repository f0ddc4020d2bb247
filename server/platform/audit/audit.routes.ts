import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditEntrySchema, auditListQuerySchema, auditVerificationSchema } from '../../../contracts/platform.ts';
import type { PlatformDeps } from '../context.ts';
import { listAudit, verifyAuditForActor, type AuditCursor } from './audit.service.ts';

/** HTTP adapter for reading and verifying the audit chain (auditors and admins). */
export function auditRoutes(app: FastifyInstance, deps: PlatformDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/v1/audit', {
    config: { access: 'audit.read' },
    schema: {
      tags: ['audit'],
      summary: 'Audit entries of all chains, newest first (by time, then chain, then seq)',
      querystring: auditListQuerySchema,
      response: { 200: z.object({ items: z.array(auditEntrySchema), nextBefore: z.string().nullable() }) },
    },
  }, async (request) => {
    const { limit, before, ...filter } = request.query;
    const entries = await listAudit(deps, request.context, { ...filter, before: before === undefined ? undefined : parseCursor(before) }, limit);
    const last = entries.at(-1);
    return {
      items: entries.map(({ regionId: _regionId, prevHash: _prevHash, at, ...entry }) => ({ ...entry, at: at.toISOString() })),
      nextBefore: entries.length === limit && last ? `${last.at.getTime()}.${last.chain}.${last.seq}` : null,
    };
  });

  api.get('/api/v1/audit/verify', {
    config: { access: 'audit.read' },
    schema: { tags: ['audit'], summary: "Walk every hash chain of this city and report the first broken entry", response: { 200: auditVerificationSchema } },
  }, async (request) => verifyAuditForActor(deps, request.context));
}

/** `<at ms>.<chain>.<seq>` (checked by the contract) → the listing's cursor. */
function parseCursor(text: string): AuditCursor {
  const [at, chain, seq] = text.split('.').map(Number) as [number, number, number];
  return { at: new Date(at), chain, seq };
}
