/**
 * The file form of a pairing instance (`minxin pair --instance FILE`): JSON
 * Lines, one record per line with `"type"`: `meta` | `district` | `community`
 * | `cadre` (`id, district, x, y | lat, lon, capacity, skills[]`) |
 * `household` (`id, district, community, x, y | lat, lon, needs[],
 * currentCadre?`). Read line by line; the first problem is returned as
 * `{ line, field, problem }` for `FILE:LINE: field: problem`. Pure (the CLI
 * feeds it lines).
 */
import type { PairingCadre, PairingHousehold, PairingInstance } from '../../algorithms/pairing/index.ts';

/** A problem with one field of one line. */
export interface InstanceProblem {
  readonly line: number;
  readonly field: string;
  readonly problem: string;
}

const TYPES = ['meta', 'district', 'community', 'cadre', 'household'] as const;
const MAX_ID = 200;

type Row = Record<string, unknown>;

/** Collects an instance from its lines; `finish` checks what needs the whole file. */
export class InstanceReader {
  readonly cadres: PairingCadre[] = [];
  readonly households: PairingHousehold[] = [];
  private readonly cadreLine = new Map<string, number>();
  private readonly householdLine = new Map<string, number>();
  private readonly householdLines: number[] = [];
  private readonly districts = new Map<string, number>();
  private readonly communities = new Map<string, number>();
  private coordinates: { kind: 'x,y' | 'lat,lon'; line: number } | undefined;

  /** Reads one line (1-based number); returns its problem, if any. */
  read(text: string, line: number): InstanceProblem | undefined {
    const problem = (field: string, message: string): InstanceProblem => ({ line, field, problem: message });
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return problem('line', `not valid JSON (${(error as Error).message.replace(/ in JSON at position.*$/, '')})`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return problem('line', 'must be a JSON object');
    const row = parsed as Row;
    const type = row.type;
    if (typeof type !== 'string' || !(TYPES as readonly string[]).includes(type)) {
      return problem('type', `${type === undefined ? 'missing' : `unknown record type ${JSON.stringify(type)}`} (one of ${TYPES.join(', ')})`);
    }
    if (type === 'meta') return undefined;
    const id = identifier(row.id);
    if (typeof id !== 'string') return problem('id', id.problem);
    if (type === 'district' || type === 'community') {
      const seen = type === 'district' ? this.districts : this.communities;
      const earlier = seen.get(id);
      if (earlier !== undefined) return problem('id', `duplicate ${type} ${id} (first on line ${earlier})`);
      seen.set(id, line);
      return undefined;
    }
    const district = identifier(row.district);
    if (typeof district !== 'string') return problem('district', district.problem);
    const where = this.position(row, line, problem);
    if ('problem' in where) return where;
    if (type === 'cadre') {
      const earlier = this.cadreLine.get(id);
      if (earlier !== undefined) return problem('id', `duplicate cadre ${id} (first on line ${earlier})`);
      const capacity = row.capacity;
      if (capacity === undefined || capacity === null) return problem('capacity', 'missing');
      if (typeof capacity !== 'number' || !Number.isSafeInteger(capacity) || capacity < 0) return problem('capacity', `must be a whole number ≥ 0, not ${JSON.stringify(capacity)}`);
      const skills = tags(row.skills);
      if (!Array.isArray(skills)) return problem('skills', skills.problem);
      this.cadreLine.set(id, line);
      this.cadres.push({ id, district, ...where, capacity, skills });
      return undefined;
    }
    const earlier = this.householdLine.get(id);
    if (earlier !== undefined) return problem('id', `duplicate household ${id} (first on line ${earlier})`);
    const needs = tags(row.needs);
    if (!Array.isArray(needs)) return problem('needs', needs.problem);
    let community: string | undefined;
    if (row.community !== undefined && row.community !== null) {
      const value = identifier(row.community);
      if (typeof value !== 'string') return problem('community', value.problem);
      community = value;
    }
    let currentCadre: string | undefined;
    if (row.currentCadre !== undefined && row.currentCadre !== null) {
      const value = identifier(row.currentCadre);
      if (typeof value !== 'string') return problem('currentCadre', value.problem);
      currentCadre = value;
    }
    this.householdLine.set(id, line);
    this.householdLines.push(line);
    this.households.push({ id, district, ...(community !== undefined ? { community } : {}), ...where, needs, ...(currentCadre !== undefined ? { currentCadre } : {}) });
    return undefined;
  }

  private position(row: Row, line: number, problem: (field: string, message: string) => InstanceProblem): { x: number; y: number } | { lat: number; lon: number } | InstanceProblem {
    const plane = row.x !== undefined || row.y !== undefined;
    const geo = row.lat !== undefined || row.lon !== undefined;
    if (!plane && !geo) return problem('x', 'missing coordinates (x, y in km or lat, lon in degrees)');
    if (plane && geo) return problem('lat', 'a record has either x, y or lat, lon, not both');
    const kind = plane ? 'x,y' : 'lat,lon';
    const [a, b] = plane ? (['x', 'y'] as const) : (['lat', 'lon'] as const);
    for (const field of [a, b]) {
      const value = row[field];
      if (value === undefined || value === null) return problem(field, `missing (the record has ${field === a ? b : a})`);
      if (typeof value !== 'number' || !Number.isFinite(value)) return problem(field, 'must be a number');
    }
    if (geo && (Math.abs(row.lat as number) > 90 || Math.abs(row.lon as number) > 180)) return problem(Math.abs(row.lat as number) > 90 ? 'lat' : 'lon', 'out of range');
    if (this.coordinates && this.coordinates.kind !== kind) return problem(a, `the file mixes ${this.coordinates.kind} (line ${this.coordinates.line}) and ${kind}`);
    this.coordinates ??= { kind, line };
    return plane ? { x: row.x as number, y: row.y as number } : { lat: row.lat as number, lon: row.lon as number };
  }

  /** Checks references that may point forward (current cadres, declared districts and communities); returns the instance or the first problem. */
  finish(): { instance: PairingInstance } | { problem: InstanceProblem } {
    for (const [k, household] of this.households.entries()) {
      const line = this.householdLines[k]!;
      if (household.currentCadre !== undefined && !this.cadreLine.has(household.currentCadre)) return { problem: { line, field: 'currentCadre', problem: `unknown cadre ${household.currentCadre}` } };
      if (this.districts.size > 0 && !this.districts.has(household.district)) return { problem: { line, field: 'district', problem: `unknown district ${household.district}` } };
      if (this.communities.size > 0 && household.community !== undefined && !this.communities.has(household.community)) return { problem: { line, field: 'community', problem: `unknown community ${household.community}` } };
    }
    if (this.districts.size > 0) {
      for (const cadre of this.cadres) {
        if (!this.districts.has(cadre.district)) return { problem: { line: this.cadreLine.get(cadre.id)!, field: 'district', problem: `unknown district ${cadre.district}` } };
      }
    }
    return { instance: { cadres: this.cadres, households: this.households } };
  }
}

function identifier(value: unknown): string | { problem: string } {
  if (value === undefined || value === null) return { problem: 'missing' };
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_ID) return { problem: `must be a non-empty string of at most ${MAX_ID} characters` };
  return value;
}

function tags(value: unknown): string[] | { problem: string } {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((tag) => typeof tag !== 'string' || tag.trim() === '')) return { problem: 'must be an array of non-empty strings' };
  return [...new Set(value as string[])];
}

/** The instance as JSON Lines (the generator's cities, tests and the benchmark write files with it). */
export function instanceLines(instance: PairingInstance & { districts?: readonly { id: string; name: string }[]; communities?: readonly { id: string; district: string }[] }, meta: Record<string, unknown> = {}): string[] {
  const lines = [JSON.stringify({ type: 'meta', ...meta })];
  for (const district of instance.districts ?? []) lines.push(JSON.stringify({ type: 'district', ...district }));
  for (const community of instance.communities ?? []) lines.push(JSON.stringify({ type: 'community', ...community }));
  for (const cadre of instance.cadres) lines.push(JSON.stringify({ type: 'cadre', ...cadre }));
  for (const household of instance.households) lines.push(JSON.stringify({ type: 'household', ...household }));
  return lines;
}
