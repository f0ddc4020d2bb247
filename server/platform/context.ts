import type { Transaction } from 'kysely';
import type { Actor } from './authorization.ts';
import type { Config } from './config.ts';
import type { Db } from './database/database.ts';
import type { Database } from './database/schema.ts';
import type { Logger } from './logger.ts';

/** A clock the services read; tests pass a fixed one. */
export type Clock = () => Date;

/** What every service needs, built once at start and passed in. */
export interface PlatformDeps {
  readonly db: Db;
  readonly config: Config;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Who asks and from where: the actor (absent for anonymous requests), the
 * city the request is for, and the network facts the audit log records.
 */
export interface RequestContext {
  readonly actor: Actor | undefined;
  readonly regionId: number;
  readonly ip: string | null;
  readonly requestId: string | null;
  /** Who to name in the audit log when there is no actor: 'system' for start-up work, else anonymous. */
  readonly label?: string;
}

export type Trx = Transaction<Database>;
