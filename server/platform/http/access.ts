import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { roleMay, type Action, type Actor } from '../authorization.ts';
import type { PlatformDeps, RequestContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { resolveApiToken, resolveCity, resolveSession } from '../identity/identity.service.ts';
import { sameSecret } from '../identity/secret-token.ts';

/**
 * What a route requires: nobody (`public`), any signed-in user
 * (`authenticated`), or a policy action whose roles are checked before the
 * handler runs. Services then check the action against the concrete resource.
 */
export type Access = 'public' | 'authenticated' | Action;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    context: RequestContext;
    sessionId: number | undefined;
    csrfToken: string | undefined;
  }
}

export const SESSION_COOKIE = 'minxin_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Authenticates every request (API token or session cookie), enforces CSRF
 * on cookie-authenticated writes, and applies the route's declared access,
 * all before the body is read: a refused caller costs no parsing.
 * Routes under /api or /open311 without a declared access refuse to start.
 */
export function registerAccess(app: FastifyInstance, deps: PlatformDeps): void {
  const cityIds = new Map<string, number>();
  const defaultRegionId = async (): Promise<number> => {
    const code = deps.config.defaultCity;
    let id = cityIds.get(code);
    if (id === undefined) {
      id = (await resolveCity(deps, code)).id;
      cityIds.set(code, id);
    }
    return id;
  };

  app.decorateRequest('context', null as unknown as RequestContext);
  app.decorateRequest('sessionId', undefined);
  app.decorateRequest('csrfToken', undefined);

  app.addHook('onRoute', (route) => {
    if ((route.url.startsWith('/api/') || route.url.startsWith('/open311/')) && !route.config?.access) {
      throw new Error(`Route ${route.method} ${route.url} declares no access`);
    }
  });

  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (!access) return;
    let actor: Actor | undefined;
    const authorization = request.headers.authorization;
    if (authorization?.startsWith('Bearer ')) {
      actor = (await resolveApiToken(deps, authorization.slice(7).trim())).actor;
    } else {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) {
        try {
          const session = await resolveSession(deps, cookie);
          actor = session.actor;
          request.sessionId = session.sessionId;
          request.csrfToken = session.csrfToken;
        } catch (error) {
          if (access !== 'public') throw error;
        }
      }
      if (actor && !SAFE_METHODS.has(request.method)) checkCsrf(request);
    }
    request.context = {
      actor,
      regionId: actor?.regionId ?? (await defaultRegionId()),
      ip: request.ip ?? null,
      requestId: String(request.id),
    };
    if (access === 'public') return;
    if (!actor) throw new AppError('unauthenticated', 'Please log in first');
    if (access !== 'authenticated' && !roleMay(actor.role, access)) {
      throw new AppError('forbidden', `Your role (${actor.role}) may not ${access}`, { action: access });
    }
  });
}

function checkCsrf(request: FastifyRequest): void {
  const presented = request.headers['x-csrf-token'];
  if (typeof presented !== 'string' || !request.csrfToken || !sameSecret(presented, request.csrfToken)) {
    throw new AppError('csrf_failed', 'The request lacks a valid CSRF token; reload the page and try again');
  }
}
