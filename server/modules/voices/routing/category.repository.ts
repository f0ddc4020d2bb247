import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/index.ts';
import type { Category } from '../cases/voices.ts';
import type { VoicesTables } from '../cases/voices.table.ts';

type Executor = Kysely<Database>;
const tables = (db: Executor): Kysely<Database & VoicesTables> => db.withTables<VoicesTables>();

/**
 * Inserts the categories of `paths` that the city lacks, one statement per
 * level so parents exist before their children. Returns how many were added.
 */
export async function insertMissingCategories(db: Executor, regionId: number, paths: readonly string[]): Promise<number> {
  const existing = await tables(db).selectFrom('categories').select(['id', 'path']).where('region_id', '=', regionId).execute();
  const ids = new Map(existing.map((row) => [row.path, Number(row.id)]));
  const missing = [...new Set(paths)].filter((path) => !ids.has(path));
  const levels = [...new Set(missing.map((path) => path.split('/').length))].sort((a, b) => a - b);
  for (const level of levels) {
    const values = missing
      .filter((path) => path.split('/').length === level)
      .map((path) => {
        const names = path.split('/');
        const parentPath = names.slice(0, -1).join('/');
        return { region_id: regionId, parent_id: parentPath === '' ? null : ids.get(parentPath)!, level, name: names.at(-1)!, path };
      });
    const rows = await tables(db).insertInto('categories').values(values).returning(['id', 'path']).execute();
    for (const row of rows) ids.set(row.path, Number(row.id));
  }
  return missing.length;
}

export async function listCategories(db: Executor, regionId: number): Promise<Category[]> {
  const rows = await tables(db).selectFrom('categories').selectAll().where('region_id', '=', regionId).orderBy('path').execute();
  return rows.map((row) => ({
    id: Number(row.id),
    parentId: row.parent_id === null ? null : Number(row.parent_id),
    level: row.level,
    name: row.name,
    path: row.path,
  }));
}

export async function findCategoryByPath(db: Executor, regionId: number, path: string): Promise<Category | undefined> {
  const row = await tables(db)
    .selectFrom('categories')
    .selectAll()
    .where('region_id', '=', regionId)
    .where('path', '=', path)
    .executeTakeFirst();
  return row && { id: Number(row.id), parentId: row.parent_id === null ? null : Number(row.parent_id), level: row.level, name: row.name, path: row.path };
}
