import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { loadDemoCity, type DemoCredential } from './demo/index.ts';
import { startPairingReminderJob, startPairingRunSweepJob } from './modules/pairing/index.ts';
import { startHotIssueJob, startNearDuplicateJob, startNotificationJob, startPhotoCleanupJob, startSlaScanJob } from './modules/voices/index.ts';
import { createLogger, loadConfig, openDatabase, type Config, type DatabaseHandle, type PlatformDeps } from './platform/index.ts';

/** A running Minxin: the HTTP app, its database, and how to stop both. */
export interface RunningServer {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly demoLogins: DemoCredential[];
  readonly handle: DatabaseHandle;
  stop(): Promise<void>;
}

/**
 * Builds the web app with Vite when `dist/web` is missing or older than the
 * sources, so `npm start` on a fresh clone serves the UI without a separate step.
 */
export async function buildWebAppIfNeeded(config: Config, log: (line: string) => void): Promise<void> {
  const index = path.join(config.webDistDir, 'index.html');
  const sourceRoot = path.resolve(import.meta.dirname, '..', 'web');
  if (!fs.existsSync(sourceRoot)) return;
  if (fs.existsSync(index) && newestFileTime(sourceRoot) <= fs.statSync(index).mtimeMs) return;
  log('Building the web app (first start only) …');
  const { build } = await import('vite');
  await build({ configFile: path.resolve(import.meta.dirname, '..', 'vite.config.ts'), logLevel: 'warn', build: { outDir: config.webDistDir } });
}

function newestFileTime(folder: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * Starts Minxin: migrates the database, loads the demo city the first time
 * (when the configured city does not exist yet), builds the web app if
 * needed, and listens.
 */
export async function startServer(
  env: Readonly<Record<string, string | undefined>>,
  options: { cwd?: string; log?: (line: string) => void; buildWeb?: boolean } = {},
): Promise<RunningServer> {
  const log = options.log ?? (() => {});
  const config = loadConfig(env, options.cwd);
  const logger = createLogger(config.logLevel);
  if (options.buildWeb !== false) await buildWebAppIfNeeded(config, log);
  const handle = await openDatabase(config);
  const deps: PlatformDeps = { db: handle.db, config, logger, clock: () => new Date() };
  const demo = config.defaultCity === 'qingdao' ? await loadDemoCity(deps, config.demoSeed) : { loaded: false, logins: [] };
  if (demo.loaded) log('Loaded the demo city (青岛市) into the database.');
  const app = await buildApp(deps);
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const slaScan = config.slaScanIntervalSeconds > 0 ? startSlaScanJob(deps, config.slaScanIntervalSeconds) : undefined;
  const notify = config.notifyIntervalSeconds > 0 ? startNotificationJob(deps, config.notifyIntervalSeconds) : undefined;
  // Join proposals for near-duplicate messages, found after intake so that intake waits for nothing (docs/near-duplicates.md).
  const nearDuplicates = config.nearDuplicateIntervalSeconds > 0 ? startNearDuplicateJob(deps, config.nearDuplicateIntervalSeconds) : undefined;
  // Hot issues: clustering the recent messages and announcing surges to coordinators (docs/hot-issues.md).
  const hotIssues = config.hotIssueIntervalSeconds > 0 ? startHotIssueJob(deps, config.hotIssueIntervalSeconds) : undefined;
  // Cadres reminded, at most weekly, of households waiting for a visit and needs open too long (docs/pairing.md).
  const pairingReminders = config.pairingReminderIntervalSeconds > 0 ? startPairingReminderJob(deps, config.pairingReminderIntervalSeconds) : undefined;
  // Pairing runs whose server stopped mid-run are marked failed, at start-up and every 30 s (docs/pairing.md, runs).
  const pairingRunSweep = startPairingRunSweepJob(deps);
  // Uploads never attached to a message are removed after a day (docs/voices.md, photos).
  const photoCleanup = startPhotoCleanupJob(deps);
  return {
    app,
    url: `http://localhost:${port}`,
    demoLogins: demo.logins,
    handle,
    async stop() {
      await slaScan?.stop();
      await notify?.stop();
      await nearDuplicates?.stop();
      await hotIssues?.stop();
      await pairingReminders?.stop();
      await pairingRunSweep.stop();
      await photoCleanup.stop();
      await app.close();
      await handle.close();
    },
  };
}
