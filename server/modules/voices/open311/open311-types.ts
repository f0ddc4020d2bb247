/**
 * The Open311 GeoReport v2 documents as plain data (docs/open311.md).
 *
 * Field names are the wire names of the spec (snake_case), so a value of these
 * types is exactly what `renderOpen311` writes, in XML or JSON. Identifiers
 * (`service_code`, `service_request_id`, `token`, attribute `code`, value `key`)
 * are always strings; date-times are already W3C-DTF strings with a zone
 * (`formatW3cDateTime`), so rendering needs no clock and no time zone.
 * Optional fields are `null` when unknown, never `undefined`.
 */

/** The two wire formats; chosen by the path's extension (`.xml`, `.json`). */
export type Open311Format = 'xml' | 'json';

/** GeoReport v2's request states. Our lifecycle is projected onto these (`toOpen311Status`). */
export type Open311Status = 'open' | 'closed';

/** The specification URL every v2 endpoint names in discovery. */
export const GEOREPORT_V2_SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';

/** One endpoint in the discovery document. `formats` are MIME types; every v2 endpoint lists `text/xml`. */
export interface Open311Endpoint {
  readonly specification: string;
  /** Absolute URL of the endpoint's root, e.g. `https://city.example/open311/v2`. */
  readonly url: string;
  /** Sortable W3C-DTF timestamp of the endpoint's last change. */
  readonly changeset: string;
  readonly type: 'production' | 'test';
  readonly formats: readonly string[];
}

/** `…/discovery.{xml|json}`: an object in JSON. */
export interface Open311Discovery {
  readonly changeset: string;
  /** Human text: whom to ask for help. */
  readonly contact: string;
  /** Human text: how to get an API key. */
  readonly key_service: string;
  readonly endpoints: readonly Open311Endpoint[];
}

/** How a service's requests are processed, as GeoReport v2 names it. */
export type Open311ServiceType = 'realtime' | 'batch' | 'blackbox';

/** One item of `…/services.{fmt}`. */
export interface Open311Service {
  /** Unique; a string even when it looks numeric (`"001"`). */
  readonly service_code: string;
  readonly service_name: string;
  readonly description: string;
  /** True when `…/services/{service_code}.{fmt}` has a definition (attributes). */
  readonly metadata: boolean;
  readonly type: Open311ServiceType;
  /** Comma-separated; may be empty. */
  readonly keywords: string;
  /** May be empty. */
  readonly group: string;
}

/** The datatypes an attribute may have. */
export type Open311Datatype = 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';

/** Every datatype, for validation. */
export const OPEN311_DATATYPES: readonly Open311Datatype[] = [
  'string',
  'number',
  'datetime',
  'text',
  'singlevaluelist',
  'multivaluelist',
];

/** One choice of a list attribute. */
export interface Open311AttributeValue {
  readonly key: string;
  readonly name: string;
}

/** One attribute of a service definition. */
export interface Open311Attribute {
  /** False: display-only text, never submitted. */
  readonly variable: boolean;
  /** Unique within the service; submitted as `attribute[CODE]`. */
  readonly code: string;
  readonly datatype: Open311Datatype;
  readonly required: boolean;
  readonly datatype_description: string | null;
  /** Positive integer, unique within the service. */
  readonly order: number;
  readonly description: string;
  /** The choices of a `singlevaluelist`/`multivaluelist`; rendered only for those datatypes. */
  readonly values: readonly Open311AttributeValue[];
}

/** `…/services/{service_code}.{fmt}`: an object in JSON. */
export interface Open311ServiceDefinition {
  readonly service_code: string;
  readonly attributes: readonly Open311Attribute[];
}

/**
 * One item of `…/requests.{fmt}` and `…/requests/{id}.{fmt}` (checklist item 19).
 * Never carries the reporter's personal data (name, e-mail, phone, device, account).
 */
export interface Open311Request {
  readonly service_request_id: string;
  readonly status: Open311Status;
  /** A human explanation of the status (`statusNotes`). */
  readonly status_notes: string | null;
  readonly service_name: string | null;
  readonly service_code: string;
  readonly description: string | null;
  /** The responsible department's name. */
  readonly agency_responsible: string | null;
  readonly service_notice: string | null;
  readonly requested_datetime: string;
  /** For closed requests, the close time. */
  readonly updated_datetime: string | null;
  /** The SLA deadline. */
  readonly expected_datetime: string | null;
  readonly address: string | null;
  readonly address_id: string | null;
  readonly zipcode: string | null;
  readonly lat: number | null;
  readonly long: number | null;
  readonly media_url: string | null;
}

/**
 * One item of a POST `…/requests.{fmt}` response: `service_request_id` xor
 * `token`, never both. Minxin assigns ids synchronously, so it answers with
 * the id; the token form exists for completeness.
 */
export type Open311PostResult = (
  | { readonly service_request_id: string; readonly token?: undefined }
  | { readonly token: string; readonly service_request_id?: undefined }
) & {
  /** Omitted when null or absent. */
  readonly service_notice?: string | null;
  /** Omitted when null or absent. */
  readonly account_id?: string | null;
};

/** One item of `…/tokens/{token}.{fmt}`; `service_request_id` is null (and omitted) until one is assigned. */
export interface Open311TokenResult {
  readonly token: string;
  readonly service_request_id: string | null;
}

/**
 * One error. `code` is an integer, as in the spec's own examples: the HTTP
 * status or something more specific; several errors may be returned at once.
 */
export interface Open311Error {
  readonly code: number;
  readonly description: string;
}

/** The HTTP statuses Open311 uses for errors: 404 missing resource, 403 API key, 400 anything else. */
export type Open311ErrorStatus = 400 | 403 | 404;

/**
 * The outcome of parsing an input: the typed value, or the errors and the
 * HTTP status to answer with (render them with `renderOpen311(format, 'errors', errors)`).
 */
export type Open311Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly status: Open311ErrorStatus; readonly errors: readonly Open311Error[] };

/** Every document `renderOpen311` writes, by kind. */
export interface Open311Documents {
  readonly discovery: Open311Discovery;
  readonly services: readonly Open311Service[];
  readonly service_definition: Open311ServiceDefinition;
  readonly requests: readonly Open311Request[];
  readonly post_result: readonly Open311PostResult[];
  readonly token: readonly Open311TokenResult[];
  readonly errors: readonly Open311Error[];
}

/** The name of a document kind. */
export type Open311DocumentKind = keyof Open311Documents;
