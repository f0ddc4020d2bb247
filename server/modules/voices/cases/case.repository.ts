import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { Database } from '../../../platform/index.ts';
import type { CaseSnapshot, CaseState } from './case.ts';
import type { DeadlineClock } from '../deadlines/deadline.ts';
import { formatCaseNumber, type CaseEventRecord, type CaseKind, type CaseRecord, type Channel, type Message, type Page } from './voices.ts';
import type { CaseTable, MessageTable, VoicesTables } from './voices.table.ts';

/** A database or an open transaction. */
type Executor = Kysely<Database>;
const tables = (db: Executor): Kysely<Database & VoicesTables> => db.withTables<VoicesTables>();

/** States whose deadline runs: what the overdue scan and the `overdue` filter look at. */
const RUNNING_STATES = ['dispatched', 'in_progress', 'transfer_requested', 'extension_requested', 'reopened'];

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (char) => `\\${char}`);
const date = (value: unknown): Date | null =>
  value === null || value === undefined ? null : new Date(value as string);

// --- codecs: the snapshot and the clock are stored as JSON, their dates as ISO strings ---

function toSnapshot(raw: Record<string, unknown>): CaseSnapshot {
  const stored = raw as unknown as CaseSnapshot & { reply: { text: string; at: string; round: number } | null };
  return {
    ...stored,
    dueAt: date(stored.dueAt),
    suspendedAt: date(stored.suspendedAt),
    reply: stored.reply && { ...stored.reply, at: new Date(stored.reply.at) },
    ratingClosesAt: date(stored.ratingClosesAt),
    ratings: stored.ratings.map((rating) => ({ ...rating, at: new Date(rating.at) })),
    closedAt: date(stored.closedAt),
    updatedAt: new Date(stored.updatedAt),
  };
}

function toClock(raw: Record<string, unknown> | null): DeadlineClock | null {
  if (!raw) return null;
  const stored = raw as unknown as DeadlineClock;
  return {
    receivedAt: new Date(stored.receivedAt),
    limit: stored.limit,
    dueAt: new Date(stored.dueAt),
    pausedAt: date(stored.pausedAt),
    pauses: stored.pauses.map((pause) => ({ from: new Date(pause.from), to: new Date(pause.to), added: pause.added })),
    extensions: stored.extensions.map((extension) => ({
      by: extension.by,
      approvedAt: new Date(extension.approvedAt),
      previousDueAt: new Date(extension.previousDueAt),
    })),
  };
}

// --- cases --------------------------------------------------------------------

export interface NewCase {
  readonly number: string;
  readonly title: string;
  readonly kind: CaseKind;
  readonly categoryId: number | null;
  readonly districtId: number | null;
  readonly communityId: number | null;
  readonly urgent: boolean;
  readonly snapshot: CaseSnapshot;
  /** The running deadline when the case is stored already dispatched; null (the default) for a new case in triage. */
  readonly deadline?: DeadlineClock | null;
  readonly createdAt: Date;
}

/** The `cases` row of a new case: one mapping for every way a case is stored (intake, hotline import). */
export function caseRow(regionId: number, fields: NewCase) {
  return {
    region_id: regionId,
    number: fields.number,
    title: fields.title,
    kind: fields.kind,
    category_id: fields.categoryId,
    district_id: fields.districtId,
    community_id: fields.communityId,
    department_id: fields.snapshot.departmentId,
    co_handler_ids: JSON.stringify(fields.snapshot.coHandlerIds),
    state: fields.snapshot.state,
    version: fields.snapshot.version,
    snapshot: JSON.stringify(fields.snapshot),
    deadline: fields.deadline ? JSON.stringify(fields.deadline) : null,
    due_at: fields.deadline && !fields.deadline.pausedAt ? fields.deadline.dueAt : null,
    urgent: fields.urgent,
    created_at: fields.createdAt,
    updated_at: fields.snapshot.updatedAt,
    closed_at: fields.snapshot.closedAt,
  };
}

/**
 * Stores the next snapshot and clock if the case still has `expectedVersion`:
 * optimistic concurrency. False when someone else changed it first.
 */
export async function saveCase(
  db: Executor,
  regionId: number,
  id: number,
  expectedVersion: number,
  snapshot: CaseSnapshot,
  clock: DeadlineClock | null,
): Promise<boolean> {
  const result = await tables(db)
    .updateTable('cases')
    .set({
      state: snapshot.state,
      version: snapshot.version,
      department_id: snapshot.departmentId,
      co_handler_ids: JSON.stringify(snapshot.coHandlerIds),
      snapshot: JSON.stringify(snapshot),
      deadline: clock && JSON.stringify(clock),
      due_at: clock && !clock.pausedAt ? clock.dueAt : null,
      updated_at: snapshot.updatedAt,
      closed_at: snapshot.closedAt,
    })
    .where('region_id', '=', regionId)
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

const caseQuery = (db: Executor, regionId: number) =>
  tables(db)
    .selectFrom('cases as c')
    .leftJoin('categories as cat', (join) =>
      join.onRef('cat.region_id', '=', 'c.region_id').onRef('cat.id', '=', 'c.category_id'),
    )
    .leftJoin('regions as d', (join) =>
      join.onRef('d.region_id', '=', 'c.region_id').onRef('d.id', '=', 'c.district_id'),
    )
    .leftJoin('departments as dep', (join) =>
      join.onRef('dep.region_id', '=', 'c.region_id').onRef('dep.id', '=', 'c.department_id'),
    )
    .where('c.region_id', '=', regionId);

/**
 * The co-handling departments' names, in the case's order, as one JSON array
 * computed in the same statement (a list page costs one query, not one per row).
 */
const coHandlersColumn = sql<{ id: number | string; name: string; nameEn: string | null }[]>`(
  select coalesce(jsonb_agg(jsonb_build_object('id', h.id, 'name', h.name, 'nameEn', h.name_en) order by e.n), '[]'::jsonb)
  from jsonb_array_elements_text(c.co_handler_ids) with ordinality as e(id, n)
  join departments h on h.region_id = c.region_id and h.id = e.id::bigint
)`.as('co_handlers');

/** What a case row carries besides its own columns: names of its category, district and departments. */
const CASE_COLUMNS = [
  'cat.path as category_path',
  'd.name as district_name',
  'd.path as district_path',
  'dep.name as department_name',
  'dep.name_en as department_name_en',
  coHandlersColumn,
] as const;

type CaseRow = Selectable<CaseTable> & {
  category_path: string | null;
  district_name: string | null;
  district_path: string | null;
  department_name: string | null;
  department_name_en: string | null;
  co_handlers: { id: number | string; name: string; nameEn: string | null }[] | string | null;
};

function coHandlersOf(raw: CaseRow['co_handlers']): CaseRecord['coHandlers'] {
  const list = typeof raw === 'string' ? (JSON.parse(raw) as Exclude<CaseRow['co_handlers'], string>) : raw;
  return (list ?? []).map((entry) => ({ id: Number(entry.id), name: entry.name, nameEn: entry.nameEn ?? null }));
}

function toCase(row: CaseRow): CaseRecord {
  return {
    id: Number(row.id),
    number: row.number,
    title: row.title,
    kind: row.kind as CaseKind,
    categoryId: row.category_id === null ? null : Number(row.category_id),
    categoryPath: row.category_path,
    districtId: row.district_id === null ? null : Number(row.district_id),
    districtName: row.district_name,
    departmentName: row.department_name ?? null,
    departmentNameEn: row.department_name_en ?? null,
    coHandlers: coHandlersOf(row.co_handlers),
    regionPath: row.district_path ?? `/${row.region_id}/`,
    communityId: row.community_id === null ? null : Number(row.community_id),
    urgent: row.urgent,
    snapshot: toSnapshot(row.snapshot),
    deadline: toClock(row.deadline),
    createdAt: new Date(row.created_at),
  };
}

export async function findCase(db: Executor, regionId: number, id: number): Promise<CaseRecord | undefined> {
  const row = await caseQuery(db, regionId)
    .selectAll('c')
    .select(CASE_COLUMNS)
    .where('c.id', '=', id)
    .executeTakeFirst();
  return row && toCase(row as CaseRow);
}

/** What another module's page shows of a linked case: number, title (as filed) and state. */
export interface CaseBriefRow {
  readonly id: number;
  readonly number: string;
  readonly title: string;
  readonly state: CaseState;
}

/** Cases by id, in id order (unknown ids are left out). */
export async function findCaseBriefs(db: Executor, regionId: number, ids: readonly number[]): Promise<CaseBriefRow[]> {
  if (ids.length === 0) return [];
  const rows = await tables(db).selectFrom('cases').select(['id', 'number', 'title', 'state']).where('region_id', '=', regionId).where('id', 'in', [...ids]).orderBy('id').execute();
  return rows.map((row) => ({ id: Number(row.id), number: row.number, title: row.title, state: row.state as CaseState }));
}

/** The id of the city's case with this number, if any. */
export async function findCaseIdByNumber(db: Executor, regionId: number, number: string): Promise<number | undefined> {
  const row = await tables(db).selectFrom('cases').select('id').where('region_id', '=', regionId).where('number', '=', number).executeTakeFirst();
  return row && Number(row.id);
}

/** Whose cases a list may show: a department's (lead or co-handling), a region's, or one citizen's. */
export type CaseListScope =
  { readonly departmentId: number } | { readonly regionPath: string } | { readonly requesterUserId: number };

export interface CaseListFilter {
  readonly scope: CaseListScope;
  readonly states?: readonly CaseState[];
  readonly categoryPrefix?: string;
  /** Only cases whose running deadline passed before this moment. */
  readonly overdueAt?: Date;
  readonly q?: string;
}

/** The cases a filter selects, before ordering and paging (shared by the list and the export). */
function filteredCases(db: Executor, regionId: number, filter: CaseListFilter) {
  let query = caseQuery(db, regionId);
  const { scope } = filter;
  if ('departmentId' in scope) {
    query = query.where((eb) =>
      eb.or([
        eb('c.department_id', '=', scope.departmentId),
        sql<boolean>`c.co_handler_ids @> ${JSON.stringify([scope.departmentId])}::jsonb`,
      ]),
    );
  } else if ('regionPath' in scope) {
    if (scope.regionPath !== `/${regionId}/`) query = query.where('d.path', 'like', `${escapeLike(scope.regionPath)}%`);
  } else {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('messages as m')
          .select('m.id')
          .whereRef('m.region_id', '=', 'c.region_id')
          .whereRef('m.case_id', '=', 'c.id')
          .where('m.requester_user_id', '=', scope.requesterUserId),
      ),
    );
  }
  if (filter.states && filter.states.length > 0) query = query.where('c.state', 'in', [...filter.states]);
  if (filter.categoryPrefix) {
    const prefix = filter.categoryPrefix;
    query = query.where((eb) =>
      eb.or([eb('cat.path', '=', prefix), eb('cat.path', 'like', `${escapeLike(prefix)}/%`)]),
    );
  }
  if (filter.overdueAt) query = query.where('c.state', 'in', RUNNING_STATES).where('c.due_at', '<', filter.overdueAt);
  if (filter.q) {
    const pattern = `%${escapeLike(filter.q)}%`;
    query = query.where((eb) => eb.or([eb('c.title', 'ilike', pattern), eb('c.number', '=', filter.q!)]));
  }
  return query;
}

export async function listCases(
  db: Executor,
  regionId: number,
  filter: CaseListFilter,
  page: { limit: number; offset: number },
): Promise<Page<CaseRecord>> {
  const query = filteredCases(db, regionId, filter);
  const [rows, count] = await Promise.all([
    query
      .selectAll('c')
      .select(CASE_COLUMNS)
      .orderBy(sql`c.due_at asc nulls last`)
      .orderBy('c.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map((row) => toCase(row as CaseRow)), total: Number(count.n) };
}

/** A case as an export row needs it: the record, its lead department's names and whether it was ever urged (督办). */
export interface ExportedCase {
  readonly record: CaseRecord;
  readonly departmentName: string | null;
  readonly departmentNameEn: string | null;
  readonly escalated: boolean;
}

/**
 * One keyset page of the cases a filter selects, in id order after `afterId`:
 * an export reads page after page with bounded memory, and a case changed
 * meanwhile is still read at most once.
 */
export async function listCasesAfter(
  db: Executor,
  regionId: number,
  filter: CaseListFilter,
  afterId: number,
  limit: number,
): Promise<ExportedCase[]> {
  const rows = await filteredCases(db, regionId, filter)
    .leftJoin('departments as lead', (join) =>
      join.onRef('lead.region_id', '=', 'c.region_id').onRef('lead.id', '=', 'c.department_id'),
    )
    .selectAll('c')
    .select(['cat.path as category_path', 'd.name as district_name', 'd.path as district_path'])
    .select(['lead.name as lead_name', 'lead.name_en as lead_name_en'])
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('case_events as e')
            .select('e.version')
            .whereRef('e.region_id', '=', 'c.region_id')
            .whereRef('e.case_id', '=', 'c.id')
            .where('e.event', '=', 'urge'),
        )
        .as('escalated'),
    )
    .where('c.id', '>', afterId)
    .orderBy('c.id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    record: toCase(row as unknown as CaseRow),
    departmentName: row.lead_name,
    departmentNameEn: row.lead_name_en,
    escalated: Boolean(row.escalated),
  }));
}

/** The city's code (for file names). */
export async function findCityCode(db: Executor, regionId: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('regions')
    .select('code')
    .where('region_id', '=', regionId)
    .where('level', '=', 'city')
    .executeTakeFirst();
  return row?.code;
}

// --- messages -----------------------------------------------------------------

/** A message as intake writes it: everything but the id the database assigns. */
export type NewMessage = Omit<Message, 'id'>;

function toMessage(row: Selectable<MessageTable>): Message {
  const id = (value: number | null): number | null => (value === null ? null : Number(value));
  return {
    id: Number(row.id),
    caseId: Number(row.case_id),
    channel: row.channel as Channel,
    kind: row.kind as CaseKind,
    title: row.title,
    body: row.body,
    requesterUserId: id(row.requester_user_id),
    requesterKey: row.requester_key,
    trackingCode: row.tracking_code,
    contact: row.contact,
    lat: row.lat,
    lng: row.lng,
    address: row.address,
    communityId: id(row.community_id),
    districtId: id(row.district_id),
    categoryId: id(row.category_id),
    idempotencyKey: row.idempotency_key,
    requestHash: row.request_hash,
    submittedAt: new Date(row.submitted_at),
    suggestion:
      row.suggested_category === null
        ? null
        : { categoryPath: row.suggested_category, confidence: Number(row.suggested_confidence), model: row.classifier_model ?? '' },
  };
}

/** The `messages` row of a message taken in through intake (no source system: that is the hotline import's). */
export function messageRow(regionId: number, fields: NewMessage) {
  return {
    region_id: regionId,
    case_id: fields.caseId,
    channel: fields.channel,
    kind: fields.kind,
    title: fields.title,
    body: fields.body,
    requester_user_id: fields.requesterUserId,
    requester_key: fields.requesterKey,
    tracking_code: fields.trackingCode,
    contact: fields.contact && JSON.stringify(fields.contact),
    lat: fields.lat,
    lng: fields.lng,
    address: fields.address,
    community_id: fields.communityId,
    district_id: fields.districtId,
    category_id: fields.categoryId,
    source_system: null,
    source_id: null,
    idempotency_key: fields.idempotencyKey,
    request_hash: fields.requestHash,
    submitted_at: fields.submittedAt,
    suggested_category: fields.suggestion?.categoryPath ?? null,
    suggested_confidence: fields.suggestion?.confidence ?? null,
    classifier_model: fields.suggestion?.model ?? null,
  };
}

export async function findMessageByIdempotencyKey(
  db: Executor,
  regionId: number,
  key: string,
): Promise<Message | undefined> {
  const row = await tables(db)
    .selectFrom('messages')
    .selectAll()
    .where('region_id', '=', regionId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  return row && toMessage(row);
}

export async function findMessageByTrackingCode(
  db: Executor,
  regionId: number,
  code: string,
): Promise<Message | undefined> {
  const row = await tables(db)
    .selectFrom('messages')
    .selectAll()
    .where('region_id', '=', regionId)
    .where('tracking_code', '=', code)
    .executeTakeFirst();
  return row && toMessage(row);
}

export async function listMessages(db: Executor, regionId: number, caseId: number): Promise<Message[]> {
  const rows = await tables(db)
    .selectFrom('messages')
    .selectAll()
    .where('region_id', '=', regionId)
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
  return rows.map(toMessage);
}

// --- timeline -----------------------------------------------------------------

export function insertCaseEvent(db: Executor, regionId: number, caseId: number, event: CaseEventRecord): Promise<void> {
  return insertCaseEvents(db, regionId, caseId, [event]);
}

/** A timeline entry as a `case_events` row. */
export function caseEventRow(regionId: number, caseId: number, event: CaseEventRecord) {
  return {
    region_id: regionId,
    case_id: caseId,
    version: event.version,
    round: event.round,
    at: event.at,
    actor_user_id: event.actorUserId,
    actor_label: event.actorLabel,
    event: event.event,
    from_state: event.fromState,
    to_state: event.toState,
    reason: event.reason,
    details: JSON.stringify(event.details),
  };
}

/** Several timeline rows of one case in one statement. */
export async function insertCaseEvents(
  db: Executor,
  regionId: number,
  caseId: number,
  events: readonly CaseEventRecord[],
): Promise<void> {
  if (events.length === 0) return;
  await tables(db)
    .insertInto('case_events')
    .values(events.map((event) => caseEventRow(regionId, caseId, event)))
    .execute();
}

export async function listCaseEvents(db: Executor, regionId: number, caseId: number): Promise<CaseEventRecord[]> {
  const rows = await tables(db)
    .selectFrom('case_events')
    .selectAll()
    .where('region_id', '=', regionId)
    .where('case_id', '=', caseId)
    .orderBy('version')
    .execute();
  return rows.map((row) => ({
    version: row.version,
    round: row.round,
    at: new Date(row.at),
    actorUserId: row.actor_user_id === null ? null : Number(row.actor_user_id),
    actorLabel: row.actor_label,
    event: row.event,
    fromState: row.from_state as CaseState | null,
    toState: row.to_state as CaseState,
    reason: row.reason,
    details: row.details,
  }));
}

// --- the city's places, read for validation and scope ---------------------------

/** A region of the city as intake needs it: its level, path, parent and centroid. */
export interface Place {
  readonly id: number;
  readonly parentId: number | null;
  readonly level: string;
  readonly path: string;
  readonly name: string;
  readonly centroid: [number, number] | null;
}

export async function findPlace(db: Executor, regionId: number, id: number): Promise<Place | undefined> {
  const row = await db
    .selectFrom('regions')
    .select(['id', 'parent_id', 'level', 'path', 'name', 'centroid'])
    .where('region_id', '=', regionId)
    .where('id', '=', id)
    .executeTakeFirst();
  return (
    row && {
      id: Number(row.id),
      parentId: row.parent_id === null ? null : Number(row.parent_id),
      level: row.level,
      path: row.path,
      name: row.name,
      centroid: row.centroid,
    }
  );
}

/** Whether each id is an active department of the city. */
export async function findDepartmentIds(db: Executor, regionId: number, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('departments')
    .select('id')
    .where('region_id', '=', regionId)
    .where('id', 'in', [...ids])
    .where('active', '=', true)
    .execute();
  return new Set(rows.map((row) => Number(row.id)));
}

/** The requester user ids of a case's messages (for the citizen's scope). */
export async function listRequesterUserIds(db: Executor, regionId: number, caseId: number): Promise<number[]> {
  const rows = await tables(db)
    .selectFrom('messages')
    .select('requester_user_id')
    .where('region_id', '=', regionId)
    .where('case_id', '=', caseId)
    .where('requester_user_id', 'is not', null)
    .execute();
  return rows.map((row) => Number(row.requester_user_id));
}

/** The sequence a city's case numbers of one year come from (see the 2026-12-01T1750 migration). */
export function caseNumberSequence(regionId: number, year: number): string {
  if (!Number.isSafeInteger(regionId) || !Number.isSafeInteger(year)) throw new Error('caseNumberSequence: integer ids only');
  return `case_numbers_${regionId}_${year}`;
}

/**
 * Creates the city's number sequence for a year if it does not exist yet.
 * Creators of one sequence queue on an advisory lock held to the end of the
 * transaction, so two first cases of a year never race on the DDL; call it
 * inside a transaction.
 */
export async function ensureCaseNumberSequence(trx: Executor, regionId: number, year: number): Promise<void> {
  const name = caseNumberSequence(regionId, year);
  await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(trx);
  await sql.raw(`create sequence if not exists ${name} as bigint minvalue 1`).execute(trx);
}

/** True when the error says the year's number sequence does not exist yet (undefined_table). */
export function isMissingSequence(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '42P01';
}

/**
 * Takes `count` case numbers of a year for a batch (imports, demo history),
 * creating the year's sequence first when needed. Numbers taken by a batch
 * that then fails are gaps: sequences do not roll back.
 */
export async function takeCaseNumbers(trx: Executor, regionId: number, year: number, count: number): Promise<string[]> {
  const name = caseNumberSequence(regionId, year);
  const { rows: found } = await sql<{ exists: boolean }>`select to_regclass(${name}) is not null as exists`.execute(trx);
  if (!found[0]!.exists) await ensureCaseNumberSequence(trx, regionId, year);
  const { rows } = await sql<{ n: string }>`select nextval(${name}::regclass) as n from generate_series(1, ${count}::int)`.execute(trx);
  return rows.map((row) => formatCaseNumber(year, Number(row.n)));
}

/** The next case number of a year as an SQL expression, formatted as `formatCaseNumber` does. */
export function nextCaseNumberSql(regionId: number, year: number): RawBuilder<string> {
  return sql<string>`(select ${String(year)}::text || '-' || case when n < 1000000 then lpad(n::text, 6, '0') else n::text end
    from (select nextval(${caseNumberSequence(regionId, year)}::regclass) as n) as taken)`;
}

/**
 * Files a case under a category (a coordinator's 分类) and keeps that
 * category as the label of each of the case's messages, replacing an earlier
 * label: the city's training data for its next classifier.
 */
export async function fileCaseUnder(db: Executor, regionId: number, caseId: number, categoryId: number, labelledBy: number | null, at: Date): Promise<void> {
  await tables(db).updateTable('cases').set({ category_id: categoryId }).where('region_id', '=', regionId).where('id', '=', caseId).execute();
  await sql`
    insert into category_labels (region_id, message_id, category_id, labelled_by, labelled_at)
    select region_id, id, ${categoryId}, ${labelledBy}, ${at} from messages where region_id = ${regionId} and case_id = ${caseId}
    on conflict (region_id, message_id) do update set category_id = excluded.category_id, labelled_by = excluded.labelled_by, labelled_at = excluded.labelled_at`.execute(db);
}
