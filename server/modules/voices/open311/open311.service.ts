/**
 * Open311 GeoReport v2 on top of the voices loop (docs/open311.md): API keys,
 * the taxonomy as services, submitting a request as a message on the
 * `open311` channel, and the public projection of cases as requests.
 * The wire formats are `open311/`'s; this file decides what they carry.
 */
import { createHash, randomBytes } from 'node:crypto';
import { AppError, assertAllowed, inTransaction, maskText, recordAudit, requireActor, type PlatformDeps, type RequestContext } from '../../../platform/index.ts';
import { CASE_STATES, type CaseState } from '../cases/case.ts';
import * as categories from '../routing/category.repository.ts';
import { submitMessage, type MessageReceipt } from '../intake/intake.service.ts';
import type {
  Open311Attribute,
  Open311CaseView,
  Open311PostInput,
  Open311RequestsQuery,
  Open311Service,
  Open311ServiceDefinition,
  Open311Status,
} from './index.ts';
import * as repository from './open311.repository.ts';
import { CASE_KINDS, MAX_TITLE_LENGTH, type CaseKind, type Category } from '../cases/voices.ts';

export type { Open311ApiKey } from './open311.repository.ts';

// ───────────────────────────── API keys ─────────────────────────────

const KEY_PATTERN = /^o311_(\d{1,15})_([A-Za-z0-9_-]{43})$/;
const hashOf = (random: string): string => createHash('sha256').update(random).digest('hex');

/** A new key and its row; `key` is shown once and never stored. */
export interface IssuedOpen311Key extends repository.Open311ApiKey {
  readonly key: string;
}

/**
 * Issues an Open311 API key for the context's city (admins only):
 * `o311_<city id>_<43 random characters>`. The city id in clear lets the
 * server look the key up in that city alone; only the SHA-256 of the random
 * part is stored. Audited as `open311.key_create`.
 */
export async function createOpen311Key(deps: PlatformDeps, context: RequestContext, input: { name: string }): Promise<IssuedOpen311Key> {
  const actor = requireActor(context);
  assertAllowed(actor, 'user.manage');
  const name = input.name.trim();
  if (name.length < 1 || name.length > 100) throw new AppError('validation_failed', 'The key needs a name of 1 to 100 characters', { errors: [{ path: 'name', message: '1 to 100 characters' }] });
  const random = randomBytes(32).toString('base64url');
  const key = `o311_${context.regionId}_${random}`;
  return inTransaction(deps.db, async (trx) => {
    const now = deps.clock();
    const row = await repository.insertApiKey(trx, context.regionId, { name, keyHash: hashOf(random), prefix: `o311_${context.regionId}_${random.slice(0, 6)}`, createdAt: now });
    await recordAudit(trx, context, { action: 'open311.key_create', resourceType: 'open311_api_key', resourceId: row.id, details: { name } }, now);
    return { ...row, key };
  });
}

/** The city's keys, revoked ones included, oldest first; never the secrets. */
export function listOpen311Keys(deps: PlatformDeps, context: RequestContext): Promise<repository.Open311ApiKey[]> {
  assertAllowed(requireActor(context), 'user.manage');
  return repository.listApiKeys(deps.db, context.regionId);
}

/** Revokes a key (404 when the city has none with this id); revoking again changes nothing. Audited. */
export async function revokeOpen311Key(deps: PlatformDeps, context: RequestContext, id: number): Promise<repository.Open311ApiKey> {
  assertAllowed(requireActor(context), 'user.manage');
  return inTransaction(deps.db, async (trx) => {
    const now = deps.clock();
    const row = await repository.revokeApiKey(trx, context.regionId, id, now);
    if (!row) throw new AppError('not_found', `No Open311 API key has id ${id}`);
    await recordAudit(trx, context, { action: 'open311.key_revoke', resourceType: 'open311_api_key', resourceId: id, details: { name: row.name } }, now);
    return row;
  });
}

/** Whether `key` is a live key of this city. A key of another city is refused without a lookup there. */
export async function isValidOpen311Key(deps: PlatformDeps, regionId: number, key: string): Promise<boolean> {
  const match = KEY_PATTERN.exec(key);
  if (!match || Number(match[1]) !== regionId) return false;
  return (await repository.findLiveApiKey(deps.db, regionId, hashOf(match[2]!))) !== undefined;
}

// ───────────────────────────── services ─────────────────────────────

/**
 * The stable `service_code` of a category: the first 12 hex digits of the
 * SHA-256 of its path. The same in every city and across restarts and
 * re-seeding, and free of '/' so it fits in `services/{code}.{fmt}`.
 *
 * @example open311ServiceCode('城乡建设/安全生产/事故处理') // 12 hex digits
 */
export function open311ServiceCode(path: string): string {
  return createHash('sha256').update(path).digest('hex').slice(0, 12);
}

const KIND_NAMES: Readonly<Record<CaseKind, string>> = {
  complaint: '投诉 Complaint',
  request_for_help: '求助 Request for help',
  consultation: '咨询 Consultation',
  suggestion: '建议 Suggestion',
  praise: '表扬 Praise',
};

/** Every service has this definition: what kind of message it is (required: it sets the deadline), whether it is urgent, an optional title. */
const ATTRIBUTES: readonly Open311Attribute[] = [
  {
    variable: true,
    code: 'kind',
    datatype: 'singlevaluelist',
    required: true,
    datatype_description: null,
    order: 1,
    description: '诉求类型（决定办理时限）/ Kind of request (sets the handling deadline)',
    values: CASE_KINDS.map((kind) => ({ key: kind, name: KIND_NAMES[kind] })),
  },
  {
    variable: true,
    code: 'urgent',
    datatype: 'singlevaluelist',
    required: false,
    datatype_description: null,
    order: 2,
    description: '是否紧急（紧急诉求按小时计时限），默认否 / Urgent (urgent requests have an hour limit); default no',
    values: [
      { key: 'no', name: '否 No' },
      { key: 'yes', name: '是 Yes' },
    ],
  },
  {
    variable: true,
    code: 'title',
    datatype: 'string',
    required: false,
    datatype_description: `最多 ${MAX_TITLE_LENGTH} 字；不填则取描述的开头 / At most ${MAX_TITLE_LENGTH} characters; by default the start of the description`,
    order: 3,
    description: '标题 / Title',
    values: [],
  },
];

/** One category as an Open311 service. */
export interface Open311ServiceEntry {
  readonly category: Category;
  readonly service: Open311Service;
}

/** The city's taxonomy as services, all three levels, in path order; `byCode` finds one by `service_code`. */
export async function listOpen311Services(deps: PlatformDeps, context: RequestContext): Promise<{ entries: Open311ServiceEntry[]; byCode: Map<string, Open311ServiceEntry> }> {
  const all = await categories.listCategories(deps.db, context.regionId);
  const entries = all.map((category): Open311ServiceEntry => {
    const names = category.path.split('/');
    return {
      category,
      service: {
        service_code: open311ServiceCode(category.path),
        service_name: names.length === 1 ? names[0]! : names.slice(1).join(' / '),
        description: names.join(' / '),
        metadata: true,
        type: 'realtime',
        keywords: names.join(','),
        group: names[0]!,
      },
    };
  });
  return { entries, byCode: new Map(entries.map((entry) => [entry.service.service_code, entry])) };
}

/** The definition every service has (`metadata: true`). */
export function open311Definition(serviceCode: string): Open311ServiceDefinition {
  return { service_code: serviceCode, attributes: ATTRIBUTES };
}

// ───────────────────────────── POST requests ─────────────────────────────

const firstLine = (text: string): string => [...(text.split('\n').find((line) => line.trim() !== '')?.trim() ?? '')].slice(0, 30).join('');

/**
 * Submits a validated Open311 request as a message on the `open311` channel:
 * lat/long → the pin, address_string (or address_id) → the address,
 * first_name/last_name/phone/email → the private contact, attributes → kind,
 * urgency and title. The description defaults to the service's path (intake
 * needs one). Anonymous: no account is linked. device_id, account_id and
 * media_url are not kept.
 */
export function submitOpen311Request(deps: PlatformDeps, context: RequestContext, input: Open311PostInput, category: Category): Promise<MessageReceipt> {
  const attribute = (code: string): string | undefined => {
    const found = input.attributes.find((candidate) => candidate.code === code);
    return found && typeof found.value === 'string' ? found.value : undefined;
  };
  const servicePath = category.path.split('/').join(' / ');
  const description = input.description ?? servicePath;
  const title = [...(attribute('title') ?? (firstLine(description) || category.name))].slice(0, MAX_TITLE_LENGTH).join('');
  const name = [input.firstName, input.lastName].filter((part): part is string => part !== null).join(' ');
  const contact = { ...(name ? { name } : {}), ...(input.phone ? { phone: input.phone } : {}), ...(input.email ? { email: input.email } : {}) };
  const address = input.addressString ?? (input.addressId === null ? undefined : `address_id ${input.addressId}`);
  return submitMessage(
    deps,
    { ...context, actor: undefined },
    {
      title,
      description,
      kind: (attribute('kind') as CaseKind | undefined) ?? 'complaint',
      categoryPath: category.path,
      urgent: attribute('urgent') === 'yes',
      ...(input.lat !== null && input.long !== null ? { lat: input.lat, lng: input.long } : {}),
      ...(address === undefined ? {} : { address }),
      ...(Object.keys(contact).length > 0 ? { contact } : {}),
    },
    { channel: 'open311' },
  );
}

// ───────────────────────────── GET requests ─────────────────────────────

const STATES_OF: Readonly<Record<Open311Status, CaseState[]>> = {
  open: (Object.keys(CASE_STATES) as CaseState[]).filter((state) => !CASE_STATES[state].terminal),
  closed: (Object.keys(CASE_STATES) as CaseState[]).filter((state) => CASE_STATES[state].terminal),
};

const masked = (text: string | null): string | null => (text === null ? null : maskText(text));

/**
 * Cases as Open311 requests, public facts only, texts masked (`maskText`):
 * by `service_request_id` (the case number; unknown ones are left out, in
 * the order asked), or a search by service, creation time and status, newest
 * first, paged. Cases without a category have `service_code` ''.
 */
export async function findOpen311Requests(deps: PlatformDeps, context: RequestContext, query: Open311RequestsQuery): Promise<Open311CaseView[]> {
  let filter: repository.Open311CaseFilter;
  if (query.kind === 'ids') filter = { numbers: query.serviceRequestIds };
  else {
    let categoryPaths: string[] | null = null;
    if (query.serviceCodes !== null) {
      const { byCode } = await listOpen311Services(deps, context);
      categoryPaths = query.serviceCodes.flatMap((code) => {
        const entry = byCode.get(code);
        return entry ? [entry.category.path] : [];
      });
    }
    filter = {
      categoryPaths,
      start: query.start,
      end: query.end,
      states: query.statuses === null ? null : query.statuses.flatMap((status) => STATES_OF[status]),
      limit: query.pageSize,
      offset: query.offset,
    };
  }
  const rows = await repository.listOpen311Cases(deps.db, context.regionId, filter);
  if (query.kind === 'ids') {
    const order = new Map(query.serviceRequestIds.map((id, index) => [id, index]));
    rows.sort((a, b) => order.get(a.number)! - order.get(b.number)!);
  }
  return rows.map((row) => ({
    serviceRequestId: row.number,
    state: row.state,
    serviceCode: row.categoryPath === null ? '' : open311ServiceCode(row.categoryPath),
    serviceName: row.categoryPath === null ? null : row.categoryPath.split('/').join(' / '),
    description: masked(row.body),
    requestedAt: row.createdAt,
    updatedAt: row.updatedAt,
    closedAt: row.closedAt,
    dueAt: row.dueAt,
    address: masked(row.address),
    lat: publicCoordinate(row.lat),
    long: publicCoordinate(row.lng),
    departmentName: row.departmentName,
    mergedIntoRequestId: row.mergedIntoNumber,
    notInScopeReason: masked(row.notInScopeReason),
    replyText: masked(row.replyText),
  }));
}

/**
 * A pin as the public sees it: three decimals (about 100 m). A citizen's pin
 * is often their front door; the public needs the place, not the house.
 * Staff in scope read the exact point on the case.
 */
export function publicCoordinate(value: number | null): number | null {
  return value === null ? null : Math.round(value * 1000) / 1000;
}

/** The city's `jurisdiction_id` (its code) and name. */
export async function open311Jurisdiction(deps: PlatformDeps, context: RequestContext): Promise<{ code: string; name: string }> {
  const city = await repository.findCity(deps.db, context.regionId);
  if (!city) throw new AppError('not_found', 'This server has no such city');
  return city;
}
