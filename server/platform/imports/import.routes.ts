import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { importKindSchema, importQuerySchema, importReportSchema } from '../../../contracts/platform.ts';
import type { PlatformDeps } from '../context.ts';
import { AppError } from '../errors.ts';
import { importOrganisation } from './import.service.ts';

/** Largest file the import route takes in one request. */
export const IMPORT_BODY_LIMIT = 20 * 1024 * 1024;

const FILE_TYPES: Record<string, string> = {
  'text/csv': 'import.csv',
  'text/plain': 'import.csv',
  'application/x-ndjson': 'import.jsonl',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'import.xlsx',
  'application/octet-stream': 'import',
};

/**
 * HTTP adapter for bulk imports: the file is the raw request body (CSV,
 * XLSX or JSONL), the kind is in the path. Its parsers live in their own
 * scope so other routes keep refusing non-JSON bodies.
 */
export function importRoutes(app: FastifyInstance, deps: PlatformDeps): void {
  app.register(async (scope) => {
    scope.addContentTypeParser(Object.keys(FILE_TYPES), { parseAs: 'buffer', bodyLimit: IMPORT_BODY_LIMIT }, (_request, body, done) =>
      done(null, body),
    );
    scope.withTypeProvider<ZodTypeProvider>().post('/api/v1/imports/:kind', {
      config: { access: 'import.run' },
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags: ['imports'],
        summary: 'Import regions, departments or users from a CSV/XLSX/JSONL file (all or nothing unless skipInvalid)',
        params: z.strictObject({ kind: importKindSchema }),
        querystring: importQuerySchema,
        response: { 200: importReportSchema },
      },
    }, async (request) => {
      const bytes = request.body;
      if (!Buffer.isBuffer(bytes) || bytes.length === 0) {
        throw new AppError('invalid_body', 'Send the file as the request body (text/csv or an XLSX content type)');
      }
      const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim();
      const filename = request.query.filename ?? FILE_TYPES[contentType] ?? 'import';
      return importOrganisation(deps, request.context, request.params.kind, { bytes, filename }, { skipInvalid: request.query.skipInvalid });
    });
  });
}
