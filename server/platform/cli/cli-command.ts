import os from 'node:os';
import type { Actor } from '../authorization.ts';
import { loadConfig, type Config } from '../config.ts';
import type { PlatformDeps, RequestContext } from '../context.ts';
import { openDatabase, type DatabaseHandle } from '../database/database.ts';
import { resolveCity } from '../identity/identity.service.ts';
import { createLogger } from '../logger.ts';
import type { CliIo } from './cli-contract.ts';

export { UsageError, type CliArgs, type CliCommand, type CliIo } from './cli-contract.ts';

/** Opens configuration, logger and database for a command; the caller closes `handle`. */
export async function openDeps(io: CliIo, options: { logLevel?: string } = {}): Promise<PlatformDeps & { handle: DatabaseHandle }> {
  const config: Config = loadConfig({ LOG_LEVEL: options.logLevel ?? 'warn', ...io.env }, io.cwd);
  const logger = createLogger(options.logLevel ?? config.logLevel);
  const handle = await openDatabase(config);
  return { db: handle.db, config, logger, clock: () => new Date(), handle };
}

/**
 * The CLI acts as a city-wide administrator of the named city; the audit log
 * records it as `cli:<operating-system user>`.
 */
export async function cliContext(deps: PlatformDeps, cityCode: string | undefined): Promise<RequestContext> {
  const city = await resolveCity(deps, cityCode);
  const actor: Actor = {
    regionId: city.id,
    userId: 0,
    username: os.userInfo().username,
    role: 'admin',
    departmentId: null,
    scopePath: `/${city.id}/`,
    via: 'cli',
  };
  return { actor, regionId: city.id, ip: null, requestId: null };
}

/** Runs `work` with open dependencies and always closes the database. */
export async function withDeps<T>(io: CliIo, work: (deps: PlatformDeps) => Promise<T>): Promise<T> {
  const deps = await openDeps(io);
  try {
    return await work(deps);
  } finally {
    await deps.handle.close();
  }
}
