import { sql, type ExpressionBuilder, type Kysely, type Selectable, type UpdateObject } from 'kysely';
import type { Database } from '../database/schema.ts';
import type { Role } from '../authorization.ts';
import type { Department, Region, RegionLevel, User } from './organisation.ts';
import type { RegionTable } from './organisation.table.ts';

/** A database or an open transaction: repositories work inside either. */
type Executor = Kysely<Database>;

export interface Page<T> {
  readonly items: T[];
  readonly total: number;
}

export interface PageRequest {
  readonly limit: number;
  readonly offset: number;
}

const escapeLike = (text: string): string => `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

type VersionedTable = 'regions' | 'departments' | 'users';

/**
 * Applies `values` to one row if it still has `version`, bumping the version:
 * optimistic concurrency for every editable record. False when someone else
 * changed the row first.
 */
async function updateVersioned<T extends VersionedTable>(
  db: Executor,
  table: T,
  row: { regionId: number; id: number; version: number; now: Date },
  values: UpdateObject<Database, T>,
): Promise<boolean> {
  const result = await (db as unknown as Kysely<Pick<Database, VersionedTable>>)
    .updateTable(table as VersionedTable)
    .set({ ...(values as object), version: sql<number>`version + 1`, updated_at: row.now })
    .where('region_id', '=', row.regionId)
    .where('id', '=', row.id)
    .where('version', '=', row.version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// --- regions ----------------------------------------------------------------

const regionColumns = [
  'r.region_id',
  'r.id',
  'r.parent_id',
  'r.level',
  'r.path',
  'r.code',
  'r.name',
  'r.name_en',
  'r.centroid',
  'r.boundary',
  'r.active',
  'r.version',
] as const;

const childCount = (eb: ExpressionBuilder<Database & { r: RegionTable }, 'r'>) =>
  eb
    .selectFrom('regions as c')
    .select(eb.fn.countAll<number>().as('n'))
    .whereRef('c.region_id', '=', 'r.region_id')
    .whereRef('c.parent_id', '=', 'r.id')
    .as('child_count');

function toRegion(
  row: Omit<Selectable<RegionTable>, 'created_at' | 'updated_at'> & { child_count: number | string | null },
): Region {
  return {
    regionId: row.region_id,
    id: row.id,
    parentId: row.parent_id,
    level: row.level,
    path: row.path,
    code: row.code,
    name: row.name,
    nameEn: row.name_en,
    centroid: row.centroid,
    boundary: row.boundary,
    childCount: Number(row.child_count ?? 0),
    active: row.active,
    version: row.version,
  };
}

export async function findCityByCode(db: Executor, code: string): Promise<Region | undefined> {
  const row = await db
    .selectFrom('regions as r')
    .select([...regionColumns, childCount])
    .where('r.level', '=', 'city')
    .where('r.code', '=', code)
    .executeTakeFirst();
  return row && toRegion(row);
}

export async function listCities(db: Executor): Promise<Region[]> {
  const rows = await db
    .selectFrom('regions as r')
    .select([...regionColumns, childCount])
    .where('r.level', '=', 'city')
    .orderBy('r.id')
    .execute();
  return rows.map(toRegion);
}

export async function findRegion(db: Executor, regionId: number, id: number): Promise<Region | undefined> {
  const row = await db
    .selectFrom('regions as r')
    .select([...regionColumns, childCount])
    .where('r.region_id', '=', regionId)
    .where('r.id', '=', id)
    .executeTakeFirst();
  return row && toRegion(row);
}

export async function findRegionByCode(db: Executor, regionId: number, code: string): Promise<Region | undefined> {
  const row = await db
    .selectFrom('regions as r')
    .select([...regionColumns, childCount])
    .where('r.region_id', '=', regionId)
    .where('r.code', '=', code)
    .executeTakeFirst();
  return row && toRegion(row);
}

export async function listRegions(
  db: Executor,
  regionId: number,
  filter: { parentId?: number; level?: RegionLevel; q?: string },
  page: PageRequest,
): Promise<Page<Region>> {
  let query = db.selectFrom('regions as r').where('r.region_id', '=', regionId);
  if (filter.parentId !== undefined) query = query.where('r.parent_id', '=', filter.parentId);
  if (filter.level !== undefined) query = query.where('r.level', '=', filter.level);
  if (filter.q) {
    const pattern = escapeLike(filter.q);
    query = query.where((eb) =>
      eb.or([eb('r.name', 'ilike', pattern), eb('r.code', 'ilike', pattern), eb('r.name_en', 'ilike', pattern)]),
    );
  }
  const [rows, count] = await Promise.all([
    query
      .select([...regionColumns, childCount])
      .orderBy('r.code')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toRegion), total: Number(count.n) };
}

/** Creates a city: its own tenant, so `region_id` is its own id. */
export async function insertCity(
  db: Executor,
  city: { code: string; name: string; nameEn: string | null; centroid: [number, number] | null },
): Promise<number> {
  const { rows } = await sql<{ id: number }>`select nextval(pg_get_serial_sequence('regions', 'id')) as id`.execute(db);
  const id = Number(rows[0]!.id);
  await db
    .insertInto('regions')
    .values({
      region_id: id,
      id,
      parent_id: null,
      level: 'city',
      path: `/${id}/`,
      code: city.code,
      name: city.name,
      name_en: city.nameEn,
      centroid: city.centroid && JSON.stringify(city.centroid),
      boundary: null,
    })
    .execute();
  return id;
}

export async function insertRegion(
  db: Executor,
  regionId: number,
  parent: Pick<Region, 'id' | 'path'>,
  region: {
    level: RegionLevel;
    code: string;
    name: string;
    nameEn: string | null;
    centroid: [number, number] | null;
    boundary: object | null;
  },
): Promise<number> {
  const { rows } = await sql<{ id: number }>`select nextval(pg_get_serial_sequence('regions', 'id')) as id`.execute(db);
  const id = Number(rows[0]!.id);
  await db
    .insertInto('regions')
    .values({
      region_id: regionId,
      id,
      parent_id: parent.id,
      level: region.level,
      path: `${parent.path}${id}/`,
      code: region.code,
      name: region.name,
      name_en: region.nameEn,
      centroid: region.centroid && JSON.stringify(region.centroid),
      boundary: region.boundary && JSON.stringify(region.boundary),
    })
    .execute();
  return id;
}

/** Applies a change if the row still has `version`; false when someone changed it first. */
export async function updateRegion(
  db: Executor,
  regionId: number,
  id: number,
  version: number,
  change: {
    name?: string;
    nameEn?: string | null;
    centroid?: [number, number] | null;
    boundary?: object | null;
    active?: boolean;
  },
  now: Date,
): Promise<boolean> {
  return updateVersioned(
    db,
    'regions',
    { regionId, id, version, now },
    {
      ...(change.name !== undefined && { name: change.name }),
      ...(change.nameEn !== undefined && { name_en: change.nameEn }),
      ...(change.centroid !== undefined && { centroid: change.centroid && JSON.stringify(change.centroid) }),
      ...(change.boundary !== undefined && { boundary: change.boundary && JSON.stringify(change.boundary) }),
      ...(change.active !== undefined && { active: change.active }),
    },
  );
}

// --- departments --------------------------------------------------------------

function departmentQuery(db: Executor, regionId: number) {
  return db
    .selectFrom('departments as d')
    .leftJoin('regions as dr', (join) =>
      join.onRef('dr.region_id', '=', 'd.region_id').onRef('dr.id', '=', 'd.district_id'),
    )
    .where('d.region_id', '=', regionId)
    .select((eb) => [
      'd.id',
      'd.parent_id',
      'd.code',
      'd.name',
      'd.name_en',
      'd.district_id',
      'dr.name as district_name',
      'dr.path as district_path',
      'd.areas',
      'd.contact_phone',
      'd.contact_email',
      'd.address',
      'd.active',
      'd.version',
      eb
        .selectFrom('users as u')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('u.region_id', '=', 'd.region_id')
        .whereRef('u.department_id', '=', 'd.id')
        .as('staff_count'),
    ]);
}

type DepartmentRow = Awaited<ReturnType<ReturnType<typeof departmentQuery>['executeTakeFirstOrThrow']>>;

function toDepartment(regionId: number, row: DepartmentRow): Department {
  return {
    id: row.id,
    parentId: row.parent_id,
    code: row.code,
    name: row.name,
    nameEn: row.name_en,
    districtId: row.district_id,
    districtName: row.district_name,
    path: row.district_path ?? `/${regionId}/`,
    areas: row.areas,
    contactPhone: row.contact_phone,
    contactEmail: row.contact_email,
    address: row.address,
    active: row.active,
    version: row.version,
    staffCount: Number(row.staff_count ?? 0),
  };
}

export async function findDepartment(db: Executor, regionId: number, id: number): Promise<Department | undefined> {
  const row = await departmentQuery(db, regionId).where('d.id', '=', id).executeTakeFirst();
  return row && toDepartment(regionId, row);
}

export async function findDepartmentByCode(
  db: Executor,
  regionId: number,
  code: string,
): Promise<Department | undefined> {
  const row = await departmentQuery(db, regionId).where('d.code', '=', code).executeTakeFirst();
  return row && toDepartment(regionId, row);
}

export async function listDepartments(
  db: Executor,
  regionId: number,
  filter: { q?: string; districtId?: number; area?: string },
  page: PageRequest,
): Promise<Page<Department>> {
  let query = departmentQuery(db, regionId);
  let count = db.selectFrom('departments as d').where('d.region_id', '=', regionId);
  if (filter.q) {
    const pattern = escapeLike(filter.q);
    query = query.where((eb) =>
      eb.or([eb('d.name', 'ilike', pattern), eb('d.code', 'ilike', pattern), eb('d.name_en', 'ilike', pattern)]),
    );
    count = count.where((eb) =>
      eb.or([eb('d.name', 'ilike', pattern), eb('d.code', 'ilike', pattern), eb('d.name_en', 'ilike', pattern)]),
    );
  }
  if (filter.districtId !== undefined) {
    query = query.where('d.district_id', '=', filter.districtId);
    count = count.where('d.district_id', '=', filter.districtId);
  }
  if (filter.area) {
    const contains = sql<boolean>`d.areas @> ${JSON.stringify([filter.area])}::jsonb`;
    query = query.where(contains);
    count = count.where(contains);
  }
  const [rows, total] = await Promise.all([
    query
      .orderBy('d.district_id', (ob) => ob.nullsFirst())
      .orderBy('d.code')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    count.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map((row) => toDepartment(regionId, row)), total: Number(total.n) };
}

export interface DepartmentFields {
  name: string;
  nameEn: string | null;
  parentId: number | null;
  districtId: number | null;
  areas: string[];
  contactPhone: string | null;
  contactEmail: string | null;
  address: string | null;
}

export async function insertDepartment(
  db: Executor,
  regionId: number,
  code: string,
  fields: DepartmentFields,
): Promise<number> {
  const row = await db
    .insertInto('departments')
    .values({
      region_id: regionId,
      code,
      name: fields.name,
      name_en: fields.nameEn,
      parent_id: fields.parentId,
      district_id: fields.districtId,
      areas: JSON.stringify(fields.areas),
      contact_phone: fields.contactPhone,
      contact_email: fields.contactEmail,
      address: fields.address,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateDepartment(
  db: Executor,
  regionId: number,
  id: number,
  version: number,
  change: Partial<DepartmentFields> & { active?: boolean },
  now: Date,
): Promise<boolean> {
  return updateVersioned(
    db,
    'departments',
    { regionId, id, version, now },
    {
      ...(change.name !== undefined && { name: change.name }),
      ...(change.nameEn !== undefined && { name_en: change.nameEn }),
      ...(change.parentId !== undefined && { parent_id: change.parentId }),
      ...(change.districtId !== undefined && { district_id: change.districtId }),
      ...(change.areas !== undefined && { areas: JSON.stringify(change.areas) }),
      ...(change.contactPhone !== undefined && { contact_phone: change.contactPhone }),
      ...(change.contactEmail !== undefined && { contact_email: change.contactEmail }),
      ...(change.address !== undefined && { address: change.address }),
      ...(change.active !== undefined && { active: change.active }),
    },
  );
}

// --- users ----------------------------------------------------------------------

function userQuery(db: Executor, regionId: number) {
  return db
    .selectFrom('users as u')
    .leftJoin('departments as d', (join) =>
      join.onRef('d.region_id', '=', 'u.region_id').onRef('d.id', '=', 'u.department_id'),
    )
    .leftJoin('regions as dr', (join) =>
      join.onRef('dr.region_id', '=', 'd.region_id').onRef('dr.id', '=', 'd.district_id'),
    )
    .leftJoin('regions as sr', (join) =>
      join.onRef('sr.region_id', '=', 'u.region_id').onRef('sr.id', '=', 'u.scope_region_id'),
    )
    .where('u.region_id', '=', regionId)
    .select([
      'u.region_id',
      'u.id',
      'u.username',
      'u.display_name',
      'u.role',
      'u.department_id',
      'd.name as department_name',
      'u.scope_region_id',
      'sr.name as scope_region_name',
      sql<string>`coalesce(sr.path, dr.path, '/' || u.region_id || '/')`.as('scope_path'),
      'u.phone',
      'u.email',
      'u.active',
      'u.locked_until',
      'u.must_change_password',
      'u.failed_logins',
      'u.last_login_at',
      'u.version',
    ]);
}

type UserRow = Awaited<ReturnType<ReturnType<typeof userQuery>['executeTakeFirstOrThrow']>>;

function toUser(row: UserRow): User {
  return {
    regionId: row.region_id,
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    departmentId: row.department_id,
    departmentName: row.department_name,
    scopeRegionId: row.scope_region_id,
    scopeRegionName: row.scope_region_name,
    scopePath: row.scope_path,
    phone: row.phone,
    email: row.email,
    active: row.active,
    lockedUntil: row.locked_until,
    mustChangePassword: row.must_change_password,
    failedLogins: row.failed_logins,
    lastLoginAt: row.last_login_at,
    version: row.version,
  };
}

export async function findUser(db: Executor, regionId: number, id: number): Promise<User | undefined> {
  const row = await userQuery(db, regionId).where('u.id', '=', id).executeTakeFirst();
  return row && toUser(row);
}

export async function findUserByUsername(db: Executor, regionId: number, username: string): Promise<User | undefined> {
  const row = await userQuery(db, regionId).where('u.username', '=', username).executeTakeFirst();
  return row && toUser(row);
}

export async function findPasswordHash(db: Executor, regionId: number, userId: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('users')
    .select('password_hash')
    .where('region_id', '=', regionId)
    .where('id', '=', userId)
    .executeTakeFirst();
  return row?.password_hash;
}

/**
 * Lists users visible in a scope: `withinPath` keeps users whose scope lies
 * in that region, `departmentId` keeps one department (handlers' view).
 */
export async function listUsers(
  db: Executor,
  regionId: number,
  filter: {
    q?: string;
    role?: Role;
    departmentId?: number;
    withinPath?: string;
    onlyDepartmentId?: number;
    orUserId?: number;
  },
  page: PageRequest,
): Promise<Page<User>> {
  let query = userQuery(db, regionId);
  if (filter.q) {
    const pattern = escapeLike(filter.q);
    query = query.where((eb) => eb.or([eb('u.username', 'ilike', pattern), eb('u.display_name', 'ilike', pattern)]));
  }
  if (filter.role) query = query.where('u.role', '=', filter.role);
  if (filter.departmentId !== undefined) query = query.where('u.department_id', '=', filter.departmentId);
  if (filter.withinPath !== undefined) {
    query = query.where(
      sql<boolean>`coalesce(sr.path, dr.path, '/' || u.region_id || '/') like ${filter.withinPath + '%'}`,
    );
  }
  if (filter.onlyDepartmentId !== undefined) {
    const only = filter.onlyDepartmentId;
    const self = filter.orUserId ?? -1;
    query = query.where((eb) => eb.or([eb('u.department_id', '=', only), eb('u.id', '=', self)]));
  }
  const [rows, total] = await Promise.all([
    query.orderBy('u.username').limit(page.limit).offset(page.offset).execute(),
    query
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toUser), total: Number(total.n) };
}

export interface UserFields {
  displayName: string;
  role: Role;
  departmentId: number | null;
  scopeRegionId: number | null;
  phone: string | null;
  email: string | null;
}

export async function insertUser(
  db: Executor,
  regionId: number,
  username: string,
  fields: UserFields & { passwordHash: string; mustChangePassword: boolean },
): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({
      region_id: regionId,
      username,
      display_name: fields.displayName,
      role: fields.role,
      department_id: fields.departmentId,
      scope_region_id: fields.scopeRegionId,
      phone: fields.phone,
      email: fields.email,
      password_hash: fields.passwordHash,
      must_change_password: fields.mustChangePassword,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateUser(
  db: Executor,
  regionId: number,
  id: number,
  version: number,
  change: Partial<UserFields> & { active?: boolean; unlock?: boolean },
  now: Date,
): Promise<boolean> {
  return updateVersioned(
    db,
    'users',
    { regionId, id, version, now },
    {
      ...(change.displayName !== undefined && { display_name: change.displayName }),
      ...(change.role !== undefined && { role: change.role }),
      ...(change.departmentId !== undefined && { department_id: change.departmentId }),
      ...(change.scopeRegionId !== undefined && { scope_region_id: change.scopeRegionId }),
      ...(change.phone !== undefined && { phone: change.phone }),
      ...(change.email !== undefined && { email: change.email }),
      ...(change.active !== undefined && { active: change.active }),
      ...(change.unlock && { locked_until: null, failed_logins: 0 }),
    },
  );
}

export async function setPasswordHash(
  db: Executor,
  regionId: number,
  id: number,
  passwordHash: string,
  mustChangePassword: boolean,
  now: Date,
): Promise<void> {
  await db
    .updateTable('users')
    .set({
      password_hash: passwordHash,
      must_change_password: mustChangePassword,
      failed_logins: 0,
      locked_until: null,
      version: sql<number>`version + 1`,
      updated_at: now,
    })
    .where('region_id', '=', regionId)
    .where('id', '=', id)
    .execute();
}

/** Counts a failed login and locks the account once `maxFailures` is reached; returns the new lock, if any. */
export async function recordLoginFailure(
  db: Executor,
  regionId: number,
  id: number,
  maxFailures: number,
  lockUntil: Date,
): Promise<Date | null> {
  const row = await db
    .updateTable('users')
    .set({
      failed_logins: sql<number>`failed_logins + 1`,
      locked_until: sql<Date | null>`case when failed_logins + 1 >= ${maxFailures} then ${lockUntil}::timestamptz else locked_until end`,
    })
    .where('region_id', '=', regionId)
    .where('id', '=', id)
    .returning('locked_until')
    .executeTakeFirst();
  return row?.locked_until ?? null;
}

export async function recordLoginSuccess(db: Executor, regionId: number, id: number, now: Date): Promise<void> {
  await db
    .updateTable('users')
    .set({ failed_logins: 0, locked_until: null, last_login_at: now })
    .where('region_id', '=', regionId)
    .where('id', '=', id)
    .execute();
}
