/**
 * An independent check of a pairing's optimality certificate: given the
 * assignments and each cadre's price p(c), it recomputes the cost, checks
 * every hard constraint, and prices every eligible pair — with a grid search
 * bounded by the reduced cost, never by enumerating all pairs — to get each
 * household's value u(h) = min over eligible c of cost(h, c) + p(c) and the
 * dual bound Σ u − Σ_c Σ_{j<capacity} max(0, p(c) − fairness × j). The
 * pairing is certified when that bound equals its cost (weak duality: no
 * pairing can cost less). Trusts nothing of the solver's state. Pure.
 */
import { PairingModel } from './model.ts';
import type { PairingAssignment, PairingInstance, PairingOptions } from './types.ts';

export interface PairingCertificate {
  readonly certified: boolean;
  readonly cost: number;
  readonly lowerBound: number;
  readonly gap: number;
  /** Households with an eligible cadre cheaper than theirs at these prices (a negative reduced cost). */
  readonly violations: number;
  /** Broken hard constraints or unknown ids, one line each (capped at 20). */
  readonly problems: readonly string[];
}

/**
 * Checks `assignments` against the instance with cadre prices `prices`
 * (PairingResult.potentials.cadres). Missing prices count as 0.
 *
 * @example
 * const check = certifyPairing(instance, options, result.assignments, result.potentials.cadres);
 * check.certified; // true: result.cost is the optimum
 */
export function certifyPairing(
  instance: PairingInstance,
  options: Pick<PairingOptions, 'sameDistrict' | 'skills' | 'changePenalty' | 'fairness'>,
  assignments: readonly PairingAssignment[],
  prices: ReadonlyMap<string, number>,
): PairingCertificate {
  const model = new PairingModel(instance, options);
  const problems: string[] = [];
  const problem = (text: string): void => {
    if (problems.length < 20) problems.push(text);
  };
  const nC = model.cadreIds.length;
  const nH = model.householdCount;
  const price = new Float64Array(nC);
  for (let c = 0; c < nC; c++) price[c] = prices.get(model.cadreIds[c]!) ?? 0;
  const assigned = new Int32Array(nH).fill(-1);
  const load = new Int32Array(nC);
  for (const { household, cadre } of assignments) {
    const h = model.householdIndex.get(household);
    const c = model.cadreIndex.get(cadre);
    if (h === undefined || c === undefined) {
      problem(`unknown ${h === undefined ? `household ${household}` : `cadre ${cadre}`}`);
      continue;
    }
    if (assigned[h] !== -1) problem(`household ${household} is assigned twice`);
    if (!model.eligible(h, c)) problem(`household ${household} is not eligible for cadre ${cadre}`);
    assigned[h] = c;
    load[c]! += 1;
  }
  let cost = 0;
  let lowerBound = 0;
  const f = model.fairness;
  for (let c = 0; c < nC; c++) {
    const L = load[c]!;
    if (L > model.capacity[c]!) problem(`cadre ${model.cadreIds[c]} has ${L} households, capacity ${model.capacity[c]}`);
    cost += (f * L * (L - 1)) / 2;
    const p = price[c]!;
    if (p <= 0) continue;
    const terms = f > 0 ? Math.min(model.capacity[c]!, Math.ceil(p / f)) : model.capacity[c]!;
    lowerBound -= terms * p - (f * terms * (terms - 1)) / 2;
  }
  // Per cell, the least price of a cadre with capacity: a lower bound for the cell.
  const cellMin = model.grids.map((grid) => {
    const least = new Float64Array(grid.nx * grid.ny).fill(Infinity);
    for (let cell = 0; cell < least.length; cell++) {
      for (let i = grid.start[cell]!; i < grid.start[cell + 1]!; i++) {
        const c = grid.items[i]!;
        if (model.capacity[c]! > 0) least[cell] = Math.min(least[cell]!, price[c]!);
      }
    }
    return least;
  });
  const floor = cellMin.map((least) => least.reduce((a, b) => Math.min(a, b), Infinity));
  let violations = 0;
  for (let h = 0; h < nH; h++) {
    const a = assigned[h]!;
    if (a === -1) {
      problem(`household ${model.householdIds[h]} is not assigned`);
      continue;
    }
    const own = model.cost(h, a);
    cost += own;
    let best = own + price[a]!;
    const assignedValue = best;
    const cur = model.current[h]!;
    if (cur >= 0 && model.capacity[cur]! > 0 && model.eligible(h, cur)) best = Math.min(best, model.cost(h, cur) + price[cur]!);
    const penalty = cur >= 0 ? model.changePenalty : 0;
    const comp = model.householdComponent[h]!;
    const grid = model.grids[comp]!;
    const least = cellMin[comp]!;
    grid.walk(
      h,
      (cell, km) => {
        if (1000 * km - 1 + penalty + least[cell]! >= best || !grid.cellServes(cell, h)) return;
        for (let i = grid.start[cell]!; i < grid.start[cell + 1]!; i++) {
          const c = grid.items[i]!;
          if (c === cur || model.capacity[c]! <= 0 || !model.eligible(h, c)) continue;
          const value = model.cost(h, c) + price[c]!;
          if (value < best) best = value;
        }
      },
      (km) => 1000 * km - 1 + penalty + floor[comp]! >= best,
    );
    if (best < assignedValue) violations += 1;
    lowerBound += best;
  }
  return {
    certified: problems.length === 0 && violations === 0 && lowerBound === cost,
    cost,
    lowerBound,
    gap: (cost - lowerBound) / Math.max(1, cost),
    violations,
    problems,
  };
}
