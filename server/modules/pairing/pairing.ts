/**
 * Pairing's domain (结对帮扶): the registry's records, the diff of a
 * proposed pairing against the current pairs, and the numbers a run keeps.
 * Pure: no SQL, no clock.
 */

/** Where a record is: on the city's plane in km, or on the globe. */
export type Location = { readonly x: number; readonly y: number } | { readonly lat: number; readonly lon: number };

/** Expertise a cadre brings and a household may need. Free tags; these are the usual ones. */
export const SKILLS = ['medical', 'legal', 'employment', 'education', 'elderly', 'disability', 'housing', 'psychological'] as const;

export interface Cadre {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly userId: number | null;
  readonly unit: string | null;
  readonly districtId: number;
  readonly location: Location;
  readonly capacity: number;
  readonly skills: readonly string[];
  readonly active: boolean;
  readonly version: number;
}

/** A household without its private fields (contact phone, notes), as lists and the optimiser see it. */
export interface Household {
  readonly id: number;
  readonly code: string;
  readonly districtId: number;
  readonly communityId: number;
  /** The community's region path, which the access policy tests. */
  readonly path: string;
  readonly location: Location;
  readonly difficulties: readonly string[];
  readonly needs: readonly string[];
  readonly members: number;
  readonly active: boolean;
  readonly version: number;
}

/** The private part of a household: only its cadre and coordinators in scope read it, audited. */
export interface HouseholdContact {
  readonly contactPhone: string | null;
  readonly notes: string | null;
}

/** A household moving to another cadre. */
export interface PairChange {
  readonly householdId: number;
  readonly from: number;
  readonly to: number;
}

/**
 * What approving a run would do to the current pairs: households that keep
 * their cadre, change it, get a first one, cannot be served, and current
 * pairs that end because the household left the registry or the scope's run
 * no longer covers it.
 */
export interface PairingDiff {
  readonly kept: number;
  readonly changed: readonly PairChange[];
  readonly added: readonly { readonly householdId: number; readonly to: number }[];
  readonly unserved: readonly number[];
  readonly ended: readonly { readonly householdId: number; readonly from: number }[];
}

/**
 * Compares a proposal with the current pairs of the same households.
 * `current` holds the pairs of every household the run covered (including
 * inactive ones, whose pairs end); `proposed` the optimiser's assignments.
 *
 * @example diffPairs(new Map([[1, 7]]), [[1, 7], [2, 8]], []) // kept 1, added [{2→8}]
 */
export function diffPairs(
  current: ReadonlyMap<number, number>,
  proposed: readonly (readonly [number, number])[],
  unserved: readonly number[],
): PairingDiff {
  let kept = 0;
  const changed: PairChange[] = [];
  const added: { householdId: number; to: number }[] = [];
  const assigned = new Set<number>();
  for (const [householdId, to] of proposed) {
    assigned.add(householdId);
    const from = current.get(householdId);
    if (from === undefined) added.push({ householdId, to });
    else if (from === to) kept += 1;
    else changed.push({ householdId, from, to });
  }
  const ended: { householdId: number; from: number }[] = [];
  for (const [householdId, from] of current) if (!assigned.has(householdId)) ended.push({ householdId, from });
  return { kept, changed, added, unserved: [...unserved], ended };
}

/** A canonical text of a set of pairs, so approving can tell whether they changed since the run. */
export function pairsFingerprint(pairs: ReadonlyMap<number, number>): string {
  return [...pairs].sort((a, b) => a[0] - b[0]).map(([household, cadre]) => `${household}:${cadre}`).join(',');
}

/** The relative gap between a cost and a lower bound (0 at a certified optimum). */
export function relativeGap(cost: number, lowerBound: number): number {
  return cost === 0 ? 0 : Math.max(0, (cost - lowerBound) / cost);
}

/** Days between two ISO dates (YYYY-MM-DD), b − a. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}
