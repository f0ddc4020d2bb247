import type { PlatformDeps, RequestContext, Trx } from '../../../platform/index.ts';
import * as repository from './category.repository.ts';
import taxonomy from './taxonomy.json' with { type: 'json' };
import type { Category } from '../cases/voices.ts';

/**
 * Every path of the shipped taxonomy (the 12345 hotline's three levels),
 * parents before children: '城乡建设', '城乡建设/安全生产', '城乡建设/安全生产/事故处理', …
 */
export const TAXONOMY_PATHS: readonly string[] = (() => {
  const paths = new Set<string>();
  for (const triple of taxonomy as [string, string, string][]) {
    for (let level = 1; level <= triple.length; level += 1) paths.add(triple.slice(0, level).join('/'));
  }
  return [...paths];
})();

/**
 * Gives a city the shipped taxonomy inside the caller's transaction; adds
 * only what it lacks, so running it again (or after a new release adds
 * categories) is safe. Returns how many categories were added.
 */
export function seedTaxonomy(trx: Trx, regionId: number): Promise<number> {
  return repository.insertMissingCategories(trx, regionId, TAXONOMY_PATHS);
}

/** The city's categories, flat and sorted by path (the tree is in `parentId`). Public: the intake form needs them. */
export function listCategories(deps: PlatformDeps, context: RequestContext): Promise<Category[]> {
  return repository.listCategories(deps.db, context.regionId);
}
