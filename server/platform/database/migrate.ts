import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import { migrations } from '../../migrations/index.ts';
import { AppError } from '../errors.ts';

/** Lists the migrations compiled into the program, in timestamp order. */
class BundledMigrations implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

/**
 * Applies every pending forward-only migration. Several servers starting at
 * once are safe: Kysely holds a lock table while it migrates.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  // Kysely looks for its bookkeeping tables by name in every schema unless told which one, so on a
  // server where another schema (a test run, a benchmark, an old install in public) holds them it
  // would skip creating its own and fail. Ours live where unqualified tables go: the current schema.
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const migrator = new Migrator({ db, provider: new BundledMigrations(), migrationTableSchema: rows[0]?.schema ?? undefined });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error');
    throw new AppError('internal', `Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
