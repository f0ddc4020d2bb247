import { z } from 'zod';
import { passwordSchema, roleSchema, type ImportKind, type ImportProblem } from '../../../contracts/platform.ts';
import type { ColumnSpec } from '../tabular/tabular-file.ts';

/**
 * Columns each bulk import accepts (normalised: lower case, `_` for spaces).
 * Files exported from spreadsheets may use the Chinese headers instead; both
 * map onto the same field.
 */
export const IMPORT_COLUMNS: Record<ImportKind, ColumnSpec & { aliases: Record<string, string> }> = {
  regions: {
    required: ['code', 'name', 'parent_code'],
    optional: ['name_en', 'level', 'lng', 'lat'],
    aliases: { 编码: 'code', 名称: 'name', 英文名称: 'name_en', 上级编码: 'parent_code', 层级: 'level', 经度: 'lng', 纬度: 'lat' },
  },
  departments: {
    required: ['code', 'name'],
    optional: ['name_en', 'parent_code', 'district_code', 'areas', 'contact_phone', 'contact_email', 'address'],
    aliases: {
      部门编码: 'code',
      部门名称: 'name',
      英文名称: 'name_en',
      上级部门编码: 'parent_code',
      所属区编码: 'district_code',
      职责领域: 'areas',
      联系电话: 'contact_phone',
      电子邮箱: 'contact_email',
      地址: 'address',
    },
  },
  users: {
    required: ['username', 'display_name', 'role'],
    optional: ['department_code', 'scope_region_code', 'phone', 'email', 'password'],
    aliases: {
      用户名: 'username',
      姓名: 'display_name',
      角色: 'role',
      部门编码: 'department_code',
      范围区划编码: 'scope_region_code',
      手机: 'phone',
      电话: 'phone',
      电子邮箱: 'email',
      初始密码: 'password',
    },
  },
};

const optionalText = (max: number) =>
  z
    .string()
    .max(max)
    .transform((value) => (value === '' ? undefined : value));
const code = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, - and _ only, at most 40');
const optionalCode = z.union([z.literal('').transform(() => undefined), code]);
const name = z.string().min(1, 'required').max(100);
const phone = z.union([z.literal('').transform(() => undefined), z.string().regex(/^\+?[0-9 -]{5,20}$/, 'digits, spaces, - and an optional leading +')]);
const email = z.union([z.literal('').transform(() => undefined), z.email('not an e-mail address').max(200)]);
const coordinate = (min: number, max: number) =>
  z.union([
    z.literal('').transform(() => undefined),
    z.coerce.number({ error: 'not a number' }).min(min).max(max),
  ]);

const rowSchemas = {
  regions: z.object({
    code,
    name,
    name_en: optionalText(100),
    parent_code: code,
    level: z.union([z.literal('').transform(() => undefined), z.enum(['district', 'street', 'community'])]),
    lng: coordinate(-180, 180),
    lat: coordinate(-90, 90),
  }),
  departments: z.object({
    code,
    name,
    name_en: optionalText(100),
    parent_code: optionalCode,
    district_code: optionalCode,
    areas: z
      .string()
      .max(400)
      .transform((value) =>
        value
          .split(/[;；,，、]/)
          .map((area) => area.trim())
          .filter(Boolean),
      ),
    contact_phone: phone,
    contact_email: email,
    address: optionalText(200),
  }),
  users: z.object({
    username: z
      .string()
      .toLowerCase()
      .regex(/^[a-z0-9][a-z0-9._-]{2,39}$/, '3–40 lower-case letters, digits, . _ -'),
    display_name: name,
    role: z.string().pipe(roleSchema),
    department_code: optionalCode,
    scope_region_code: optionalCode,
    phone,
    email,
    password: z.union([z.literal('').transform(() => undefined), passwordSchema]),
  }),
};

export type RegionImportRow = z.infer<(typeof rowSchemas)['regions']>;
export type DepartmentImportRow = z.infer<(typeof rowSchemas)['departments']>;
export type UserImportRow = z.infer<(typeof rowSchemas)['users']>;
export type ImportRow = { regions: RegionImportRow; departments: DepartmentImportRow; users: UserImportRow };

/** Maps a header cell (English or Chinese) onto the import's field name. */
export function canonicalColumn(kind: ImportKind, column: string): string {
  return IMPORT_COLUMNS[kind].aliases[column] ?? column;
}

/**
 * Checks one row's fields (formats only; references are checked against the
 * database later) and returns the parsed row or its problems, each naming
 * file, line and column.
 */
export function parseImportRow<K extends ImportKind>(
  kind: K,
  file: string,
  line: number,
  values: Record<string, string>,
): { row: ImportRow[K] } | { problems: ImportProblem[] } {
  const canonical: Record<string, string> = {};
  for (const [column, value] of Object.entries(values)) canonical[canonicalColumn(kind, column)] = value;
  for (const column of [...IMPORT_COLUMNS[kind].required, ...IMPORT_COLUMNS[kind].optional]) canonical[column] ??= '';
  const result = rowSchemas[kind].safeParse(canonical);
  if (result.success) return { row: result.data as ImportRow[K] };
  return {
    problems: result.error.issues.map((issue) => ({
      file,
      line,
      column: String(issue.path[0] ?? ''),
      message: issue.message,
    })),
  };
}
