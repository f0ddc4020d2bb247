import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../../../platform/index.ts';
import type { Cadre, Household, HouseholdContact, Location } from '../pairing.ts';
import type { PairingCadreTable, PairingHouseholdTable, PairingTables } from '../pairing.table.ts';

type Executor = Kysely<Database>;
const tables = (db: Executor): Kysely<Database & PairingTables> => db.withTables<PairingTables>();

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (char) => `\\${char}`);
const numberOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
const jsonArray = (value: unknown): string[] => (typeof value === 'string' ? (JSON.parse(value) as string[]) : ((value as string[]) ?? []));

function locationOf(row: { x: number | null; y: number | null; lat: number | null; lon: number | null }): Location {
  return row.x !== null && row.y !== null ? { x: Number(row.x), y: Number(row.y) } : { lat: Number(row.lat), lon: Number(row.lon) };
}

const locationColumns = (location: Location) =>
  'x' in location ? { x: location.x, y: location.y, lat: null, lon: null } : { x: null, y: null, lat: location.lat, lon: location.lon };

function toCadre(row: Selectable<PairingCadreTable>): Cadre {
  return {
    id: Number(row.id),
    code: row.code,
    name: row.name,
    userId: numberOrNull(row.user_id),
    unit: row.unit,
    districtId: Number(row.district_id),
    location: locationOf(row),
    capacity: row.capacity,
    skills: jsonArray(row.skills),
    active: row.active,
    version: row.version,
  };
}

function toHousehold(row: Selectable<PairingHouseholdTable> & { path: string }): Household {
  return {
    id: Number(row.id),
    code: row.code,
    districtId: Number(row.district_id),
    communityId: Number(row.community_id),
    path: row.path,
    location: locationOf(row),
    difficulties: jsonArray(row.difficulties),
    needs: jsonArray(row.needs),
    members: row.members,
    active: row.active,
    version: row.version,
  };
}

/** A region as the registry needs it: to resolve codes in imports and test scope. */
export interface PlaceRef {
  readonly id: number;
  readonly level: string;
  readonly path: string;
  readonly parentId: number | null;
  readonly name: string;
}

/** Every region of the city by code (a city has a few thousand). */
export async function placesByCode(db: Executor, regionId: number): Promise<Map<string, PlaceRef>> {
  const rows = await db
    .selectFrom('regions')
    .select(['id', 'code', 'level', 'path', 'parent_id', 'name'])
    .where('region_id', '=', regionId)
    .execute();
  return new Map(rows.map((row) => [row.code, { id: Number(row.id), level: row.level, path: row.path, parentId: numberOrNull(row.parent_id), name: row.name }]));
}

/** A region by id. */
export async function findPlace(db: Executor, regionId: number, id: number): Promise<PlaceRef | undefined> {
  const row = await db
    .selectFrom('regions')
    .select(['id', 'level', 'path', 'parent_id', 'name'])
    .where('region_id', '=', regionId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && { id: Number(row.id), level: row.level, path: row.path, parentId: numberOrNull(row.parent_id), name: row.name };
}

/** User ids of the city's cadre accounts by username. */
export async function cadreUsersByName(db: Executor, regionId: number): Promise<Map<string, number>> {
  const rows = await db.selectFrom('users').select(['id', 'username']).where('region_id', '=', regionId).where('role', '=', 'cadre').execute();
  return new Map(rows.map((row) => [row.username, Number(row.id)]));
}

export type CadreFields = Omit<Cadre, 'id' | 'version' | 'code'>;
export type HouseholdFields = Omit<Household, 'id' | 'version' | 'code' | 'path'> & HouseholdContact;

export async function findCadreByCode(db: Executor, regionId: number, code: string): Promise<Cadre | undefined> {
  const row = await tables(db).selectFrom('pairing_cadres').selectAll().where('region_id', '=', regionId).where('code', '=', code).executeTakeFirst();
  return row && toCadre(row);
}

export async function findCadre(db: Executor, regionId: number, id: number): Promise<Cadre | undefined> {
  const row = await tables(db).selectFrom('pairing_cadres').selectAll().where('region_id', '=', regionId).where('id', '=', id).executeTakeFirst();
  return row && toCadre(row);
}

/** The cadre record linked to a user account, if any. */
export async function findCadreOfUser(db: Executor, regionId: number, userId: number): Promise<Cadre | undefined> {
  const row = await tables(db).selectFrom('pairing_cadres').selectAll().where('region_id', '=', regionId).where('user_id', '=', userId).executeTakeFirst();
  return row && toCadre(row);
}

function cadreValues(fields: CadreFields) {
  return {
    name: fields.name,
    user_id: fields.userId,
    unit: fields.unit,
    district_id: fields.districtId,
    ...locationColumns(fields.location),
    capacity: fields.capacity,
    skills: JSON.stringify(fields.skills),
    active: fields.active,
  };
}

function householdValues(fields: HouseholdFields) {
  return {
    district_id: fields.districtId,
    community_id: fields.communityId,
    ...locationColumns(fields.location),
    difficulties: JSON.stringify(fields.difficulties),
    needs: JSON.stringify(fields.needs),
    members: fields.members,
    contact_phone: fields.contactPhone,
    notes: fields.notes,
    active: fields.active,
  };
}

export async function insertCadre(db: Executor, regionId: number, code: string, fields: CadreFields, now: Date): Promise<number> {
  const row = await tables(db)
    .insertInto('pairing_cadres')
    .values({ region_id: regionId, code, ...cadreValues(fields), version: 1, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Writes a cadre's fields; with `expectedVersion`, only if the record is still at that version (false otherwise). */
export async function updateCadre(db: Executor, regionId: number, id: number, fields: CadreFields, now: Date, expectedVersion?: number): Promise<boolean> {
  let query = tables(db)
    .updateTable('pairing_cadres')
    .set((eb) => ({ ...cadreValues(fields), version: eb('version', '+', 1), updated_at: now }))
    .where('region_id', '=', regionId)
    .where('id', '=', id);
  if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A household by code with its private fields, for imports (which compare before writing). */
export async function findHouseholdRowByCode(db: Executor, regionId: number, code: string): Promise<(Household & HouseholdContact) | undefined> {
  const row = await householdQuery(db, regionId).select(['h.contact_phone', 'h.notes']).where('h.code', '=', code).executeTakeFirst();
  return row && { ...toHousehold(row), contactPhone: row.contact_phone, notes: row.notes };
}

export async function insertHousehold(db: Executor, regionId: number, code: string, fields: HouseholdFields, now: Date): Promise<number> {
  const row = await tables(db)
    .insertInto('pairing_households')
    .values({ region_id: regionId, code, ...householdValues(fields), version: 1, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Writes a household's fields; with `expectedVersion`, only if the record is still at that version (false otherwise). */
export async function updateHousehold(db: Executor, regionId: number, id: number, fields: HouseholdFields, now: Date, expectedVersion?: number): Promise<boolean> {
  let query = tables(db)
    .updateTable('pairing_households')
    .set((eb) => ({ ...householdValues(fields), version: eb('version', '+', 1), updated_at: now }))
    .where('region_id', '=', regionId)
    .where('id', '=', id);
  if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

function householdQuery(db: Executor, regionId: number) {
  return tables(db)
    .selectFrom('pairing_households as h')
    .innerJoin('regions as r', (join) => join.onRef('r.region_id', '=', 'h.region_id').onRef('r.id', '=', 'h.community_id'))
    .selectAll('h')
    .select('r.path')
    .where('h.region_id', '=', regionId);
}

/** A household as its page shows it: the record, its community, cadre and last visit. */
export interface HouseholdEntry {
  readonly household: Household;
  readonly communityName: string;
  readonly cadre: { readonly id: number; readonly name: string; readonly userId: number | null } | null;
  readonly lastVisit: string | null;
}

/** Who may be listed: everything in a region path, or one cadre's households. */
export type HouseholdScope = { readonly scopePath: string } | { readonly cadreUserId: number };

export interface HouseholdFilter {
  readonly scope: HouseholdScope;
  readonly communityId?: number | undefined;
  readonly code?: string | undefined;
  readonly unpaired?: boolean | undefined;
  readonly limit: number;
  readonly offset: number;
}

const dateText = (value: unknown): string | null =>
  value === null || value === undefined ? null : value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);

function householdEntries(db: Executor, regionId: number) {
  return householdQuery(db, regionId)
    .leftJoin('pairing_pairs as p', (join) => join.onRef('p.region_id', '=', 'h.region_id').onRef('p.household_id', '=', 'h.id'))
    .leftJoin('pairing_cadres as c', (join) => join.onRef('c.region_id', '=', 'p.region_id').onRef('c.id', '=', 'p.cadre_id'))
    .select(['r.name as community_name', 'c.id as cadre_id', 'c.name as cadre_name', 'c.user_id as cadre_user_id'])
    .select(
      sql<string | null>`(select max(v.visited_on)::text from pairing_visits v where v.region_id = h.region_id and v.household_id = h.id)`.as('last_visit'),
    );
}

type EntryRow = Selectable<PairingHouseholdTable> & { path: string; community_name: string; cadre_id: number | null; cadre_name: string | null; cadre_user_id: number | null; last_visit: string | null };

function toEntry(row: EntryRow): HouseholdEntry {
  return {
    household: toHousehold(row),
    communityName: row.community_name,
    cadre: row.cadre_id === null ? null : { id: Number(row.cadre_id), name: row.cadre_name ?? '', userId: numberOrNull(row.cadre_user_id) },
    lastVisit: dateText(row.last_visit),
  };
}

/** Households in a scope, by code, with total for paging. */
export async function listHouseholds(db: Executor, regionId: number, filter: HouseholdFilter): Promise<{ items: HouseholdEntry[]; total: number }> {
  let query = householdEntries(db, regionId).where('h.active', '=', true);
  const { scope } = filter;
  if ('cadreUserId' in scope) query = query.where('c.user_id', '=', scope.cadreUserId);
  else if (scope.scopePath !== `/${regionId}/`) query = query.where('r.path', 'like', `${escapeLike(scope.scopePath)}%`);
  if (filter.communityId !== undefined) query = query.where('h.community_id', '=', filter.communityId);
  if (filter.code) query = query.where('h.code', 'like', `${escapeLike(filter.code)}%`);
  if (filter.unpaired) query = query.where('p.id', 'is', null);
  const [rows, count] = await Promise.all([
    query.orderBy('h.code').limit(filter.limit).offset(filter.offset).execute(),
    query.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map((row) => toEntry(row as EntryRow)), total: Number(count.n) };
}

/** One household with its page's facts and, separately, its private fields (the caller decides whether to show them). */
export async function findHouseholdEntry(db: Executor, regionId: number, id: number): Promise<(HouseholdEntry & { contact: HouseholdContact }) | undefined> {
  const row = await householdEntries(db, regionId).select(['h.contact_phone', 'h.notes']).where('h.id', '=', id).executeTakeFirst();
  return row && { ...toEntry(row as EntryRow), contact: { contactPhone: row.contact_phone, notes: row.notes } };
}

/** Cadres in a region path (their district's), with their current load. */
export async function listCadres(
  db: Executor,
  regionId: number,
  filter: { scopePath: string; limit: number; offset: number; code?: string | undefined; id?: number | undefined },
): Promise<{ items: (Cadre & { load: number; districtName: string; username: string | null })[]; total: number }> {
  let query = tables(db)
    .selectFrom('pairing_cadres as c')
    .innerJoin('regions as r', (join) => join.onRef('r.region_id', '=', 'c.region_id').onRef('r.id', '=', 'c.district_id'))
    .where('c.region_id', '=', regionId);
  if (filter.scopePath !== `/${regionId}/`) query = query.where('r.path', 'like', `${escapeLike(filter.scopePath)}%`);
  if (filter.code) query = query.where('c.code', 'like', `${escapeLike(filter.code)}%`);
  if (filter.id !== undefined) query = query.where('c.id', '=', filter.id);
  const [rows, count] = await Promise.all([
    query
      .selectAll('c')
      .select('r.name as district_name')
      .select(sql<string | null>`(select u.username from users u where u.region_id = c.region_id and u.id = c.user_id)`.as('username'))
      .select(sql<number>`(select count(*) from pairing_pairs p where p.region_id = c.region_id and p.cadre_id = c.id)`.as('load'))
      .orderBy('c.code')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map((row) => ({ ...toCadre(row), load: Number(row.load), districtName: row.district_name, username: row.username })), total: Number(count.n) };
}

/** The registry a run covers: active cadres and every household (active or not) in a region path, with current pairs. */
export async function loadRegistry(
  db: Executor,
  regionId: number,
  scopePath: string,
): Promise<{ cadres: Cadre[]; households: Household[]; pairs: Map<number, number> }> {
  const wide = scopePath === `/${regionId}/`;
  let cadreQuery = tables(db)
    .selectFrom('pairing_cadres as c')
    .innerJoin('regions as r', (join) => join.onRef('r.region_id', '=', 'c.region_id').onRef('r.id', '=', 'c.district_id'))
    .selectAll('c')
    .where('c.region_id', '=', regionId)
    .where('c.active', '=', true);
  if (!wide) cadreQuery = cadreQuery.where('r.path', 'like', `${escapeLike(scopePath)}%`);
  let householdRows = householdQuery(db, regionId);
  if (!wide) householdRows = householdRows.where('r.path', 'like', `${escapeLike(scopePath)}%`);
  const [cadres, households] = await Promise.all([cadreQuery.orderBy('c.id').execute(), householdRows.orderBy('h.id').execute()]);
  const pairs = await currentPairs(db, regionId, scopePath);
  return { cadres: cadres.map(toCadre), households: households.map(toHousehold), pairs };
}

/** The current pairs (household → cadre) of the households in a region path. */
export async function currentPairs(db: Executor, regionId: number, scopePath: string): Promise<Map<number, number>> {
  let query = tables(db)
    .selectFrom('pairing_pairs as p')
    .innerJoin('pairing_households as h', (join) => join.onRef('h.region_id', '=', 'p.region_id').onRef('h.id', '=', 'p.household_id'))
    .innerJoin('regions as r', (join) => join.onRef('r.region_id', '=', 'h.region_id').onRef('r.id', '=', 'h.community_id'))
    .select(['p.household_id', 'p.cadre_id'])
    .where('p.region_id', '=', regionId);
  if (scopePath !== `/${regionId}/`) query = query.where('r.path', 'like', `${escapeLike(scopePath)}%`);
  const rows = await query.execute();
  return new Map(rows.map((row) => [Number(row.household_id), Number(row.cadre_id)]));
}

/** Inserts many cadres at once (a city's first load), in chunks; returns their ids by code. */
export async function insertCadresBulk(db: Executor, regionId: number, cadres: readonly (CadreFields & { code: string })[], now: Date): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (let start = 0; start < cadres.length; start += 1_000) {
    const rows = await tables(db)
      .insertInto('pairing_cadres')
      .values(cadres.slice(start, start + 1_000).map((cadre) => ({ region_id: regionId, code: cadre.code, ...cadreValues(cadre), version: 1, created_at: now, updated_at: now })))
      .returning(['id', 'code'])
      .execute();
    for (const row of rows) ids.set(row.code, Number(row.id));
  }
  return ids;
}

/** Inserts many households at once (a city's first load), in chunks; returns their ids by code. */
export async function insertHouseholdsBulk(db: Executor, regionId: number, households: readonly (HouseholdFields & { code: string })[], now: Date): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (let start = 0; start < households.length; start += 1_000) {
    const rows = await tables(db)
      .insertInto('pairing_households')
      .values(households.slice(start, start + 1_000).map((household) => ({ region_id: regionId, code: household.code, ...householdValues(household), version: 1, created_at: now, updated_at: now })))
      .returning(['id', 'code'])
      .execute();
    for (const row of rows) ids.set(row.code, Number(row.id));
  }
  return ids;
}

/** Links a cadre record to a user account (or unlinks it with null). */
export async function linkCadreUser(db: Executor, regionId: number, cadreId: number, userId: number | null, now: Date): Promise<void> {
  await tables(db)
    .updateTable('pairing_cadres')
    .set((eb) => ({ user_id: userId, version: eb('version', '+', 1), updated_at: now }))
    .where('region_id', '=', regionId)
    .where('id', '=', cadreId)
    .execute();
}
