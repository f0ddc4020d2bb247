import type { ImportKind, ImportProblem, ImportReport } from '../../../contracts/platform.ts';
import { assertAllowed } from '../authorization.ts';
import type { PlatformDeps, RequestContext, Trx } from '../context.ts';
import { AppError } from '../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { inTransaction } from '../database/transaction.ts';
import { requireActor } from '../identity/identity.service.ts';
import { hashPassword } from '../identity/password.ts';
import { checkRoleScope, childLevelOf } from '../organisation/organisation.ts';
import * as repository from '../organisation/organisation.repository.ts';
import { TabularError, openTabular, validateColumns, type TabularInput } from '../tabular/tabular-file.ts';
import {
  IMPORT_COLUMNS,
  canonicalColumn,
  parseImportRow,
  type DepartmentImportRow,
  type ImportRow,
  type RegionImportRow,
  type UserImportRow,
} from './organisation-import.ts';

/** At most this many problems are reported; a file with more is mostly wrong anyway. */
const MAX_PROBLEMS = 1_000;

type Outcome = 'created' | 'updated' | 'unchanged';
type Apply<K extends ImportKind> = (trx: Trx, row: ImportRow[K] & { passwordHash?: string }) => Promise<Outcome | string>;

/**
 * Bulk-imports regions, departments or users from a CSV, XLSX or JSONL file.
 * Rows are matched by code (username for users), so running the same file
 * twice changes nothing the second time. Everything happens in one
 * transaction: with problems and without `skipInvalid` nothing is written
 * and the error lists every problem (file, line, column); with `skipInvalid`
 * the valid rows are imported and the rest reported.
 */
export async function importOrganisation(
  deps: PlatformDeps,
  context: RequestContext,
  kind: ImportKind,
  input: TabularInput,
  options: { skipInvalid: boolean },
): Promise<ImportReport> {
  // Importing acts on the city as a whole: without the resource only the role would be checked, letting a district admin in.
  assertAllowed(requireActor(context), 'import.run', { kind: 'city' });
  const file = 'bytes' in input ? input.filename : (input.filename ?? input.path);
  const { rows, problems } = await readRows(kind, file, input);
  if (kind === 'users') {
    for (const entry of rows as { row: ImportRow['users'] & { passwordHash?: string } }[]) {
      if (entry.row.password) entry.row.passwordHash = await hashPassword(entry.row.password);
    }
  }

  const report = await inTransaction(deps.db, async (trx) => {
    const counts = { created: 0, updated: 0, unchanged: 0 };
    const apply = appliers(deps, context)[kind] as Apply<typeof kind>;
    for (const { line, row, keyColumn } of rows) {
      const outcome = await apply(trx, row);
      if (outcome === 'created' || outcome === 'updated' || outcome === 'unchanged') counts[outcome] += 1;
      else problems.push({ file, line, column: outcome.split(':')[0] ?? keyColumn, message: outcome.slice(outcome.indexOf(':') + 1).trim() });
    }
    if (problems.length > 0 && !options.skipInvalid) throw invalidFile(file, problems);
    const summary: ImportReport = { kind, file, rows: rows.length + countRejectedRows(problems, rows), ...counts, rejected: problems.slice(0, MAX_PROBLEMS) };
    await recordAudit(trx, context, { action: 'import.run', resourceType: kind, details: { file, created: counts.created, updated: counts.updated, unchanged: counts.unchanged, rejected: problems.length } }, deps.clock());
    return summary;
  });
  return report;
}

function countRejectedRows(problems: ImportProblem[], rows: { line: number }[]): number {
  const accepted = new Set(rows.map((row) => row.line));
  return new Set(problems.filter((problem) => !accepted.has(problem.line)).map((problem) => problem.line)).size;
}

function invalidFile(file: string, problems: ImportProblem[]): AppError {
  const shown = problems.slice(0, MAX_PROBLEMS);
  const first = shown[0]!;
  return new AppError(
    'import_invalid',
    `${file} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was imported. First: line ${first.line}, ${first.column}: ${first.message}`,
    { errors: shown.map((problem) => ({ path: `${problem.file}:${problem.line}:${problem.column}`, message: problem.message })) },
  );
}

/** Reads and format-checks every row; a broken file structure stops the import at once. */
async function readRows<K extends ImportKind>(
  kind: K,
  file: string,
  input: TabularInput,
): Promise<{ rows: { line: number; row: ImportRow[K]; keyColumn: string }[]; problems: ImportProblem[] }> {
  const problems: ImportProblem[] = [];
  const rows: { line: number; row: ImportRow[K]; keyColumn: string }[] = [];
  const keyColumn = kind === 'users' ? 'username' : 'code';
  const seen = new Map<string, number>();
  try {
    const table = await openTabular(input);
    try {
      const headerProblems = validateColumns(
        table.columns.map((column) => canonicalColumn(kind, column)),
        IMPORT_COLUMNS[kind],
      );
      if (headerProblems.length > 0) {
        throw invalidFile(file, headerProblems.map((message) => ({ file, line: table.headerLine, column: 'header', message })));
      }
      for await (const { line, values } of table.rows) {
        const parsed = parseImportRow(kind, file, line, values);
        if ('problems' in parsed) {
          problems.push(...parsed.problems);
          continue;
        }
        const key = String((parsed.row as Record<string, unknown>)[keyColumn]);
        const earlier = seen.get(key);
        if (earlier !== undefined) {
          problems.push({ file, line, column: keyColumn, message: `"${key}" already appears on line ${earlier}` });
          continue;
        }
        seen.set(key, line);
        rows.push({ line, row: parsed.row, keyColumn });
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

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Per kind: insert or update one row, returning the outcome or "column: problem". */
function appliers(deps: PlatformDeps, context: RequestContext): { [K in ImportKind]: Apply<K> } {
  const regionId = context.regionId;
  const audit = (trx: Trx, action: string, resourceType: string, resourceId: number, before: unknown, after: unknown) =>
    recordAudit(trx, context, { action, resourceType, resourceId, before, after, details: { via: 'import' } }, deps.clock());

  return {
    regions: async (trx, row: RegionImportRow) => {
      const parent = await repository.findRegionByCode(trx, regionId, row.parent_code);
      if (!parent) return `parent_code: no region has code "${row.parent_code}"`;
      const level = childLevelOf(parent.level);
      if (!level) return 'parent_code: a community cannot have child regions';
      if (row.level && row.level !== level) return `level: under a ${parent.level} the level is ${level}, not ${row.level}`;
      const centroid: [number, number] | null = row.lng !== undefined && row.lat !== undefined ? [row.lng, row.lat] : null;
      const existing = await repository.findRegionByCode(trx, regionId, row.code);
      if (!existing) {
        const id = await repository.insertRegion(trx, regionId, parent, { level, code: row.code, name: row.name, nameEn: row.name_en ?? null, centroid, boundary: null });
        await audit(trx, 'region.create', 'region', id, undefined, row);
        return 'created';
      }
      if (existing.parentId !== parent.id) return `parent_code: region "${row.code}" exists under another parent; move it in the admin pages`;
      const change = { name: row.name, nameEn: row.name_en ?? null, centroid };
      if (same(change, { name: existing.name, nameEn: existing.nameEn, centroid: existing.centroid })) return 'unchanged';
      await repository.updateRegion(trx, regionId, existing.id, existing.version, change, deps.clock());
      await audit(trx, 'region.update', 'region', existing.id, existing, change);
      return 'updated';
    },

    departments: async (trx, row: DepartmentImportRow) => {
      let districtId: number | null = null;
      if (row.district_code) {
        const district = await repository.findRegionByCode(trx, regionId, row.district_code);
        if (!district || district.level !== 'district') return `district_code: no district has code "${row.district_code}"`;
        districtId = district.id;
      }
      let parentId: number | null = null;
      if (row.parent_code) {
        const parent = await repository.findDepartmentByCode(trx, regionId, row.parent_code);
        if (!parent) return `parent_code: no department has code "${row.parent_code}" (list parents before children)`;
        parentId = parent.id;
      }
      const fields = {
        name: row.name,
        nameEn: row.name_en ?? null,
        parentId,
        districtId,
        areas: [...new Set(row.areas)],
        contactPhone: row.contact_phone ?? null,
        contactEmail: row.contact_email ?? null,
        address: row.address ?? null,
      };
      const existing = await repository.findDepartmentByCode(trx, regionId, row.code);
      if (!existing) {
        const id = await repository.insertDepartment(trx, regionId, row.code, fields);
        await audit(trx, 'department.create', 'department', id, undefined, fields);
        return 'created';
      }
      const current = {
        name: existing.name,
        nameEn: existing.nameEn,
        parentId: existing.parentId,
        districtId: existing.districtId,
        areas: existing.areas,
        contactPhone: existing.contactPhone,
        contactEmail: existing.contactEmail,
        address: existing.address,
      };
      if (same(fields, current)) return 'unchanged';
      await repository.updateDepartment(trx, regionId, existing.id, existing.version, fields, deps.clock());
      await audit(trx, 'department.update', 'department', existing.id, current, fields);
      return 'updated';
    },

    users: async (trx, row: UserImportRow & { passwordHash?: string }) => {
      const department = row.department_code ? await repository.findDepartmentByCode(trx, regionId, row.department_code) : undefined;
      if (row.department_code && !department) return `department_code: no department has code "${row.department_code}"`;
      const scopeRegion = row.scope_region_code ? await repository.findRegionByCode(trx, regionId, row.scope_region_code) : undefined;
      if (row.scope_region_code && !scopeRegion) return `scope_region_code: no region has code "${row.scope_region_code}"`;
      const fields = {
        displayName: row.display_name,
        role: row.role,
        departmentId: department?.id ?? null,
        scopeRegionId: scopeRegion?.id ?? null,
        phone: row.phone ?? null,
        email: row.email ?? null,
      };
      const placement = checkRoleScope({ role: fields.role, departmentId: fields.departmentId, scopeRegionLevel: scopeRegion?.level ?? null });
      const [field, message] = Object.entries(placement)[0] ?? [];
      if (field) return `${field === 'departmentId' ? 'department_code' : 'scope_region_code'}: ${message}`;
      const existing = await repository.findUserByUsername(trx, regionId, row.username);
      if (!existing) {
        if (!row.passwordHash) return 'password: a new user needs an initial password';
        const id = await repository.insertUser(trx, regionId, row.username, { ...fields, passwordHash: row.passwordHash, mustChangePassword: true });
        await audit(trx, 'user.create', 'user', id, undefined, { ...fields, username: row.username });
        return 'created';
      }
      const current = {
        displayName: existing.displayName,
        role: existing.role,
        departmentId: existing.departmentId,
        scopeRegionId: existing.scopeRegionId,
        phone: existing.phone,
        email: existing.email,
      };
      if (same(fields, current)) return 'unchanged';
      await repository.updateUser(trx, regionId, existing.id, existing.version, fields, deps.clock());
      await audit(trx, 'user.update', 'user', existing.id, current, fields);
      return 'updated';
    },
  };
}
