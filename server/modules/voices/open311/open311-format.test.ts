import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildOpen311Discovery,
  escapeXml,
  formatW3cDateTime,
  renderOpen311,
  type Open311Request,
  type Open311Service,
  type Open311ServiceDefinition,
} from './index.ts';

const DECL = '<?xml version="1.0" encoding="utf-8"?>';
const XML = 'text/xml; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

const service: Open311Service = {
  service_code: '001',
  service_name: '路灯不亮',
  description: 'Street light out',
  metadata: true,
  type: 'realtime',
  keywords: 'light, lamp',
  group: '市政设施',
};

const definition: Open311ServiceDefinition = {
  service_code: '001',
  attributes: [
    {
      variable: true,
      code: 'POLE',
      datatype: 'string',
      required: false,
      datatype_description: null,
      order: 1,
      description: 'Pole number',
      values: [],
    },
    {
      variable: true,
      code: '002',
      datatype: 'singlevaluelist',
      required: true,
      datatype_description: 'Pick one',
      order: 2,
      description: 'Kind',
      values: [
        { key: '10', name: 'Out' },
        { key: '20', name: 'Flickering' },
      ],
    },
  ],
};

const request: Open311Request = {
  service_request_id: '0042',
  status: 'open',
  status_notes: '城管局正在办理。',
  service_name: '路灯不亮',
  service_code: '001',
  description: null,
  agency_responsible: '城管局',
  service_notice: null,
  requested_datetime: '2026-03-02T09:00:00+08:00',
  updated_datetime: '2026-03-02T10:30:00+08:00',
  expected_datetime: '2026-03-09T17:30:00+08:00',
  address: '人民路 1 号',
  address_id: null,
  zipcode: '200001',
  lat: 31.2304,
  long: 121.4737,
  media_url: null,
};

test('formatW3cDateTime writes seconds and the city offset', () => {
  const instant = new Date('2026-03-01T17:00:00.999Z');
  assert.equal(formatW3cDateTime(instant, 480), '2026-03-02T01:00:00+08:00');
  assert.equal(formatW3cDateTime(instant, 0), '2026-03-01T17:00:00Z');
  assert.equal(formatW3cDateTime(instant, -330), '2026-03-01T11:30:00-05:30');
  assert.throws(() => formatW3cDateTime(new Date('nope'), 480), RangeError);
  assert.throws(() => formatW3cDateTime(instant, 15 * 60), RangeError);
  assert.throws(() => formatW3cDateTime(instant, 1.5), RangeError);
});

test('escapeXml escapes the five specials, keeps CR, and removes characters XML 1.0 forbids', () => {
  assert.equal(
    escapeXml(`<a href="x">Tom & 'Jerry'</a>`),
    '&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;',
  );
  assert.equal(escapeXml('a\u0000b\u0008c\u000Bd\u001Fe\uFFFEf\uFFFFg'), 'abcdefg');
  assert.equal(escapeXml('line1\r\nline2\ttab'), 'line1&#13;\nline2\ttab');
  assert.equal(escapeXml('lone \uD800 surrogate, pair 😀'), 'lone  surrogate, pair 😀');
  assert.equal(escapeXml('中文 ]]> end'), '中文 ]]&gt; end');
});

test('discovery: XML and JSON golden documents, with an absolute endpoint URL', () => {
  const discovery = buildOpen311Discovery({
    baseUrl: 'https://minxin.city.example/',
    changeset: '2026-03-01T00:00:00+08:00',
    contact: '12345 热线 <api@city.example>',
    keyService: 'npx minxin open311 key --name NAME',
    type: 'production',
  });
  const xml = renderOpen311('xml', 'discovery', discovery);
  assert.equal(xml.contentType, XML);
  assert.equal(
    xml.body,
    DECL +
      '<discovery>' +
      '<changeset>2026-03-01T00:00:00+08:00</changeset>' +
      '<contact>12345 热线 &lt;api@city.example&gt;</contact>' +
      '<key_service>npx minxin open311 key --name NAME</key_service>' +
      '<endpoints><endpoint>' +
      '<specification>http://wiki.open311.org/GeoReport_v2</specification>' +
      '<url>https://minxin.city.example/open311/v2</url>' +
      '<changeset>2026-03-01T00:00:00+08:00</changeset>' +
      '<type>production</type>' +
      '<formats><format>text/xml</format><format>application/json</format></formats>' +
      '</endpoint></endpoints>' +
      '</discovery>',
  );
  const json = renderOpen311('json', 'discovery', discovery);
  assert.equal(json.contentType, JSON_TYPE);
  assert.equal(
    json.body,
    '{"changeset":"2026-03-01T00:00:00+08:00","contact":"12345 热线 <api@city.example>",' +
      '"key_service":"npx minxin open311 key --name NAME","endpoints":[{' +
      '"specification":"http://wiki.open311.org/GeoReport_v2","url":"https://minxin.city.example/open311/v2",' +
      '"changeset":"2026-03-01T00:00:00+08:00","type":"production","formats":["text/xml","application/json"]}]}',
  );
  const input = {
    baseUrl: 'http://localhost:3000/minxin',
    changeset: 'x',
    contact: 'c',
    keyService: 'k',
    type: 'test',
  } as const;
  assert.equal(buildOpen311Discovery(input).endpoints[0]?.url, 'http://localhost:3000/minxin/open311/v2');
  assert.throws(() => buildOpen311Discovery({ ...input, baseUrl: 'ftp://x' }), TypeError);
  assert.throws(() => buildOpen311Discovery({ ...input, baseUrl: '/relative' }));
});

test('services: XML and JSON golden documents; numeric-looking codes stay strings', () => {
  assert.equal(
    renderOpen311('xml', 'services', [service]).body,
    DECL +
      '<services><service>' +
      '<service_code>001</service_code><service_name>路灯不亮</service_name>' +
      '<description>Street light out</description><metadata>true</metadata><type>realtime</type>' +
      '<keywords>light, lamp</keywords><group>市政设施</group>' +
      '</service></services>',
  );
  const json = renderOpen311('json', 'services', [service]);
  assert.equal(
    json.body,
    '[{"service_code":"001","service_name":"路灯不亮","description":"Street light out","metadata":true,' +
      '"type":"realtime","keywords":"light, lamp","group":"市政设施"}]',
  );
  assert.deepEqual(JSON.parse(renderOpen311('json', 'services', []).body), []);
  assert.equal(renderOpen311('xml', 'services', []).body, `${DECL}<services/>`);
  // A code that slipped through as a number is still written as a string.
  const sloppy = { ...service, service_code: 7 as unknown as string };
  assert.equal(
    (JSON.parse(renderOpen311('json', 'services', [sloppy]).body) as Array<{ service_code: unknown }>)[0]?.service_code,
    '7',
  );
});

test('services: only the spec fields are written, whatever else the input carries', () => {
  const extra = { ...service, internal_id: 99, secret: 'x' } as Open311Service;
  assert.deepEqual(Object.keys((JSON.parse(renderOpen311('json', 'services', [extra]).body) as object[])[0] ?? {}), [
    'service_code',
    'service_name',
    'description',
    'metadata',
    'type',
    'keywords',
    'group',
  ]);
});

test('service definition: XML and JSON golden documents; values only on list datatypes', () => {
  assert.equal(
    renderOpen311('xml', 'service_definition', definition).body,
    DECL +
      '<service_definition><service_code>001</service_code><attributes>' +
      '<attribute><variable>true</variable><code>POLE</code><datatype>string</datatype><required>false</required>' +
      '<datatype_description/><order>1</order><description>Pole number</description></attribute>' +
      '<attribute><variable>true</variable><code>002</code><datatype>singlevaluelist</datatype><required>true</required>' +
      '<datatype_description>Pick one</datatype_description><order>2</order><description>Kind</description>' +
      '<values><value><key>10</key><name>Out</name></value><value><key>20</key><name>Flickering</name></value></values>' +
      '</attribute>' +
      '</attributes></service_definition>',
  );
  assert.equal(
    renderOpen311('json', 'service_definition', definition).body,
    '{"service_code":"001","attributes":[' +
      '{"variable":true,"code":"POLE","datatype":"string","required":false,"datatype_description":null,"order":1,' +
      '"description":"Pole number"},' +
      '{"variable":true,"code":"002","datatype":"singlevaluelist","required":true,"datatype_description":"Pick one",' +
      '"order":2,"description":"Kind","values":[{"key":"10","name":"Out"},{"key":"20","name":"Flickering"}]}]}',
  );
});

test('requests: XML and JSON golden documents; nulls are empty elements / JSON null; lat/long numbers', () => {
  assert.equal(
    renderOpen311('xml', 'requests', [request]).body,
    DECL +
      '<service_requests><request>' +
      '<service_request_id>0042</service_request_id><status>open</status>' +
      '<status_notes>城管局正在办理。</status_notes><service_name>路灯不亮</service_name>' +
      '<service_code>001</service_code><description/><agency_responsible>城管局</agency_responsible>' +
      '<service_notice/><requested_datetime>2026-03-02T09:00:00+08:00</requested_datetime>' +
      '<updated_datetime>2026-03-02T10:30:00+08:00</updated_datetime>' +
      '<expected_datetime>2026-03-09T17:30:00+08:00</expected_datetime>' +
      '<address>人民路 1 号</address><address_id/><zipcode>200001</zipcode>' +
      '<lat>31.2304</lat><long>121.4737</long><media_url/>' +
      '</request></service_requests>',
  );
  assert.equal(
    renderOpen311('json', 'requests', [request]).body,
    '[{"service_request_id":"0042","status":"open","status_notes":"城管局正在办理。","service_name":"路灯不亮",' +
      '"service_code":"001","description":null,"agency_responsible":"城管局","service_notice":null,' +
      '"requested_datetime":"2026-03-02T09:00:00+08:00","updated_datetime":"2026-03-02T10:30:00+08:00",' +
      '"expected_datetime":"2026-03-09T17:30:00+08:00","address":"人民路 1 号","address_id":null,' +
      '"zipcode":"200001","lat":31.2304,"long":121.4737,"media_url":null}]',
  );
});

test('requests: HTML and control characters in a description are text in both formats', () => {
  const nasty = { ...request, description: '<script>alert("x")</script> & \u0001done' };
  assert.match(
    renderOpen311('xml', 'requests', [nasty]).body,
    /<description>&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; done<\/description>/,
  );
  const [parsed] = JSON.parse(renderOpen311('json', 'requests', [nasty]).body) as Array<{ description: string }>;
  assert.equal(parsed?.description, '<script>alert("x")</script> & done');
});

test('POST result: service_request_id xor token, optional notice and account id', () => {
  assert.equal(
    renderOpen311('xml', 'post_result', [{ service_request_id: '1024', service_notice: '7 个工作日内答复' }]).body,
    DECL +
      '<service_requests><request><service_request_id>1024</service_request_id>' +
      '<service_notice>7 个工作日内答复</service_notice></request></service_requests>',
  );
  assert.equal(
    renderOpen311('json', 'post_result', [{ service_request_id: '1024', account_id: '77' }]).body,
    '[{"service_request_id":"1024","account_id":"77"}]',
  );
  assert.equal(
    renderOpen311('json', 'post_result', [{ token: 'abc', service_notice: null }]).body,
    '[{"token":"abc"}]',
  );
  const both = { service_request_id: '1', token: 'a' } as unknown as { service_request_id: string };
  assert.throws(() => renderOpen311('json', 'post_result', [both]), TypeError);
  const neither = {} as unknown as { service_request_id: string };
  assert.throws(() => renderOpen311('xml', 'post_result', [neither]), TypeError);
});

test('token lookup: token only until an id exists, then both', () => {
  assert.equal(
    renderOpen311('xml', 'token', [{ token: 'abc', service_request_id: null }]).body,
    `${DECL}<service_requests><request><token>abc</token></request></service_requests>`,
  );
  assert.equal(renderOpen311('json', 'token', [{ token: 'abc', service_request_id: null }]).body, '[{"token":"abc"}]');
  assert.equal(
    renderOpen311('xml', 'token', [{ token: 'abc', service_request_id: '1024' }]).body,
    `${DECL}<service_requests><request><service_request_id>1024</service_request_id><token>abc</token></request></service_requests>`,
  );
  assert.equal(
    renderOpen311('json', 'token', [{ token: 'abc', service_request_id: '1024' }]).body,
    '[{"service_request_id":"1024","token":"abc"}]',
  );
});

test('errors: a top-level list of {code, description} in the requested format', () => {
  const errors = [
    { code: 403, description: 'api_key is required' },
    { code: 400, description: 'lat & long <both>' },
  ];
  const xml = renderOpen311('xml', 'errors', errors);
  assert.equal(xml.contentType, XML);
  assert.equal(
    xml.body,
    DECL +
      '<errors><error><code>403</code><description>api_key is required</description></error>' +
      '<error><code>400</code><description>lat &amp; long &lt;both&gt;</description></error></errors>',
  );
  const json = renderOpen311('json', 'errors', errors);
  assert.equal(json.contentType, JSON_TYPE);
  assert.equal(
    json.body,
    '[{"code":403,"description":"api_key is required"},{"code":400,"description":"lat & long <both>"}]',
  );
});

test('no superfluous arrays: every scalar in every JSON document is a scalar', () => {
  const documents = [
    JSON.parse(renderOpen311('json', 'services', [service]).body),
    JSON.parse(renderOpen311('json', 'requests', [request]).body),
    JSON.parse(renderOpen311('json', 'post_result', [{ service_request_id: '1' }]).body),
    JSON.parse(renderOpen311('json', 'token', [{ token: 't', service_request_id: '1' }]).body),
    JSON.parse(renderOpen311('json', 'errors', [{ code: 400, description: 'x' }]).body),
  ] as Array<Array<Record<string, unknown>>>;
  for (const document of documents) {
    assert.ok(Array.isArray(document));
    for (const item of document) {
      for (const [key, value] of Object.entries(item))
        assert.ok((!Array.isArray(value) && typeof value !== 'object') || value === null, key);
    }
  }
  const def = JSON.parse(renderOpen311('json', 'service_definition', definition).body) as Record<string, unknown>;
  assert.ok(!Array.isArray(def) && typeof def.service_code === 'string' && Array.isArray(def.attributes));
});
