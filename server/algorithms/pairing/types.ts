/**
 * The shapes of the pairing problem (干部 ↔ 困难家庭 结对): who can serve whom,
 * at what cost, and what the solver answers. See docs/pairing-optimizer.md.
 */

/** A cadre: where they are (plane km `x`,`y` or `lat`,`lon`), how many households they can take, their expertise. */
export interface PairingCadre {
  readonly id: string;
  readonly district: string;
  readonly x?: number;
  readonly y?: number;
  readonly lat?: number;
  readonly lon?: number;
  /** Households this cadre can take: a whole number ≥ 0. */
  readonly capacity: number;
  readonly skills: readonly string[];
}

/** A household in difficulty: where it is, what expertise its needs call for, and who serves it now (if anyone). */
export interface PairingHousehold {
  readonly id: string;
  readonly district: string;
  readonly community?: string;
  readonly x?: number;
  readonly y?: number;
  readonly lat?: number;
  readonly lon?: number;
  readonly needs: readonly string[];
  /** The cadre serving it today; another cadre costs `changePenalty` more. */
  readonly currentCadre?: string;
}

export interface PairingInstance {
  readonly cadres: readonly PairingCadre[];
  readonly households: readonly PairingHousehold[];
}

/** What the solver reports while it works (long runs). */
export interface PairingProgress {
  readonly phase: 'candidates' | 'augment' | 'price' | 'done';
  readonly done: number;
  readonly total: number;
}

/**
 * The cost model's switches. Hard: `sameDistrict`, `skills` and capacity.
 * Soft, in cost units (1 unit = 1 metre): `changePenalty` when a household
 * leaves its current cadre, `fairness × (j − 1)` for a cadre's j-th household.
 */
export interface PairingOptions {
  readonly sameDistrict: boolean;
  readonly skills: boolean;
  readonly changePenalty: number;
  readonly fairness: number;
  /** Stop early (status `time-limit`, a valid lower bound and gap) after this many seconds. */
  readonly timeLimitSeconds?: number;
  readonly onProgress?: (progress: PairingProgress) => void;
  /**
   * A monotonic clock in milliseconds (e.g. performance.now) for
   * `timeLimitSeconds` and the stats' seconds; algorithms read no clock of
   * their own, so without it there is no time limit and seconds are 0.
   */
  readonly clock?: () => number;
  /** Candidate cadres per household in the first working graph (default 6); more are added when pricing asks. */
  readonly candidates?: number;
}

export type PairingScenario = 'full' | 'plain';

export interface PairingAssignment {
  readonly household: string;
  readonly cadre: string;
}

/** Why a household cannot be served. */
export interface UnservedHousehold {
  readonly household: string;
  readonly reason: string;
}

/**
 * The dual solution: each cadre's price `p` (what one more household at this
 * cadre is worth, ≥ 0) and each household's value `u = min over eligible c of
 * cost(h, c) + p(c)`. With them, lower bound = Σ u − Σ_c Σ_{j<capacity}
 * max(0, p(c) − fairness × j) (weak duality), equal to the cost at the optimum.
 */
export interface PairingPotentials {
  readonly cadres: ReadonlyMap<string, number>;
  readonly households: ReadonlyMap<string, number>;
}

export interface PairingStats {
  readonly households: number;
  readonly cadres: number;
  readonly components: number;
  /** Household–cadre arcs in the working graph at the end (initial + added by pricing). */
  readonly arcs: number;
  readonly initialArcs: number;
  readonly augmentations: number;
  /** Nodes settled by all shortest-path searches. */
  readonly settled: number;
  readonly pricingRounds: number;
  /** Eligible pairs outside the graph found with a negative reduced cost, added and repaired. */
  readonly arcsAddedByPricing: number;
  /** Grid searches for arcs outside the graph made during shortest-path searches. */
  readonly outsideSearches: number;
  readonly seconds: { readonly candidates: number; readonly augment: number; readonly price: number; readonly total: number };
}

export interface PairingResult {
  readonly status: 'optimal' | 'infeasible' | 'time-limit';
  /** One per served household, in the instance's household order. */
  readonly assignments: readonly PairingAssignment[];
  /** Total cost of `assignments` under the model. */
  readonly cost: number;
  /** A proven lower bound on the cost of any feasible pairing (the dual objective); NaN when infeasible. */
  readonly lowerBound: number;
  /** (cost − lowerBound) / max(1, cost): 0 at a certified optimum. */
  readonly gap: number;
  /** True when every eligible pair was priced non-negative and the bound equals the cost. */
  readonly certified: boolean;
  readonly potentials: PairingPotentials;
  /** Households that cannot be served, with the reason; present only when `status` is `infeasible`. */
  readonly unserved?: readonly UnservedHousehold[];
  readonly stats: PairingStats;
}
