import { sql, type Generated, type Kysely } from 'kysely';
import type { Database } from '../../../platform/index.ts';
import type { CaseState } from '../cases/case.ts';
import type { VoicesTables } from '../cases/voices.table.ts';

/** A database or an open transaction. */
type Executor = Kysely<Database>;

export interface Open311ApiKeyTable {
  region_id: number;
  id: Generated<number>;
  name: string;
  /** SHA-256 (hex) of the key's random part. */
  key_hash: string;
  /** The non-secret start of the key, shown in lists. */
  prefix: string;
  created_at: Date;
  revoked_at: Date | null;
}

type Tables = VoicesTables & { open311_api_keys: Open311ApiKeyTable };
const tables = (db: Executor): Kysely<Database & Tables> => db.withTables<Tables>();

/** An API key as lists show it: never the secret. */
export interface Open311ApiKey {
  readonly id: number;
  readonly name: string;
  readonly prefix: string;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

const toKey = (row: { id: number; name: string; prefix: string; created_at: Date; revoked_at: Date | null }): Open311ApiKey => ({
  id: Number(row.id),
  name: row.name,
  prefix: row.prefix,
  createdAt: new Date(row.created_at),
  revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
});

export async function insertApiKey(db: Executor, regionId: number, fields: { name: string; keyHash: string; prefix: string; createdAt: Date }): Promise<Open311ApiKey> {
  const row = await tables(db)
    .insertInto('open311_api_keys')
    .values({ region_id: regionId, name: fields.name, key_hash: fields.keyHash, prefix: fields.prefix, created_at: fields.createdAt })
    .returning(['id', 'name', 'prefix', 'created_at', 'revoked_at'])
    .executeTakeFirstOrThrow();
  return toKey(row);
}

export async function listApiKeys(db: Executor, regionId: number): Promise<Open311ApiKey[]> {
  const rows = await tables(db)
    .selectFrom('open311_api_keys')
    .select(['id', 'name', 'prefix', 'created_at', 'revoked_at'])
    .where('region_id', '=', regionId)
    .orderBy('id')
    .execute();
  return rows.map(toKey);
}

/** Revokes a key once; undefined when the city has no such key. A revoked key stays revoked (its first revocation time is kept). */
export async function revokeApiKey(db: Executor, regionId: number, id: number, at: Date): Promise<Open311ApiKey | undefined> {
  await tables(db).updateTable('open311_api_keys').set({ revoked_at: at }).where('region_id', '=', regionId).where('id', '=', id).where('revoked_at', 'is', null).execute();
  const row = await tables(db)
    .selectFrom('open311_api_keys')
    .select(['id', 'name', 'prefix', 'created_at', 'revoked_at'])
    .where('region_id', '=', regionId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toKey(row);
}

/** The live (not revoked) key with this hash, in this city only. */
export async function findLiveApiKey(db: Executor, regionId: number, keyHash: string): Promise<Open311ApiKey | undefined> {
  const row = await tables(db)
    .selectFrom('open311_api_keys')
    .select(['id', 'name', 'prefix', 'created_at', 'revoked_at'])
    .where('region_id', '=', regionId)
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row && toKey(row);
}

/** The city's code and name (`jurisdiction_id` and the discovery contact). */
export async function findCity(db: Executor, regionId: number): Promise<{ code: string; name: string } | undefined> {
  return db.selectFrom('regions').select(['code', 'name']).where('region_id', '=', regionId).where('id', '=', regionId).executeTakeFirst();
}

/**
 * What GET requests shows of a case: public facts only. The first message
 * gives the place and the description; no requester, contact or tracking code
 * is selected here.
 */
export interface Open311CaseRow {
  readonly id: number;
  readonly number: string;
  readonly state: CaseState;
  readonly categoryPath: string | null;
  readonly departmentName: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly closedAt: Date | null;
  readonly dueAt: Date | null;
  readonly replyText: string | null;
  readonly notInScopeReason: string | null;
  readonly mergedIntoNumber: string | null;
  readonly body: string | null;
  readonly lat: number | null;
  readonly lng: number | null;
  readonly address: string | null;
}

/** Either the cases with these numbers, or a search by category, creation time and state, newest first. */
export type Open311CaseFilter =
  | { readonly numbers: readonly string[] }
  | {
      readonly categoryPaths: readonly string[] | null;
      readonly start: Date;
      readonly end: Date;
      readonly states: readonly CaseState[] | null;
      readonly limit: number;
      readonly offset: number;
    };

const dateOrNull = (value: unknown): Date | null => (value === null || value === undefined ? null : new Date(value as string));

export async function listOpen311Cases(db: Executor, regionId: number, filter: Open311CaseFilter): Promise<Open311CaseRow[]> {
  let query = tables(db)
    .selectFrom('cases as c')
    .leftJoin('categories as cat', (join) => join.onRef('cat.region_id', '=', 'c.region_id').onRef('cat.id', '=', 'c.category_id'))
    .leftJoin('departments as dep', (join) => join.onRef('dep.region_id', '=', 'c.region_id').onRef('dep.id', '=', 'c.department_id'))
    .leftJoin('cases as mc', (join) => join.onRef('mc.region_id', '=', 'c.region_id').on(sql<boolean>`mc.id = (c.snapshot->>'mergedIntoCaseId')::bigint`))
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('messages as m')
          .select(['m.body', 'm.lat', 'm.lng', 'm.address'])
          .whereRef('m.region_id', '=', 'c.region_id')
          .whereRef('m.case_id', '=', 'c.id')
          .orderBy('m.id')
          .limit(1)
          .as('fm'),
      (join) => join.onTrue(),
    )
    .where('c.region_id', '=', regionId);
  if ('numbers' in filter) {
    if (filter.numbers.length === 0) return [];
    query = query.where('c.number', 'in', [...filter.numbers]);
  } else {
    if (filter.categoryPaths !== null) {
      if (filter.categoryPaths.length === 0) return [];
      query = query.where('cat.path', 'in', [...filter.categoryPaths]);
    }
    if (filter.states !== null) query = query.where('c.state', 'in', [...filter.states]);
    query = query.where('c.created_at', '>=', filter.start).where('c.created_at', '<=', filter.end);
  }
  let ordered = query
    .select([
      'c.id',
      'c.number',
      'c.state',
      'c.created_at',
      'c.updated_at',
      'c.closed_at',
      'c.due_at',
      'cat.path as category_path',
      'dep.name as department_name',
      'mc.number as merged_into_number',
      'fm.body',
      'fm.lat',
      'fm.lng',
      'fm.address',
      sql<string | null>`c.snapshot->'reply'->>'text'`.as('reply_text'),
      sql<string | null>`c.snapshot->>'notInScopeReason'`.as('not_in_scope_reason'),
    ])
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id', 'desc');
  if (!('numbers' in filter)) ordered = ordered.limit(filter.limit).offset(filter.offset);
  const rows = await ordered.execute();
  return rows.map((row) => ({
    id: Number(row.id),
    number: row.number,
    state: row.state as CaseState,
    categoryPath: row.category_path,
    departmentName: row.department_name,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    closedAt: dateOrNull(row.closed_at),
    dueAt: dateOrNull(row.due_at),
    replyText: row.reply_text,
    notInScopeReason: row.not_in_scope_reason,
    mergedIntoNumber: row.merged_into_number,
    body: row.body,
    lat: row.lat === null ? null : Number(row.lat),
    lng: row.lng === null ? null : Number(row.lng),
    address: row.address,
  }));
}
