import type { Location } from '../pairing.ts';

/**
 * The columns of the registry's import files (CSV, XLSX or JSONL; docs/pairing.md)
 * and the parsing of one row. Pure: codes are resolved against the city later.
 */
export type RegistryKind = 'cadres' | 'households';

export const REGISTRY_COLUMNS: Record<RegistryKind, { required: readonly string[]; optional: readonly string[] }> = {
  cadres: { required: ['code', 'name', 'district_code', 'capacity'], optional: ['unit', 'username', 'x', 'y', 'lat', 'lon', 'skills', 'active'] },
  households: {
    required: ['code', 'district_code', 'community_code'],
    optional: ['x', 'y', 'lat', 'lon', 'difficulties', 'needs', 'members', 'contact_phone', 'notes', 'active'],
  },
};

/** Chinese headers people write, mapped to the canonical column. */
const ALIASES: Record<string, string> = {
  编号: 'code',
  姓名: 'name',
  单位: 'unit',
  区: 'district_code',
  区市: 'district_code',
  社区: 'community_code',
  容量: 'capacity',
  专长: 'skills',
  需求: 'needs',
  困难类型: 'difficulties',
  人口: 'members',
  联系电话: 'contact_phone',
  备注: 'notes',
  账号: 'username',
};

export const canonicalRegistryColumn = (column: string): string => ALIASES[column] ?? column;

export interface CadreRow {
  readonly code: string;
  readonly name: string;
  readonly districtCode: string;
  readonly unit: string | null;
  readonly username: string | null;
  readonly location: Location;
  readonly capacity: number;
  readonly skills: string[];
  readonly active: boolean;
}

export interface HouseholdRow {
  readonly code: string;
  readonly districtCode: string;
  readonly communityCode: string;
  readonly location: Location;
  readonly difficulties: string[];
  readonly needs: string[];
  readonly members: number;
  readonly contactPhone: string | null;
  readonly notes: string | null;
  readonly active: boolean;
}

/** A row's problem: the column and what is wrong. */
export interface RowProblem {
  readonly column: string;
  readonly message: string;
}

const CODE = /^[A-Za-z0-9._-]{1,64}$/;
const TAG = /^[a-z][a-z0-9_-]{0,39}$/;

/** Difficulty types may be words of any script (低保, 残疾); needs and skills are the optimiser's tags. */
const WORD = /^[^\s]{1,40}$/u;

function tags(values: Record<string, string>, column: string, problems: RowProblem[], pattern = TAG): string[] {
  const text = values[column] ?? '';
  const list = [...new Set(text.split(/[;,|；，、\s]+/).filter(Boolean))];
  const bad = list.find((tag) => !pattern.test(tag));
  if (bad !== undefined) problems.push({ column, message: `"${bad}" is not a tag (${pattern === TAG ? 'lower-case letters, digits, - or _' : 'at most 40 characters'})` });
  return list;
}

function location(values: Record<string, string>, problems: RowProblem[]): Location {
  const has = (column: string) => (values[column] ?? '') !== '';
  const num = (column: string, min: number, max: number): number => {
    const value = Number(values[column]);
    if (!Number.isFinite(value) || value < min || value > max) problems.push({ column, message: `"${values[column]}" is not a number between ${min} and ${max}` });
    return value;
  };
  const plane = has('x') || has('y');
  const globe = has('lat') || has('lon');
  if (plane && globe) {
    problems.push({ column: 'lat', message: 'give either x,y or lat,lon, not both' });
    return { x: 0, y: 0 };
  }
  if (plane) {
    if (!has('x') || !has('y')) problems.push({ column: has('x') ? 'y' : 'x', message: 'x and y go together' });
    return { x: num('x', -10_000, 10_000), y: num('y', -10_000, 10_000) };
  }
  if (globe) {
    if (!has('lat') || !has('lon')) problems.push({ column: has('lat') ? 'lon' : 'lat', message: 'lat and lon go together' });
    return { lat: num('lat', -90, 90), lon: num('lon', -180, 180) };
  }
  problems.push({ column: 'x', message: 'a location is required: x,y (km) or lat,lon' });
  return { x: 0, y: 0 };
}

function active(values: Record<string, string>, problems: RowProblem[]): boolean {
  const text = (values.active ?? '').toLowerCase();
  if (text === '' || ['true', 'yes', '1', '是'].includes(text)) return true;
  if (['false', 'no', '0', '否'].includes(text)) return false;
  problems.push({ column: 'active', message: `"${values.active}" is not yes/no` });
  return true;
}

function integer(values: Record<string, string>, column: string, min: number, max: number, fallback: number, problems: RowProblem[]): number {
  const text = values[column] ?? '';
  if (text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) problems.push({ column, message: `"${text}" is not a whole number between ${min} and ${max}` });
  return value;
}

function code(values: Record<string, string>, column: string, problems: RowProblem[]): string {
  const text = values[column] ?? '';
  if (!CODE.test(text)) problems.push({ column, message: text === '' ? 'required' : `"${text}" is not a code (letters, digits, . _ -)` });
  return text;
}

function text(values: Record<string, string>, column: string, max: number, problems: RowProblem[]): string | null {
  const value = values[column] ?? '';
  if (value.length > max) problems.push({ column, message: `longer than ${max} characters` });
  return value === '' ? null : value;
}

/** Parses one cadre row; problems name the column. */
export function parseCadreRow(values: Record<string, string>): { row: CadreRow } | { problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const name = values.name ?? '';
  if (name === '' || name.length > 100) problems.push({ column: 'name', message: name === '' ? 'required' : 'longer than 100 characters' });
  const capacityText = values.capacity ?? '';
  if (capacityText === '') problems.push({ column: 'capacity', message: 'required' });
  const row: CadreRow = {
    code: code(values, 'code', problems),
    name,
    districtCode: code(values, 'district_code', problems),
    unit: text(values, 'unit', 200, problems),
    username: text(values, 'username', 64, problems),
    location: location(values, problems),
    capacity: integer(values, 'capacity', 0, 1000, 0, problems),
    skills: tags(values, 'skills', problems),
    active: active(values, problems),
  };
  return problems.length > 0 ? { problems } : { row };
}

/** Parses one household row; problems name the column. */
export function parseHouseholdRow(values: Record<string, string>): { row: HouseholdRow } | { problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const phone = text(values, 'contact_phone', 40, problems);
  if (phone !== null && !/^[0-9+\- ()]{3,40}$/.test(phone)) problems.push({ column: 'contact_phone', message: 'not a phone number' });
  const row: HouseholdRow = {
    code: code(values, 'code', problems),
    districtCode: code(values, 'district_code', problems),
    communityCode: code(values, 'community_code', problems),
    location: location(values, problems),
    difficulties: tags(values, 'difficulties', problems, WORD),
    needs: tags(values, 'needs', problems),
    members: integer(values, 'members', 1, 50, 1, problems),
    contactPhone: phone,
    notes: text(values, 'notes', 2000, problems),
    active: active(values, problems),
  };
  return problems.length > 0 ? { problems } : { row };
}
