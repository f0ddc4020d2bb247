import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError, type PlatformDeps } from '../../../platform/index.ts';
import {
  buildOpen311Discovery,
  parseFormBody,
  parseJurisdiction,
  parseOpen311Path,
  parsePostRequest,
  parseRequestsQuery,
  readPostEnvelope,
  renderOpen311,
  toOpen311Request,
  type Open311Error,
  type Open311Format,
  type Open311Input,
  type Open311Language,
  type Open311Rendered,
} from './index.ts';
import * as open311 from './open311.service.ts';

/** Our cities keep China's time: W3C date-times are written with +08:00. */
const CITY_OFFSET_MINUTES = 480;
/** When the endpoint (or its service list's shape) last changed. */
const CHANGESET = '2026-12-01T16:00:00+08:00';

type Send = (status: number, rendered: Open311Rendered) => FastifyReply;

/** The format a failed request is answered in: the path's extension if it names one, else XML. */
function formatOf(request: FastifyRequest): Open311Format {
  const path = (request.raw.url ?? '').split('?')[0] ?? '';
  return path.endsWith('.json') ? 'json' : 'xml';
}

const errors = (status: number, description: string): readonly Open311Error[] => [{ code: status, description }];

/** Open311's statuses: 404 missing, 403 key, 400 anything else; a server fault stays 500 (still in the requested format). */
function open311StatusOf(error: FastifyError): number {
  if (isAppError(error)) {
    if (error.code === 'not_found') return 404;
    if (error.code === 'forbidden' || error.code === 'unauthenticated' || error.code === 'session_expired' || error.code === 'csrf_failed') return 403;
    if (error.code === 'internal' || error.code === 'config_invalid' || error.code === 'audit_chain_broken') return 500;
    return 400;
  }
  const status = error.statusCode ?? 500;
  return status >= 500 ? 500 : status === 404 ? 404 : 400;
}

/**
 * The Open311 GeoReport v2 endpoint under /open311/v2/ (docs/open311.md):
 * discovery, services, service definitions, requests (GET and POST), one
 * request, tokens. Public at the access layer; POST checks its api_key.
 * Every answer, errors included, is XML or JSON as the path's extension
 * asks: never HTML, never problem+json. Hidden from the OpenAPI document.
 */
export async function open311Routes(app: FastifyInstance, deps: PlatformDeps): Promise<void> {
  await app.register(async (scope) => {
    // Form bodies reach the handler as the raw string, for the strict `parseFormBody`.
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    scope.setErrorHandler((error: FastifyError, request, reply) => {
      const status = open311StatusOf(error);
      if (status === 500) request.log.error({ err: error }, 'Open311 request failed');
      const description = status === 500 ? 'The server could not complete the request; try again later' : error.message;
      const rendered = renderOpen311(formatOf(request), 'errors', errors(status, description));
      return reply.status(status).type(rendered.contentType).send(rendered.body);
    });
    const handle = async (request: FastifyRequest, reply: FastifyReply) => {
      const [rawPath = '', rawQuery = ''] = (request.raw.url ?? '').split(/\?(.*)/s);
      const send: Send = (status, rendered) => reply.status(status).type(rendered.contentType).send(rendered.body);
      const prefix = '/open311/v2/';
      if (!rawPath.startsWith(prefix)) return send(404, renderOpen311('xml', 'errors', errors(404, 'Only GeoReport v2 is served, under /open311/v2/')));
      const parsed = parseOpen311Path(rawPath.slice(prefix.length));
      if (!parsed.ok) return send(parsed.status, renderOpen311(parsed.format, 'errors', parsed.errors));
      const { format, route } = parsed;
      const fail = (status: number, list: readonly Open311Error[]) => send(status, renderOpen311(format, 'errors', list));
      const isPost = request.method === 'POST';
      if (isPost && route.resource !== 'requests') return fail(400, errors(400, `${request.method} is not allowed here; only requests.${format} takes POST`));
      if (route.resource === 'discovery') {
        const city = await open311.open311Jurisdiction(deps, request.context);
        const discovery = buildOpen311Discovery({
          baseUrl: `${request.protocol}://${request.host}`,
          changeset: CHANGESET,
          contact: `${city.name} 12345 政务服务便民热线 / ${city.name} 12345 citizens' hotline (jurisdiction_id ${city.code})`,
          keyService: 'API keys are issued by the city’s administrator (`npx minxin open311 key --name NAME`); ask through the 12345 hotline.',
          type: 'production',
        });
        return send(200, renderOpen311(format, 'discovery', discovery));
      }

      const query = new URLSearchParams(rawQuery);
      const form: Open311Input | undefined = isPost ? formOf(request.body) : undefined;
      if (isPost && form === undefined) return fail(400, errors(400, 'The request body is not valid application/x-www-form-urlencoded UTF-8'));
      const city = await open311.open311Jurisdiction(deps, request.context);
      const lang: Open311Language = /^en\b/i.test(String(request.headers['accept-language'] ?? '')) ? 'en' : 'zh-CN';
      const present = { offsetMinutes: CITY_OFFSET_MINUTES, lang };

      if (isPost) {
        const envelope = readPostEnvelope(form!);
        if (!envelope.ok) return fail(envelope.status, envelope.errors);
        if (!(await open311.isValidOpen311Key(deps, request.context.regionId, envelope.value.apiKey))) return fail(403, errors(403, 'api_key is not valid (unknown or revoked)'));
        const jurisdiction = parseJurisdiction([envelope.value.jurisdictionId ?? '', ...query.getAll('jurisdiction_id')], city.code);
        if (!jurisdiction.ok) return fail(jurisdiction.status, jurisdiction.errors);
        const entry = (await open311.listOpen311Services(deps, request.context)).byCode.get(envelope.value.serviceCode);
        if (!entry) return fail(404, errors(404, `Unknown service_code "${envelope.value.serviceCode}"`));
        const input = parsePostRequest(form!, { serviceDefinition: open311.open311Definition(entry.service.service_code) });
        if (!input.ok) return fail(input.status, input.errors);
        const receipt = await open311.submitOpen311Request(deps, request.context, input.value, entry.category);
        return send(200, renderOpen311(format, 'post_result', [{ service_request_id: receipt.caseNumber }]));
      }

      const jurisdiction = parseJurisdiction(query.getAll('jurisdiction_id'), city.code);
      if (!jurisdiction.ok) return fail(jurisdiction.status, jurisdiction.errors);
      switch (route.resource) {
        case 'services':
          return send(200, renderOpen311(format, 'services', (await open311.listOpen311Services(deps, request.context)).entries.map((entry) => entry.service)));
        case 'service_definition': {
          const entry = (await open311.listOpen311Services(deps, request.context)).byCode.get(route.serviceCode);
          if (!entry) return fail(404, errors(404, `Unknown service_code "${route.serviceCode}"`));
          return send(200, renderOpen311(format, 'service_definition', open311.open311Definition(entry.service.service_code)));
        }
        case 'requests': {
          const parsedQuery = parseRequestsQuery(query, deps.clock());
          if (!parsedQuery.ok) return fail(parsedQuery.status, parsedQuery.errors);
          const views = await open311.findOpen311Requests(deps, request.context, parsedQuery.value);
          return send(200, renderOpen311(format, 'requests', views.map((view) => toOpen311Request(view, present))));
        }
        case 'request': {
          const views = await open311.findOpen311Requests(deps, request.context, { kind: 'ids', serviceRequestIds: [route.serviceRequestId], extensions: false });
          if (views.length === 0) return fail(404, errors(404, `Unknown service_request_id "${route.serviceRequestId}"`));
          return send(200, renderOpen311(format, 'requests', views.map((view) => toOpen311Request(view, present))));
        }
        case 'token':
          // Ids are assigned synchronously, so no token is ever handed out: every token is unknown.
          return fail(404, errors(404, `Unknown token "${route.token}"; this endpoint answers POST with service_request_id at once`));
      }
    };

    const options = { config: { access: 'public' as const }, schema: { hide: true } };
    scope.get('/open311/*', options, handle);
    scope.post('/open311/*', options, handle);
  });
}

/** A POST body as Open311 input: the raw form string (strictly parsed), a JSON object of strings, or nothing. */
function formOf(body: unknown): Open311Input | undefined {
  if (body === undefined || body === null) return new URLSearchParams();
  if (typeof body === 'string') {
    const parsed = parseFormBody(body);
    return parsed.ok ? parsed.value : undefined;
  }
  if (typeof body === 'object' && !Array.isArray(body)) {
    const record: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(body)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') record[name] = String(value);
      else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) record[name] = value as string[];
      else return undefined;
    }
    return record;
  }
  return undefined;
}
