import crypto from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { auditRoutes } from './platform/audit/audit.routes.ts';
import type { PlatformDeps } from './platform/context.ts';
import { isDatabaseReachable } from './platform/database/database.ts';
import { registerAccess } from './platform/http/access.ts';
import { handleError } from './platform/http/http-errors.ts';
import { registerMetrics } from './platform/http/metrics.ts';
import { registerWebApp } from './platform/http/web-app.ts';
import { identityRoutes } from './platform/identity/identity.routes.ts';
import { importRoutes } from './platform/imports/import.routes.ts';
import { organisationRoutes } from './platform/organisation/organisation.routes.ts';
import { pairingRoutes } from './modules/pairing/index.ts';
import { findingRoutes, procurementRoutes, projectRoutes } from './modules/projects/index.ts';
import { attachmentRoutes, hotIssueRoutes, intakeClassifierOf, joinProposalRoutes, notificationRoutes, open311Routes, planRoutes, replyTemplateRoutes, voicesRoutes } from './modules/voices/index.ts';

/** Largest JSON body accepted; bulk files go to the import routes, which allow more. */
export const BODY_LIMIT = 1024 * 1024;

/**
 * Builds the HTTP app: API under /api/v1 with OpenAPI at /docs, the web app
 * at /, health and metrics. Stateless: everything lasting is in the database.
 */
export async function buildApp(deps: PlatformDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    trustProxy: deps.config.trustProxy,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : crypto.randomUUID();
    },
    ajv: { customOptions: { removeAdditional: false } },
    // Fastify's guard against a plugin that never calls done counts wall time; 10 s (its default) tripped on
    // @fastify/swagger-ui once while the event loop was busy elsewhere (the whole node suite in one process).
    pluginTimeout: 60_000,
  });
  // JSON only: other bodies are refused with 415 (the import routes add their own parsers).
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', String(request.id));
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Ant Design injects its CSS-in-JS as <style> elements.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });
  if (deps.config.corsOrigins.length > 0) {
    const { default: fastifyCors } = await import('@fastify/cors');
    await app.register(fastifyCors, { origin: [...deps.config.corsOrigins], credentials: true });
  }
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Minxin API',
        description: 'Minxin (民心): citizens’ voices to handled, answered, judged and published work.',
        version: '1',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'minxin_session' },
          token: { type: 'http', scheme: 'bearer', description: 'Personal API token (mxt_…)' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: true });

  registerAccess(app, deps);
  registerMetrics(app);

  app.get('/health', { schema: { hide: true } }, async (_request, reply) => {
    const database = await isDatabaseReachable(deps.db);
    return reply.status(database ? 200 : 503).send({ status: database ? 'ok' : 'unavailable', database: database ? 'up' : 'down' });
  });

  // The intake classifier's model is read now, so a missing or unusable model stops the server at start, naming the file.
  await intakeClassifierOf(deps.config);
  identityRoutes(app, deps);
  organisationRoutes(app, deps);
  importRoutes(app, deps);
  auditRoutes(app, deps);
  voicesRoutes(app, deps);
  notificationRoutes(app, deps);
  planRoutes(app, deps);
  await attachmentRoutes(app, deps);
  replyTemplateRoutes(app, deps);
  joinProposalRoutes(app, deps);
  hotIssueRoutes(app, deps);
  pairingRoutes(app, deps);
  projectRoutes(app, deps);
  findingRoutes(app, deps);
  procurementRoutes(app, deps);
  await open311Routes(app, deps);

  await registerWebApp(app, deps.config.webDistDir);
  return app;
}
