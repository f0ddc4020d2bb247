import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  parseFormBody,
  parseFormat,
  parseJurisdiction,
  parseOpen311Path,
  parsePostRequest,
  parseRequestsQuery,
  parseW3cDateTime,
  readPostEnvelope,
  type Open311Attribute,
  type Open311Parsed,
  type Open311PostInput,
  type Open311RequestsQuery,
  type Open311ServiceDefinition,
} from './index.ts';

const NOW = new Date('2026-03-02T01:00:00Z');
const DAY = 86_400_000;

function value<T>(parsed: Open311Parsed<T>): T {
  if (!parsed.ok) assert.fail(`expected success, got ${parsed.status}: ${JSON.stringify(parsed.errors)}`);
  return parsed.value;
}

function refused<T>(parsed: Open311Parsed<T>, status: number, pattern?: RegExp): string[] {
  if (parsed.ok) assert.fail(`expected ${status}, got success: ${JSON.stringify(parsed.value)}`);
  assert.equal(parsed.status, status);
  assert.ok(parsed.errors.length > 0);
  const descriptions = parsed.errors.map((e) => e.description);
  if (pattern)
    assert.ok(
      descriptions.some((d) => pattern.test(d)),
      `${pattern} not in ${JSON.stringify(descriptions)}`,
    );
  return descriptions;
}

const query = (text: string): Open311RequestsQuery => value(parseRequestsQuery(new URLSearchParams(text), NOW));
const search = (text: string): Extract<Open311RequestsQuery, { kind: 'search' }> => {
  const parsed = query(text);
  assert.equal(parsed.kind, 'search');
  return parsed as Extract<Open311RequestsQuery, { kind: 'search' }>;
};

// ───────────────────────────── formats and paths ─────────────────────────────

test('parseFormat: .xml and .json; anything else is a missing resource (404)', () => {
  assert.equal(value(parseFormat('.xml')), 'xml');
  assert.equal(value(parseFormat('json')), 'json');
  for (const bad of ['', '.', '.XML', '.html', '.jsonp', 'xml2']) refused(parseFormat(bad), 404, /format/);
});

test('parseOpen311Path routes every resource; unknown paths and formats are 404 answered in XML', () => {
  assert.deepEqual(parseOpen311Path('discovery.json'), { ok: true, format: 'json', route: { resource: 'discovery' } });
  assert.deepEqual(parseOpen311Path('/services.xml'), { ok: true, format: 'xml', route: { resource: 'services' } });
  assert.deepEqual(parseOpen311Path('services/001.json'), {
    ok: true,
    format: 'json',
    route: { resource: 'service_definition', serviceCode: '001' },
  });
  assert.deepEqual(parseOpen311Path('services/%E8%B7%AF%E7%81%AF.xml'), {
    ok: true,
    format: 'xml',
    route: { resource: 'service_definition', serviceCode: '路灯' },
  });
  assert.deepEqual(parseOpen311Path('requests.json'), { ok: true, format: 'json', route: { resource: 'requests' } });
  assert.deepEqual(parseOpen311Path('requests/1024.xml'), {
    ok: true,
    format: 'xml',
    route: { resource: 'request', serviceRequestId: '1024' },
  });
  assert.deepEqual(parseOpen311Path('tokens/abc-123.json'), {
    ok: true,
    format: 'json',
    route: { resource: 'token', token: 'abc-123' },
  });

  for (const missing of [
    'services',
    'services.html',
    'tokens.json',
    'foo.json',
    'requests/1/2.json',
    'discovery.yaml',
  ]) {
    const route = parseOpen311Path(missing);
    assert.equal(route.ok, false, missing);
    if (!route.ok) {
      assert.equal(route.status, 404, missing);
      assert.equal(route.format, 'xml', missing);
    }
  }
  const empty = parseOpen311Path('services/.json');
  assert.ok(
    !empty.ok &&
      empty.status === 400 &&
      empty.format === 'json' &&
      /service_code is required/.test(empty.errors[0]?.description ?? ''),
  );
  const badEncoding = parseOpen311Path('requests/%E8%B7.json');
  assert.ok(!badEncoding.ok && badEncoding.status === 400);
});

// ───────────────────────────── jurisdiction ─────────────────────────────

test('parseJurisdiction: absent or empty is fine, ours is fine, anything else is 404', () => {
  assert.equal(value(parseJurisdiction(undefined, 'city.example')), null);
  assert.equal(value(parseJurisdiction('', 'city.example')), null);
  assert.equal(value(parseJurisdiction('  ', 'city.example')), null);
  assert.equal(value(parseJurisdiction('City.Example', 'city.example')), 'city.example');
  assert.equal(value(parseJurisdiction(['city.example', 'city.example'], 'city.example')), 'city.example');
  refused(parseJurisdiction('other.example', 'city.example'), 404, /Unknown jurisdiction_id/);
  refused(parseJurisdiction(['city.example', 'other.example'], 'city.example'), 400);
});

// ───────────────────────────── date-times ─────────────────────────────

test('parseW3cDateTime requires a zone and a real date', () => {
  assert.equal(parseW3cDateTime('2026-03-02T09:00:00+08:00')?.toISOString(), '2026-03-02T01:00:00.000Z');
  assert.equal(parseW3cDateTime('2026-03-02T09:00+08:00')?.toISOString(), '2026-03-02T01:00:00.000Z');
  assert.equal(parseW3cDateTime('2026-03-02T01:00:00.25Z')?.toISOString(), '2026-03-02T01:00:00.250Z');
  assert.equal(parseW3cDateTime('2026-03-01T20:00:00-05:00')?.toISOString(), '2026-03-02T01:00:00.000Z');
  // An unencoded "+" in a query string arrives as a space.
  assert.equal(parseW3cDateTime('2026-03-02T09:00:00 08:00')?.toISOString(), '2026-03-02T01:00:00.000Z');
  for (const bad of [
    '2026-03-02',
    '2026-03-02T09:00:00',
    '2026-02-29T09:00:00Z',
    '2026-13-01T09:00:00Z',
    '2026-03-02T24:00:00Z',
    '2026-03-02T09:00:00+15:00',
    '2026-03-02T09:00:00+0800',
    '2026-03-02 09:00:00Z',
    'yesterday',
    '0099-01-01T00:00:00Z',
  ]) {
    assert.equal(parseW3cDateTime(bad), null, bad);
  }
  assert.equal(parseW3cDateTime('2028-02-29T00:00:00Z')?.toISOString(), '2028-02-29T00:00:00.000Z');
});

// ───────────────────────────── GET requests ─────────────────────────────

test('requests query: defaults are the last 90 days, both statuses, any service, page 1 of 1000', () => {
  const parsed = search('');
  assert.deepEqual(parsed, {
    kind: 'search',
    serviceCodes: null,
    start: new Date(NOW.getTime() - 90 * DAY),
    end: NOW,
    statuses: null,
    page: 1,
    pageSize: 1000,
    offset: 0,
    extensions: false,
  });
});

test('requests query: empty parameters behave exactly as absent ones', () => {
  assert.deepEqual(
    search('service_code=&status=&start_date=&end_date=&page=&page_size=&service_request_id=&extensions='),
    search(''),
  );
  assert.deepEqual(
    parseRequestsQuery({ service_code: '', status: ' ', page: undefined, start_date: [] }, NOW),
    parseRequestsQuery({}, NOW),
  );
});

test('requests query: service_request_id overrides every other filter, even invalid ones', () => {
  assert.deepEqual(query('service_request_id=12,13,%2012%20,,14&status=bogus&start_date=nope&page=0'), {
    kind: 'ids',
    serviceRequestIds: ['12', '13', '14'],
    extensions: false,
  });
  assert.deepEqual(query('service_request_id=1&service_request_id=2&extensions=true'), {
    kind: 'ids',
    serviceRequestIds: ['1', '2'],
    extensions: true,
  });
  const tooMany = Array.from({ length: 1001 }, (_, i) => String(i)).join(',');
  refused(parseRequestsQuery(new URLSearchParams({ service_request_id: tooMany }), NOW), 400, /at most 1000/);
});

test('requests query: service_code and status lists', () => {
  const parsed = search('service_code=001,002&service_code=003&status=open,CLOSED,open');
  assert.deepEqual(parsed.serviceCodes, ['001', '002', '003']);
  assert.deepEqual(parsed.statuses, ['open', 'closed']);
  refused(parseRequestsQuery(new URLSearchParams('status=open,pending'), NOW), 400, /pending/);
});

test('requests query: the date range is at most 90 days and defaults around the one date given', () => {
  const both = search('start_date=2026-01-01T00:00:00%2B08:00&end_date=2026-03-31T00:00:00%2B08:00');
  assert.equal(both.start.toISOString(), '2025-12-31T16:00:00.000Z');
  assert.equal(both.end.toISOString(), '2026-03-30T16:00:00.000Z');
  // Exactly 90 days is allowed; a second more is not.
  search('start_date=2026-01-01T00:00:00Z&end_date=2026-04-01T00:00:00Z');
  refused(
    parseRequestsQuery(new URLSearchParams('start_date=2026-01-01T00:00:00Z&end_date=2026-04-01T00:00:01Z'), NOW),
    400,
    /90 days/,
  );
  refused(
    parseRequestsQuery(new URLSearchParams('start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z'), NOW),
    400,
    /after end_date/,
  );
  const onlyStart = search('start_date=2025-01-01T00:00:00Z');
  assert.equal(onlyStart.end.getTime() - onlyStart.start.getTime(), 90 * DAY);
  const onlyEnd = search('end_date=2025-06-01T00:00:00Z');
  assert.equal(onlyEnd.start.toISOString(), new Date(Date.parse('2025-06-01T00:00:00Z') - 90 * DAY).toISOString());
  // Unencoded "+" (decoded to a space) still reads as +08:00.
  assert.equal(search('end_date=2026-03-02T09:00:00+08:00').end.toISOString(), '2026-03-02T01:00:00.000Z');
  refused(parseRequestsQuery(new URLSearchParams('start_date=2026-03-01'), NOW), 400, /time zone/);
  refused(parseRequestsQuery(new URLSearchParams('end_date=2026-03-01T00:00:00'), NOW), 400, /time zone/);
  refused(
    parseRequestsQuery(new URLSearchParams('start_date=2026-01-01T00:00:00Z&start_date=2026-01-02T00:00:00Z'), NOW),
    400,
    /more than once/,
  );
});

test('requests query: page and page_size with bounds', () => {
  const parsed = search('page=3&page_size=50');
  assert.deepEqual([parsed.page, parsed.pageSize, parsed.offset], [3, 50, 100]);
  assert.equal(search('page_size=1000').pageSize, 1000);
  assert.equal(search('page=10000').page, 10000);
  for (const bad of [
    'page=0',
    'page=-1',
    'page=1.5',
    'page=abc',
    'page=10001',
    'page_size=0',
    'page_size=1001',
    'page_size=1e3',
  ]) {
    refused(parseRequestsQuery(new URLSearchParams(bad), NOW), 400, /whole number/);
  }
  // Every problem is reported at once.
  const all = refused(
    parseRequestsQuery(new URLSearchParams('page=0&page_size=0&status=x&extensions=maybe'), NOW),
    400,
  );
  assert.equal(all.length, 4);
});

// ───────────────────────────── form bodies ─────────────────────────────

test('parseFormBody: strict x-www-form-urlencoded with + as space and repeated names kept', () => {
  const form = value(parseFormBody('a=1+2&b=%E4%B8%AD%E6%96%87&attribute%5BX%5D%5B%5D=p&attribute[X][]=q&flag&&c='));
  assert.deepEqual(
    [...form],
    [
      ['a', '1 2'],
      ['b', '中文'],
      ['attribute[X][]', 'p'],
      ['attribute[X][]', 'q'],
      ['flag', ''],
      ['c', ''],
    ],
  );
  assert.deepEqual([...value(parseFormBody(''))], []);
  refused(parseFormBody('a=%zz'), 400, /not valid/);
  refused(parseFormBody('a=%E4%B8'), 400, /not valid/);
  refused(parseFormBody('a=%'), 400);
});

// ───────────────────────────── POST requests ─────────────────────────────

const attribute = (
  overrides: Partial<Open311Attribute> & Pick<Open311Attribute, 'code' | 'datatype'>,
): Open311Attribute => ({
  variable: true,
  required: false,
  datatype_description: null,
  order: 1,
  description: overrides.code,
  values: [],
  ...overrides,
});

const definition: Open311ServiceDefinition = {
  service_code: '001',
  attributes: [
    attribute({ code: 'NOTE', datatype: 'string', order: 5 }),
    attribute({ code: 'COUNT', datatype: 'number', order: 2 }),
    attribute({ code: 'SEEN', datatype: 'datetime', order: 3 }),
    attribute({
      code: 'KIND',
      datatype: 'singlevaluelist',
      required: true,
      order: 1,
      values: [
        { key: '1', name: 'Out' },
        { key: '2', name: 'Flickering' },
      ],
    }),
    attribute({
      code: 'TAGS',
      datatype: 'multivaluelist',
      order: 4,
      values: [
        { key: 'a', name: 'A' },
        { key: 'b', name: 'B' },
        { key: 'c', name: 'C' },
      ],
    }),
    attribute({ code: 'HELP', datatype: 'text', variable: false, order: 6 }),
  ],
};

const BASE = 'api_key=K1&service_code=001&lat=31.23&long=121.47&attribute[KIND]=1';
const post = (
  body: string,
  serviceDefinition: Open311ServiceDefinition | null = definition,
): Open311Parsed<Open311PostInput> => parsePostRequest(value(parseFormBody(body)), { serviceDefinition });

test('POST: a minimal valid request, with the key returned for the caller to check', () => {
  const input = value(post(BASE));
  assert.deepEqual(input, {
    apiKey: 'K1',
    serviceCode: '001',
    jurisdictionId: null,
    lat: 31.23,
    long: 121.47,
    addressString: null,
    addressId: null,
    email: null,
    deviceId: null,
    accountId: null,
    firstName: null,
    lastName: null,
    phone: null,
    mediaUrl: null,
    description: null,
    attributes: [{ code: 'KIND', datatype: 'singlevaluelist', value: '1' }],
    ignoredAttributeCodes: [],
  });
});

test('POST: api_key missing → 403 before anything else; service_code missing → 400', () => {
  const noKey = refused(post('service_code=001'), 403, /api_key/);
  assert.equal(noKey.length, 1);
  refused(post('api_key=&service_code=001&lat=1&long=2'), 403);
  refused(post(`${BASE}&api_key=K2`), 403, /more than once/);
  refused(post('api_key=K&lat=1&long=2&attribute[KIND]=1'), 400, /service_code is required/);
  refused(readPostEnvelope(new URLSearchParams('service_code=001')), 403);
  refused(readPostEnvelope(new URLSearchParams('api_key=K')), 400, /service_code/);
  assert.deepEqual(
    value(readPostEnvelope(new URLSearchParams('api_key=K&service_code=001&jurisdiction_id=city.example'))),
    {
      apiKey: 'K',
      serviceCode: '001',
      jurisdictionId: 'city.example',
    },
  );
  assert.throws(() => post(BASE.replace('service_code=001', 'service_code=002')), TypeError);
});

test('POST: exactly enough location', () => {
  const tail = 'api_key=K&service_code=001&attribute[KIND]=1';
  assert.equal(value(post(`${tail}&address_string=人民路 1 号`)).addressString, '人民路 1 号');
  assert.equal(value(post(`${tail}&address_id=A-9`)).addressId, 'A-9');
  const both = value(post(`${tail}&lat=-33.5&long=-70.25&address_string=x`));
  assert.deepEqual([both.lat, both.long, both.addressString], [-33.5, -70.25, 'x']);
  refused(post(tail), 400, /location is required/);
  refused(post(`${tail}&lat=31.2`), 400, /together/);
  refused(post(`${tail}&long=121.4&address_string=x`), 400, /together/);
  refused(post(`${tail}&lat=&long=&address_string=`), 400, /location is required/);
  refused(post(`${tail}&lat=91&long=0`), 400, /lat must be/);
  refused(post(`${tail}&lat=0&long=180.5`), 400, /long must be/);
  refused(post(`${tail}&lat=1e1&long=0`), 400, /lat must be/);
  refused(post(`${tail}&lat=abc&long=0`), 400, /lat must be/);
});

test('POST: attributes are validated against the definition', () => {
  const input = value(
    post(
      `${BASE}&attribute[COUNT]=-2.5&attribute[SEEN]=2026-03-01T08:00:00%2B08:00&attribute[TAGS][]=a&attribute[TAGS][]=c` +
        '&attribute[TAGS][]=a&attribute[NOTE]=ok',
    ),
  );
  assert.deepEqual(input.attributes, [
    { code: 'KIND', datatype: 'singlevaluelist', value: '1' },
    { code: 'COUNT', datatype: 'number', value: -2.5 },
    { code: 'SEEN', datatype: 'datetime', value: new Date('2026-03-01T00:00:00Z') },
    { code: 'TAGS', datatype: 'multivaluelist', value: ['a', 'c'] },
    { code: 'NOTE', datatype: 'string', value: 'ok' },
  ]);
  // A single plain value for a multivaluelist is one value.
  assert.deepEqual(value(post(`${BASE}&attribute[TAGS]=b`)).attributes[1], {
    code: 'TAGS',
    datatype: 'multivaluelist',
    value: ['b'],
  });

  refused(post(BASE.replace('&attribute[KIND]=1', '')), 400, /attribute\[KIND\] is required/);
  refused(post(BASE.replace('attribute[KIND]=1', 'attribute[KIND]=')), 400, /attribute\[KIND\] is required/);
  refused(post(BASE.replace('attribute[KIND]=1', 'attribute[KIND]=9')), 400, /unknown value: 9/);
  refused(post(`${BASE}&attribute[KIND]=2`), 400, /single value/);
  refused(post(BASE.replace('attribute[KIND]=1', 'attribute[KIND][]=1')), 400, /single value/);
  refused(post(`${BASE}&attribute[COUNT]=twelve`), 400, /COUNT\] must be a number/);
  refused(post(`${BASE}&attribute[COUNT]=Infinity`), 400, /must be a number/);
  refused(post(`${BASE}&attribute[SEEN]=2026-03-01`), 400, /time zone/);
  refused(post(`${BASE}&attribute[TAGS][]=a&attribute[TAGS][]=z`), 400, /unknown values: z/);
  refused(post(`${BASE}&attribute[NOTE]=${'x'.repeat(1001)}`), 400, /at most 1000/);
  refused(post(`${BASE}&attribute[KIND`), 400, /Malformed attribute/);
  refused(post(`${BASE}&attribute[]=x`), 400, /Malformed attribute/);
});

test('POST: unknown and display-only attribute codes are ignored and listed', () => {
  const input = value(post(`${BASE}&attribute[fixmystreet_id]=123&attribute[HELP]=x`));
  assert.deepEqual(input.ignoredAttributeCodes, ['fixmystreet_id', 'HELP']);
  assert.deepEqual(input.attributes, [{ code: 'KIND', datatype: 'singlevaluelist', value: '1' }]);
  // A service without a definition ignores every attribute.
  const bare = value(post('api_key=K&service_code=009&address_id=1&attribute[X]=1', null));
  assert.deepEqual([bare.attributes, bare.ignoredAttributeCodes], [[], ['X']]);
});

test('POST: description ≤ 4000 characters, plain text kept as text, line breaks normalised', () => {
  const chinese = '路'.repeat(4000);
  assert.equal(value(post(`${BASE}&description=${encodeURIComponent(chinese)}`)).description, chinese);
  refused(post(`${BASE}&description=${encodeURIComponent(`${chinese}路`)}`), 400, /at most 4000/);
  const html = '<script>alert("x")</script>\r\nline 2\u0000';
  assert.equal(
    value(post(`${BASE}&description=${encodeURIComponent(html)}`)).description,
    '<script>alert("x")</script>\nline 2',
  );
  assert.equal(value(post(`${BASE}&description=%20%20`)).description, null);
});

test('POST: optional personal fields are checked for shape', () => {
  const input = value(
    post(
      `${BASE}&email=a%40b.cn&phone=%2B86 138-0000-0000&first_name=San&last_name=Zhang&device_id=d1&account_id=77` +
        '&media_url=https%3A%2F%2Fimg.example%2F1.jpg',
    ),
  );
  assert.deepEqual(
    [input.email, input.phone, input.firstName, input.lastName, input.deviceId, input.accountId, input.mediaUrl],
    ['a@b.cn', '+86 138-0000-0000', 'San', 'Zhang', 'd1', '77', 'https://img.example/1.jpg'],
  );
  refused(post(`${BASE}&email=nope`), 400, /e-mail/);
  refused(post(`${BASE}&phone=call me`), 400, /telephone/);
  refused(post(`${BASE}&media_url=javascript:alert(1)`), 400, /media_url/);
  refused(post(`${BASE}&first_name=${'x'.repeat(101)}`), 400, /first_name/);
  refused(post(`${BASE}&email=a%40b.cn&email=c%40d.cn`), 400, /more than once/);
});

test('POST: every 400 problem is reported together', () => {
  const all = refused(post('api_key=K&service_code=001&lat=1&email=x&attribute[COUNT]=z'), 400);
  assert.equal(all.length, 4, JSON.stringify(all)); // long missing, email, KIND required, COUNT
});
