import type {} from '@fastify/cookie';
import type {} from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  apiTokenCreateSchema,
  apiTokenCreatedSchema,
  apiTokenListSchema,
  changePasswordSchema,
  idParamsSchema,
  loginRequestSchema,
  registerCitizenSchema,
  sessionResponseSchema,
} from '../../../contracts/platform.ts';
import type { PlatformDeps } from '../context.ts';
import { AppError } from '../errors.ts';
import { SESSION_COOKIE } from '../http/access.ts';
import { findRegion, findUser } from '../organisation/organisation.repository.ts';
import * as identity from './identity.service.ts';
import { presentApiToken, presentMe } from './identity.presenter.ts';

/** HTTP adapter for sign-in, registration, one's own password and API tokens. */
export function identityRoutes(app: FastifyInstance, deps: PlatformDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  const setSessionCookie = (reply: FastifyReply, signedIn: identity.SignedIn) =>
    reply.setCookie(SESSION_COOKIE, signedIn.sessionSecret, {
      httpOnly: true,
      secure: deps.config.cookieSecure,
      sameSite: 'lax',
      path: '/',
      expires: signedIn.expiresAt,
    });

  api.post('/api/v1/session', {
    config: { access: 'public', rateLimit: { max: deps.config.loginRateLimitPerMinute, timeWindow: 60_000 } },
    schema: { tags: ['identity'], summary: 'Log in with username and password', body: loginRequestSchema, response: { 200: sessionResponseSchema } },
  }, async (request, reply) => {
    const signedIn = await identity.login(deps, { ip: request.ip, requestId: String(request.id) }, request.body);
    setSessionCookie(reply, signedIn);
    return { user: presentMe(signedIn.user, signedIn.city), csrfToken: signedIn.csrfToken };
  });

  api.get('/api/v1/session', {
    config: { access: 'authenticated' },
    schema: { tags: ['identity'], summary: 'Who is logged in, with the CSRF token for writes', response: { 200: sessionResponseSchema } },
  }, async (request) => {
    const actor = identity.requireActor(request.context);
    const [user, city] = await Promise.all([findUser(deps.db, actor.regionId, actor.userId), findRegion(deps.db, actor.regionId, actor.regionId)]);
    if (!user || !city) throw new AppError('session_expired', 'Your session has ended; please log in again');
    return { user: presentMe(user, city), csrfToken: request.csrfToken ?? '' };
  });

  api.delete('/api/v1/session', {
    config: { access: 'authenticated' },
    schema: { tags: ['identity'], summary: 'Log out', response: { 204: z.null() } },
  }, async (request, reply) => {
    if (request.sessionId !== undefined) await identity.logout(deps, request.context, request.sessionId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  api.post('/api/v1/citizens', {
    config: { access: 'public', rateLimit: { max: deps.config.loginRateLimitPerMinute, timeWindow: 60_000 } },
    schema: { tags: ['identity'], summary: 'Register as a citizen (signs you in)', body: registerCitizenSchema, response: { 201: sessionResponseSchema } },
  }, async (request, reply) => {
    const signedIn = await identity.registerCitizen(deps, { ip: request.ip, requestId: String(request.id) }, request.body);
    setSessionCookie(reply, signedIn);
    return reply.status(201).send({ user: presentMe(signedIn.user, signedIn.city), csrfToken: signedIn.csrfToken });
  });

  api.put('/api/v1/me/password', {
    config: { access: 'authenticated' },
    schema: { tags: ['identity'], summary: 'Change your password (ends your other sessions)', body: changePasswordSchema, response: { 204: z.null() } },
  }, async (request, reply) => {
    await identity.changeOwnPassword(deps, request.context, request.body, request.sessionId);
    return reply.status(204).send(null);
  });

  api.get('/api/v1/me/tokens', {
    config: { access: 'token.manage_own' },
    schema: { tags: ['identity'], summary: 'Your personal API tokens', response: { 200: apiTokenListSchema } },
  }, async (request) => ({ items: (await identity.listOwnApiTokens(deps, request.context)).map(presentApiToken) }));

  api.post('/api/v1/me/tokens', {
    config: { access: 'token.manage_own' },
    schema: { tags: ['identity'], summary: 'Create a personal API token (shown once)', body: apiTokenCreateSchema, response: { 201: apiTokenCreatedSchema } },
  }, async (request, reply) => {
    const token = await identity.createOwnApiToken(deps, request.context, request.body);
    return reply.status(201).send({ ...presentApiToken(token), token: token.token });
  });

  api.delete('/api/v1/me/tokens/:id', {
    config: { access: 'token.manage_own' },
    schema: { tags: ['identity'], summary: 'Revoke one of your API tokens', params: idParamsSchema, response: { 204: z.null() } },
  }, async (request, reply) => {
    await identity.revokeOwnApiToken(deps, request.context, request.params.id);
    return reply.status(204).send(null);
  });
}
