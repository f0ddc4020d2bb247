/**
 * What intake reads on every message to route it — the city's taxonomy, its
 * active routing rules and whether the rules' departments are active — kept
 * for a few seconds per database and city. These change a few times a day;
 * intake runs up to hundreds of times a second, and reading them each time
 * was three of intake's five statements (docs/benchmarks.md, `voices`).
 *
 * Staleness is bounded: a rule written through this server is seen at once
 * (`forgetRoutingFacts`); one written through another server, or a
 * department deactivated, within `ROUTING_FACTS_TTL_MS`. The cache hangs on
 * the database handle, so two databases in one process (tests, the browser
 * harness) never share entries. Nothing here is needed for correctness of
 * stored data: a miss reads the database.
 */
import type { PlatformDeps } from '../../../platform/index.ts';
import * as cases from '../cases/case.repository.ts';
import type { Category, RoutingRule } from '../cases/voices.ts';
import * as categories from './category.repository.ts';
import * as repository from './routing.repository.ts';

/** How long a city's routing facts are trusted without reading them again. */
export const ROUTING_FACTS_TTL_MS = 5_000;

/** A city's routing facts as of `loadedAt` (monotonic milliseconds). */
export interface RoutingFacts {
  readonly categoriesByPath: ReadonlyMap<string, Category>;
  readonly rules: readonly RoutingRule[];
  /** The departments the active rules name that are active departments of the city. */
  readonly activeDepartmentIds: ReadonlySet<number>;
  readonly loadedAt: number;
}

type Db = PlatformDeps['db'];

const byDatabase = new WeakMap<Db, Map<number, Promise<RoutingFacts>>>();

function citiesOf(db: Db): Map<number, Promise<RoutingFacts>> {
  let cities = byDatabase.get(db);
  if (!cities) {
    cities = new Map();
    byDatabase.set(db, cities);
  }
  return cities;
}

async function loadRoutingFacts(db: Db, regionId: number): Promise<RoutingFacts> {
  const loadedAt = performance.now();
  const [taxonomy, rules] = await Promise.all([
    categories.listCategories(db, regionId),
    repository.listRules(db, regionId, { withHistory: false }),
  ]);
  const named = new Set(rules.flatMap((rule) => [rule.departmentId, ...rule.coHandlerIds]));
  const activeDepartmentIds = await cases.findDepartmentIds(db, regionId, [...named]);
  return {
    categoriesByPath: new Map(taxonomy.map((category) => [category.path, category])),
    rules,
    activeDepartmentIds,
    loadedAt,
  };
}

/**
 * The city's routing facts, from the cache when younger than the TTL. One
 * load at a time per city: concurrent intakes wait for the same read.
 */
export async function routingFactsOf(db: Db, regionId: number): Promise<RoutingFacts> {
  const cities = citiesOf(db);
  const cached = cities.get(regionId);
  if (cached) {
    const facts = await cached.catch(() => undefined);
    if (facts && performance.now() - facts.loadedAt < ROUTING_FACTS_TTL_MS) return facts;
    if (cities.get(regionId) !== cached) return routingFactsOf(db, regionId);
  }
  const loading = loadRoutingFacts(db, regionId);
  cities.set(regionId, loading);
  loading.catch(() => {
    if (cities.get(regionId) === loading) cities.delete(regionId);
  });
  return loading;
}

/** Drops a city's cached facts: called after this server writes a routing rule. */
export function forgetRoutingFacts(db: Db, regionId: number): void {
  byDatabase.get(db)?.delete(regionId);
}
