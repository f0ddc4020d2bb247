/**
 * Parses and validates Open311 GeoReport v2 inputs (docs/open311.md): the
 * path (resource + format), `jurisdiction_id`, the GET requests query and the
 * POST request body. Pure: `now` is an argument, nothing reads the clock.
 *
 * Every parser returns `Open311Parsed<T>`: `{ ok: true, value }` or
 * `{ ok: false, status, errors }` where `status` is 404 for a missing
 * resource, 403 for an API-key problem and 400 for everything else, and
 * `errors` lists every problem found (not only the first).
 *
 * Throughout, a parameter sent empty (or only blanks) behaves exactly like one
 * not sent at all (checklist item 8).
 */
import {
  type Open311Attribute,
  type Open311Datatype,
  type Open311Error,
  type Open311ErrorStatus,
  type Open311Format,
  type Open311Parsed,
  type Open311ServiceDefinition,
  type Open311Status,
} from './open311-types.ts';

// ───────────────────────────── limits ─────────────────────────────

/** The longest request window, and the default one ending now (checklist 17). */
export const OPEN311_MAX_RANGE_DAYS = 90;
/** The default and largest `page_size`: the spec's "first 1000 results". */
export const OPEN311_MAX_PAGE_SIZE = 1000;
/** The largest `page`, so an offset never runs away. */
export const OPEN311_MAX_PAGE = 10_000;
/** The most ids one `service_request_id` list may name. */
export const OPEN311_MAX_REQUEST_IDS = 1000;
/** The longest description, in characters (code points). */
export const OPEN311_MAX_DESCRIPTION = 4000;

const DAY_MS = 86_400_000;

// ───────────────────────────── helpers ─────────────────────────────

const ok = <T>(value: T): Open311Parsed<T> => ({ ok: true, value });
const fail = <T>(status: Open311ErrorStatus, errors: readonly Open311Error[]): Open311Parsed<T> => ({
  ok: false,
  status,
  errors,
});
const error = (code: number, description: string): Open311Error => ({ code, description });

/** A query or form as the caller has it: URLSearchParams, or Fastify's parsed query object. */
export type Open311Input = URLSearchParams | Readonly<Record<string, string | readonly string[] | undefined>>;

/** Every value sent for `name`, trimmed, empty ones dropped. */
function valuesOf(input: Open311Input, name: string): string[] {
  let raw: readonly string[];
  if (input instanceof URLSearchParams) raw = input.getAll(name);
  else {
    const value = Object.hasOwn(input, name) ? input[name] : undefined;
    raw = value === undefined ? [] : typeof value === 'string' ? [value] : value;
  }
  return raw.map((value) => String(value).trim()).filter((value) => value !== '');
}

/** The names sent, in order, once each. */
function namesOf(input: Open311Input): string[] {
  return input instanceof URLSearchParams ? [...new Set(input.keys())] : Object.keys(input);
}

/**
 * The single value of a scalar parameter: null when absent or empty; an error
 * when sent more than once with different values.
 */
function single(input: Open311Input, name: string, errors: Open311Error[]): string | null {
  const values = [...new Set(valuesOf(input, name))];
  if (values.length > 1) {
    errors.push(error(400, `${name} was sent more than once with different values`));
    return null;
  }
  return values[0] ?? null;
}

/** A comma-separated list, possibly sent several times: trimmed, empty items dropped, duplicates removed. */
function list(input: Open311Input, name: string): string[] {
  const items = valuesOf(input, name).flatMap((value) => value.split(','));
  return [...new Set(items.map((item) => item.trim()).filter((item) => item !== ''))];
}

// Control characters other than tab and line breaks carry no meaning in a citizen's text.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** Free text as we store it: line breaks normalised to LF, other control characters removed, trimmed. */
export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROL_CHARS, '').trim();
}

const codePoints = (text: string): number => [...text].length;

// ───────────────────────────── date-times ─────────────────────────────

const W3C_DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * A W3C-DTF date-time that carries a zone (`Z` or `±hh:mm`), seconds and
 * fractions optional, as an instant; null for anything else (a date alone, no
 * zone, an impossible day). A space where the zone's `+` should be is read as
 * `+`: unencoded `+08:00` in a query string arrives as ` 08:00`.
 *
 * @example parseW3cDateTime('2026-03-02T09:00:00+08:00') // 2026-03-02T01:00:00.000Z
 */
export function parseW3cDateTime(text: string): Date | null {
  const match = W3C_DATETIME.exec(text.trim().replace(/ (\d{2}:\d{2})$/, '+$1'));
  if (!match) return null;
  const [, y, mo, d, h, mi, s = '00', fraction = '', zone, sign, zh = '00', zm = '00'] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const offset = zone === 'Z' ? 0 : (sign === '-' ? -1 : 1) * (Number(zh) * 60 + Number(zm));
  // Date.UTC reads years 0–99 as 1900–1999; no citizen files a request before 1000.
  if (year < 1000 || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  if (Number(zh) > 14 || Number(zm) > 59 || Math.abs(offset) > 14 * 60) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return null;
  const millis = fraction === '' ? 0 : Math.floor(Number(`0${fraction}`) * 1000);
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis) - offset * 60_000);
}

// ───────────────────────────── paths and formats ─────────────────────────────

/**
 * The format named by a path's extension: `.xml` or `.json` (lower case, the
 * leading dot optional). Anything else, including no extension, is a missing
 * resource: 404, to be rendered as XML — the one format every client reads.
 */
export function parseFormat(pathSuffix: string): Open311Parsed<Open311Format> {
  const extension = pathSuffix.startsWith('.') ? pathSuffix.slice(1) : pathSuffix;
  if (extension === 'xml' || extension === 'json') return ok(extension);
  return fail(404, [error(404, `Unknown format "${pathSuffix}": use .xml or .json`)]);
}

/** Which Open311 resource a path names. */
export type Open311Resource =
  | { readonly resource: 'discovery' }
  | { readonly resource: 'services' }
  | { readonly resource: 'service_definition'; readonly serviceCode: string }
  | { readonly resource: 'requests' }
  | { readonly resource: 'request'; readonly serviceRequestId: string }
  | { readonly resource: 'token'; readonly token: string };

/** A resource and its format; the failure is answered in `format` (XML when the extension was not understood). */
export type Open311Route =
  | { readonly ok: true; readonly format: Open311Format; readonly route: Open311Resource }
  | {
      readonly ok: false;
      readonly format: Open311Format;
      readonly status: Open311ErrorStatus;
      readonly errors: readonly Open311Error[];
    };

/**
 * Routes a path below `/open311/v2/` (raw, still percent-encoded, no query):
 * `discovery.{fmt}`, `services.{fmt}`, `services/{code}.{fmt}`,
 * `requests.{fmt}`, `requests/{id}.{fmt}`, `tokens/{token}.{fmt}`.
 * Unknown paths and extensions → 404 (XML); an empty code/id/token
 * (`services/.json`) → 400; bad percent-encoding → 400.
 * Whether the method is allowed (POST only on `requests`) is the router's business.
 *
 * @example parseOpen311Path('services/001.json') // { ok: true, format: 'json', route: { resource: 'service_definition', serviceCode: '001' } }
 */
export function parseOpen311Path(path: string): Open311Route {
  const match = /^\/?(?:(discovery|services|requests)|(services|requests|tokens)\/([^/]*))\.([^./]*)$/.exec(path);
  if (!match)
    return { ok: false, format: 'xml', status: 404, errors: [error(404, `No such Open311 resource: ${path}`)] };
  const [, collection, parent, rawName = '', extension = ''] = match;
  const format = parseFormat(extension);
  if (!format.ok) return { ok: false, format: 'xml', status: format.status, errors: format.errors };
  if (collection === 'discovery' || collection === 'services' || collection === 'requests') {
    return { ok: true, format: format.value, route: { resource: collection } };
  }
  let name: string;
  try {
    name = decodeURIComponent(rawName).trim();
  } catch {
    return { ok: false, format: format.value, status: 400, errors: [error(400, 'Malformed percent-encoding in path')] };
  }
  const what = parent === 'services' ? 'service_code' : parent === 'requests' ? 'service_request_id' : 'token';
  if (name === '') return { ok: false, format: format.value, status: 400, errors: [error(400, `${what} is required`)] };
  const route: Open311Resource =
    parent === 'services'
      ? { resource: 'service_definition', serviceCode: name }
      : parent === 'requests'
        ? { resource: 'request', serviceRequestId: name }
        : { resource: 'token', token: name };
  return { ok: true, format: format.value, route };
}

// ───────────────────────────── jurisdiction ─────────────────────────────

/**
 * Our policy for `jurisdiction_id`: Minxin serves one city per endpoint, so it
 * may be absent (or empty); when present it must equal ours (compared without
 * regard to case, as jurisdictions are domain names), else 404.
 *
 * @example parseJurisdiction(query.jurisdiction_id, 'city.example') // { ok: true, value: null } when absent
 */
export function parseJurisdiction(
  value: string | readonly string[] | null | undefined,
  ourJurisdictionId: string,
): Open311Parsed<string | null> {
  const values = [...new Set((typeof value === 'string' ? [value] : (value ?? [])).map((v) => v.trim()))].filter(
    (v) => v !== '',
  );
  if (values.length === 0) return ok(null);
  if (values.length > 1)
    return fail(400, [error(400, 'jurisdiction_id was sent more than once with different values')]);
  const [given = ''] = values;
  if (given.toLowerCase() !== ourJurisdictionId.trim().toLowerCase()) {
    return fail(404, [error(404, `Unknown jurisdiction_id "${given}"`)]);
  }
  return ok(ourJurisdictionId);
}

// ───────────────────────────── GET requests ─────────────────────────────

/** The query of `GET …/requests.{fmt}`, resolved: either a list of ids, or a search. */
export type Open311RequestsQuery =
  /** `service_request_id` was given: it overrides every other filter and the paging. */
  | { readonly kind: 'ids'; readonly serviceRequestIds: readonly string[]; readonly extensions: boolean }
  | {
      readonly kind: 'search';
      /** null: any service. */
      readonly serviceCodes: readonly string[] | null;
      /** `requested_datetime` within [start, end], both inclusive, at most 90 days apart. */
      readonly start: Date;
      readonly end: Date;
      /** null: both. */
      readonly statuses: readonly Open311Status[] | null;
      /** 1-based. */
      readonly page: number;
      readonly pageSize: number;
      /** `(page - 1) * pageSize`, for the repository. */
      readonly offset: number;
      /** `extensions=true` asks for our additions (update notes, extended attributes). */
      readonly extensions: boolean;
    };

function positiveInteger(text: string | null, name: string, max: number, errors: Open311Error[]): number | null {
  if (text === null) return null;
  if (!/^\d{1,9}$/.test(text) || Number(text) < 1 || Number(text) > max) {
    errors.push(error(400, `${name} must be a whole number from 1 to ${max}`));
    return null;
  }
  return Number(text);
}

/**
 * Parses the query of `GET …/requests.{fmt}` at `now`.
 *
 * - `service_request_id` (comma list, ≤ 1000 ids) overrides everything else;
 * - `service_code` (comma list), `status` (`open`/`closed`, comma list);
 * - `start_date`/`end_date`: W3C-DTF with a zone; with neither, the 90 days
 *   up to `now`; with one, the 90 days after the start or before the end;
 *   with both, start ≤ end and at most 90 days apart — else 400;
 * - `page` (1–10000, default 1) and `page_size` (1–1000, default 1000);
 * - `extensions=true`.
 * Other parameters (`jurisdiction_id`, `api_key`, …) are ignored here.
 *
 * @example parseRequestsQuery(new URLSearchParams('status=open&page_size=50'), now)
 */
export function parseRequestsQuery(query: Open311Input, now: Date): Open311Parsed<Open311RequestsQuery> {
  const errors: Open311Error[] = [];
  const extensionsText = single(query, 'extensions', errors);
  if (extensionsText !== null && extensionsText !== 'true' && extensionsText !== 'false') {
    errors.push(error(400, 'extensions must be true or false'));
  }
  const extensions = extensionsText === 'true';

  const ids = list(query, 'service_request_id');
  if (ids.length > 0) {
    if (ids.length > OPEN311_MAX_REQUEST_IDS) {
      errors.push(error(400, `service_request_id may list at most ${OPEN311_MAX_REQUEST_IDS} ids`));
    }
    if (errors.length > 0) return fail(400, errors);
    return ok({ kind: 'ids', serviceRequestIds: ids, extensions });
  }

  const codes = list(query, 'service_code');

  const statusItems = list(query, 'status').map((status) => status.toLowerCase());
  const badStatuses = statusItems.filter((status) => status !== 'open' && status !== 'closed');
  if (badStatuses.length > 0)
    errors.push(error(400, `status must be open and/or closed, not ${badStatuses.join(', ')}`));
  const statuses = statusItems.filter((status): status is Open311Status => status === 'open' || status === 'closed');

  const dateOf = (name: string): Date | null => {
    const text = single(query, name, errors);
    if (text === null) return null;
    const date = parseW3cDateTime(text);
    if (date === null)
      errors.push(error(400, `${name} must be a W3C date-time with a time zone, e.g. 2026-03-02T09:00:00+08:00`));
    return date;
  };
  const startDate = dateOf('start_date');
  const endDate = dateOf('end_date');
  const range = OPEN311_MAX_RANGE_DAYS * DAY_MS;
  let start: Date;
  let end: Date;
  if (startDate && endDate) [start, end] = [startDate, endDate];
  else if (startDate) [start, end] = [startDate, new Date(startDate.getTime() + range)];
  else if (endDate) [start, end] = [new Date(endDate.getTime() - range), endDate];
  else [start, end] = [new Date(now.getTime() - range), now];
  if (start.getTime() > end.getTime()) errors.push(error(400, 'start_date must not be after end_date'));
  else if (end.getTime() - start.getTime() > range) {
    errors.push(error(400, `start_date and end_date may be at most ${OPEN311_MAX_RANGE_DAYS} days apart`));
  }

  const page = positiveInteger(single(query, 'page', errors), 'page', OPEN311_MAX_PAGE, errors) ?? 1;
  const pageSize =
    positiveInteger(single(query, 'page_size', errors), 'page_size', OPEN311_MAX_PAGE_SIZE, errors) ??
    OPEN311_MAX_PAGE_SIZE;

  if (errors.length > 0) return fail(400, errors);
  return ok({
    kind: 'search',
    serviceCodes: codes.length > 0 ? codes : null,
    start,
    end,
    statuses: statuses.length > 0 ? [...new Set(statuses)] : null,
    page,
    pageSize,
    offset: (page - 1) * pageSize,
    extensions,
  });
}

// ───────────────────────────── form bodies ─────────────────────────────

/**
 * A strict `application/x-www-form-urlencoded` parser: `+` is a space, every
 * `%XX` must be valid and decode to valid UTF-8, else 400 (URLSearchParams
 * would silently keep or replace them). Pairs keep their order; repeated
 * names are kept (`attribute[CODE][]`).
 *
 * @example parseFormBody('api_key=k&lat=31.2&attribute%5BSIZE%5D=big')
 */
export function parseFormBody(body: string): Open311Parsed<URLSearchParams> {
  const params = new URLSearchParams();
  if (body.trim() === '') return ok(params);
  const decode = (text: string): string => decodeURIComponent(text.replace(/\+/g, ' '));
  for (const pair of body.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const rawName = at === -1 ? pair : pair.slice(0, at);
    const rawValue = at === -1 ? '' : pair.slice(at + 1);
    try {
      params.append(decode(rawName), decode(rawValue));
    } catch {
      return fail(400, [error(400, 'The request body is not valid application/x-www-form-urlencoded UTF-8')]);
    }
  }
  return ok(params);
}

// ───────────────────────────── POST requests ─────────────────────────────

/** One submitted attribute, typed by its datatype. */
export type Open311AttributeInput =
  | { readonly code: string; readonly datatype: 'string' | 'text'; readonly value: string }
  | { readonly code: string; readonly datatype: 'number'; readonly value: number }
  | { readonly code: string; readonly datatype: 'datetime'; readonly value: Date }
  | { readonly code: string; readonly datatype: 'singlevaluelist'; readonly value: string }
  | { readonly code: string; readonly datatype: 'multivaluelist'; readonly value: readonly string[] };

/** A validated `POST …/requests.{fmt}`. Text fields are cleaned (`cleanText`); HTML is kept as plain text. */
export interface Open311PostInput {
  /** Present, not yet checked: the caller verifies it (403 when unknown). */
  readonly apiKey: string;
  readonly serviceCode: string;
  /** The raw `jurisdiction_id`, if sent: check it with `parseJurisdiction`. */
  readonly jurisdictionId: string | null;
  /** Both or neither. */
  readonly lat: number | null;
  readonly long: number | null;
  readonly addressString: string | null;
  readonly addressId: string | null;
  readonly email: string | null;
  readonly deviceId: string | null;
  readonly accountId: string | null;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly phone: string | null;
  readonly mediaUrl: string | null;
  /** At most 4000 characters; line breaks kept. */
  readonly description: string | null;
  /** In the definition's `order`. */
  readonly attributes: readonly Open311AttributeInput[];
  /** Codes sent that the definition does not know (or that are display-only): ignored, listed for the log. */
  readonly ignoredAttributeCodes: readonly string[];
}

/** The first step of a POST: who asks and for which service, before the key and the service are looked up. */
export interface Open311PostEnvelope {
  readonly apiKey: string;
  readonly serviceCode: string;
  readonly jurisdictionId: string | null;
}

/**
 * Reads what the caller needs before it can validate a POST: `api_key`
 * (missing → 403), `service_code` (missing → 400) and `jurisdiction_id`.
 * The caller then checks the key (403), the jurisdiction (`parseJurisdiction`)
 * and the service (404), and calls `parsePostRequest` with its definition.
 */
export function readPostEnvelope(form: Open311Input): Open311Parsed<Open311PostEnvelope> {
  const errors: Open311Error[] = [];
  const apiKey = single(form, 'api_key', errors);
  if (errors.length > 0) return fail(403, [error(403, 'api_key was sent more than once with different values')]);
  if (apiKey === null) return fail(403, [error(403, 'api_key is required to submit a request')]);
  const serviceCode = single(form, 'service_code', errors);
  if (serviceCode === null && errors.length === 0) errors.push(error(400, 'service_code is required'));
  const jurisdictionId = single(form, 'jurisdiction_id', errors);
  if (errors.length > 0 || serviceCode === null) return fail(400, errors);
  return ok({ apiKey, serviceCode, jurisdictionId });
}

const ATTRIBUTE_NAME = /^attribute\[([^[\]]+)\](\[\])?$/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const COORDINATE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ()\-.]{3,32}$/;

/** What `parsePostRequest` needs to know about the service. */
export interface Open311PostOptions {
  /** The service's definition; null when the service has none (`metadata: false`). */
  readonly serviceDefinition: Open311ServiceDefinition | null;
}

/**
 * Validates a `POST …/requests.{fmt}` form (`parseFormBody`, or the
 * framework's parsed body) against the service's definition.
 *
 * - `api_key` missing → 403 (its validity is the caller's check);
 * - `service_code` missing → 400;
 * - location: `lat` and `long` together, or `address_string`, or
 *   `address_id` — at least one complete form, else 400; `lat` ∈ [-90, 90],
 *   `long` ∈ [-180, 180], plain decimals;
 * - `attribute[CODE]=v`, and `attribute[CODE][]=v` repeated for a
 *   multivaluelist: required variable attributes must be present; `number`
 *   must be a decimal, `datetime` W3C with a zone, `singlevaluelist` one known
 *   key, `multivaluelist` known keys; unknown or display-only codes are
 *   ignored (and listed in `ignoredAttributeCodes`), because real clients
 *   send extras (FixMyStreet sends `attribute[fixmystreet_id]` and the like);
 *   a malformed `attribute…` name → 400;
 * - `description` ≤ 4000 characters after cleaning; HTML is kept as text;
 * - `email`, `phone`, `media_url` (http/https) are checked for shape; the
 *   other optional fields only for length.
 * All 400 problems are reported together.
 *
 * Throws a TypeError when `serviceDefinition` is for another service (a programming error).
 */
export function parsePostRequest(form: Open311Input, options: Open311PostOptions): Open311Parsed<Open311PostInput> {
  const envelope = readPostEnvelope(form);
  if (!envelope.ok && envelope.status === 403) return envelope;
  const errors: Open311Error[] = envelope.ok ? [] : [...envelope.errors];
  const { serviceDefinition } = options;
  if (envelope.ok && serviceDefinition !== null && serviceDefinition.service_code !== envelope.value.serviceCode) {
    throw new TypeError('parsePostRequest: serviceDefinition is not the definition of the submitted service_code');
  }

  const text = (name: string, max: number): string | null => {
    const value = single(form, name, errors);
    if (value === null) return null;
    const cleaned = cleanText(value);
    if (cleaned === '') return null;
    if (codePoints(cleaned) > max) errors.push(error(400, `${name} must be at most ${max} characters`));
    return cleaned;
  };

  // Location.
  const coordinate = (name: 'lat' | 'long', limit: number): number | null => {
    const value = single(form, name, errors);
    if (value === null) return null;
    const number = Number(value);
    if (!COORDINATE.test(value) || !Number.isFinite(number) || Math.abs(number) > limit) {
      errors.push(error(400, `${name} must be a decimal number from -${limit} to ${limit}`));
      return null;
    }
    return number;
  };
  const latSent = valuesOf(form, 'lat').length > 0;
  const longSent = valuesOf(form, 'long').length > 0;
  const lat = coordinate('lat', 90);
  const long = coordinate('long', 180);
  const addressString = text('address_string', 1000);
  const addressId = text('address_id', 200);
  if (latSent !== longSent) errors.push(error(400, 'lat and long must be sent together'));
  if (!latSent && !longSent && addressString === null && addressId === null) {
    errors.push(error(400, 'A location is required: lat and long, or address_string, or address_id'));
  }

  // Optional fields.
  const email = text('email', 254);
  if (email !== null && !EMAIL.test(email)) errors.push(error(400, 'email is not an e-mail address'));
  const phone = text('phone', 32);
  if (phone !== null && !PHONE.test(phone)) errors.push(error(400, 'phone is not a telephone number'));
  const mediaUrl = text('media_url', 2048);
  if (mediaUrl !== null && !isHttpUrl(mediaUrl)) errors.push(error(400, 'media_url must be an http or https URL'));
  const description = text('description', OPEN311_MAX_DESCRIPTION);
  const deviceId = text('device_id', 200);
  const accountId = text('account_id', 200);
  const firstName = text('first_name', 100);
  const lastName = text('last_name', 100);

  const { attributes, ignored } = parseAttributes(form, serviceDefinition, errors);

  if (!envelope.ok || errors.length > 0) return fail(400, errors);
  return ok({
    ...envelope.value,
    lat: latSent && longSent ? lat : null,
    long: latSent && longSent ? long : null,
    addressString,
    addressId,
    email,
    deviceId,
    accountId,
    firstName,
    lastName,
    phone,
    mediaUrl,
    description,
    attributes,
    ignoredAttributeCodes: ignored,
  });
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function parseAttributes(
  form: Open311Input,
  definition: Open311ServiceDefinition | null,
  errors: Open311Error[],
): { attributes: Open311AttributeInput[]; ignored: string[] } {
  // Group the sent values by code, remembering whether the list form `[]` was used.
  const sent = new Map<string, { values: string[]; listForm: boolean; plainForm: boolean }>();
  for (const name of namesOf(form)) {
    if (!name.startsWith('attribute')) continue;
    const match = ATTRIBUTE_NAME.exec(name);
    if (!match) {
      errors.push(error(400, `Malformed attribute parameter "${name}": use attribute[CODE] or attribute[CODE][]`));
      continue;
    }
    const [, code = '', listMark] = match;
    const entry = sent.get(code) ?? { values: [], listForm: false, plainForm: false };
    entry.values.push(...valuesOf(form, name));
    if (listMark === undefined) entry.plainForm = true;
    else entry.listForm = true;
    sent.set(code, entry);
  }

  const variables = new Map<string, Open311Attribute>();
  for (const attribute of definition?.attributes ?? [])
    if (attribute.variable) variables.set(attribute.code, attribute);
  const ignored = [...sent.keys()].filter((code) => !variables.has(code));

  const attributes: Open311AttributeInput[] = [];
  const ordered = [...variables.values()].sort((a, b) => a.order - b.order);
  for (const attribute of ordered) {
    const { code } = attribute;
    const entry = sent.get(code);
    const values = (entry?.values ?? []).map(cleanText).filter((value) => value !== '');
    if (values.length === 0) {
      if (attribute.required) errors.push(error(400, `attribute[${code}] is required`));
      continue;
    }
    const parsed = parseAttributeValue(attribute, values, entry?.listForm ?? false);
    if (typeof parsed === 'string') errors.push(error(400, `attribute[${code}] ${parsed}`));
    else attributes.push(parsed);
  }
  return { attributes, ignored };
}

/** The typed value of one attribute, or what is wrong with it. */
function parseAttributeValue(
  attribute: Open311Attribute,
  values: readonly string[],
  listForm: boolean,
): Open311AttributeInput | string {
  const { code } = attribute;
  const datatype: Open311Datatype = attribute.datatype;
  const keys = new Set(attribute.values.map((value) => value.key));
  if (datatype === 'multivaluelist') {
    const unique = [...new Set(values)];
    const unknown = unique.filter((value) => !keys.has(value));
    if (unknown.length > 0) return `has unknown values: ${unknown.join(', ')}`;
    return { code, datatype, value: unique };
  }
  if (listForm || new Set(values).size > 1) return 'takes a single value';
  const [value = ''] = values;
  switch (datatype) {
    case 'string':
    case 'text': {
      const max = datatype === 'string' ? 1000 : OPEN311_MAX_DESCRIPTION;
      if (codePoints(value) > max) return `must be at most ${max} characters`;
      return { code, datatype, value };
    }
    case 'number': {
      const number = Number(value);
      if (!NUMBER.test(value) || !Number.isFinite(number)) return 'must be a number';
      return { code, datatype, value: number };
    }
    case 'datetime': {
      const date = parseW3cDateTime(value);
      if (date === null) return 'must be a W3C date-time with a time zone';
      return { code, datatype, value: date };
    }
    case 'singlevaluelist':
      if (!keys.has(value)) return `has an unknown value: ${value}`;
      return { code, datatype, value };
  }
}
