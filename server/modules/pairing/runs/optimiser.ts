import { performance } from 'node:perf_hooks';
import { AppError } from '../../../platform/index.ts';
import { greedyPairing, PairingInputError, scenarioOptions, solvePairing, type PairingInstance, type PairingOptions, type PairingResult } from '../../../algorithms/pairing/index.ts';
import type { Location } from '../pairing.ts';

/**
 * The bridge between the registry and the pure optimiser
 * (`server/algorithms/pairing/`, docs/pairing.md): database ids become the
 * optimiser's string ids, districts its district keys, and the result comes
 * back as (household, cadre) id pairs with the run's numbers.
 */

export type Scenario = 'full' | 'plain';

/** What a coordinator may change of a scenario. */
export interface OptimiserOverrides {
  readonly changePenalty?: number | undefined;
  readonly fairness?: number | undefined;
  readonly timeLimitSeconds?: number | undefined;
}

export interface OptimiserInput {
  readonly cadres: readonly { id: number; districtId: number; location: Location; capacity: number; skills: readonly string[] }[];
  readonly households: readonly { id: number; districtId: number; communityId: number; location: Location; needs: readonly string[]; currentCadre: number | null }[];
}

export interface OptimiserOutcome {
  readonly status: string;
  readonly options: Record<string, unknown>;
  readonly assignments: [number, number][];
  readonly unserved: { householdId: number; reason: string }[];
  readonly cost: number | null;
  readonly lowerBound: number | null;
  readonly gap: number | null;
  readonly certified: boolean;
  readonly greedyCost: number | null;
}

/** How far a solve is: the solver's steps, then the greedy preview. */
export interface OptimiserProgress {
  readonly phase: 'candidates' | 'augment' | 'price' | 'done' | 'preview';
  readonly done: number;
  readonly total: number;
}

/**
 * Solves one instance exactly, and the greedy nearest-available preview for
 * comparison. Synchronous and CPU-bound (the API runs it in a worker thread,
 * `optimiser.worker.ts`). A registry the optimiser cannot read (a city mixing
 * x,y and lat,lon records) is a 422 naming the problem.
 */
export function optimise(input: OptimiserInput, scenario: Scenario, overrides: OptimiserOverrides, onProgress?: (progress: OptimiserProgress) => void): OptimiserOutcome {
  const instance: PairingInstance = {
    cadres: input.cadres.map((cadre) => ({ id: String(cadre.id), district: String(cadre.districtId), ...cadre.location, capacity: cadre.capacity, skills: [...cadre.skills] })),
    households: input.households.map((household) => ({
      id: String(household.id),
      district: String(household.districtId),
      community: String(household.communityId),
      ...household.location,
      needs: [...household.needs],
      ...(household.currentCadre === null ? {} : { currentCadre: String(household.currentCadre) }),
    })),
  };
  const options: PairingOptions = {
    ...scenarioOptions(scenario),
    ...(overrides.changePenalty === undefined ? {} : { changePenalty: overrides.changePenalty }),
    ...(overrides.fairness === undefined ? {} : { fairness: overrides.fairness }),
    ...(overrides.timeLimitSeconds === undefined ? {} : { timeLimitSeconds: overrides.timeLimitSeconds }),
  };
  let result: PairingResult;
  try {
    result = solvePairing(instance, { ...options, clock: () => performance.now(), ...(onProgress ? { onProgress } : {}) });
  } catch (error) {
    if (error instanceof PairingInputError) throw new AppError('validation_failed', `The registry cannot be paired: ${error.message}`, { errors: [{ path: 'registry', message: error.message }] });
    throw error;
  }
  onProgress?.({ phase: 'preview', done: 0, total: 1 });
  const greedy = result.status === 'infeasible' || instance.households.length === 0 ? undefined : greedyPairing(instance, options, 'nearest');
  const { onProgress: _progress, clock: _clock, ...kept } = options;
  return {
    status: result.status,
    options: kept as Record<string, unknown>,
    assignments: result.assignments.map((pair) => [Number(pair.household), Number(pair.cadre)]),
    unserved: (result.unserved ?? []).map((entry) => ({ householdId: Number(entry.household), reason: entry.reason })),
    cost: result.status === 'infeasible' ? null : result.cost,
    lowerBound: result.status === 'infeasible' ? null : result.lowerBound,
    gap: result.status === 'infeasible' ? null : result.gap,
    certified: result.certified,
    greedyCost: greedy && greedy.stranded.length === 0 ? greedy.cost : null,
  };
}
