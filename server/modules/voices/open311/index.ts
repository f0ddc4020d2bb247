/**
 * The Open311 GeoReport v2 format layer: pure functions the voices routes
 * call to parse Open311 inputs and render Open311 documents (docs/open311.md).
 * No HTTP framework, no storage, no clock.
 *
 * A route does: `parseOpen311Path` (resource + format) → `parseJurisdiction`
 * → `parseRequestsQuery` / `parseFormBody` + `readPostEnvelope` +
 * `parsePostRequest` → one service call → `toOpen311Request` per case →
 * `renderOpen311(format, kind, data)`; on `{ ok: false, status, errors }`
 * answer `status` with `renderOpen311(format, 'errors', errors)`.
 *
 * @example
 * const path = parseOpen311Path('requests.json');
 * if (!path.ok) return send(path.status, renderOpen311(path.format, 'errors', path.errors));
 * const query = parseRequestsQuery(new URLSearchParams(rawQuery), now);
 * if (!query.ok) return send(query.status, renderOpen311(path.format, 'errors', query.errors));
 * const cases = await voices.findOpen311Requests(query.value); // the service's business
 * return send(200, renderOpen311(path.format, 'requests', cases.map((c) => toOpen311Request(c, { offsetMinutes: 480, lang: 'zh-CN' }))));
 */
export * from './open311-types.ts';
export {
  OPEN311_CONTENT_TYPES,
  OPEN311_FORMATS,
  XML_DECLARATION,
  buildOpen311Discovery,
  escapeXml,
  formatW3cDateTime,
  renderOpen311,
  renderOpen311Errors,
  stripInvalidXmlChars,
  type Open311DiscoveryInput,
  type Open311Rendered,
} from './open311-format.ts';
export {
  OPEN311_MAX_DESCRIPTION,
  OPEN311_MAX_PAGE,
  OPEN311_MAX_PAGE_SIZE,
  OPEN311_MAX_RANGE_DAYS,
  OPEN311_MAX_REQUEST_IDS,
  cleanText,
  parseFormBody,
  parseFormat,
  parseJurisdiction,
  parseOpen311Path,
  parsePostRequest,
  parseRequestsQuery,
  parseW3cDateTime,
  readPostEnvelope,
  type Open311AttributeInput,
  type Open311Input,
  type Open311PostEnvelope,
  type Open311PostInput,
  type Open311PostOptions,
  type Open311RequestsQuery,
  type Open311Resource,
  type Open311Route,
} from './open311-params.ts';
export {
  statusNotes,
  toOpen311Request,
  toOpen311Status,
  type Open311CaseView,
  type Open311Language,
  type Open311PresentOptions,
  type StatusNoteDetails,
} from './open311-status.ts';
