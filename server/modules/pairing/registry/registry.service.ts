import {
  AppError,
  assertAllowed,
  inTransaction,
  isAllowed,
  openTabular,
  recordAudit,
  requireActor,
  normaliseColumnName,
  TabularError,
  type Actor,
  type PlatformDeps,
  type RequestContext,
  type Resource,
} from '../../../platform/index.ts';
import type { Cadre, Household, HouseholdContact } from '../pairing.ts';
import * as visits from '../visits/visit.repository.ts';
import {
  REGISTRY_COLUMNS,
  canonicalRegistryColumn,
  parseCadreRow,
  parseHouseholdRow,
  type CadreRow,
  type HouseholdRow,
  type RegistryKind,
} from './registry-import.ts';
import * as repository from './registry.repository.ts';

/**
 * The pairing registry (结对帮扶台账): cadres and households in difficulty,
 * imported from CSV/XLSX/JSONL files, listed by scope, and read one at a
 * time with every read of a household audited. A household's contact
 * phone and notes go only to its own cadre and the coordinators of its area.
 */

/** One problem of an import file: where (file, line, column) and what. */
export interface RegistryProblem {
  readonly file: string;
  readonly line: number;
  readonly column: string;
  readonly message: string;
}

/** What an import did. */
export interface RegistryImportReport {
  readonly kind: RegistryKind;
  readonly file: string;
  readonly rows: number;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly rejected: readonly RegistryProblem[];
}

const MAX_PROBLEMS = 1_000;

/** The file to import: bytes of an upload or a path on disk. */
export type RegistryInput = { bytes: Uint8Array; filename: string } | { path: string; filename?: string };

function invalidFile(file: string, problems: readonly RegistryProblem[]): AppError {
  const first = problems[0]!;
  return new AppError(
    'import_invalid',
    `${file} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was imported. First: line ${first.line}, ${first.column}: ${first.message}`,
    { errors: problems.slice(0, MAX_PROBLEMS).map((problem) => ({ path: `${problem.file}:${problem.line}:${problem.column}`, message: problem.message })) },
  );
}

type Parsed = { line: number; row: CadreRow } | { line: number; row: HouseholdRow };

async function readRegistryRows(kind: RegistryKind, file: string, input: RegistryInput): Promise<{ rows: Parsed[]; problems: RegistryProblem[] }> {
  const rows: Parsed[] = [];
  const problems: RegistryProblem[] = [];
  const seen = new Map<string, number>();
  try {
    const table = await openTabular(input);
    try {
      const columns = table.columns.map((column) => canonicalRegistryColumn(normaliseColumnName(column)));
      const spec = REGISTRY_COLUMNS[kind];
      const known = new Set([...spec.required, ...spec.optional]);
      const headerProblems = [
        ...spec.required.filter((column) => !columns.includes(column)).map((column) => `missing column "${column}"`),
        ...columns.filter((column) => !known.has(column)).map((column) => `unknown column "${column}"`),
      ];
      if (headerProblems.length > 0) throw invalidFile(file, headerProblems.map((message) => ({ file, line: table.headerLine, column: 'header', message })));
      for await (const { line, values } of table.rows) {
        const canonical = Object.fromEntries(Object.entries(values).map(([key, value]) => [canonicalRegistryColumn(key), value]));
        const parsed = kind === 'cadres' ? parseCadreRow(canonical) : parseHouseholdRow(canonical);
        if ('problems' in parsed) {
          problems.push(...parsed.problems.map((problem) => ({ file, line, ...problem })));
          continue;
        }
        const earlier = seen.get(parsed.row.code);
        if (earlier !== undefined) {
          problems.push({ file, line, column: 'code', message: `"${parsed.row.code}" already appears on line ${earlier}` });
          continue;
        }
        seen.set(parsed.row.code, line);
        rows.push({ line, row: parsed.row } as Parsed);
      }
    } finally {
      await table.close();
    }
  } catch (error) {
    if (error instanceof TabularError) {
      throw invalidFile(file, [{ file, line: error.line ?? 0, column: error.column === undefined ? 'file' : `column ${error.column}`, message: error.message }]);
    }
    throw error;
  }
  return { rows, problems };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const within = (actor: Actor, path: string): boolean => path.startsWith(actor.scopePath);

/**
 * Imports cadres or households from a CSV, XLSX or JSONL file (columns in
 * docs/pairing.md), matched by `code`, so the same file twice changes nothing
 * the second time. One transaction: with problems and without `skipInvalid`
 * nothing is written and the error lists every problem (file, line, column);
 * with `skipInvalid` the valid rows go in and the rest are reported. Rows
 * outside the importer's area are problems. Contact phones and notes are
 * never echoed in problems.
 */
export async function importRegistry(
  deps: PlatformDeps,
  context: RequestContext,
  kind: RegistryKind,
  input: RegistryInput,
  options: { skipInvalid: boolean },
): Promise<RegistryImportReport> {
  const actor = requireActor(context);
  assertAllowed(actor, 'pairing.manage');
  const file = 'bytes' in input ? input.filename : (input.filename ?? input.path);
  const { rows, problems } = await readRegistryRows(kind, file, input);
  const regionId = context.regionId;
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const places = await repository.placesByCode(trx, regionId);
    const users = kind === 'cadres' ? await repository.cadreUsersByName(trx, regionId) : new Map<string, number>();
    const counts = { created: 0, updated: 0, unchanged: 0 };
    const district = (code: string) => {
      const place = places.get(code);
      if (!place || place.level !== 'district') return `district_code: no district has code "${code}"`;
      if (!within(actor, place.path)) return 'district_code: outside your area';
      return place;
    };
    for (const { line, row } of rows) {
      const problem = (text: string) => problems.push({ file, line, column: text.slice(0, text.indexOf(':')), message: text.slice(text.indexOf(':') + 1).trim() });
      const place = district(row.districtCode);
      if (typeof place === 'string') {
        problem(place);
        continue;
      }
      if ('name' in row) {
        let userId: number | null = null;
        if (row.username !== null) {
          const found = users.get(row.username);
          if (found === undefined) {
            problem(`username: no cadre account "${row.username}"`);
            continue;
          }
          userId = found;
        }
        const fields: repository.CadreFields = { name: row.name, userId, unit: row.unit, districtId: place.id, location: row.location, capacity: row.capacity, skills: row.skills, active: row.active };
        const existing = await repository.findCadreByCode(trx, regionId, row.code);
        if (!existing) {
          await repository.insertCadre(trx, regionId, row.code, fields, now);
          counts.created += 1;
        } else if (same(fields, { name: existing.name, userId: existing.userId, unit: existing.unit, districtId: existing.districtId, location: existing.location, capacity: existing.capacity, skills: existing.skills, active: existing.active })) {
          counts.unchanged += 1;
        } else {
          await repository.updateCadre(trx, regionId, existing.id, fields, now);
          counts.updated += 1;
        }
        continue;
      }
      const community = places.get(row.communityCode);
      if (!community || community.level !== 'community') {
        problem(`community_code: no community has code "${row.communityCode}"`);
        continue;
      }
      if (!community.path.startsWith(place.path)) {
        problem(`community_code: "${row.communityCode}" is not in district "${row.districtCode}"`);
        continue;
      }
      const fields: repository.HouseholdFields = {
        districtId: place.id,
        communityId: community.id,
        location: row.location,
        difficulties: row.difficulties,
        needs: row.needs,
        members: row.members,
        contactPhone: row.contactPhone,
        notes: row.notes,
        active: row.active,
      };
      const existing = await repository.findHouseholdRowByCode(trx, regionId, row.code);
      if (!existing) {
        await repository.insertHousehold(trx, regionId, row.code, fields, now);
        counts.created += 1;
      } else if (
        same(fields, {
          districtId: existing.districtId,
          communityId: existing.communityId,
          location: existing.location,
          difficulties: existing.difficulties,
          needs: existing.needs,
          members: existing.members,
          contactPhone: existing.contactPhone,
          notes: existing.notes,
          active: existing.active,
        })
      ) {
        counts.unchanged += 1;
      } else {
        await repository.updateHousehold(trx, regionId, existing.id, fields, now);
        counts.updated += 1;
      }
    }
    problems.sort((a, b) => a.line - b.line);
    if (problems.length > 0 && !options.skipInvalid) throw invalidFile(file, problems);
    const report: RegistryImportReport = { kind, file, rows: rows.length + unreadableRows(problems, rows), ...counts, rejected: problems.slice(0, MAX_PROBLEMS) };
    await recordAudit(trx, context, { action: 'pairing.import', resourceType: `pairing_${kind}`, details: { file, ...counts, rejected: problems.length } }, now);
    return report;
  });
}

/** Rows refused before they could be resolved against the city (bad format, duplicate code). */
function unreadableRows(problems: readonly RegistryProblem[], rows: readonly Parsed[]): number {
  const accepted = new Set(rows.map((row) => row.line));
  return new Set(problems.filter((problem) => !accepted.has(problem.line)).map((problem) => problem.line)).size;
}

/** The policy resource of a household. */
export function householdResource(household: Household, cadreUserId: number | null): Resource {
  return { kind: 'household', id: household.id, path: household.path, cadreUserId };
}

/** Filters of the household list. */
export interface HouseholdQuery {
  /** Only the actor's own households (a cadre always gets only theirs). */
  readonly mine?: boolean | undefined;
  readonly communityId?: number | undefined;
  readonly code?: string | undefined;
  readonly unpaired?: boolean | undefined;
  readonly limit: number;
  readonly offset: number;
}

/**
 * Households the reader may see, without private fields: a cadre their own,
 * coordinators and admins those of their area. The read is audited (one
 * entry naming how many households were listed).
 */
export async function listHouseholds(deps: PlatformDeps, context: RequestContext, query: HouseholdQuery): Promise<{ items: repository.HouseholdEntry[]; total: number }> {
  const actor = requireActor(context);
  assertAllowed(actor, 'pairing.read');
  const scope: repository.HouseholdScope = actor.role === 'cadre' || query.mine ? { cadreUserId: actor.userId } : { scopePath: actor.scopePath };
  const result = await repository.listHouseholds(deps.db, context.regionId, { scope, communityId: query.communityId, code: query.code, unpaired: query.unpaired, limit: query.limit, offset: query.offset });
  await inTransaction(deps.db, (trx) =>
    recordAudit(trx, context, { action: 'household.list', resourceType: 'household', details: { listed: result.items.length, total: result.total } }, deps.clock()),
  );
  return result;
}

/** A household's page: the record, its private fields when the reader may see them, its visits and needs with their cases. */
export interface HouseholdDetail extends repository.HouseholdEntry {
  readonly contact: HouseholdContact | null;
  readonly visits: readonly visits.Visit[];
  readonly needCases: readonly visits.NeedWithCase[];
}

/**
 * One household, audited: every read writes `household.read` (and
 * `household.read_personal` when the contact and notes are shown). A cadre
 * reads only a household paired with them, a coordinator one of their area;
 * anyone else gets 404, as if it did not exist.
 */
export async function getHousehold(deps: PlatformDeps, context: RequestContext, id: number): Promise<HouseholdDetail> {
  const actor = requireActor(context);
  assertAllowed(actor, 'pairing.read');
  const entry = await repository.findHouseholdEntry(deps.db, context.regionId, id);
  const resource = entry && householdResource(entry.household, entry.cadre?.userId ?? null);
  if (!entry || !resource || !isAllowed(actor, 'pairing.read', resource)) throw new AppError('not_found', `No household ${id}`);
  const personal = isAllowed(actor, 'household.read_personal', resource);
  const [visitList, needs] = await Promise.all([visits.listVisits(deps.db, context.regionId, id), visits.listNeeds(deps.db, context.regionId, id)]);
  await inTransaction(deps.db, (trx) =>
    recordAudit(
      trx,
      context,
      { action: personal ? 'household.read_personal' : 'household.read', resourceType: 'household', resourceId: id, details: personal ? { fields: ['contactPhone', 'notes'] } : {} },
      deps.clock(),
    ),
  );
  const { contact, ...rest } = entry;
  return { ...rest, contact: personal ? contact : null, visits: visitList, needCases: needs };
}

/** Cadres of the reader's area with their current load (coordinators and admins). */
export function listCadres(
  deps: PlatformDeps,
  context: RequestContext,
  query: { limit: number; offset: number; code?: string | undefined },
): Promise<{ items: (Cadre & { load: number; districtName: string; username: string | null })[]; total: number }> {
  const actor = requireActor(context);
  assertAllowed(actor, 'pairing.manage');
  return repository.listCadres(deps.db, context.regionId, { scopePath: actor.scopePath, ...query });
}

/** A registry loaded in bulk (the demo city, a migration from another system): records already checked by the caller. */
export interface RegistrySeed {
  readonly cadres: readonly (repository.CadreFields & { code: string })[];
  readonly households: readonly (repository.HouseholdFields & { code: string })[];
}

/**
 * Inserts a whole registry in one transaction, for a city that has none yet
 * (the demo city's first start). Not an import: no matching by code, no
 * per-row report; one audit entry. Returns the new ids by code.
 */
export async function seedRegistry(deps: PlatformDeps, context: RequestContext, seed: RegistrySeed): Promise<{ cadres: Map<string, number>; households: Map<string, number> }> {
  assertAllowed(requireActor(context), 'pairing.manage', { kind: 'city' });
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const cadres = await repository.insertCadresBulk(trx, context.regionId, seed.cadres, now);
    const households = await repository.insertHouseholdsBulk(trx, context.regionId, seed.households, now);
    await recordAudit(trx, context, { action: 'pairing.seed', resourceType: 'pairing_registry', details: { cadres: cadres.size, households: households.size } }, now);
    return { cadres, households };
  });
}

/** Links a cadre record to a cadre's account, so they see the households paired with them. */
export async function linkCadreAccount(deps: PlatformDeps, context: RequestContext, cadreId: number, userId: number | null): Promise<void> {
  assertAllowed(requireActor(context), 'pairing.manage', { kind: 'city' });
  const now = deps.clock();
  await inTransaction(deps.db, async (trx) => {
    await repository.linkCadreUser(trx, context.regionId, cadreId, userId, now);
    await recordAudit(trx, context, { action: 'pairing.link_cadre', resourceType: 'pairing_cadre', resourceId: cadreId, details: { linked: userId !== null } }, now);
  });
}
