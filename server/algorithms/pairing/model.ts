/**
 * The cost model in arrays: coordinates, eligibility (district, skills,
 * capacity), the exact cost of a pair, and a uniform grid of cadres per
 * component (a district when `sameDistrict` holds, else the whole city) for
 * nearest-cadre and reduced-cost searches bounded by distance. Shared by the
 * solver, the certificate and the greedy previews; pure.
 */
import type { PairingCadre, PairingHousehold, PairingInstance, PairingOptions, PairingScenario } from './types.ts';

/** Mean Earth radius of the model's haversine distance, km. */
export const EARTH_RADIUS_KM = 6371.0088;
const RAD = Math.PI / 180;

/**
 * The scenarios of issue 5: `full` = same district + skills + change penalty
 * 2000 + fairness 300; `plain` = distance and capacity only.
 */
export function scenarioOptions(scenario: PairingScenario): PairingOptions {
  return scenario === 'full'
    ? { sameDistrict: true, skills: true, changePenalty: 2000, fairness: 300 }
    : { sameDistrict: false, skills: false, changePenalty: 0, fairness: 0 };
}

/** Great-circle distance in km (haversine, R = 6371.0088 km). */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Straight-line distance on the plane, km. */
export function planeKm(x1: number, y1: number, x2: number, y2: number): number {
  const dx = x2 - x1;
  const dy = y2 - y1;
  return Math.sqrt(dx * dx + dy * dy);
}

/**
 * cost(h, c) of issue 5 for one pair, without the fairness term:
 * round(1000 × distance_km) + changePenalty when the household has a current
 * cadre and it is someone else. Eligibility is not checked here.
 */
export function pairCost(cadre: PairingCadre, household: PairingHousehold, changePenalty: number): number {
  const km =
    household.lat !== undefined && household.lon !== undefined && cadre.lat !== undefined && cadre.lon !== undefined
      ? haversineKm(household.lat, household.lon, cadre.lat, cadre.lon)
      : planeKm(household.x ?? NaN, household.y ?? NaN, cadre.x ?? NaN, cadre.y ?? NaN);
  return Math.round(1000 * km) + (household.currentCadre !== undefined && household.currentCadre !== cadre.id ? changePenalty : 0);
}

/** A problem with the instance itself (not infeasibility): duplicate ids, coordinates, capacities. */
export class PairingInputError extends Error {}

function finite(value: number | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** The instance as arrays; households may be appended (sessions). */
export class PairingModel {
  readonly geo: boolean;
  /** Projected km per degree of longitude: a lower bound of the true scale inside the instance's latitude band. */
  readonly lonKm: number;
  readonly latKm = EARTH_RADIUS_KM * RAD;
  readonly sameDistrict: boolean;
  readonly useSkills: boolean;
  readonly changePenalty: number;
  readonly fairness: number;
  readonly words: number;
  readonly skillBit = new Map<string, number>();
  readonly districtIndex = new Map<string, number>();
  readonly districtNames: string[] = [];
  readonly components: number;

  readonly cadreIds: string[];
  readonly cadreIndex = new Map<string, number>();
  readonly cadreDistrict: Int32Array;
  readonly cadreComponent: Int32Array;
  /** Exact coordinates: x, y (km) or lat, lon (degrees). */
  readonly cadreA: Float64Array;
  readonly cadreB: Float64Array;
  readonly cadreCosLat: Float64Array;
  /** Projected km for the grid. */
  readonly cadrePx: Float64Array;
  readonly cadrePy: Float64Array;
  readonly capacity: Int32Array;
  readonly alive: Uint8Array;
  readonly cadreMask: Uint32Array;

  householdCount = 0;
  householdIds: string[] = [];
  readonly householdIndex = new Map<string, number>();
  householdDistrict = new Int32Array(0);
  householdComponent = new Int32Array(0);
  householdA = new Float64Array(0);
  householdB = new Float64Array(0);
  householdCosLat = new Float64Array(0);
  householdPx = new Float64Array(0);
  householdPy = new Float64Array(0);
  /** Index of the current cadre, −1 when none. */
  current = new Int32Array(0);
  needMask = new Uint32Array(0);
  /** Households that need no skill (any cadre of their component is eligible). */
  needsNothing = new Uint8Array(0);

  readonly grids: SpatialGrid[];

  constructor(instance: PairingInstance, options: Pick<PairingOptions, 'sameDistrict' | 'skills' | 'changePenalty' | 'fairness'>) {
    this.sameDistrict = options.sameDistrict;
    this.useSkills = options.skills;
    this.changePenalty = options.changePenalty;
    this.fairness = options.fairness;
    for (const [name, value] of [['changePenalty', options.changePenalty], ['fairness', options.fairness]] as const) {
      if (!Number.isSafeInteger(value) || value < 0) throw new PairingInputError(`${name} must be a whole number ≥ 0`);
    }
    const all = [...instance.cadres, ...instance.households];
    const geoCount = all.filter((record) => record.lat !== undefined || record.lon !== undefined).length;
    if (geoCount > 0 && geoCount < all.length) throw new PairingInputError('the instance mixes x,y and lat,lon coordinates');
    this.geo = geoCount > 0 && geoCount === all.length;
    let maxAbsLat = 0;
    for (const record of all) {
      const [a, b] = this.geo ? [record.lat, record.lon] : [record.x, record.y];
      if (!finite(a) || !finite(b)) throw new PairingInputError(`${record.id}: missing coordinates`);
      if (this.geo) {
        if (Math.abs(a) > 90 || Math.abs(b) > 180) throw new PairingInputError(`${record.id}: lat, lon out of range`);
        maxAbsLat = Math.max(maxAbsLat, Math.abs(a));
      }
    }
    // Inside the band |lat| ≤ maxAbsLat + 1° (short geodesics stay in it),
    // east-west km per degree is at least this, so projected distance never
    // exceeds the haversine distance: the grid's bounds stay lower bounds.
    this.lonKm = this.geo ? this.latKm * Math.cos(Math.min(89, maxAbsLat + 1) * RAD) : 1;
    const skills = new Set<string>();
    for (const cadre of instance.cadres) for (const skill of cadre.skills) skills.add(skill);
    for (const household of instance.households) for (const need of household.needs) skills.add(need);
    for (const skill of [...skills].sort()) this.skillBit.set(skill, this.skillBit.size);
    this.words = Math.max(1, Math.ceil(this.skillBit.size / 32));

    const n = instance.cadres.length;
    this.cadreIds = new Array<string>(n);
    this.cadreDistrict = new Int32Array(n);
    this.cadreComponent = new Int32Array(n);
    this.cadreA = new Float64Array(n);
    this.cadreB = new Float64Array(n);
    this.cadreCosLat = new Float64Array(n);
    this.cadrePx = new Float64Array(n);
    this.cadrePy = new Float64Array(n);
    this.capacity = new Int32Array(n);
    this.alive = new Uint8Array(n).fill(1);
    this.cadreMask = new Uint32Array(n * this.words);
    instance.cadres.forEach((cadre, c) => {
      if (this.cadreIndex.has(cadre.id)) throw new PairingInputError(`${cadre.id}: duplicate cadre id`);
      if (!Number.isSafeInteger(cadre.capacity) || cadre.capacity < 0) throw new PairingInputError(`${cadre.id}: capacity must be a whole number ≥ 0`);
      this.cadreIndex.set(cadre.id, c);
      this.cadreIds[c] = cadre.id;
      this.cadreDistrict[c] = this.district(cadre.district);
      this.capacity[c] = cadre.capacity;
      const [a, b] = this.geo ? [cadre.lat!, cadre.lon!] : [cadre.x!, cadre.y!];
      this.cadreA[c] = a;
      this.cadreB[c] = b;
      this.cadreCosLat[c] = this.geo ? Math.cos(a * RAD) : 0;
      this.cadrePx[c] = this.geo ? b * this.lonKm : a;
      this.cadrePy[c] = this.geo ? a * this.latKm : b;
      for (const skill of cadre.skills) this.setBit(this.cadreMask, c, this.skillBit.get(skill)!);
    });
    for (const household of instance.households) {
      for (const need of household.needs) if (!this.skillBit.has(need)) this.skillBit.set(need, this.skillBit.size);
      this.district(household.district);
    }
    this.components = this.sameDistrict ? Math.max(1, this.districtNames.length) : 1;
    for (let c = 0; c < n; c++) this.cadreComponent[c] = this.sameDistrict ? this.cadreDistrict[c]! : 0;
    this.growHouseholds(instance.households.length);
    for (const household of instance.households) this.addHousehold(household);
    this.grids = [];
    for (let k = 0; k < this.components; k++) this.grids.push(new SpatialGrid(this, k));
  }

  private district(name: string): number {
    let index = this.districtIndex.get(name);
    if (index === undefined) {
      index = this.districtNames.length;
      this.districtIndex.set(name, index);
      this.districtNames.push(name);
    }
    return index;
  }

  private setBit(masks: Uint32Array, row: number, bit: number): void {
    masks[row * this.words + (bit >>> 5)]! |= 1 << (bit & 31);
  }

  private growHouseholds(wanted: number): void {
    if (wanted <= this.householdDistrict.length) return;
    const size = Math.max(wanted, Math.ceil(this.householdDistrict.length * 1.5), 16);
    const grow = <T extends Int32Array | Float64Array | Uint32Array | Uint8Array>(old: T, per = 1): T => {
      const next = new (old.constructor as new (length: number) => T)(size * per);
      next.set(old);
      return next;
    };
    this.householdDistrict = grow(this.householdDistrict);
    this.householdComponent = grow(this.householdComponent);
    this.householdA = grow(this.householdA);
    this.householdB = grow(this.householdB);
    this.householdCosLat = grow(this.householdCosLat);
    this.householdPx = grow(this.householdPx);
    this.householdPy = grow(this.householdPy);
    this.current = grow(this.current);
    this.needMask = grow(this.needMask, this.words);
    this.needsNothing = grow(this.needsNothing);
  }

  /** Appends a household; returns its index. Throws PairingInputError on a bad record. */
  addHousehold(household: PairingHousehold): number {
    if (this.householdIndex.has(household.id)) throw new PairingInputError(`${household.id}: duplicate household id`);
    const [a, b] = this.geo ? [household.lat, household.lon] : [household.x, household.y];
    if (!finite(a) || !finite(b)) throw new PairingInputError(`${household.id}: missing coordinates${this.geo ? ' (lat, lon)' : ' (x, y)'}`);
    if (household.currentCadre !== undefined && !this.cadreIndex.has(household.currentCadre)) {
      throw new PairingInputError(`${household.id}: unknown current cadre ${household.currentCadre}`);
    }
    for (const need of household.needs) if (!this.skillBit.has(need)) throw new PairingInputError(`${household.id}: need "${need}" is unknown to this session`);
    const h = this.householdCount;
    this.growHouseholds(h + 1);
    this.householdCount += 1;
    this.householdIds[h] = household.id;
    this.householdIndex.set(household.id, h);
    const district = this.districtIndex.get(household.district) ?? -1;
    this.householdDistrict[h] = district;
    this.householdComponent[h] = this.sameDistrict ? district : 0;
    this.householdA[h] = a;
    this.householdB[h] = b;
    this.householdCosLat[h] = this.geo ? Math.cos(a * RAD) : 0;
    this.householdPx[h] = this.geo ? b * this.lonKm : a;
    this.householdPy[h] = this.geo ? a * this.latKm : b;
    this.current[h] = household.currentCadre === undefined ? -1 : this.cadreIndex.get(household.currentCadre)!;
    for (let w = 0; w < this.words; w++) this.needMask[h * this.words + w] = 0;
    let nothing = 1;
    if (this.useSkills) {
      for (const need of household.needs) {
        this.setBit(this.needMask, h, this.skillBit.get(need)!);
        nothing = 0;
      }
    }
    this.needsNothing[h] = nothing;
    return h;
  }

  /** Distance in km between household h and cadre c, exactly as the model states. */
  distanceKm(h: number, c: number): number {
    if (!this.geo) return planeKm(this.householdA[h]!, this.householdB[h]!, this.cadreA[c]!, this.cadreB[c]!);
    const dLat = (this.cadreA[c]! - this.householdA[h]!) * RAD;
    const dLon = (this.cadreB[c]! - this.householdB[h]!) * RAD;
    const s = Math.sin(dLat / 2) ** 2 + this.householdCosLat[h]! * this.cadreCosLat[c]! * Math.sin(dLon / 2) ** 2;
    return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(s)));
  }

  /** cost(h, c) without the fairness term. */
  cost(h: number, c: number): number {
    const cur = this.current[h]!;
    return Math.round(1000 * this.distanceKm(h, c)) + (cur >= 0 && cur !== c ? this.changePenalty : 0);
  }

  /** The household's skills fit (district and life are checked by the caller). */
  hasSkills(h: number, c: number): boolean {
    if (this.needsNothing[h]) return true;
    const w0 = this.words;
    for (let w = 0; w < w0; w++) {
      const need = this.needMask[h * w0 + w]!;
      if ((this.cadreMask[c * w0 + w]! & need) !== need) return false;
    }
    return true;
  }

  /** Hard constraints: alive cadre, same component (district), skills. Capacity is the caller's. */
  eligible(h: number, c: number): boolean {
    return this.alive[c] === 1 && this.cadreComponent[c] === this.householdComponent[h] && (!this.sameDistrict || this.householdDistrict[h] === this.cadreDistrict[c]) && this.hasSkills(h, c);
  }

  /** Why household h has no eligible cadre at all (capacity counted), or undefined when it has one. */
  noEligibleReason(h: number): string | undefined {
    const district = this.householdDistrict[h]!;
    const districtName = district >= 0 ? this.districtNames[district]! : undefined;
    let inDistrict = 0;
    for (let c = 0; c < this.cadreIds.length; c++) {
      if (this.alive[c] !== 1 || this.capacity[c]! <= 0) continue;
      if (this.sameDistrict && this.cadreDistrict[c] !== district) continue;
      inDistrict += 1;
      if (this.hasSkills(h, c)) return undefined;
    }
    const where = this.sameDistrict ? `in district ${districtName ?? '(none)'}` : 'in the instance';
    if (inDistrict === 0) return `sameDistrict: no cadre with capacity ${where}`;
    const needs = [...this.skillBit].filter(([, bit]) => (this.needMask[h * this.words + (bit >>> 5)]! & (1 << (bit & 31))) !== 0).map(([skill]) => skill);
    return `skills: no cadre with capacity ${where} has ${needs.length > 1 ? 'all of ' : ''}${needs.join(', ')}`;
  }
}

/** Cadres of one component in uniform cells, for searches bounded by distance. */
export class SpatialGrid {
  readonly minX: number;
  readonly minY: number;
  readonly cell: number;
  readonly nx: number;
  readonly ny: number;
  readonly start: Int32Array;
  readonly items: Int32Array;
  /** Per-cell union of the cadres' skills (skip cells that cannot serve a need). */
  readonly cellMask: Uint32Array;
  readonly cadres: Int32Array;
  readonly model: PairingModel;
  readonly component: number;

  constructor(model: PairingModel, component: number) {
    this.model = model;
    this.component = component;
    const members: number[] = [];
    for (let c = 0; c < model.cadreIds.length; c++) if (model.cadreComponent[c] === component) members.push(c);
    this.cadres = Int32Array.from(members);
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const c of members) {
      minX = Math.min(minX, model.cadrePx[c]!);
      maxX = Math.max(maxX, model.cadrePx[c]!);
      minY = Math.min(minY, model.cadrePy[c]!);
      maxY = Math.max(maxY, model.cadrePy[c]!);
    }
    if (members.length === 0) [minX, minY, maxX, maxY] = [0, 0, 1, 1];
    const width = Math.max(maxX - minX, 1e-3);
    const height = Math.max(maxY - minY, 1e-3);
    // About four cadres a cell, at most 1024 cells a side.
    const cell = Math.max(Math.sqrt((width * height) / Math.max(1, members.length / 4)), width / 1024, height / 1024, 1e-6);
    this.minX = minX;
    this.minY = minY;
    this.cell = cell;
    this.nx = Math.max(1, Math.ceil(width / cell) + (width % cell === 0 ? 1 : 0));
    this.ny = Math.max(1, Math.ceil(height / cell) + (height % cell === 0 ? 1 : 0));
    const cells = this.nx * this.ny;
    const counts = new Int32Array(cells + 1);
    const where = new Int32Array(members.length);
    members.forEach((c, k) => {
      const index = this.cellOf(model.cadrePx[c]!, model.cadrePy[c]!);
      where[k] = index;
      counts[index + 1]! += 1;
    });
    for (let k = 0; k < cells; k++) counts[k + 1]! += counts[k]!;
    this.start = counts.slice();
    this.items = new Int32Array(members.length);
    const fill = counts.slice(0, cells);
    this.cellMask = new Uint32Array(cells * model.words);
    members.forEach((c, k) => {
      const index = where[k]!;
      this.items[fill[index]!++] = c;
      for (let w = 0; w < model.words; w++) this.cellMask[index * model.words + w]! |= model.cadreMask[c * model.words + w]!;
    });
  }

  cellOf(px: number, py: number): number {
    const i = Math.min(this.nx - 1, Math.max(0, Math.floor((px - this.minX) / this.cell)));
    const j = Math.min(this.ny - 1, Math.max(0, Math.floor((py - this.minY) / this.cell)));
    return j * this.nx + i;
  }

  /** Cells that may hold a cadre able to serve household h's needs. */
  cellServes(cell: number, h: number): boolean {
    const model = this.model;
    if (model.needsNothing[h]) return true;
    for (let w = 0; w < model.words; w++) {
      const need = model.needMask[h * model.words + w]!;
      if ((this.cellMask[cell * model.words + w]! & need) !== need) return false;
    }
    return true;
  }

  /**
   * Visits cells around household h ring by ring. `visit(cell, kmLowerBound)`
   * gets each cell with a lower bound of the distance from h to any cadre in
   * it; `stop(kmLowerBound)` is asked before each ring with a lower bound for
   * that ring and every ring after it, and ends the walk when it says so.
   */
  walk(h: number, visit: (cell: number, km: number) => void, stop: (km: number) => boolean): void {
    this.walkFrom(this.model.householdPx[h]!, this.model.householdPy[h]!, visit, stop);
  }

  /**
   * The same walk around any point. From a point inside the grid (a cadre's),
   * the bounds also hold for points clamped into the edge cells, such as
   * households placed by `cellOf` (see the household cells in solver.ts).
   */
  walkFrom(px: number, py: number, visit: (cell: number, km: number) => void, stop: (km: number) => boolean): void {
    const { nx, ny, cell, minX, minY } = this;
    const ci = Math.min(nx - 1, Math.max(0, Math.floor((px - minX) / cell)));
    const cj = Math.min(ny - 1, Math.max(0, Math.floor((py - minY) / cell)));
    // The household may lie outside the grid: bounds from its clamped point, less the clamp distance.
    const cx = Math.min(Math.max(px, minX + ci * cell), minX + (ci + 1) * cell);
    const cy = Math.min(Math.max(py, minY + cj * cell), minY + (cj + 1) * cell);
    const clamp = Math.sqrt((px - cx) ** 2 + (py - cy) ** 2);
    const edge = Math.min(cx - (minX + ci * cell), minX + (ci + 1) * cell - cx, cy - (minY + cj * cell), minY + (cj + 1) * cell - cy);
    const rings = Math.max(ci, nx - 1 - ci, cj, ny - 1 - cj);
    for (let r = 0; r <= rings; r++) {
      const ringBound = r === 0 ? 0 : Math.max(0, (r - 1) * cell + edge - clamp);
      if (stop(ringBound)) return;
      const i0 = ci - r;
      const i1 = ci + r;
      const j0 = cj - r;
      const j1 = cj + r;
      for (let j = Math.max(0, j0); j <= Math.min(ny - 1, j1); j++) {
        const edgeRow = j === j0 || j === j1;
        const step = edgeRow ? 1 : 2 * r;
        const y0 = minY + j * cell;
        const dy = py < y0 ? y0 - py : py > y0 + cell ? py - y0 - cell : 0;
        for (let i = edgeRow ? Math.max(0, i0) : i0; i <= i1 && i < nx; i += step) {
          if (i < 0) continue;
          const x0 = minX + i * cell;
          const dx = px < x0 ? x0 - px : px > x0 + cell ? px - x0 - cell : 0;
          visit(j * nx + i, Math.sqrt(dx * dx + dy * dy));
        }
      }
    }
  }
}
