/**
 * The SQL of the hotline import: what the city knows (taxonomy, districts,
 * departments), which source ids are already in, and batch inserts of cases,
 * messages and timeline rows (one statement each per batch).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/index.ts';
import { caseEventRow, caseRow } from '../cases/case.repository.ts';
import type { CaseSnapshot } from '../cases/case.ts';
import type { DeadlineClock } from '../deadlines/deadline.ts';
import type { CaseEventRecord, CaseKind, Channel } from '../cases/voices.ts';
import type { VoicesTables } from '../cases/voices.table.ts';

type Executor = Kysely<Database>;
const tables = (db: Executor): Kysely<Database & VoicesTables> => db.withTables<VoicesTables>();

/** The city's taxonomy paths, district codes and active department codes, each to its id. */
export async function loadVocabulary(db: Executor, regionId: number) {
  const categories = await tables(db)
    .selectFrom('categories')
    .select(['id', 'path'])
    .where('region_id', '=', regionId)
    .execute();
  const districts = await db
    .selectFrom('regions')
    .select(['id', 'code'])
    .where('region_id', '=', regionId)
    .where('level', '=', 'district')
    .execute();
  const departments = await db
    .selectFrom('departments')
    .select(['id', 'code'])
    .where('region_id', '=', regionId)
    .where('active', '=', true)
    .execute();
  return {
    categories: new Map(categories.map((row) => [row.path, Number(row.id)])),
    districts: new Map(districts.map((row) => [row.code, Number(row.id)])),
    departments: new Map(departments.map((row) => [row.code, Number(row.id)])),
  };
}

/** Which of `sourceIds` are already imported from `sourceSystem` into the city. */
export async function findImportedSourceIds(
  db: Executor,
  regionId: number,
  sourceSystem: string,
  sourceIds: readonly string[],
): Promise<Set<string>> {
  if (sourceIds.length === 0) return new Set();
  const rows = await tables(db)
    .selectFrom('messages')
    .select('source_id')
    .where('region_id', '=', regionId)
    .where('source_system', '=', sourceSystem)
    .where('source_id', 'in', [...sourceIds])
    .execute();
  return new Set(rows.map((row) => row.source_id!));
}

export interface ImportedCase {
  readonly number: string;
  readonly title: string;
  readonly kind: CaseKind;
  readonly categoryId: number | null;
  readonly districtId: number | null;
  /** Defaults: no community, channel `import`. */
  readonly communityId?: number | null;
  readonly channel?: Channel;
  readonly snapshot: CaseSnapshot;
  readonly clock: DeadlineClock | null;
  readonly createdAt: Date;
  readonly message: {
    readonly body: string;
    readonly requesterKey: string;
    /** The citizen account behind `requesterKey` (`user:<id>`); default none. */
    readonly requesterUserId?: number | null;
    readonly trackingCode: string;
    readonly sourceId: string;
  };
  readonly events: readonly CaseEventRecord[];
}

/** Timeline rows per insert statement, well under the 65,535 bind parameters of one statement. */
const EVENT_ROWS_PER_STATEMENT = 2_000;

/** Inserts the cases with their message and timeline (three statements, more for long timelines); returns the case ids in input order. */
export async function insertImportedCases(
  db: Executor,
  regionId: number,
  sourceSystem: string,
  cases: readonly ImportedCase[],
): Promise<number[]> {
  if (cases.length === 0) return [];
  const inserted = await tables(db)
    .insertInto('cases')
    .values(
      cases.map((entry) =>
        caseRow(regionId, {
          number: entry.number,
          title: entry.title,
          kind: entry.kind,
          categoryId: entry.categoryId,
          districtId: entry.districtId,
          communityId: entry.communityId ?? null,
          urgent: false,
          snapshot: entry.snapshot,
          deadline: entry.clock,
          createdAt: entry.createdAt,
        }),
      ),
    )
    .returning(['id', 'number'])
    .execute();
  const idOf = new Map(inserted.map((row) => [row.number, Number(row.id)]));
  await tables(db)
    .insertInto('messages')
    .values(
      cases.map((entry) => ({
        region_id: regionId,
        case_id: idOf.get(entry.number)!,
        channel: entry.channel ?? 'import',
        kind: entry.kind,
        title: entry.title,
        body: entry.message.body,
        requester_user_id: entry.message.requesterUserId ?? null,
        requester_key: entry.message.requesterKey,
        tracking_code: entry.message.trackingCode,
        contact: null,
        lat: null,
        lng: null,
        address: null,
        community_id: entry.communityId ?? null,
        district_id: entry.districtId,
        category_id: entry.categoryId,
        source_system: sourceSystem,
        source_id: entry.message.sourceId,
        idempotency_key: null,
        request_hash: null,
        submitted_at: entry.createdAt,
      })),
    )
    .execute();
  const eventRows = cases.flatMap((entry) =>
    entry.events.map((event) => caseEventRow(regionId, idOf.get(entry.number)!, event)),
  );
  for (let start = 0; start < eventRows.length; start += EVENT_ROWS_PER_STATEMENT) {
    await tables(db)
      .insertInto('case_events')
      .values(eventRows.slice(start, start + EVENT_ROWS_PER_STATEMENT))
      .execute();
  }
  return cases.map((entry) => idOf.get(entry.number)!);
}

/** The city's community codes, each to its region id. */
export async function loadCommunities(db: Executor, regionId: number): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('regions')
    .select(['id', 'code'])
    .where('region_id', '=', regionId)
    .where('level', '=', 'community')
    .execute();
  return new Map(rows.map((row) => [row.code, Number(row.id)]));
}
