import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../platform/index.ts';
import type { ProjectTables } from '../registry/project.table.ts';
import type { FlagSubjectKind, ProcurementTables } from './procurement.table.ts';

type Executor = Kysely<Database>;
const tables = (db: Executor): Kysely<Database & ProjectTables & ProcurementTables> => db.withTables<ProjectTables & ProcurementTables>();

/** One contracting process as the product lists it (figures from its compiled release). */
export interface ProcessSummary {
  readonly ocid: string;
  readonly title: string | null;
  readonly buyerName: string | null;
  readonly tenderAmount: number | null;
  readonly contractAmount: number | null;
  readonly paidAmount: number | null;
  readonly currency: string | null;
  readonly releaseCount: number;
  readonly projectId: number | null;
  /** The linked project's lead department and co-units and place, for the policy (null when unlinked). */
  readonly project: { departmentId: number; coDepartmentIds: number[]; path: string } | null;
  readonly flags: number;
  readonly updatedAt: Date;
}

const numberOrNull = (value: string | null): number | null => (value === null ? null : Number(value));

const processQuery = (db: Executor, regionId: number) =>
  tables(db)
    .selectFrom('ocds_processes as o')
    .leftJoin('project_procurements as pp', (join) => join.onRef('pp.region_id', '=', 'o.region_id').onRef('pp.ocid', '=', 'o.ocid'))
    .leftJoin('projects as p', (join) => join.onRef('p.region_id', '=', 'pp.region_id').onRef('p.id', '=', 'pp.project_id'))
    .leftJoin('regions as r', (join) => join.onRef('r.region_id', '=', 'p.region_id').onRef('r.id', '=', 'p.district_id'))
    .select([
      'o.ocid',
      'o.title',
      'o.buyer_name',
      'o.tender_amount',
      'o.contract_amount',
      'o.paid_amount',
      'o.currency',
      'o.release_count',
      'o.updated_at',
      'pp.project_id',
      'p.lead_department_id',
      'r.path',
      sql<string[] | null>`(select array_agg(c.department_id::text) from project_co_units c where c.region_id = p.region_id and c.project_id = p.id)`.as('co_department_ids'),
      sql<string>`(select count(*) from ocds_flags f where f.region_id = o.region_id and f.ocid = o.ocid)`.as('flags'),
    ])
    .where('o.region_id', '=', regionId);

type ProcessRow = Awaited<ReturnType<ReturnType<typeof processQuery>['executeTakeFirstOrThrow']>>;
const toProcess = (regionId: number, row: ProcessRow): ProcessSummary => ({
  ocid: row.ocid,
  title: row.title,
  buyerName: row.buyer_name,
  tenderAmount: numberOrNull(row.tender_amount),
  contractAmount: numberOrNull(row.contract_amount),
  paidAmount: numberOrNull(row.paid_amount),
  currency: row.currency,
  releaseCount: row.release_count,
  projectId: row.project_id === null ? null : Number(row.project_id),
  project: row.project_id === null || row.lead_department_id === null ? null : { departmentId: Number(row.lead_department_id), coDepartmentIds: (row.co_department_ids ?? []).map(Number), path: row.path ?? `/${regionId}/` },
  flags: Number(row.flags),
  updatedAt: new Date(row.updated_at),
});

export async function findProcess(db: Executor, regionId: number, ocid: string): Promise<ProcessSummary | undefined> {
  const row = await processQuery(db, regionId).where('o.ocid', '=', ocid).executeTakeFirst();
  return row && toProcess(regionId, row);
}

export async function findCompiled(db: Executor, regionId: number, ocid: string): Promise<Record<string, unknown> | undefined> {
  const row = await tables(db).selectFrom('ocds_processes').select('compiled').where('region_id', '=', regionId).where('ocid', '=', ocid).executeTakeFirst();
  return row?.compiled;
}

/** Processes, most flagged first; `departmentId` keeps those of projects the department leads or co-runs. */
export async function listProcesses(db: Executor, regionId: number, filter: { projectId?: number; flagged?: boolean; departmentId?: number; scopePath?: string; limit: number; offset: number }): Promise<{ items: ProcessSummary[]; total: number }> {
  let query = processQuery(db, regionId);
  if (filter.projectId !== undefined) query = query.where('pp.project_id', '=', filter.projectId);
  if (filter.flagged !== undefined) {
    const exists = sql<boolean>`exists (select 1 from ocds_flags f where f.region_id = o.region_id and f.ocid = o.ocid)`;
    query = query.where(filter.flagged ? exists : sql<boolean>`not ${exists}`);
  }
  if (filter.departmentId !== undefined) {
    const departmentId = filter.departmentId;
    query = query.where((eb) => eb.or([eb('p.lead_department_id', '=', departmentId), eb.exists(eb.selectFrom('project_co_units as c').select('c.project_id').whereRef('c.region_id', '=', 'p.region_id').whereRef('c.project_id', '=', 'p.id').where('c.department_id', '=', departmentId))]));
  }
  if (filter.scopePath !== undefined && filter.scopePath !== `/${regionId}/`) query = query.where(sql<string>`coalesce(r.path, '')`, 'like', `${filter.scopePath}%`);
  const total = await query.clearSelect().select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await query.orderBy(sql`flags`, 'desc').orderBy('o.ocid').limit(filter.limit).offset(filter.offset).execute();
  return { items: rows.map((row) => toProcess(regionId, row)), total: Number(total.n) };
}

export interface StoredRelease {
  readonly id: string;
  readonly date: string;
  readonly data: Record<string, unknown>;
  /** The OCDS version it came in; null when its import never settled it (interrupted). */
  readonly schemaVersion: '1.0' | '1.1' | null;
}

/** Stores releases not seen before (by ocid and release id), with their OCDS version (null: settled later); returns the ocids that received new ones. */
export async function insertReleases(db: Executor, regionId: number, importId: number, releases: readonly { ocid: string; id: string; date: string; data: Record<string, unknown>; schemaVersion: '1.0' | '1.1' | null }[]): Promise<{ added: number; ocids: Set<string> }> {
  if (releases.length === 0) return { added: 0, ocids: new Set() };
  const rows = await tables(db)
    .insertInto('ocds_releases')
    .values(releases.map((release) => ({ region_id: regionId, ocid: release.ocid, release_id: release.id, release_date: release.date, data: JSON.stringify(release.data), import_id: importId, schema_version: release.schemaVersion })))
    .onConflict((conflict) => conflict.columns(['region_id', 'ocid', 'release_id']).doNothing())
    .returning('ocid')
    .execute();
  return { added: rows.length, ocids: new Set(rows.map((row) => row.ocid)) };
}

/**
 * Settles the OCDS version of releases stored without one (`keys`: ocid and
 * release id). Only unsettled rows change, so a release stored with its
 * version by an earlier import keeps it.
 */
export async function settleReleaseVersions(db: Executor, regionId: number, keys: readonly { ocid: string; id: string }[], version: '1.0' | '1.1'): Promise<void> {
  for (let start = 0; start < keys.length; start += 500) {
    const chunk = keys.slice(start, start + 500);
    await tables(db)
      .updateTable('ocds_releases')
      .set({ schema_version: version })
      .where('region_id', '=', regionId)
      .where('schema_version', 'is', null)
      .where((eb) => eb(eb.refTuple('ocid', 'release_id'), 'in', chunk.map((key) => eb.tuple(key.ocid, key.id))))
      .execute();
  }
}

/** Every release of a process, in date order then id (the order the merge expects). */
export async function listReleases(db: Executor, regionId: number, ocid: string): Promise<StoredRelease[]> {
  const rows = await tables(db).selectFrom('ocds_releases').select(['release_id', 'release_date', 'data', 'schema_version']).where('region_id', '=', regionId).where('ocid', '=', ocid).orderBy('release_date').orderBy('id').execute();
  return rows.map((row) => ({ id: row.release_id, date: row.release_date, data: row.data, schemaVersion: row.schema_version }));
}

/** The releases of many processes at once, each list in date order then id. */
export async function listReleasesOf(db: Executor, regionId: number, ocids: readonly string[]): Promise<Map<string, StoredRelease[]>> {
  const grouped = new Map<string, StoredRelease[]>();
  if (ocids.length === 0) return grouped;
  const rows = await tables(db).selectFrom('ocds_releases').select(['ocid', 'release_id', 'release_date', 'data', 'schema_version']).where('region_id', '=', regionId).where('ocid', 'in', [...ocids]).orderBy('ocid').orderBy('release_date').orderBy('id').execute();
  for (const row of rows) {
    const list = grouped.get(row.ocid) ?? [];
    list.push({ id: row.release_id, date: row.release_date, data: row.data, schemaVersion: row.schema_version });
    grouped.set(row.ocid, list);
  }
  return grouped;
}

export interface ProcessFigures {
  readonly title: string | null;
  readonly buyerId: string | null;
  readonly buyerName: string | null;
  readonly tenderAmount: number | null;
  readonly contractAmount: number | null;
  readonly paidAmount: number | null;
  readonly currency: string | null;
}

/** Stores compiled releases with their figures (insert or replace), many per statement. */
export async function upsertProcesses(db: Executor, regionId: number, processes: readonly { ocid: string; compiled: Record<string, unknown>; releaseCount: number; figures: ProcessFigures }[], now: Date): Promise<void> {
  const money = (value: number | null) => (value === null ? null : value.toFixed(2));
  for (let start = 0; start < processes.length; start += 200) {
    const chunk = processes.slice(start, start + 200);
    if (chunk.length === 0) continue;
    await tables(db)
      .insertInto('ocds_processes')
      .values(chunk.map((process) => ({
        region_id: regionId,
        ocid: process.ocid,
        compiled: JSON.stringify(process.compiled),
        release_count: process.releaseCount,
        title: process.figures.title,
        buyer_id: process.figures.buyerId,
        buyer_name: process.figures.buyerName,
        tender_amount: money(process.figures.tenderAmount),
        contract_amount: money(process.figures.contractAmount),
        paid_amount: money(process.figures.paidAmount),
        currency: process.figures.currency,
        updated_at: now,
      })))
      .onConflict((conflict) =>
        conflict.columns(['region_id', 'ocid']).doUpdateSet((eb) => ({
          compiled: eb.ref('excluded.compiled'),
          release_count: eb.ref('excluded.release_count'),
          title: eb.ref('excluded.title'),
          buyer_id: eb.ref('excluded.buyer_id'),
          buyer_name: eb.ref('excluded.buyer_name'),
          tender_amount: eb.ref('excluded.tender_amount'),
          contract_amount: eb.ref('excluded.contract_amount'),
          paid_amount: eb.ref('excluded.paid_amount'),
          currency: eb.ref('excluded.currency'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

/** Every compiled release of the city, in ocid order, a page at a time (the indicators read them all). */
export async function* streamCompiled(db: Executor, regionId: number, pageSize = 500): AsyncGenerator<Record<string, unknown>> {
  let after = '';
  for (;;) {
    const rows = await tables(db).selectFrom('ocds_processes').select(['ocid', 'compiled']).where('region_id', '=', regionId).where('ocid', '>', after).orderBy('ocid').limit(pageSize).execute();
    for (const row of rows) yield row.compiled;
    if (rows.length < pageSize) return;
    after = rows.at(-1)!.ocid;
  }
}

/** Links a process to a project (or unlinks it with null). */
export async function linkProcess(db: Executor, regionId: number, ocid: string, projectId: number | null, now: Date): Promise<void> {
  if (projectId === null) {
    await tables(db).deleteFrom('project_procurements').where('region_id', '=', regionId).where('ocid', '=', ocid).execute();
    return;
  }
  await tables(db)
    .insertInto('project_procurements')
    .values({ region_id: regionId, ocid, project_id: projectId, linked_at: now })
    .onConflict((conflict) => conflict.columns(['region_id', 'ocid']).doUpdateSet({ project_id: projectId, linked_at: now }))
    .execute();
}

export async function linkedOcids(db: Executor, regionId: number, projectId: number): Promise<string[]> {
  const rows = await tables(db).selectFrom('project_procurements').select('ocid').where('region_id', '=', regionId).where('project_id', '=', projectId).orderBy('ocid').execute();
  return rows.map((row) => row.ocid);
}

export async function projectOfOcid(db: Executor, regionId: number, ocid: string): Promise<number | null> {
  const row = await tables(db).selectFrom('project_procurements').select('project_id').where('region_id', '=', regionId).where('ocid', '=', ocid).executeTakeFirst();
  return row ? Number(row.project_id) : null;
}

export async function startImport(db: Executor, regionId: number, source: { name: string; sha256: string; projectId: number | null }, startedBy: number | null, now: Date): Promise<number> {
  const row = await tables(db)
    .insertInto('ocds_imports')
    .values({ region_id: regionId, source_name: source.name, source_sha256: source.sha256, project_id: source.projectId, status: 'running', started_at: now, started_by: startedBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function finishImport(db: Executor, regionId: number, id: number, outcome: { status: 'done' | 'failed'; releasesRead: number; releasesAdded: number; error: string | null }, now: Date): Promise<void> {
  await tables(db)
    .updateTable('ocds_imports')
    .set({ status: outcome.status, releases_read: outcome.releasesRead, releases_added: outcome.releasesAdded, error: outcome.error, finished_at: now })
    .where('region_id', '=', regionId)
    .where('id', '=', id)
    .execute();
}

export async function recordImportProgress(db: Executor, regionId: number, id: number, releasesRead: number, releasesAdded: number): Promise<void> {
  await tables(db).updateTable('ocds_imports').set({ releases_read: releasesRead, releases_added: releasesAdded }).where('region_id', '=', regionId).where('id', '=', id).execute();
}

export interface SettingsVersion {
  readonly version: number;
  readonly settings: string;
  readonly note: string;
  readonly createdAt: Date;
  readonly createdBy: string | null;
}

export async function listSettings(db: Executor, regionId: number): Promise<SettingsVersion[]> {
  const rows = await tables(db)
    .selectFrom('ocds_indicator_settings as s')
    .leftJoin('users as u', (join) => join.onRef('u.region_id', '=', 's.region_id').onRef('u.id', '=', 's.created_by'))
    .select(['s.version', 's.settings', 's.note', 's.created_at', 'u.display_name'])
    .where('s.region_id', '=', regionId)
    .orderBy('s.version', 'desc')
    .execute();
  return rows.map((row) => ({ version: row.version, settings: row.settings, note: row.note, createdAt: new Date(row.created_at), createdBy: row.display_name }));
}

export async function latestSettings(db: Executor, regionId: number): Promise<SettingsVersion | undefined> {
  return (await listSettings(db, regionId))[0];
}

/** Appends the next settings version; the primary key refuses a concurrent writer of the same number. */
export async function insertSettings(db: Executor, regionId: number, settings: string, note: string, createdBy: number | null, now: Date): Promise<number> {
  const row = await tables(db)
    .insertInto('ocds_indicator_settings')
    .values((eb) => ({
      region_id: regionId,
      version: eb.selectFrom('ocds_indicator_settings').select(sql<number>`coalesce(max(version), 0) + 1`.as('v')).where('region_id', '=', regionId),
      settings,
      note,
      created_by: createdBy,
      created_at: now,
    }))
    .returning('version')
    .executeTakeFirstOrThrow();
  return row.version;
}

export interface FlagInput {
  readonly ocid: string;
  readonly indicator: string;
  readonly subjectKind: FlagSubjectKind;
  readonly subjectId: string;
  readonly subjectName: string | null;
  readonly value: number | null;
  readonly threshold: number | null;
  readonly peers: Record<string, unknown>;
}

export interface StoredFlag extends FlagInput {
  readonly id: number;
  readonly settingsVersion: number | null;
  readonly projectId: number | null;
}

/**
 * Makes the stored flags equal `flags`: rows of flags still raised are updated
 * in place (so a finding opened from one keeps pointing at it), new ones are
 * inserted, the rest deleted. Returns how many are stored.
 */
export async function replaceFlags(db: Executor, regionId: number, flags: readonly FlagInput[], settingsVersion: number | null, now: Date): Promise<number> {
  const keyOf = (flag: { ocid: string; indicator: string; subjectKind: string; subjectId: string }) => `${flag.ocid}\u0000${flag.indicator}\u0000${flag.subjectKind}\u0000${flag.subjectId}`;
  const existing = await tables(db).selectFrom('ocds_flags').select(['id', 'ocid', 'indicator', 'subject_kind', 'subject_id']).where('region_id', '=', regionId).execute();
  const wanted = new Set(flags.map(keyOf));
  const stale = existing.filter((row) => !wanted.has(keyOf({ ocid: row.ocid, indicator: row.indicator, subjectKind: row.subject_kind, subjectId: row.subject_id }))).map((row) => Number(row.id));
  for (let start = 0; start < stale.length; start += 1000) {
    await tables(db).deleteFrom('ocds_flags').where('region_id', '=', regionId).where('id', 'in', stale.slice(start, start + 1000)).execute();
  }
  for (let start = 0; start < flags.length; start += 500) {
    const chunk = flags.slice(start, start + 500);
    await tables(db)
      .insertInto('ocds_flags')
      .values(chunk.map((flag) => ({
        region_id: regionId,
        ocid: flag.ocid,
        indicator: flag.indicator,
        subject_kind: flag.subjectKind,
        subject_id: flag.subjectId,
        subject_name: flag.subjectName,
        value: flag.value,
        threshold: flag.threshold,
        peers: JSON.stringify(flag.peers),
        settings_version: settingsVersion,
        computed_at: now,
      })))
      .onConflict((conflict) =>
        conflict.columns(['region_id', 'ocid', 'indicator', 'subject_kind', 'subject_id']).doUpdateSet((eb) => ({
          subject_name: eb.ref('excluded.subject_name'),
          value: eb.ref('excluded.value'),
          threshold: eb.ref('excluded.threshold'),
          peers: eb.ref('excluded.peers'),
          settings_version: eb.ref('excluded.settings_version'),
          computed_at: eb.ref('excluded.computed_at'),
        })),
      )
      .execute();
  }
  return flags.length;
}

const flagQuery = (db: Executor, regionId: number) =>
  tables(db)
    .selectFrom('ocds_flags as f')
    .leftJoin('project_procurements as pp', (join) => join.onRef('pp.region_id', '=', 'f.region_id').onRef('pp.ocid', '=', 'f.ocid'))
    .select(['f.id', 'f.ocid', 'f.indicator', 'f.subject_kind', 'f.subject_id', 'f.subject_name', 'f.value', 'f.threshold', 'f.peers', 'f.settings_version', 'pp.project_id'])
    .where('f.region_id', '=', regionId);

type FlagRow = Awaited<ReturnType<ReturnType<typeof flagQuery>['executeTakeFirstOrThrow']>>;
const toFlag = (row: FlagRow): StoredFlag => ({
  id: Number(row.id),
  ocid: row.ocid,
  indicator: row.indicator,
  subjectKind: row.subject_kind,
  subjectId: row.subject_id,
  subjectName: row.subject_name,
  value: row.value,
  threshold: row.threshold,
  peers: row.peers,
  settingsVersion: row.settings_version,
  projectId: row.project_id === null ? null : Number(row.project_id),
});

export async function countFlags(db: Executor, regionId: number): Promise<number> {
  const row = await tables(db).selectFrom('ocds_flags').select((eb) => eb.fn.countAll<string>().as('n')).where('region_id', '=', regionId).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findFlag(db: Executor, regionId: number, id: number): Promise<StoredFlag | undefined> {
  const row = await flagQuery(db, regionId).where('f.id', '=', id).executeTakeFirst();
  return row && toFlag(row);
}

export async function listFlags(db: Executor, regionId: number, ocids: readonly string[]): Promise<StoredFlag[]> {
  if (ocids.length === 0) return [];
  return (await flagQuery(db, regionId).where('f.ocid', 'in', [...ocids]).orderBy('f.ocid').orderBy('f.indicator').orderBy('f.id').execute()).map(toFlag);
}

export interface FlagLeader {
  readonly subjectKind: 'buyer' | 'procuring_entity' | 'tenderer';
  readonly subjectId: string;
  readonly subjectName: string | null;
  readonly flags: number;
  readonly processes: number;
  readonly indicators: string[];
}

/**
 * Buyers with the most flags: the flags of their processes plus the flags
 * raised on them as a party (R038, R048); suppliers: the flags raised on
 * tenderers. Most flagged first, ties by id.
 */
export async function topFlagged(db: Executor, regionId: number, side: 'buyers' | 'suppliers', limit: number): Promise<FlagLeader[]> {
  const source =
    side === 'buyers'
      ? sql`select o.buyer_id as subject_id, o.buyer_name as subject_name, 'buyer' as subject_kind, f.ocid, f.indicator
              from ocds_flags f join ocds_processes o on o.region_id = f.region_id and o.ocid = f.ocid
             where f.region_id = ${regionId} and f.subject_kind = 'process' and o.buyer_id is not null
            union all
            select f.subject_id, f.subject_name, f.subject_kind, f.ocid, f.indicator from ocds_flags f
             where f.region_id = ${regionId} and f.subject_kind in ('buyer', 'procuring_entity')`
      : sql`select f.subject_id, f.subject_name, f.subject_kind, f.ocid, f.indicator from ocds_flags f where f.region_id = ${regionId} and f.subject_kind = 'tenderer'`;
  const { rows } = await sql<{ subject_kind: string; subject_id: string; subject_name: string | null; flags: string; processes: string; indicators: string[] }>`
    select min(subject_kind) as subject_kind, subject_id, max(subject_name) as subject_name, count(*) as flags,
           count(distinct nullif(ocid, '')) as processes, array_agg(distinct indicator) as indicators
      from (${source}) as flagged
     group by subject_id
     order by count(*) desc, subject_id
     limit ${limit}`.execute(db);
  return rows.map((row) => ({
    subjectKind: row.subject_kind as FlagLeader['subjectKind'],
    subjectId: row.subject_id,
    subjectName: row.subject_name,
    flags: Number(row.flags),
    processes: Number(row.processes),
    indicators: [...row.indicators].sort(),
  }));
}

/** Releases of a project's processes, for the export package. */
export async function listProjectReleases(db: Executor, regionId: number, projectId: number): Promise<Record<string, unknown>[]> {
  const rows = await tables(db)
    .selectFrom('ocds_releases as r')
    .innerJoin('project_procurements as pp', (join) => join.onRef('pp.region_id', '=', 'r.region_id').onRef('pp.ocid', '=', 'r.ocid'))
    .select('r.data')
    .where('r.region_id', '=', regionId)
    .where('pp.project_id', '=', projectId)
    .orderBy('r.ocid')
    .orderBy('r.release_date')
    .orderBy('r.id')
    .execute();
  return rows.map((row) => row.data);
}
