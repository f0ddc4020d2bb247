/**
 * Writes Open311 GeoReport v2 documents as XML or JSON (docs/open311.md).
 *
 * Pure: no clock, no I/O. XML starts with the UTF-8 declaration, has no
 * namespace, no whitespace between elements, and its text is escaped with the
 * characters XML 1.0 forbids removed. JSON follows the "Spark" mapping the
 * spec uses: lists, POST results, token results and errors are top-level
 * arrays; a service definition and the discovery document are objects;
 * scalars are never wrapped in arrays; identifiers are always strings.
 * Only the fields of the spec are written, whatever else the input carries.
 */
import {
  GEOREPORT_V2_SPECIFICATION,
  type Open311Attribute,
  type Open311Discovery,
  type Open311DocumentKind,
  type Open311Documents,
  type Open311Endpoint,
  type Open311Error,
  type Open311Format,
  type Open311PostResult,
  type Open311Request,
  type Open311Service,
  type Open311TokenResult,
} from './open311-types.ts';

/** The content types of the two formats. */
export const OPEN311_CONTENT_TYPES: Readonly<Record<Open311Format, string>> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** The MIME types discovery lists for our endpoint (XML first: every v2 endpoint must serve it). */
export const OPEN311_FORMATS: readonly string[] = ['text/xml', 'application/json'];

/** The XML declaration every XML response starts with. */
export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

/** A rendered response: send `body` with the `Content-Type` header `contentType`. */
export interface Open311Rendered {
  readonly contentType: string;
  readonly body: string;
}

// ───────────────────────────── date-times ─────────────────────────────

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/**
 * `date` as W3C-DTF with seconds and the zone `offsetMinutes` east of UTC
 * (480 → `+08:00`, 0 → `Z`); milliseconds are dropped.
 * Throws a RangeError for an invalid date or an offset beyond ±14:00.
 *
 * @example formatW3cDateTime(new Date('2026-03-02T01:00:00Z'), 480) // '2026-03-02T09:00:00+08:00'
 */
export function formatW3cDateTime(date: Date, offsetMinutes: number): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new RangeError('formatW3cDateTime: invalid date');
  if (!Number.isInteger(offsetMinutes) || Math.abs(offsetMinutes) > 14 * 60) {
    throw new RangeError(`formatW3cDateTime: offset ${offsetMinutes} is not a whole number of minutes within ±14:00`);
  }
  const local = new Date(Math.floor(date.getTime() / 1000) * 1000 + offsetMinutes * 60_000);
  const year = local.getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError('formatW3cDateTime: year outside 0000–9999');
  const wall =
    `${pad(year, 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  if (offsetMinutes === 0) return `${wall}Z`;
  const sign = offsetMinutes > 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `${wall}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

// ───────────────────────────── discovery ─────────────────────────────

/** What the city says about its Open311 endpoint. */
export interface Open311DiscoveryInput {
  /** The public origin (and optional path prefix) of the server, e.g. `https://minxin.city.example`. */
  readonly baseUrl: string;
  /** W3C-DTF timestamp of the last change of the endpoint or its services. */
  readonly changeset: string;
  readonly contact: string;
  readonly keyService: string;
  readonly type: 'production' | 'test';
}

/**
 * The discovery document of our single endpoint, `${baseUrl}/open311/v2`,
 * serving XML and JSON. Throws a TypeError when `baseUrl` is not an absolute
 * http(s) URL (a wrong discovery URL is a classic Open311 bug).
 *
 * @example buildOpen311Discovery({ baseUrl: 'https://city.example', changeset, contact, keyService, type: 'production' })
 */
export function buildOpen311Discovery(input: Open311DiscoveryInput): Open311Discovery {
  const base = new URL(input.baseUrl);
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new TypeError('baseUrl must be http(s)');
  const root = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
  return {
    changeset: input.changeset,
    contact: input.contact,
    key_service: input.keyService,
    endpoints: [
      {
        specification: GEOREPORT_V2_SPECIFICATION,
        url: `${root}/open311/v2`,
        changeset: input.changeset,
        type: input.type,
        formats: OPEN311_FORMATS,
      },
    ],
  };
}

// ───────────────────────────── XML writer ─────────────────────────────

// Characters XML 1.0 forbids anywhere (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF).
const INVALID_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Characters that XML 1.0 cannot carry, removed. Also used on JSON output, so both formats say the same. */
export function stripInvalidXmlChars(text: string): string {
  return text.replace(INVALID_XML_CHARS, '');
}

/**
 * `text` escaped for XML element content and attribute values: `& < > " '`
 * become entities, CR becomes `&#13;` (a parser would turn a literal CR into
 * LF), and characters XML 1.0 forbids are removed.
 */
export function escapeXml(text: string): string {
  return stripInvalidXmlChars(text).replace(/[&<>"'\r]/g, (char) => XML_ENTITIES[char] ?? char);
}

const XML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
};

/** A tree of XML: an element with text, with children, or empty (`null` text). */
type XmlNode =
  | { readonly name: string; readonly text: string | null }
  | { readonly name: string; readonly children: readonly XmlNode[] };

type Scalar = string | number | boolean | null;

const textOf = (value: Scalar): string | null => (value === null ? null : String(value));

const leaf = (name: string, value: Scalar): XmlNode => ({ name, text: textOf(value) });
const branch = (name: string, children: readonly XmlNode[]): XmlNode => ({ name, children });

function writeXml(node: XmlNode): string {
  if ('children' in node) {
    if (node.children.length === 0) return `<${node.name}/>`;
    return `<${node.name}>${node.children.map(writeXml).join('')}</${node.name}>`;
  }
  if (node.text === null || node.text === '') return `<${node.name}/>`;
  return `<${node.name}>${escapeXml(node.text)}</${node.name}>`;
}

/** An object of scalars as a list of leaves, in the key order given. */
const leaves = (fields: ReadonlyArray<readonly [string, Scalar]>): XmlNode[] =>
  fields.map(([name, value]) => leaf(name, value));

// ───────────────────────────── field order per document ─────────────────────────────

function serviceFields(service: Open311Service): Array<[string, Scalar]> {
  return [
    ['service_code', String(service.service_code)],
    ['service_name', service.service_name],
    ['description', service.description],
    ['metadata', service.metadata],
    ['type', service.type],
    ['keywords', service.keywords],
    ['group', service.group],
  ];
}

const isListType = (attribute: Open311Attribute): boolean =>
  attribute.datatype === 'singlevaluelist' || attribute.datatype === 'multivaluelist';

function attributeFields(attribute: Open311Attribute): Array<[string, Scalar]> {
  return [
    ['variable', attribute.variable],
    ['code', String(attribute.code)],
    ['datatype', attribute.datatype],
    ['required', attribute.required],
    ['datatype_description', attribute.datatype_description],
    ['order', attribute.order],
    ['description', attribute.description],
  ];
}

function requestFields(request: Open311Request): Array<[string, Scalar]> {
  return [
    ['service_request_id', String(request.service_request_id)],
    ['status', request.status],
    ['status_notes', request.status_notes],
    ['service_name', request.service_name],
    ['service_code', String(request.service_code)],
    ['description', request.description],
    ['agency_responsible', request.agency_responsible],
    ['service_notice', request.service_notice],
    ['requested_datetime', request.requested_datetime],
    ['updated_datetime', request.updated_datetime],
    ['expected_datetime', request.expected_datetime],
    ['address', request.address],
    ['address_id', request.address_id === null ? null : String(request.address_id)],
    ['zipcode', request.zipcode === null ? null : String(request.zipcode)],
    ['lat', request.lat],
    ['long', request.long],
    ['media_url', request.media_url],
  ];
}

function postResultFields(result: Open311PostResult): Array<[string, Scalar]> {
  const hasId = result.service_request_id !== undefined && result.service_request_id !== null;
  const hasToken = result.token !== undefined && result.token !== null;
  if (hasId === hasToken) throw new TypeError('A POST result has a service_request_id or a token, exactly one');
  const fields: Array<[string, Scalar]> = hasId
    ? [['service_request_id', String(result.service_request_id)]]
    : [['token', String(result.token)]];
  if (result.service_notice !== undefined && result.service_notice !== null) {
    fields.push(['service_notice', result.service_notice]);
  }
  if (result.account_id !== undefined && result.account_id !== null)
    fields.push(['account_id', String(result.account_id)]);
  return fields;
}

function tokenFields(result: Open311TokenResult): Array<[string, Scalar]> {
  const fields: Array<[string, Scalar]> = [];
  if (result.service_request_id !== null && result.service_request_id !== undefined) {
    fields.push(['service_request_id', String(result.service_request_id)]);
  }
  fields.push(['token', String(result.token)]);
  return fields;
}

const errorFields = (error: Open311Error): Array<[string, Scalar]> => [
  ['code', error.code],
  ['description', error.description],
];

function endpointFields(endpoint: Open311Endpoint): Array<[string, Scalar]> {
  return [
    ['specification', endpoint.specification],
    ['url', endpoint.url],
    ['changeset', endpoint.changeset],
    ['type', endpoint.type],
  ];
}

// ───────────────────────────── XML documents ─────────────────────────────

const XML_BUILDERS: { readonly [K in Open311DocumentKind]: (data: Open311Documents[K]) => XmlNode } = {
  discovery: (discovery) =>
    branch('discovery', [
      leaf('changeset', discovery.changeset),
      leaf('contact', discovery.contact),
      leaf('key_service', discovery.key_service),
      branch(
        'endpoints',
        discovery.endpoints.map((endpoint) =>
          branch('endpoint', [
            ...leaves(endpointFields(endpoint)),
            branch(
              'formats',
              endpoint.formats.map((format) => leaf('format', format)),
            ),
          ]),
        ),
      ),
    ]),
  services: (services) =>
    branch(
      'services',
      services.map((service) => branch('service', leaves(serviceFields(service)))),
    ),
  service_definition: (definition) =>
    branch('service_definition', [
      leaf('service_code', String(definition.service_code)),
      branch(
        'attributes',
        definition.attributes.map((attribute) =>
          branch('attribute', [
            ...leaves(attributeFields(attribute)),
            ...(isListType(attribute)
              ? [
                  branch(
                    'values',
                    attribute.values.map((value) =>
                      branch('value', [leaf('key', String(value.key)), leaf('name', value.name)]),
                    ),
                  ),
                ]
              : []),
          ]),
        ),
      ),
    ]),
  requests: (requests) =>
    branch(
      'service_requests',
      requests.map((request) => branch('request', leaves(requestFields(request)))),
    ),
  post_result: (results) =>
    branch(
      'service_requests',
      results.map((result) => branch('request', leaves(postResultFields(result)))),
    ),
  token: (results) =>
    branch(
      'service_requests',
      results.map((result) => branch('request', leaves(tokenFields(result)))),
    ),
  errors: (errors) =>
    branch(
      'errors',
      errors.map((error) => branch('error', leaves(errorFields(error)))),
    ),
};

// ───────────────────────────── JSON documents ─────────────────────────────

type Json = Scalar | readonly Json[] | { readonly [key: string]: Json };

function objectOf(fields: ReadonlyArray<readonly [string, Scalar]>): { [key: string]: Json } {
  const object: { [key: string]: Json } = {};
  for (const [name, value] of fields) object[name] = typeof value === 'string' ? stripInvalidXmlChars(value) : value;
  return object;
}

const JSON_BUILDERS: { readonly [K in Open311DocumentKind]: (data: Open311Documents[K]) => Json } = {
  discovery: (discovery) => ({
    ...objectOf([
      ['changeset', discovery.changeset],
      ['contact', discovery.contact],
      ['key_service', discovery.key_service],
    ]),
    endpoints: discovery.endpoints.map((endpoint) => ({
      ...objectOf(endpointFields(endpoint)),
      formats: endpoint.formats.map((format) => String(format)),
    })),
  }),
  services: (services) => services.map((service) => objectOf(serviceFields(service))),
  service_definition: (definition) => ({
    service_code: String(definition.service_code),
    attributes: definition.attributes.map((attribute) => ({
      ...objectOf(attributeFields(attribute)),
      ...(isListType(attribute)
        ? {
            values: attribute.values.map((value) =>
              objectOf([
                ['key', String(value.key)],
                ['name', value.name],
              ]),
            ),
          }
        : {}),
    })),
  }),
  requests: (requests) => requests.map((request) => objectOf(requestFields(request))),
  post_result: (results) => results.map((result) => objectOf(postResultFields(result))),
  token: (results) => results.map((result) => objectOf(tokenFields(result))),
  errors: (errors) => errors.map((error) => objectOf(errorFields(error))),
};

// ───────────────────────────── the entry point ─────────────────────────────

/**
 * Renders one Open311 document. `kind` picks the document; `data` is its
 * plain value (see `Open311Documents`): an object for `discovery` and
 * `service_definition`, an array for everything else. Errors must be rendered
 * in the format the client asked for, never as HTML.
 *
 * Throws a TypeError for a POST result with both or neither of
 * `service_request_id` and `token` (a programming error, not a client's).
 *
 * @example
 * const { contentType, body } = renderOpen311('json', 'requests', [request]);
 * reply.type(contentType).send(body);
 * renderOpen311('xml', 'errors', [{ code: 404, description: 'service_code ABC not found' }]);
 * // '<?xml version="1.0" encoding="utf-8"?><errors><error><code>404</code>…</error></errors>'
 */
export function renderOpen311<K extends Open311DocumentKind>(
  format: Open311Format,
  kind: K,
  data: Open311Documents[K],
): Open311Rendered {
  if (format === 'xml') {
    return { contentType: OPEN311_CONTENT_TYPES.xml, body: XML_DECLARATION + writeXml(XML_BUILDERS[kind](data)) };
  }
  return { contentType: OPEN311_CONTENT_TYPES.json, body: JSON.stringify(JSON_BUILDERS[kind](data)) };
}

/** Shorthand for an error response body in `format`. */
export function renderOpen311Errors(format: Open311Format, errors: readonly Open311Error[]): Open311Rendered {
  return renderOpen311(format, 'errors', errors);
}
