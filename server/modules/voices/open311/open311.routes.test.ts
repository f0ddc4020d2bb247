import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { applyCaseEvent, createOpen311Key, getCase, listCases, open311ServiceCode, revokeOpen311Key } from '../index.ts';
import { cliContext, type PlatformDeps, type RequestContext } from '../../../platform/index.ts';
import { buildOwnDatabase, buildVoicesCity, buildVoicesTestApp, runMinxin, testClock } from '../../../../test/factories.ts';

const SERVICE_PATH = '城乡建设/城市建设和市政管理/其他';
const SERVICE = open311ServiceCode(SERVICE_PATH);
const PHONE = '13912345678';
const EMAIL = 'zhang.san@mail.example';

interface Request311 {
  service_request_id: string;
  status: string;
  status_notes: string | null;
  service_code: string;
  agency_responsible: string | null;
  expected_datetime: string | null;
  requested_datetime: string;
  description: string | null;
  lat?: number;
  long?: number;
}

/** Open311 GeoReport v2 through the HTTP app (docs/open311.md, ../shared/specs/open311.md). */
describe('Open311 over HTTP', () => {
  let app: FastifyInstance;
  let deps: PlatformDeps;
  let city: Awaited<ReturnType<typeof buildVoicesTestApp>>['city'];
  let key: string;
  let admin: RequestContext;
  const clock = testClock(new Date('2026-03-02T01:00:00Z')); // a Monday, 09:00 in Beijing
  const seen: string[] = []; // every GET body, checked for personal data at the end

  before(async () => {
    ({ app, deps, city } = await buildVoicesTestApp({ clock: clock.now }));
    admin = await cliContext(deps, city.code);
    key = (await createOpen311Key(deps, admin, { name: 'FixMyStreet' })).key;
  });
  after(() => app.close());

  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const post = (fields: Record<string, string>, format = 'json') =>
    app.inject({ method: 'POST', url: `/open311/v2/requests.${format}`, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, payload: form(fields) });
  const good = (overrides: Record<string, string> = {}) => ({
    api_key: key,
    service_code: SERVICE,
    lat: '36.01',
    long: '120.02',
    description: '东一甲社区3号楼楼道灯坏了一个月，晚上很黑。',
    'attribute[kind]': 'request_for_help',
    first_name: '三',
    last_name: '张',
    phone: PHONE,
    email: EMAIL,
    ...overrides,
  });
  const get = async (url: string) => {
    const response = await app.inject({ url });
    seen.push(response.body);
    return response;
  };
  const errorOf = (body: string) => JSON.parse(body) as { code: number; description: string }[];
  const contextOf = async (username: string): Promise<RequestContext> => {
    const user = await deps.db.selectFrom('users').selectAll().where('region_id', '=', city.regionId).where('username', '=', username).executeTakeFirstOrThrow();
    return {
      actor: { regionId: city.regionId, userId: Number(user.id), username, role: user.role as 'handler', departmentId: user.department_id === null ? null : Number(user.department_id), scopePath: `/${city.regionId}/`, via: 'session' },
      regionId: city.regionId,
      ip: null,
      requestId: null,
    };
  };

  test('discovery in XML and JSON names the v2 endpoint with both formats', async () => {
    const xml = await get('/open311/v2/discovery.xml');
    assert.equal(xml.statusCode, 200);
    assert.equal(xml.headers['content-type'], 'text/xml; charset=utf-8');
    assert.ok(xml.body.startsWith('<?xml version="1.0" encoding="utf-8"?><discovery>'), xml.body);
    assert.match(xml.body, /<url>http:\/\/localhost(:\d+)?\/open311\/v2<\/url>/);
    const json = await get('/open311/v2/discovery.json');
    assert.equal(json.headers['content-type'], 'application/json; charset=utf-8');
    const discovery = json.json<{ endpoints: { specification: string; formats: string[] }[]; key_service: string }>();
    assert.ok(!Array.isArray(discovery));
    assert.equal(discovery.endpoints[0]!.specification, 'http://wiki.open311.org/GeoReport_v2');
    assert.deepEqual(discovery.endpoints[0]!.formats, ['text/xml', 'application/json']);
    assert.match(discovery.key_service, /open311 key/);
  });

  test('services: the taxonomy, a top-level array with string codes, groups and keywords', async () => {
    const json = await get('/open311/v2/services.json');
    assert.equal(json.statusCode, 200);
    const services = json.json<{ service_code: unknown; service_name: string; group: string; keywords: string; metadata: boolean; type: string }[]>();
    assert.ok(Array.isArray(services));
    assert.ok(services.every((service) => typeof service.service_code === 'string' && service.type === 'realtime' && service.metadata === true));
    assert.equal(new Set(services.map((service) => service.service_code)).size, services.length, 'codes are unique');
    const lamp = services.find((service) => service.service_code === SERVICE)!;
    assert.equal(lamp.group, '城乡建设');
    assert.equal(lamp.service_name, '城市建设和市政管理 / 其他');
    assert.equal(lamp.keywords, '城乡建设,城市建设和市政管理,其他');
    const xml = await get('/open311/v2/services.xml');
    assert.ok(xml.body.startsWith(`<?xml version="1.0" encoding="utf-8"?><services><service><service_code>`), xml.body.slice(0, 200));
    assert.ok(xml.body.includes(`<service_code>${SERVICE}</service_code>`));
  });

  test('a service definition lists kind (required) and urgent; unknown code → 404 in the requested format', async () => {
    const json = await get(`/open311/v2/services/${SERVICE}.json`);
    assert.equal(json.statusCode, 200);
    const definition = json.json<{ service_code: string; attributes: { code: string; required: boolean; datatype: string; order: number; values?: { key: string }[] }[] }>();
    assert.equal(definition.service_code, SERVICE);
    const kind = definition.attributes.find((attribute) => attribute.code === 'kind')!;
    assert.equal(kind.required, true);
    assert.equal(kind.datatype, 'singlevaluelist');
    assert.deepEqual(kind.values!.map((value) => value.key), ['complaint', 'request_for_help', 'consultation', 'suggestion', 'praise']);
    assert.deepEqual(definition.attributes.find((attribute) => attribute.code === 'urgent')!.values!.map((value) => value.key), ['no', 'yes']);
    const missing = await get('/open311/v2/services/nope.xml');
    assert.equal(missing.statusCode, 404);
    assert.match(missing.body, /^<\?xml version="1.0" encoding="utf-8"\?><errors><error><code>404<\/code>/);
    const jsonMissing = await get('/open311/v2/services/nope.json');
    assert.equal(jsonMissing.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(errorOf(jsonMissing.body)[0]!.code, 404);
  });

  test('POST refuses: no key 403 (XML), bad key 403, wrong jurisdiction 404, unknown service 404, no location 400, missing required attribute 400', async () => {
    const { api_key: _drop, ...keyless } = good();
    const noKey = await post(keyless, 'xml');
    assert.equal(noKey.statusCode, 403);
    assert.equal(noKey.headers['content-type'], 'text/xml; charset=utf-8');
    assert.match(noKey.body, /<errors><error><code>403<\/code><description>api_key is required/);
    assert.equal((await post(good({ api_key: 'o311_1_not-a-key' }))).statusCode, 403);
    assert.equal((await post(good({ api_key: key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A') }))).statusCode, 403);
    assert.equal((await post(good({ jurisdiction_id: 'elsewhere' }))).statusCode, 404);
    const unknown = await post(good({ service_code: 'nope' }));
    assert.equal(unknown.statusCode, 404);
    assert.match(errorOf(unknown.body)[0]!.description, /service_code/);
    const { lat: _lat, long: _long, ...nowhere } = good();
    const noPlace = await post(nowhere);
    assert.equal(noPlace.statusCode, 400);
    assert.match(errorOf(noPlace.body)[0]!.description, /location/);
    const { 'attribute[kind]': _kind, ...kindless } = good();
    const noKind = await post(kindless);
    assert.equal(noKind.statusCode, 400);
    assert.match(errorOf(noKind.body)[0]!.description, /attribute\[kind\] is required/);
    const wrongMethod = await app.inject({ method: 'POST', url: '/open311/v2/services.json', payload: {} });
    assert.equal(wrongMethod.statusCode, 400);
    assert.equal(errorOf(wrongMethod.body)[0]!.code, 400);
  });

  test('POST → 200 with service_request_id; the request is open, with agency and a +08:00 deadline; closing shows closed with notes', async () => {
    const response = await post(good({ jurisdiction_id: city.code.toUpperCase(), lat: '36.012345', long: '120.023456' }));
    assert.equal(response.statusCode, 200, response.body);
    const result = response.json<{ service_request_id: string; token?: string }[]>();
    assert.ok(Array.isArray(result) && result.length === 1);
    const id = result[0]!.service_request_id;
    assert.match(id, /^2026-\d{6}$/);
    assert.equal(result[0]!.token, undefined);

    const one = await get(`/open311/v2/requests/${id}.json`);
    assert.equal(one.statusCode, 200, one.body);
    const [request] = one.json<Request311[]>();
    assert.equal(request!.service_request_id, id);
    assert.equal(request!.status, 'open');
    assert.equal(request!.service_code, SERVICE);
    assert.equal(request!.agency_responsible, '住房和城乡建设局');
    assert.equal(request!.expected_datetime, '2026-03-09T23:59:59+08:00'); // 5 working days for a request for help
    assert.equal(request!.requested_datetime, '2026-03-02T09:00:00+08:00');
    assert.deepEqual([request!.lat, request!.long], [36.012, 120.023], 'the public sees the place to about 100 m, not the door');
    const xml = await get(`/open311/v2/requests/${id}.xml`);
    assert.match(xml.body, /<service_requests><request><service_request_id>2026-\d{6}<\/service_request_id><status>open<\/status>/);
    assert.equal((await get('/open311/v2/requests/2026-999999.json')).statusCode, 404);

    // The message came in on the open311 channel with its contact kept privately.
    const coordinator = await contextOf('coordinator');
    const caseId = (await listCases(deps, coordinator, { q: id }, { limit: 1, offset: 0 })).items[0]!.id;
    const detail = await getCase(deps, coordinator, caseId);
    assert.equal(detail.messages[0]!.channel, 'open311');
    assert.deepEqual(detail.messages[0]!.contact, { name: '三 张', phone: PHONE, email: EMAIL });
    assert.equal(detail.record.kind, 'request_for_help');

    const handler = await contextOf('handler-housing');
    let record = await applyCaseEvent(deps, handler, caseId, { version: detail.record.snapshot.version, event: { type: 'accept_work' } });
    record = await applyCaseEvent(deps, handler, caseId, { version: record.snapshot.version, event: { type: 'reply', text: `已修复楼道灯，联系电话 ${PHONE}。` } });
    clock.advance(30 * 86_400_000); // past the rating window
    await applyCaseEvent(deps, coordinator, caseId, { version: record.snapshot.version, event: { type: 'close', note: '办结' } });

    const [closed] = (await get(`/open311/v2/requests/${id}.json`)).json<Request311[]>();
    assert.equal(closed!.status, 'closed');
    assert.match(closed!.status_notes!, /^已办结：已修复楼道灯/);
    assert.equal(closed!.expected_datetime, null);
    const english = await app.inject({ url: `/open311/v2/requests/${id}.json`, headers: { 'accept-language': 'en-GB,en' } });
    seen.push(english.body);
    assert.match(english.json<Request311[]>()[0]!.status_notes!, /^Closed: /);
  });

  test('GET requests: service_request_id overrides filters; status, service_code, dates ≤ 90 days, page/page_size', async () => {
    const now = clock.now();
    const ids: string[] = [];
    for (const kind of ['complaint', 'consultation', 'suggestion']) {
      ids.push((await post(good({ 'attribute[kind]': kind, 'attribute[urgent]': 'no' }))).json<{ service_request_id: string }[]>()[0]!.service_request_id);
    }
    const all = (await get('/open311/v2/requests.json')).json<Request311[]>();
    assert.deepEqual(all.slice(0, 3).map((request) => request.service_request_id), [...ids].reverse(), 'newest first');

    const open = (await get('/open311/v2/requests.json?status=open')).json<Request311[]>();
    assert.ok(open.length >= 3 && open.every((request) => request.status === 'open'));
    const closed = (await get('/open311/v2/requests.json?status=closed&start_date=2026-02-01T00:00:00%2B08:00&end_date=2026-04-30T00:00:00%2B08:00')).json<Request311[]>();
    assert.ok(closed.length >= 1 && closed.every((request) => request.status === 'closed'));

    const byId = (await get(`/open311/v2/requests.json?service_request_id=${ids[2]},${ids[0]}&status=closed&service_code=nope`)).json<Request311[]>();
    assert.deepEqual(byId.map((request) => request.service_request_id), [ids[2], ids[0]]);

    assert.equal((await get('/open311/v2/requests.json?service_code=nope')).json<Request311[]>().length, 0);
    assert.ok((await get(`/open311/v2/requests.json?service_code=nope,${SERVICE}`)).json<Request311[]>().length >= 3);

    const wide = await get('/open311/v2/requests.xml?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z');
    assert.equal(wide.statusCode, 400);
    assert.match(wide.body, /<code>400<\/code><description>start_date and end_date may be at most 90 days apart/);
    const future = new Date(now.getTime() + 86_400_000).toISOString();
    assert.equal((await get(`/open311/v2/requests.json?start_date=${future}`)).json<Request311[]>().length, 0);

    const page1 = (await get('/open311/v2/requests.json?page_size=2')).json<Request311[]>();
    const page2 = (await get('/open311/v2/requests.json?page_size=2&page=2')).json<Request311[]>();
    assert.deepEqual(page1.map((request) => request.service_request_id), [ids[2], ids[1]]);
    assert.equal(page2[0]!.service_request_id, ids[0]);
    assert.equal((await get('/open311/v2/requests.json?page_size=0')).statusCode, 400);
    assert.equal((await get('/open311/v2/requests.json?jurisdiction_id=elsewhere')).statusCode, 404);
    assert.equal((await get(`/open311/v2/requests.json?jurisdiction_id=${city.code}`)).statusCode, 200);
  });

  test('tokens are never issued, so every token is 404; unknown formats and paths are XML 404s', async () => {
    const token = await get('/open311/v2/tokens/abc.json');
    assert.equal(token.statusCode, 404);
    assert.equal(errorOf(token.body)[0]!.code, 404);
    for (const url of ['/open311/v2/services.html', '/open311/v2/nothing.json', '/open311/v1/services.json']) {
      const response = await get(url);
      assert.equal(response.statusCode, 404, url);
      assert.equal(response.headers['content-type'], 'text/xml; charset=utf-8', url);
    }
  });

  test('a revoked key is refused with 403', async () => {
    const issued = await createOpen311Key(deps, admin, { name: 'short-lived' });
    assert.equal((await post(good({ api_key: issued.key }))).statusCode, 200);
    await revokeOpen311Key(deps, admin, issued.id);
    const refused = await post(good({ api_key: issued.key }));
    assert.equal(refused.statusCode, 403);
    assert.match(errorOf(refused.body)[0]!.description, /not valid/);
  });

  test('a key of another city is refused', async () => {
    const other = await buildVoicesCity(deps);
    const foreign = await createOpen311Key(deps, await cliContext(deps, other.code), { name: 'other city' });
    assert.equal((await post(good({ api_key: foreign.key }))).statusCode, 403);
  });

  test('personal data sent in POSTs never appears in any GET output', () => {
    assert.ok(seen.length > 10);
    for (const body of seen) {
      for (const secret of [PHONE, EMAIL, '三 张', 'zhang.san']) assert.ok(!body.includes(secret), `${secret} leaked in ${body.slice(0, 300)}`);
    }
  });
});

describe('minxin open311', () => {
  test('key prints only the key; keys lists it; revoke revokes it', async () => {
    const own = await buildOwnDatabase();
    try {
      const other = await own.use((deps) => buildVoicesCity(deps));
      const created = await runMinxin(own, ['open311', 'key', '--name', 'Bloomington app', '--city', other.code]);
      assert.equal(created.code, 0, created.stderr.join('\n'));
      assert.deepEqual(created.stdout.length, 1);
      assert.match(created.stdout[0]!, new RegExp(`^o311_${other.regionId}_[A-Za-z0-9_-]{43}$`));
      const listed = await runMinxin(own, ['open311', 'keys', '--city', other.code]);
      assert.equal(listed.code, 0);
      assert.match(listed.stdout[0]!, /^\d+\tBloomington app\to311_\d+_.{6}…\t.*\tactive$/);
      assert.ok(!listed.stdout.join('\n').includes(created.stdout[0]!), 'the secret is shown once');
      const id = listed.stdout[0]!.split('\t')[0]!;
      const revoked = await runMinxin(own, ['open311', 'revoke', id, '--city', other.code]);
      assert.equal(revoked.code, 0, revoked.stderr.join('\n'));
      assert.match((await runMinxin(own, ['open311', 'keys', '--city', other.code])).stdout[0]!, /\trevoked /);
      assert.equal((await runMinxin(own, ['open311', 'revoke', '999999', '--city', other.code])).code, 4);
      assert.equal((await runMinxin(own, ['open311', 'key', '--city', other.code])).code, 2);
    } finally {
      await own.dispose();
    }
  });
});
