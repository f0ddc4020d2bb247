import type { Kysely } from 'kysely';
import { AppError } from '../errors.ts';
import type { Database } from './schema.ts';
import type { Trx } from '../context.ts';

/** Runs `work` in one transaction: everything it writes commits together or not at all. */
export function inTransaction<T>(db: Kysely<Database>, work: (trx: Trx) => Promise<T>): Promise<T> {
  return db.transaction().execute(work);
}

/** Maps constraint violations to coded errors; rethrows anything else. */
export function rethrowConstraint(error: unknown, what: string): never {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === '23505') throw new AppError('duplicate', `${what} already exists`);
  if (code === '23503') throw new AppError('validation_failed', `${what} refers to a record that does not exist`);
  if (code === '23514') throw new AppError('validation_failed', `${what} breaks a rule of the data model`);
  throw error;
}
