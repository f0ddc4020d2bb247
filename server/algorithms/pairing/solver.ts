/**
 * The exact pairing solver: min-cost flow household → cadre → sink by
 * successive shortest paths (Dijkstra on reduced costs with node potentials),
 * on a working graph that starts with each household's nearest eligible
 * cadres and grows when pricing finds an eligible pair outside it with a
 * negative reduced cost. The convex fairness cost is the sink arcs of a
 * cadre: its j-th unit costs fairness × (j − 1). Each component (a district
 * under `sameDistrict`) has its own sink. See docs/pairing-optimizer.md.
 *
 * Invariant between operations: every residual arc of the working graph has
 * a reduced cost ≥ 0 (arc u→v: cost + π(u) − π(v)); potentials only ever
 * decrease, so a household priced clean stays clean until its own potential
 * drops (then it is priced again).
 */
import { PairingModel, PairingInputError } from './model.ts';
import type { PairingAssignment, PairingHousehold, PairingInstance, PairingOptions, PairingResult, UnservedHousehold } from './types.ts';

const NONE = -1;
/** Pred marker: a cadre reached from its component's sink (a reverse sink arc). */
const FROM_SINK = -2;
const MAX_VIOLATORS = 8;
/** Outside cadres brought in at once when no path to the sink is known yet (the cheapest ones). */
const OUTSIDE_BATCH = 32;
/** The first such search of a household brings 1, then 2, 4 … up to OUTSIDE_BATCH. */
const OUTSIDE_GROWTH = 5;

class Heap {
  keys = new Float64Array(1024);
  codes = new Int32Array(1024);
  size = 0;

  push(key: number, code: number): void {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.size * 2);
      keys.set(this.keys);
      this.keys = keys;
      const codes = new Int32Array(this.size * 2);
      codes.set(this.codes);
      this.codes = codes;
    }
    const keys = this.keys;
    const codes = this.codes;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent]! <= key) break;
      keys[i] = keys[parent]!;
      codes[i] = codes[parent]!;
      i = parent;
    }
    keys[i] = key;
    codes[i] = code;
  }

  /** Removes the top; its key and code are read before with topKey/topCode. */
  pop(): void {
    const keys = this.keys;
    const codes = this.codes;
    const size = --this.size;
    if (size === 0) return;
    const key = keys[size]!;
    const code = codes[size]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && keys[child + 1]! < keys[child]!) child += 1;
      if (keys[child]! >= key) break;
      keys[i] = keys[child]!;
      codes[i] = codes[child]!;
      i = child;
    }
    keys[i] = key;
    codes[i] = code;
  }
}

/**
 * Node codes: household h → 2h, cadre c → 2c + 1, the sink of component k →
 * −1 − k, and h's "arcs not yet in the graph" → −1 − components − h.
 */
const householdCode = (h: number): number => 2 * h;
const cadreCode = (c: number): number => 2 * c + 1;
const sinkCode = (k: number): number => -1 - k;

/**
 * One pairing problem kept open: solve it, then change it (a household
 * arrives, a cadre leaves, a capacity changes) and re-optimise exactly from
 * the previous flow and potentials.
 */
export class PairingEngine {
  readonly model: PairingModel;
  private readonly fairness: number;
  private readonly k: number;
  private readonly started: number;
  private readonly deadline: number;
  private readonly onProgress: PairingOptions['onProgress'];

  // Working graph: per household a slice of (cadre, cost) pairs in `pool`.
  private pool = new Int32Array(1 << 16);
  private poolUsed = 0;
  private arcStart = new Int32Array(0);
  private arcLength = new Int32Array(0);
  private arcRoom = new Int32Array(0);
  /**
   * Per household, a lower bound on cost(h, c) − π(c) over the eligible
   * cadres with capacity not yet in its arcs. Potentials only fall, so once
   * true it stays true; Infinity when every eligible cadre is in the graph.
   */
  private outBound = new Float64Array(0);
  /** Searches for h's cheapest outside cadres so far (each brings twice as many). */
  private outRounds = new Uint8Array(0);
  /** Households that left the programme (removeHousehold). */
  private gone = new Uint8Array(0);
  arcs = 0;
  initialArcs = 0;

  // Flow.
  assigned = new Int32Array(0);
  assignedCost = new Float64Array(0);
  readonly served: number[][];
  private unserved = new Map<number, string>();
  /**
   * Refused households whose reason may still be the plainer "no eligible
   * cadre at all" (sameDistrict, skills): checked in result(), since that
   * check scans every cadre and refusals without a search must stay cheap.
   */
  private reasonUnchecked = new Set<number>();
  /** The no-free-place reason per component, with the flow version it was written at. */
  private readonly noRoomText: string[] = [];
  private readonly noRoomVersion: Float64Array;

  // Potentials.
  piH = new Float64Array(0);
  readonly piC: Float64Array;
  readonly piT: Float64Array;

  // Search state, stamped by generation.
  private gen = 0;
  private distH = new Float64Array(0);
  private stampH = new Int32Array(0);
  private doneH = new Int32Array(0);
  private predH = new Int32Array(0);
  private readonly distC: Float64Array;
  private readonly stampC: Int32Array;
  private readonly doneC: Int32Array;
  private readonly predC: Int32Array;
  private readonly predW: Float64Array;
  private readonly distT: Float64Array;
  private readonly stampT: Int32Array;
  private readonly predT: Int32Array;
  private readonly heap = new Heap();
  /** Keys at or above it are never pushed (the current search's bound). */
  private bound = Infinity;
  private settledCodes = new Int32Array(1024);
  private settledDist = new Float64Array(1024);
  private settledCount = 0;
  private readonly componentCadres: Int32Array[];
  /** Bumped by every change of flow or capacity: a closed set found before it no longer proves anything. */
  private flowVersion = 0;
  /** Per component, the search generation, flow version and reason of its last failed search. */
  private readonly closedGen: Int32Array;
  private readonly closedVersion: Float64Array;
  private readonly closedReason: string[];
  /**
   * Per component, the free places: Σ over its cadres still in the programme
   * of capacity − load. At 0 no augmenting path can end anywhere, so a
   * household is refused at once instead of by a search that exhausts the
   * district (every eligible pair of every household it reaches).
   */
  private readonly room: Float64Array;
  /** Per component, potentials moved by searches since its grid bounds were last made exact (refreshIfLoose). */
  private readonly moved: Float64Array;

  // Households by place, for the search from a cadre with new room towards the sink (reverseRoom).
  private householdCell = new Int32Array(0);
  /** Per component, per cell of its cadre grid, the households placed there (clamped into the edge cells). */
  private readonly cellHouseholds: number[][][];
  /**
   * Per component and cell, a lower bound on π(h) + (change penalty if h has a
   * current cadre) over its households; lowered whenever a potential falls.
   */
  private readonly cellMinH: Float64Array[];
  private readonly componentMinH: Float64Array;
  private readonly componentHouseholds: number[][];
  /** Per cadre, the households whose current cadre it is (they pay no change penalty to it). */
  private readonly currentOf: number[][];

  // Pricing.
  private dirty = new Int32Array(0);
  private dirtyList: number[] = [];
  private readonly cellMinQ: Float64Array[];
  private readonly componentMinQ: Float64Array;
  private readonly violatorCadre = new Int32Array(MAX_VIOLATORS);
  private readonly violatorCost = new Float64Array(MAX_VIOLATORS);
  private readonly violatorRc = new Float64Array(MAX_VIOLATORS);
  private violators = 0;

  // Stats.
  augmentations = 0;
  settled = 0;
  pricingRounds = 0;
  arcsAddedByPricing = 0;
  outSearches = 0;
  timedOut = false;
  seconds = { candidates: 0, augment: 0, price: 0 };

  constructor(instance: PairingInstance, options: PairingOptions, now: () => number) {
    this.model = new PairingModel(instance, options);
    this.fairness = options.fairness;
    this.k = Math.max(1, options.candidates ?? 6);
    this.now = now;
    this.started = now();
    this.deadline = options.timeLimitSeconds !== undefined ? this.started + options.timeLimitSeconds * 1000 : Infinity;
    this.onProgress = options.onProgress;
    const nC = this.model.cadreIds.length;
    const comps = this.model.components;
    this.served = Array.from({ length: nC }, () => []);
    this.piC = new Float64Array(nC);
    this.piT = new Float64Array(comps);
    this.distC = new Float64Array(nC);
    this.stampC = new Int32Array(nC);
    this.doneC = new Int32Array(nC);
    this.predC = new Int32Array(nC);
    this.predW = new Float64Array(nC);
    this.distT = new Float64Array(comps);
    this.stampT = new Int32Array(comps);
    this.predT = new Int32Array(comps);
    this.componentCadres = this.model.grids.map((grid) => grid.cadres);
    this.cellMinQ = this.model.grids.map((grid) => new Float64Array(grid.nx * grid.ny));
    this.componentMinQ = new Float64Array(comps);
    this.closedGen = new Int32Array(comps);
    this.closedVersion = new Float64Array(comps).fill(-1);
    this.closedReason = [];
    this.room = new Float64Array(comps);
    this.moved = new Float64Array(comps);
    this.noRoomVersion = new Float64Array(comps).fill(-1);
    for (let c = 0; c < nC; c++) this.room[this.model.cadreComponent[c]!]! += this.model.capacity[c]!;
    this.cellHouseholds = this.model.grids.map((grid) => Array.from({ length: grid.nx * grid.ny }, () => []));
    this.cellMinH = this.model.grids.map((grid) => new Float64Array(grid.nx * grid.ny).fill(Infinity));
    this.componentMinH = new Float64Array(comps).fill(Infinity);
    this.componentHouseholds = Array.from({ length: comps }, () => []);
    this.currentOf = Array.from({ length: nC }, () => []);
    this.growHouseholds(this.model.householdCount);
    for (let h = 0; h < this.model.householdCount; h++) this.placeHousehold(h);
  }

  private readonly now: () => number;

  private growHouseholds(wanted: number): void {
    if (wanted <= this.assigned.length) return;
    const size = Math.max(wanted, Math.ceil(this.assigned.length * 1.5), 16);
    const grow = <T extends Int32Array | Float64Array | Uint8Array>(old: T, fill = 0): T => {
      const next = new (old.constructor as new (length: number) => T)(size);
      next.fill(fill);
      next.set(old);
      return next;
    };
    this.arcStart = grow(this.arcStart);
    this.arcLength = grow(this.arcLength);
    this.arcRoom = grow(this.arcRoom);
    this.outBound = grow(this.outBound);
    this.outRounds = grow(this.outRounds);
    this.gone = grow(this.gone);
    this.assigned = grow(this.assigned, NONE);
    this.assignedCost = grow(this.assignedCost);
    this.piH = grow(this.piH);
    this.distH = grow(this.distH);
    this.stampH = grow(this.stampH);
    this.doneH = grow(this.doneH);
    this.predH = grow(this.predH);
    this.dirty = grow(this.dirty);
    this.householdCell = grow(this.householdCell, NONE);
  }

  private placeHousehold(h: number): void {
    const model = this.model;
    const comp = model.householdComponent[h]!;
    if (comp < 0 || comp >= model.components) return;
    const cell = model.grids[comp]!.cellOf(model.householdPx[h]!, model.householdPy[h]!);
    this.householdCell[h] = cell;
    this.cellHouseholds[comp]![cell]!.push(h);
    this.componentHouseholds[comp]!.push(h);
    const cur = model.current[h]!;
    if (cur >= 0) this.currentOf[cur]!.push(h);
    this.lowerHouseholdBound(h);
  }

  /** Keeps the cell's bound on π(h) + penalty true after π(h) fell. */
  private lowerHouseholdBound(h: number): void {
    const cell = this.householdCell[h]!;
    if (cell < 0) return;
    const comp = this.model.householdComponent[h]!;
    const value = this.piH[h]! + (this.model.current[h]! >= 0 ? this.model.changePenalty : 0);
    const minH = this.cellMinH[comp]!;
    if (value < minH[cell]!) minH[cell] = value;
    if (value < this.componentMinH[comp]!) this.componentMinH[comp] = value;
  }

  // ---- working graph -------------------------------------------------------

  private addArc(h: number, c: number, cost: number): void {
    let length = this.arcLength[h]!;
    if (length === this.arcRoom[h]) {
      const room = Math.max(this.k + 4, length * 2);
      if (this.poolUsed + 2 * room > this.pool.length) {
        const pool = new Int32Array(Math.max(this.pool.length * 2, this.poolUsed + 2 * room));
        pool.set(this.pool.subarray(0, this.poolUsed));
        this.pool = pool;
      }
      this.pool.copyWithin(this.poolUsed, this.arcStart[h]!, this.arcStart[h]! + 2 * length);
      this.arcStart[h] = this.poolUsed;
      this.arcRoom[h] = room;
      this.poolUsed += 2 * room;
    }
    const at = this.arcStart[h]! + 2 * length;
    this.pool[at] = c;
    this.pool[at + 1] = cost;
    this.arcLength[h] = ++length;
    this.arcs += 1;
  }

  private hasArc(h: number, c: number): boolean {
    const start = this.arcStart[h]!;
    const end = start + 2 * this.arcLength[h]!;
    for (let i = start; i < end; i += 2) if (this.pool[i] === c) return true;
    return false;
  }

  /** The k nearest eligible cadres with capacity (and the current cadre when eligible) become h's arcs. */
  private buildCandidates(h: number): void {
    const model = this.model;
    const comp = model.householdComponent[h]!;
    if (comp < 0 || comp >= model.components) return;
    const grid = model.grids[comp]!;
    const k = this.k;
    const best = new Int32Array(k);
    const bestKm = new Float64Array(k).fill(Infinity);
    let found = 0;
    grid.walk(
      h,
      (cell, km) => {
        if (found === k && km >= bestKm[k - 1]!) return;
        if (!grid.cellServes(cell, h)) return;
        for (let i = grid.start[cell]!; i < grid.start[cell + 1]!; i++) {
          const c = grid.items[i]!;
          if (model.capacity[c]! <= 0 || !model.eligible(h, c)) continue;
          const d = model.distanceKm(h, c);
          if (found === k && d >= bestKm[k - 1]!) continue;
          let at = found === k ? k - 1 : found++;
          while (at > 0 && bestKm[at - 1]! > d) {
            bestKm[at] = bestKm[at - 1]!;
            best[at] = best[at - 1]!;
            at -= 1;
          }
          bestKm[at] = d;
          best[at] = c;
        }
      },
      (km) => found === k && km >= bestKm[k - 1]!,
    );
    for (let i = 0; i < found; i++) this.addArc(h, best[i]!, model.cost(h, best[i]!));
    const cur = model.current[h]!;
    if (cur >= 0 && model.capacity[cur]! > 0 && model.eligible(h, cur) && !this.hasArc(h, cur)) this.addArc(h, cur, model.cost(h, cur));
    // Every other eligible cadre is at least the k-th distance away and pays the change penalty.
    this.outBound[h] = found < k ? Infinity : 1000 * bestKm[k - 1]! - 1 + (cur >= 0 ? model.changePenalty : 0) + this.componentMinQ[comp]!;
  }

  // ---- shortest paths ------------------------------------------------------

  private relaxH(h: number, d: number, pred: number): void {
    if (d >= this.bound || this.doneH[h] === this.gen) return;
    if (this.stampH[h] !== this.gen || d < this.distH[h]!) {
      this.stampH[h] = this.gen;
      this.distH[h] = d;
      this.predH[h] = pred;
      this.heap.push(d, householdCode(h));
    }
  }

  private relaxC(c: number, d: number, pred: number, cost: number): void {
    if (d >= this.bound || this.doneC[c] === this.gen) return;
    if (this.stampC[c] !== this.gen || d < this.distC[c]!) {
      this.stampC[c] = this.gen;
      this.distC[c] = d;
      this.predC[c] = pred;
      this.predW[c] = cost;
      this.heap.push(d, cadreCode(c));
    }
  }

  private relaxT(k: number, d: number, pred: number): void {
    if (d >= this.bound) return;
    if (this.stampT[k] !== this.gen || d < this.distT[k]!) {
      this.stampT[k] = this.gen;
      this.distT[k] = d;
      this.predT[k] = pred;
      this.heap.push(d, sinkCode(k));
    }
  }

  private settle(code: number, d: number): void {
    if (this.settledCount === this.settledCodes.length) {
      const codes = new Int32Array(this.settledCount * 2);
      codes.set(this.settledCodes);
      this.settledCodes = codes;
      const dist = new Float64Array(this.settledCount * 2);
      dist.set(this.settledDist);
      this.settledDist = dist;
    }
    this.settledCodes[this.settledCount] = code;
    this.settledDist[this.settledCount++] = d;
  }

  /**
   * Dijkstra on reduced costs from `start` until `target` is taken from the
   * heap (its distance is returned) or every key left is ≥ `bound`
   * (Infinity is returned). Settled nodes are left in the settled list.
   */
  private search(start: number, target: number, bound: number): number {
    this.gen += 1;
    this.bound = bound;
    this.settledCount = 0;
    this.heap.size = 0;
    const gen = this.gen;
    const model = this.model;
    const fairness = this.fairness;
    const { piH, piC, piT, assigned, served } = this;
    const comps = model.components;
    if (start >= 0 && (start & 1) === 0) this.relaxH(start >> 1, 0, NONE);
    else if (start >= 0) this.relaxC(start >> 1, 0, NONE, 0);
    else this.relaxT(-1 - start, 0, NONE);
    const heap = this.heap;
    while (heap.size > 0) {
      const key = heap.keys[0]!;
      const code = heap.codes[0]!;
      heap.pop();
      if (key >= bound) break;
      if (code === target) return key;
      if (code >= 0 && (code & 1) === 0) {
        const h = code >> 1;
        if (this.doneH[h] === gen || key > this.distH[h]!) continue;
        this.doneH[h] = gen;
        this.settle(code, key);
        const base = key + piH[h]!;
        const own = assigned[h]!;
        const end = this.arcStart[h]! + 2 * this.arcLength[h]!;
        const pool = this.pool;
        const out = base + this.outBound[h]!;
        if (out < this.bound) heap.push(out > key ? out : key, -1 - comps - h);
        for (let i = this.arcStart[h]!; i < end; i += 2) {
          const c = pool[i]!;
          if (c === own || model.alive[c] !== 1) continue;
          const w = pool[i + 1]!;
          this.relaxC(c, base + w - piC[c]!, h, w);
        }
      } else if (code >= 0) {
        const c = code >> 1;
        if (this.doneC[c] === gen || key > this.distC[c]!) continue;
        this.doneC[c] = gen;
        this.settle(code, key);
        const list = served[c]!;
        const load = list.length;
        const comp = model.cadreComponent[c]!;
        if (load < model.capacity[c]!) this.relaxT(comp, key + fairness * load + piC[c]! - piT[comp]!, c);
        const base = key + piC[c]!;
        for (let i = 0; i < load; i++) {
          const h = list[i]!;
          this.relaxH(h, base - this.assignedCost[h]! - piH[h]!, c);
        }
      } else if (-1 - code >= comps) {
        this.expandOut(-1 - code - comps, key);
      } else {
        const comp = -1 - code;
        if (key > this.distT[comp]!) continue;
        this.settle(code, key);
        const base = key + piT[comp]!;
        const cadres = this.componentCadres[comp]!;
        for (let i = 0; i < cadres.length; i++) {
          const c = cadres[i]!;
          const load = served[c]!.length;
          if (load === 0) continue;
          this.relaxC(c, base - fairness * (load - 1) - piC[c]!, FROM_SINK, 0);
        }
      }
    }
    return Infinity;
  }

  /**
   * Brings arcs of the settled household h that are not yet in the graph
   * into the search: every eligible cadre that could still beat the best
   * path to the sink found so far (or, before one is found, the cheapest
   * one), found by a grid search bounded by that reduced cost.
   */
  private expandOut(h: number, key: number): void {
    const model = this.model;
    const dh = this.distH[h]!;
    const comp = model.householdComponent[h]!;
    let limit = this.bound - dh - this.piH[h]!;
    if (this.stampT[comp] === this.gen) limit = Math.min(limit, this.distT[comp]! - dh - this.piH[h]!);
    if (this.outBound[h]! >= limit) return;
    const all = limit !== Infinity;
    const found = this.findOutside(h, limit, all, all ? OUTSIDE_BATCH : 1 << Math.min(OUTSIDE_GROWTH, this.outRounds[h]!++));
    this.outSearches += 1;
    const base = dh + this.piH[h]!;
    for (let i = 0; i < found; i++) {
      const c = this.outCadre[i]!;
      const w = this.outCost[i]!;
      this.addArc(h, c, w);
      this.relaxC(c, base + w - this.piC[c]!, h, w);
    }
    this.outBound[h] = Math.max(this.outBound[h]!, this.outBeyond);
    if (!all && found > 0) {
      const next = base + this.outBound[h]!;
      if (next < this.bound) this.heap.push(next > key ? next : key, -1 - model.components - h);
    }
  }

  private readonly outValues = new Float64Array(OUTSIDE_BATCH);
  private outCadre = new Int32Array(64);
  private outCost = new Float64Array(64);
  /** After findOutside: a lower bound on the value of every outside cadre it did not return. */
  private outBeyond = Infinity;

  /**
   * Eligible cadres with capacity outside h's arcs whose cost − π is below
   * `limit`: all of them (`all`), else the `batch` cheapest. Returns
   * how many are in outCadre/outCost; outBeyond bounds the value of the rest.
   */
  private findOutside(h: number, limit: number, all: boolean, batch: number): number {
    const model = this.model;
    const comp = model.householdComponent[h]!;
    const grid = model.grids[comp]!;
    const minQ = this.cellMinQ[comp]!;
    const cur = model.current[h]!;
    const penalty = cur >= 0 ? model.changePenalty : 0;
    const piC = this.piC;
    let count = 0;
    let best = limit;
    let beyond = Infinity;
    const keep = (c: number, w: number, value: number): void => {
      if (all) {
        if (count === this.outCadre.length) {
          const cadres = new Int32Array(count * 2);
          cadres.set(this.outCadre);
          this.outCadre = cadres;
          const costs = new Float64Array(count * 2);
          costs.set(this.outCost);
          this.outCost = costs;
        }
        this.outCadre[count] = c;
        this.outCost[count++] = w;
      } else {
        // Keep the `batch` cheapest, sorted; one pushed out bounds the rest.
        let at: number;
        if (count < batch) at = count++;
        else {
          beyond = Math.min(beyond, this.outValues[batch - 1]!);
          at = batch - 1;
        }
        while (at > 0 && this.outValues[at - 1]! > value) {
          this.outValues[at] = this.outValues[at - 1]!;
          this.outCadre[at] = this.outCadre[at - 1]!;
          this.outCost[at] = this.outCost[at - 1]!;
          at -= 1;
        }
        this.outValues[at] = value;
        this.outCadre[at] = c;
        this.outCost[at] = w;
        if (count === batch) best = this.outValues[batch - 1]!;
      }
    };
    if (cur >= 0 && model.capacity[cur]! > 0 && model.eligible(h, cur) && !this.hasArc(h, cur)) {
      const w = model.cost(h, cur);
      if (w - piC[cur]! < best) keep(cur, w, w - piC[cur]!);
      else beyond = Math.min(beyond, w - piC[cur]!);
    }
    const floor = this.componentMinQ[comp]! + penalty - 1;
    grid.walk(
      h,
      (cell, km) => {
        if (!grid.cellServes(cell, h)) return;
        const bound = 1000 * km + penalty - 1 + minQ[cell]!;
        if (bound >= best) {
          if (bound < beyond) beyond = bound;
          return;
        }
        for (let i = grid.start[cell]!; i < grid.start[cell + 1]!; i++) {
          const c = grid.items[i]!;
          if (c === cur || model.capacity[c]! <= 0 || !model.eligible(h, c)) continue;
          const w = model.cost(h, c);
          const value = w - piC[c]!;
          if (value < beyond || value < best) {
            if (this.hasArc(h, c)) continue;
            if (value < best) keep(c, w, value);
            else beyond = value;
          }
        }
      },
      (km) => {
        const bound = 1000 * km + floor;
        if (bound < best) return false;
        if (bound < beyond) beyond = bound;
        return true;
      },
    );
    this.outBeyond = beyond;
    return count;
  }

  /** π(v) += d(v) − bound for every settled v with d(v) < bound: keeps reduced costs ≥ 0. */
  private updatePotentials(bound: number): void {
    const { settledCodes, settledDist, piH, piC, piT } = this;
    if (this.settledCount > 0) {
      const code = settledCodes[0]!;
      const comp = code < 0 ? -1 - code : (code & 1) === 0 ? this.model.householdComponent[code >> 1]! : this.model.cadreComponent[code >> 1]!;
      if (comp >= 0 && comp < this.model.components) this.moved[comp]! += this.settledCount;
    }
    for (let i = 0; i < this.settledCount; i++) {
      const d = settledDist[i]!;
      if (d >= bound) continue;
      const code = settledCodes[i]!;
      if (code >= 0 && (code & 1) === 0) {
        const h = code >> 1;
        piH[h] = piH[h]! + d - bound;
        this.lowerHouseholdBound(h);
        if (this.dirty[h] === 0) {
          this.dirty[h] = 1;
          this.dirtyList.push(h);
        }
      } else if (code >= 0) piC[code >> 1] = piC[code >> 1]! + d - bound;
      else piT[-1 - code] = piT[-1 - code]! + d - bound;
    }
    this.settled += this.settledCount;
  }

  private leave(h: number, c: number): void {
    this.flowVersion += 1;
    this.room[this.model.cadreComponent[c]!]! += 1;
    const list = this.served[c]!;
    const at = list.indexOf(h);
    list[at] = list[list.length - 1]!;
    list.pop();
  }

  private take(h: number, c: number, cost: number): void {
    this.flowVersion += 1;
    this.room[this.model.cadreComponent[c]!]! -= 1;
    this.assigned[h] = c;
    this.assignedCost[h] = cost;
    this.served[c]!.push(h);
  }

  /** Pushes one unit along the found path, walking back from `target` to `start`. */
  private applyPath(start: number, target: number): void {
    let v = target;
    while (v !== start) {
      if (v < 0) v = cadreCode(this.predT[-1 - v]!);
      else if ((v & 1) === 1) {
        const c = v >> 1;
        const pred = this.predC[c]!;
        if (pred === FROM_SINK) v = sinkCode(this.model.cadreComponent[c]!);
        else {
          this.take(pred, c, this.predW[c]!);
          v = householdCode(pred);
        }
      } else {
        const h = v >> 1;
        const c = this.predH[h]!;
        this.leave(h, c);
        v = cadreCode(c);
      }
    }
  }

  /**
   * Serves the free household h by a shortest augmenting path to its sink
   * (arcs outside the graph come in lazily, so the path is shortest over all
   * eligible pairs); when there is none, h is recorded as unserved with the
   * reason.
   */
  private serve(h: number): boolean {
    const model = this.model;
    const comp = model.householdComponent[h]!;
    if (comp < 0 || comp >= model.components) {
      this.unserved.set(h, model.noEligibleReason(h) ?? 'sameDistrict: no cadre in its district');
      return false;
    }
    if (this.room[comp]! <= 0) {
      this.refuse(h, this.noRoomReason(comp));
      return false;
    }
    if (this.closedVersion[comp] === this.flowVersion && this.closedAround(h, comp)) {
      this.refuse(h, this.closedReason[comp]!);
      return false;
    }
    const d = this.search(householdCode(h), sinkCode(comp), Infinity);
    if (d !== Infinity) {
      this.updatePotentials(d);
      this.applyPath(householdCode(h), sinkCode(comp));
      this.augmentations += 1;
      return true;
    }
    // The search saw every eligible arc (lazily): the settled set is closed and full.
    this.settled += this.settledCount;
    this.closedGen[comp] = this.gen;
    this.closedVersion[comp] = this.flowVersion;
    let households = 0;
    let cadres = 0;
    let places = 0;
    for (let i = 0; i < this.settledCount; i++) {
      const code = this.settledCodes[i]!;
      if (code < 0) continue;
      if ((code & 1) === 0) households += 1;
      else {
        cadres += 1;
        places += model.capacity[code >> 1]!;
      }
    }
    this.closedReason[comp] = `capacity: its eligible cadres and those its competitors could move to (${cadres} cadres, ${places} places${model.sameDistrict ? ` in district ${model.districtNames[model.householdDistrict[h]!]}` : ''}) are all taken by ${households - 1} other households that have no other eligible cadre`;
    this.refuse(h, this.closedReason[comp]!);
    return false;
  }

  /** Records h as unserved for `reason`, unless result() finds it has no eligible cadre at all. */
  private refuse(h: number, reason: string): void {
    this.unserved.set(h, reason);
    this.reasonUnchecked.add(h);
  }

  /** Why nobody more can be served in a component with no free place left. */
  private noRoomReason(comp: number): string {
    if (this.noRoomVersion[comp] === this.flowVersion) return this.noRoomText[comp]!;
    const model = this.model;
    let cadres = 0;
    let places = 0;
    let households = 0;
    for (const c of this.componentCadres[comp]!) {
      if (model.alive[c] !== 1 || model.capacity[c]! <= 0) continue;
      cadres += 1;
      places += model.capacity[c]!;
      households += this.served[c]!.length;
    }
    this.noRoomVersion[comp] = this.flowVersion;
    this.noRoomText[comp] = `capacity: every place ${model.sameDistrict ? 'in its district' : 'there'} is taken (${cadres} cadres, ${places} places${model.sameDistrict ? ` in district ${model.districtNames[comp]}` : ''}, by ${households} other households)`;
    return this.noRoomText[comp];
  }

  /**
   * Whether every eligible cadre of h with capacity lies in the closed set
   * the last failed search of this component settled (no flow or capacity
   * has changed since): every path from h then stays inside it and never
   * reaches the sink, so h cannot be served either — without searching the
   * whole district again.
   */
  private closedAround(h: number, comp: number): boolean {
    const model = this.model;
    const gen = this.closedGen[comp]!;
    for (const c of this.componentCadres[comp]!) {
      if (model.alive[c] !== 1 || model.capacity[c]! <= 0 || this.doneC[c] === gen || !model.eligible(h, c)) continue;
      return false;
    }
    return true;
  }

  /** Adds arc h→c to the graph; if its reduced cost is negative, repairs flow and potentials. */
  private insertArc(h: number, c: number): void {
    if (this.hasArc(h, c)) return;
    const w = this.model.cost(h, c);
    this.addArc(h, c, w);
    const rc = w + this.piH[h]! - this.piC[c]!;
    if (rc >= 0 || this.assigned[h] === NONE) return;
    this.repairArc(h, c, w, -rc);
  }

  /**
   * Arc h→c has reduced cost −gain < 0. Looks for a cycle through it with
   * negative cost (a shortest path c ⇝ h shorter than gain): if found the
   * cycle is pushed, else potentials rise by bound so the arc prices at 0.
   */
  private repairArc(h: number, c: number, w: number, gain: number): void {
    const d = this.search(cadreCode(c), householdCode(h), gain);
    if (d === Infinity) {
      this.updatePotentials(gain);
      return;
    }
    this.updatePotentials(d);
    this.applyPath(cadreCode(c), householdCode(h));
    this.take(h, c, w);
  }

  /**
   * A cadre's sink arc c→t got room (capacity raised, a household left) with
   * reduced cost −gain < 0: a negative cycle exists iff some path t ⇝ c is
   * shorter than gain. It is searched backwards, from c (reverseRoom): the
   * households that could move to c lie near c, whereas the forward search
   * from the sink fans out over every loaded cadre of the district.
   */
  private repairSinkArc(c: number, gain: number): void {
    const d = this.reverseRoom(c, gain);
    this.reverseUpdatePotentials(c, d === Infinity ? gain : d);
    if (d !== Infinity) this.applyReversePath(c);
  }

  /**
   * Dijkstra on reduced costs over reversed residual arcs, from cadre c to its
   * component's sink, below `bound`. A cadre's predecessors are the sink
   * (through its last unit of load) and every eligible household that could
   * move to it — in the graph or not: the households around the cadre are
   * walked cell by cell while 1000 × distance − ½ + the cell's least π(h) +
   * penalty could still beat the bound. A household's predecessor is its
   * cadre. Returns the sink's distance, or Infinity when it is ≥ bound.
   * For each node, predC / predH / predT hold the next node towards c.
   */
  private reverseRoom(c: number, bound: number): number {
    this.gen += 1;
    this.bound = bound;
    this.settledCount = 0;
    this.heap.size = 0;
    const gen = this.gen;
    const model = this.model;
    const fairness = this.fairness;
    const { piH, piC, piT, assigned, served } = this;
    const comp = model.cadreComponent[c]!;
    const grid = model.grids[comp]!;
    const households = this.cellHouseholds[comp]!;
    const minH = this.cellMinH[comp]!;
    this.relaxC(c, 0, NONE, 0);
    const heap = this.heap;
    let key = 0;
    let into = 0;
    const offer = (h: number): void => {
      if (assigned[h] === NONE || assigned[h] === into || !model.eligible(h, into)) return;
      this.relaxH(h, key + model.cost(h, into) + piH[h]! - piC[into]!, into);
    };
    while (heap.size > 0) {
      key = heap.keys[0]!;
      const code = heap.codes[0]!;
      heap.pop();
      // The bound is the sink's tentative distance once it is reached: nothing left can beat it.
      if (key >= this.bound) break;
      if (code >= 0 && (code & 1) === 0) {
        const h = code >> 1;
        if (this.doneH[h] === gen || key > this.distH[h]!) continue;
        this.doneH[h] = gen;
        this.settle(code, key);
        const a = assigned[h]!;
        this.relaxC(a, key - this.assignedCost[h]! + piC[a]! - piH[h]!, h, 0);
      } else if (code >= 0) {
        const v = code >> 1;
        if (this.doneC[v] === gen || key > this.distC[v]!) continue;
        this.doneC[v] = gen;
        this.settle(code, key);
        const load = served[v]!.length;
        if (load > 0) {
          this.relaxT(comp, key + piT[comp]! - piC[v]! - fairness * (load - 1), v);
          if (this.stampT[comp] === gen && this.distT[comp]! < this.bound) this.bound = this.distT[comp]!;
        }
        if (model.capacity[v]! <= 0) continue;
        into = v;
        const base = key - piC[v]! - 0.5;
        for (const h of this.currentOf[v]!) offer(h);
        grid.walkFrom(
          model.cadrePx[v]!,
          model.cadrePy[v]!,
          (cell, km) => {
            if (base + 1000 * km + minH[cell]! >= this.bound) return;
            for (const h of households[cell]!) if (model.current[h] !== v) offer(h);
          },
          (km) => base + 1000 * km + this.componentMinH[comp]! >= this.bound,
        );
      }
    }
    return this.stampT[comp] === gen ? this.distT[comp]! : Infinity;
  }

  /**
   * After reverseRoom with distances r(v) to c: π(v) −= r(v) for every
   * settled v with r(v) < d, and −= d for every other node of the component.
   * Every residual arc keeps a reduced cost ≥ 0, the arcs of the shortest
   * paths to c price at 0, and potentials only fall.
   */
  private reverseUpdatePotentials(c: number, d: number): void {
    const model = this.model;
    const comp = model.cadreComponent[c]!;
    this.moved[comp]! += this.settledCount;
    const { settledCodes, settledDist, piH, piC, piT } = this;
    for (const h of this.componentHouseholds[comp]!) piH[h] = piH[h]! - d;
    for (const v of this.componentCadres[comp]!) piC[v] = piC[v]! - d;
    piT[comp] = piT[comp]! - d;
    const minH = this.cellMinH[comp]!;
    for (let cell = 0; cell < minH.length; cell++) minH[cell] = minH[cell]! - d;
    this.componentMinH[comp] = this.componentMinH[comp]! - d;
    for (let i = 0; i < this.settledCount; i++) {
      const r = settledDist[i]!;
      if (r >= d) continue;
      const code = settledCodes[i]!;
      if (code >= 0 && (code & 1) === 0) {
        const h = code >> 1;
        piH[h] = piH[h]! + d - r;
        this.markDirty(h);
      } else if (code >= 0) piC[code >> 1] = piC[code >> 1]! + d - r;
    }
    this.settled += this.settledCount;
  }

  /** Pushes the cycle t → c1 → h1 → c2 → … → c found by reverseRoom (c then gains a household). */
  private applyReversePath(c: number): void {
    const comp = this.model.cadreComponent[c]!;
    let v = this.predT[comp]!;
    while (v !== c) {
      const h = this.predC[v]!;
      const next = this.predH[h]!;
      const w = this.model.cost(h, next);
      if (!this.hasArc(h, next)) this.addArc(h, next, w);
      this.leave(h, v);
      this.take(h, next, w);
      v = next;
    }
  }

  // ---- pricing -------------------------------------------------------------

  /** Per cell, the least −π(c) of its cadres: potentials only fall, so it stays a lower bound. */
  private refreshCellBounds(): void {
    for (let comp = 0; comp < this.model.components; comp++) this.refreshCadreBounds(comp);
  }

  private refreshCadreBounds(comp: number): void {
    const model = this.model;
    const grid = model.grids[comp]!;
    const minQ = this.cellMinQ[comp]!;
    let all = Infinity;
    for (let cell = 0; cell < minQ.length; cell++) {
      let least = Infinity;
      for (let i = grid.start[cell]!; i < grid.start[cell + 1]!; i++) {
        const c = grid.items[i]!;
        if (model.alive[c] !== 1 || model.capacity[c]! <= 0) continue;
        // An idle cadre's potential may sit at its sink's: lowering it keeps every reduced cost ≥ 0.
        if (this.served[c]!.length === 0 && this.piC[c]! > this.piT[comp]!) this.piC[c] = this.piT[comp]!;
        least = Math.min(least, -this.piC[c]!);
      }
      minQ[cell] = least;
      all = Math.min(all, least);
    }
    this.componentMinQ[comp] = all;
  }

  /**
   * Potentials fall with every change, so the per-cell bounds the grid
   * searches prune by (least −π(c) of cadres, least π(h) + penalty of
   * households) grow loose and the searches open ever more cells; before a
   * change, the changed component's bounds are made exact again (a pass over
   * its cadres and households, tens of microseconds) once enough potentials
   * have moved since the last pass.
   */
  private refreshIfLoose(comp: number): void {
    if (comp < 0 || comp >= this.model.components) return;
    // Amortised: only once the searches since the last pass moved a quarter as many potentials as the component holds.
    if (4 * this.moved[comp]! < this.componentHouseholds[comp]!.length + this.componentCadres[comp]!.length) return;
    this.moved[comp] = 0;
    this.refreshCadreBounds(comp);
    const model = this.model;
    const minH = this.cellMinH[comp]!;
    minH.fill(Infinity);
    let all = Infinity;
    for (const h of this.componentHouseholds[comp]!) {
      if (this.gone[h] === 1) continue;
      const value = this.piH[h]! + (model.current[h]! >= 0 ? model.changePenalty : 0);
      const cell = this.householdCell[h]!;
      if (value < minH[cell]!) minH[cell] = value;
      if (value < all) all = value;
    }
    this.componentMinH[comp] = all;
  }

  /**
   * The eligible cadres c ≠ assigned(h) with reduced cost cost(h, c) + π(h) −
   * π(c) < 0, the most negative first (at most MAX_VIOLATORS), found by a
   * ring search whose bound is 1000 × distance − 1 + change penalty + the
   * cell's least −π.
   */
  private findViolators(h: number): void {
    this.violators = 0;
    const model = this.model;
    const comp = model.householdComponent[h]!;
    const own = this.assigned[h]!;
    const threshold = -this.piH[h]!;
    const cur = model.current[h]!;
    const penalty = cur >= 0 ? model.changePenalty : 0;
    const piC = this.piC;
    const consider = (c: number, w: number): void => {
      const value = w - piC[c]!;
      if (value >= threshold) return;
      const rc = value - threshold;
      const full = this.violators === MAX_VIOLATORS;
      if (full && rc >= this.violatorRc[MAX_VIOLATORS - 1]!) return;
      let at = full ? MAX_VIOLATORS - 1 : this.violators++;
      while (at > 0 && this.violatorRc[at - 1]! > rc) {
        this.violatorRc[at] = this.violatorRc[at - 1]!;
        this.violatorCadre[at] = this.violatorCadre[at - 1]!;
        this.violatorCost[at] = this.violatorCost[at - 1]!;
        at -= 1;
      }
      this.violatorRc[at] = rc;
      this.violatorCadre[at] = c;
      this.violatorCost[at] = w;
    };
    if (cur >= 0 && cur !== own && model.capacity[cur]! > 0 && model.eligible(h, cur)) consider(cur, model.cost(h, cur));
    const grid = model.grids[comp]!;
    const minQ = this.cellMinQ[comp]!;
    const floor = this.componentMinQ[comp]! + penalty - 1;
    grid.walk(
      h,
      (cell, km) => {
        if (1000 * km + penalty - 1 + minQ[cell]! >= threshold) return;
        if (!grid.cellServes(cell, h)) return;
        for (let i = grid.start[cell]!; i < grid.start[cell + 1]!; i++) {
          const c = grid.items[i]!;
          if (c === own || c === cur || model.capacity[c]! <= 0 || !model.eligible(h, c)) continue;
          consider(c, model.cost(h, c));
        }
      },
      (km) => 1000 * km + floor >= threshold,
    );
  }

  /** Prices the dirty households until none has an eligible pair with a negative reduced cost. */
  private priceAll(first: boolean): void {
    const model = this.model;
    if (first) {
      for (let h = 0; h < model.householdCount; h++) {
        if (this.assigned[h] === NONE || this.dirty[h] === 1) continue;
        this.dirty[h] = 1;
        this.dirtyList.push(h);
      }
    }
    while (this.dirtyList.length > 0) {
      if (this.now() > this.deadline) {
        this.timedOut = true;
        return;
      }
      this.pricingRounds += 1;
      this.refreshCellBounds();
      const round = this.dirtyList;
      this.dirtyList = [];
      for (const h of round) this.dirty[h] = 0;
      let done = 0;
      for (const h of round) {
        if ((++done & 4095) === 0) this.onProgress?.({ phase: 'price', done, total: round.length });
        if (this.assigned[h] === NONE) continue;
        this.findViolators(h);
        const count = this.violators;
        const cadres = this.violatorCadre.slice(0, count);
        for (let i = 0; i < count; i++) {
          const c = cadres[i]!;
          if (this.hasArc(h, c)) continue;
          this.arcsAddedByPricing += 1;
          this.insertArc(h, c);
        }
      }
    }
  }

  // ---- operations ----------------------------------------------------------

  /** Builds the working graph, serves every household, prices until certified. */
  solve(): void {
    const model = this.model;
    const total = model.householdCount;
    let t0 = this.now();
    for (let h = 0; h < total; h++) {
      this.buildCandidates(h);
      if ((h & 8191) === 8191) this.onProgress?.({ phase: 'candidates', done: h + 1, total });
    }
    this.initialArcs = this.arcs;
    let t1 = this.now();
    this.seconds.candidates += (t1 - t0) / 1000;
    // Households with needs first: they have the fewest eligible cadres.
    const order = [...Array(total).keys()].sort((a, b) => model.needsNothing[a]! - model.needsNothing[b]! || a - b);
    for (const h of order) {
      if (this.arcLength[h] === 0) {
        this.unserved.set(h, model.noEligibleReason(h) ?? 'no eligible cadre');
        continue;
      }
      this.serve(h);
      if ((h & 1023) === 1023) {
        this.refreshCellBounds();
        this.onProgress?.({ phase: 'augment', done: h + 1, total });
      }
    }
    t0 = this.now();
    this.seconds.augment += (t0 - t1) / 1000;
    this.priceAll(true);
    t1 = this.now();
    this.seconds.price += (t1 - t0) / 1000;
    this.onProgress?.({ phase: 'done', done: total, total });
  }

  /** A household arrives: it is served and the affected households re-priced. Returns its index. */
  addHousehold(household: PairingHousehold): number {
    const h = this.model.addHousehold(household);
    this.growHouseholds(this.model.householdCount);
    this.refreshIfLoose(this.model.householdComponent[h]!);
    this.placeHousehold(h);
    this.buildCandidates(h);
    if (this.arcLength[h] === 0) this.unserved.set(h, this.model.noEligibleReason(h) ?? 'no eligible cadre');
    else if (this.serve(h)) this.markDirty(h);
    return h;
  }

  /**
   * A household leaves the programme: its pair ends. The room it frees at its
   * cadre is a new sink arc, repaired like raised capacity.
   */
  removeHousehold(id: string): void {
    const h = this.model.householdIndex.get(id);
    if (h === undefined || this.gone[h] === 1) throw new PairingInputError(`unknown household ${id}`);
    this.gone[h] = 1;
    this.unserved.delete(h);
    const c = this.assigned[h]!;
    if (c === NONE) return;
    this.refreshIfLoose(this.model.cadreComponent[c]!);
    this.leave(h, c);
    this.assigned[h] = NONE;
    this.assignedCost[h] = 0;
    this.fillRoom(c);
    // The room it left may be what a refused household of its district lacked.
    this.retryUnserved(this.model.cadreComponent[c]!);
  }

  /** Each unit of room at cadre c whose sink arc prices below zero: push flow through it or raise prices. */
  private fillRoom(c: number): void {
    const model = this.model;
    const comp = model.cadreComponent[c]!;
    while (model.alive[c] === 1 && this.served[c]!.length < model.capacity[c]!) {
      const rc = this.fairness * this.served[c]!.length + this.piC[c]! - this.piT[comp]!;
      if (rc >= 0) break;
      this.repairSinkArc(c, -rc);
    }
  }

  /** A cadre leaves: their households are served anew. */
  removeCadre(id: string): void {
    const c = this.cadreOf(id);
    this.flowVersion += 1;
    const comp = this.model.cadreComponent[c]!;
    this.refreshIfLoose(comp);
    if (this.model.alive[c] === 1) this.room[comp]! -= this.model.capacity[c]! - this.served[c]!.length;
    this.model.alive[c] = 0;
    this.reserve(this.served[c]!.splice(0));
  }

  /** A cadre's capacity changes: extra households are served anew, or new room is priced. */
  setCapacity(id: string, capacity: number): void {
    if (!Number.isSafeInteger(capacity) || capacity < 0) throw new PairingInputError(`${id}: capacity must be a whole number ≥ 0`);
    const c = this.cadreOf(id);
    const model = this.model;
    if (model.alive[c] !== 1) throw new PairingInputError(`cadre ${id} has left`);
    const before = model.capacity[c]!;
    if (before === capacity) return;
    this.refreshIfLoose(model.cadreComponent[c]!);
    model.capacity[c] = capacity;
    // The freed households (a cut) are no longer its load: its free places become max(0, capacity − load).
    this.room[model.cadreComponent[c]!]! += Math.max(0, capacity - this.served[c]!.length) - (before - this.served[c]!.length);
    this.flowVersion += 1;
    const list = this.served[c]!;
    if (capacity < list.length) {
      this.reserve(list.splice(capacity));
      return;
    }
    const comp = model.cadreComponent[c]!;
    if (before === 0 && capacity > 0 && model.alive[c] === 1) {
      // A cadre new to the graph: idle, so its potential may sit at its sink's; every
      // household's bound on pairs outside its arcs must now count this cadre too.
      this.piC[c] = Math.min(this.piC[c]!, this.piT[comp]!);
      // Its cell's bound on −π skipped it while it had no capacity: the searches for outside pairs must see it.
      const grid = model.grids[comp]!;
      const cell = grid.cellOf(model.cadrePx[c]!, model.cadrePy[c]!);
      this.cellMinQ[comp]![cell] = Math.min(this.cellMinQ[comp]![cell]!, -this.piC[c]!);
      this.componentMinQ[comp] = Math.min(this.componentMinQ[comp]!, -this.piC[c]!);
      for (let h = 0; h < model.householdCount; h++) {
        if (model.householdComponent[h] !== comp || !model.eligible(h, c) || this.hasArc(h, c)) continue;
        const w = model.cost(h, c);
        if (w + this.piH[h]! - this.piC[c]! < 0 && this.assigned[h] !== NONE) this.insertArc(h, c);
        else this.outBound[h] = Math.min(this.outBound[h]!, w - this.piC[c]!);
      }
    }
    // Each new unit of room is a sink arc that may price below zero.
    this.fillRoom(c);
    // Households of this district refused for capacity may fit now (a vain retry searches the whole district).
    if (capacity > before) this.retryUnserved(comp);
  }

  private cadreOf(id: string): number {
    const c = this.model.cadreIndex.get(id);
    if (c === undefined) throw new PairingInputError(`unknown cadre ${id}`);
    return c;
  }

  private markDirty(h: number): void {
    if (this.dirty[h] === 0) {
      this.dirty[h] = 1;
      this.dirtyList.push(h);
    }
  }

  private reserve(households: number[]): void {
    for (const h of households) {
      this.assigned[h] = NONE;
      this.assignedCost[h] = 0;
    }
    for (const h of households) if (this.serve(h)) this.markDirty(h);
  }

  private retryUnserved(comp: number): void {
    for (const h of [...this.unserved.keys()]) {
      if (this.model.householdComponent[h] !== comp) continue;
      // Without a free place every retry would be refused: the rest keep their reasons.
      if (this.room[comp]! <= 0) break;
      this.unserved.delete(h);
      if (this.arcLength[h] === 0) this.buildCandidates(h);
      if (this.arcLength[h] === 0) this.unserved.set(h, this.model.noEligibleReason(h) ?? 'no eligible cadre');
      else if (this.serve(h)) this.markDirty(h);
    }
  }

  /** Households refused now (no path to a free place): a session's feasibility without building a result. */
  get unservedCount(): number {
    return this.unserved.size;
  }

  // ---- answer --------------------------------------------------------------

  /**
   * When pricing stopped early (time limit), a household's value is not its
   * assigned pair's but the least over every eligible cadre: the sum of the
   * (≤ 0) differences, found by the same bounded search.
   */
  private goneCount(): number {
    let count = 0;
    for (let h = 0; h < this.model.householdCount; h++) count += this.gone[h]!;
    return count;
  }

  private boundCorrection(): number {
    let correction = 0;
    for (let h = 0; h < this.model.householdCount; h++) {
      const a = this.assigned[h]!;
      if (a === NONE || this.dirty[h] === 0) continue;
      this.findViolators(h);
      const assignedValue = this.assignedCost[h]! - this.piC[a]!;
      const best = this.violators > 0 ? -this.piH[h]! + this.violatorRc[0]! : Infinity;
      if (best < assignedValue) correction += best - assignedValue;
    }
    return correction;
  }

  /** The current pairing with its cost, dual bound, potentials and stats. */
  result(): PairingResult {
    const model = this.model;
    // Changes keep every eligible pair's reduced cost ≥ 0 by construction; the certificate checks it for the households they touched.
    if (this.dirtyList.length > 0 && !this.timedOut) this.priceAll(false);
    if (this.dirtyList.length > 0 && this.unserved.size === 0) this.refreshCellBounds();
    const assignments: PairingAssignment[] = [];
    let cost = 0;
    let lowerBound = 0;
    const prices = new Map<string, number>();
    const values = new Map<string, number>();
    const price = new Float64Array(model.cadreIds.length);
    for (let c = 0; c < model.cadreIds.length; c++) {
      const comp = model.cadreComponent[c]!;
      let p = this.piT[comp]! - this.piC[c]!;
      if (this.served[c]!.length === 0 || model.alive[c] !== 1) p = Math.max(0, p);
      price[c] = p;
      if (model.alive[c] === 1) prices.set(model.cadreIds[c]!, p);
      const load = this.served[c]!.length;
      cost += (this.fairness * load * (load - 1)) / 2;
      if (model.alive[c] !== 1 || p <= 0) continue;
      // Σ_{j < capacity} max(0, p − fairness × j) in closed form.
      const terms = this.fairness > 0 ? Math.min(model.capacity[c]!, Math.ceil(p / this.fairness)) : model.capacity[c]!;
      lowerBound -= terms * p - (this.fairness * terms * (terms - 1)) / 2;
    }
    for (let h = 0; h < model.householdCount; h++) {
      const c = this.assigned[h]!;
      if (c === NONE) continue;
      assignments.push({ household: model.householdIds[h]!, cadre: model.cadreIds[c]! });
      cost += this.assignedCost[h]!;
      const u = this.assignedCost[h]! + price[c]!;
      values.set(model.householdIds[h]!, u);
      lowerBound += u;
    }
    for (const h of this.reasonUnchecked) {
      const reason = this.unserved.has(h) ? model.noEligibleReason(h) : undefined;
      if (reason !== undefined) this.unserved.set(h, reason);
    }
    this.reasonUnchecked.clear();
    const infeasible = this.unserved.size > 0;
    const clean = this.dirtyList.length === 0 && !infeasible;
    if (!clean && !infeasible) lowerBound += this.boundCorrection();
    // Not clean (time limit): boundCorrection priced the rest exactly, so an equal bound still proves optimality.
    const certified = !infeasible && lowerBound === cost;
    const unserved: UnservedHousehold[] = [...this.unserved].sort((a, b) => a[0] - b[0]).map(([h, reason]) => ({ household: model.householdIds[h]!, reason }));
    const total = (this.now() - this.started) / 1000;
    return {
      status: infeasible ? 'infeasible' : certified ? 'optimal' : 'time-limit',
      assignments,
      cost,
      lowerBound: infeasible ? NaN : lowerBound,
      gap: infeasible ? NaN : (cost - lowerBound) / Math.max(1, cost),
      certified,
      potentials: { cadres: prices, households: values },
      ...(infeasible ? { unserved } : {}),
      stats: {
        households: model.householdCount - this.goneCount(),
        cadres: model.cadreIds.length,
        components: model.components,
        arcs: this.arcs,
        initialArcs: this.initialArcs,
        augmentations: this.augmentations,
        settled: this.settled,
        pricingRounds: this.pricingRounds,
        arcsAddedByPricing: this.arcsAddedByPricing,
        outsideSearches: this.outSearches,
        seconds: { ...this.seconds, total },
      },
    };
  }
}
