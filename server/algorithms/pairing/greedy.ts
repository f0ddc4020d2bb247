/**
 * Greedy previews of a pairing, shown only with their gap to the optimum:
 * `nearest` (each household in turn takes the nearest eligible cadre with
 * room) and `cheapest` (the cheapest household–cadre pairs among each
 * household's nearest eligible cadres first, then nearest-available for
 * whoever is left; households with needs go first so experts are not used
 * up by others). Fast, feasible when lucky, never optimal. Pure.
 */
import { PairingModel } from './model.ts';
import type { PairingAssignment, PairingInstance, PairingOptions } from './types.ts';

export type GreedyKind = 'nearest' | 'cheapest';

export interface GreedyPreview {
  readonly kind: GreedyKind;
  readonly assignments: readonly PairingAssignment[];
  /** Cost of the assignments under the full model (fairness included). */
  readonly cost: number;
  /** Households left without a cadre (a greedy can strand them where the optimum would not). */
  readonly stranded: readonly string[];
}

/**
 * A greedy pairing of the instance.
 *
 * @example
 * const preview = greedyPairing(instance, scenarioOptions('full'), 'nearest');
 * const gap = (preview.cost - optimum.cost) / optimum.cost;
 */
export function greedyPairing(instance: PairingInstance, options: Pick<PairingOptions, 'sameDistrict' | 'skills' | 'changePenalty' | 'fairness'>, kind: GreedyKind): GreedyPreview {
  const model = new PairingModel(instance, options);
  const nH = model.householdCount;
  const assigned = new Int32Array(nH).fill(-1);
  const load = new Int32Array(model.cadreIds.length);
  const nearestWithRoom = (h: number): number => {
    const comp = model.householdComponent[h]!;
    const grid = model.grids[comp];
    if (!grid) return -1;
    let best = -1;
    let bestKm = Infinity;
    grid.walk(
      h,
      (cell, km) => {
        if (km >= bestKm || !grid.cellServes(cell, h)) return;
        for (let i = grid.start[cell]!; i < grid.start[cell + 1]!; i++) {
          const c = grid.items[i]!;
          if (load[c]! >= model.capacity[c]! || !model.eligible(h, c)) continue;
          const km2 = model.distanceKm(h, c);
          if (km2 < bestKm) [best, bestKm] = [c, km2];
        }
      },
      (km) => km >= bestKm,
    );
    return best;
  };
  const take = (h: number, c: number): void => {
    assigned[h] = c;
    load[c]! += 1;
  };
  if (kind === 'cheapest') {
    const K = 16;
    const pairs: number[] = [];
    for (let h = 0; h < nH; h++) {
      const comp = model.householdComponent[h]!;
      const grid = model.grids[comp];
      if (!grid) continue;
      const found: [number, number][] = [];
      grid.walk(
        h,
        (cell) => {
          if (!grid.cellServes(cell, h)) return;
          for (let i = grid.start[cell]!; i < grid.start[cell + 1]!; i++) {
            const c = grid.items[i]!;
            if (model.capacity[c]! > 0 && model.eligible(h, c)) found.push([model.cost(h, c), c]);
          }
        },
        () => found.length >= K,
      );
      for (const [cost, c] of found) pairs.push(model.needsNothing[h] ? 1 : 0, cost, h, c);
    }
    const order = Array.from({ length: pairs.length / 4 }, (_, i) => i);
    order.sort((a, b) => pairs[4 * a]! - pairs[4 * b]! || pairs[4 * a + 1]! - pairs[4 * b + 1]!);
    for (const i of order) {
      const h = pairs[4 * i + 2]!;
      const c = pairs[4 * i + 3]!;
      if (assigned[h] === -1 && load[c]! < model.capacity[c]!) take(h, c);
    }
  }
  for (let h = 0; h < nH; h++) {
    if (assigned[h] !== -1) continue;
    const c = nearestWithRoom(h);
    if (c >= 0) take(h, c);
  }
  const assignments: PairingAssignment[] = [];
  const stranded: string[] = [];
  let cost = 0;
  for (let h = 0; h < nH; h++) {
    const c = assigned[h]!;
    if (c === -1) stranded.push(model.householdIds[h]!);
    else {
      assignments.push({ household: model.householdIds[h]!, cadre: model.cadreIds[c]! });
      cost += model.cost(h, c);
    }
  }
  for (let c = 0; c < load.length; c++) cost += (model.fairness * load[c]! * (load[c]! - 1)) / 2;
  return { kind, assignments, cost, stranded };
}
