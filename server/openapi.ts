import { buildApp } from './app.ts';
import { createLogger, loadConfig, type Db } from './platform/index.ts';

/**
 * The OpenAPI document of the HTTP API, built from the routes' own schemas
 * without a database (no request is served), so docs/openapi.json can be
 * regenerated and checked for drift anywhere.
 */
export async function openApiDocument(): Promise<unknown> {
  const app = await buildApp({
    db: undefined as unknown as Db,
    config: loadConfig({ LOG_LEVEL: 'silent', WEB_DIST_DIR: '/nonexistent' }),
    logger: createLogger('silent'),
    clock: () => new Date(),
  });
  await app.ready();
  const document = app.swagger();
  await app.close();
  return document;
}
