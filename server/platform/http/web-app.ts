import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';

const API_PREFIXES = ['/api/', '/open311/', '/docs', '/health', '/metrics'];

/**
 * Serves the built web app from `distDir` and answers every other GET with
 * its index.html, so client-side routes survive a reload. API paths that
 * match no route get a problem+json 404 instead.
 */
export async function registerWebApp(app: FastifyInstance, distDir: string): Promise<void> {
  const indexFile = path.join(distDir, 'index.html');
  const hasWebApp = fs.existsSync(indexFile);
  if (hasWebApp) {
    await app.register(fastifyStatic, { root: distDir, wildcard: false, index: false, maxAge: '1h', immutable: false });
  }
  app.setNotFoundHandler(async (request, reply) => {
    const isApi = API_PREFIXES.some((prefix) => request.url.startsWith(prefix));
    if (isApi || request.method !== 'GET' || !hasWebApp) {
      throw new AppError('not_found', `No route for ${request.method} ${request.url.split('?')[0]}`);
    }
    const assetPath = path.join(distDir, decodeURIComponent(request.url.split('?')[0]!));
    if (assetPath.startsWith(distDir + path.sep) && fs.existsSync(assetPath) && fs.statSync(assetPath).isFile()) {
      return reply.sendFile(path.relative(distDir, assetPath));
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
