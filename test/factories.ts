import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import type { Problem } from '../contracts/platform.ts';
import { buildApp } from '../server/app.ts';
import { createRoutingRule, prepareVoicesCity } from '../server/modules/voices/index.ts';
import {
  createLogger,
  loadConfig,
  openDatabase,
  provisionCity,
  type CityPlan,
  type CliIo,
  type PlatformDeps,
  type Role,
} from '../server/platform/index.ts';
import { TEST_DATABASE_URL, testDatabase } from './db.ts';

/** The password of every account a test city starts with. */
export const TEST_PASSWORD = 'Test-password-2026';

/** A settable clock, so tests can move time (session expiry, lockouts) without waiting. */
export function testClock(start = new Date()): { now: () => Date; advance: (ms: number) => void } {
  let current = start.getTime();
  return { now: () => new Date(current), advance: (ms) => (current += ms) };
}

/**
 * Dependencies for services under test: the shared database, a quiet logger, a settable clock.
 * An uncategorised message waits in triage whatever the classifier says (CLASSIFIER_MIN_CONFIDENCE 1),
 * so routing tests do not depend on the shipped model; tests of classification at intake lower it.
 */
export async function buildDeps(overrides: Partial<PlatformDeps> & { env?: Record<string, string> } = {}): Promise<PlatformDeps> {
  const handle = await testDatabase();
  const { env, ...rest } = overrides;
  return {
    db: handle.db,
    // A demo city loaded in a test gets a small pairing registry (5 % of the seed scale), not the 15,676 households of `npm start`.
    config: loadConfig({ LOG_LEVEL: 'silent', WEB_DIST_DIR: '/nonexistent', CLASSIFIER_MIN_CONFIDENCE: '1', DEMO_PAIRING_PERCENT: '5', ...env }),
    logger: createLogger('silent'),
    clock: () => new Date(),
    ...rest,
  };
}

/** The accounts of a test city, by username: one per role plus the scope edge cases. */
export const TEST_USERS = {
  admin: { role: 'admin', departmentCode: null, scopeRegionCode: null },
  'admin-east': { role: 'admin', departmentCode: null, scopeRegionCode: 'east' },
  coordinator: { role: 'coordinator', departmentCode: null, scopeRegionCode: null },
  'coordinator-east': { role: 'coordinator', departmentCode: null, scopeRegionCode: 'east' },
  'handler-housing': { role: 'handler', departmentCode: 'housing', scopeRegionCode: null },
  'handler-transport': { role: 'handler', departmentCode: 'transport', scopeRegionCode: null },
  'handler-east': { role: 'handler', departmentCode: 'east-housing', scopeRegionCode: null },
  cadre: { role: 'cadre', departmentCode: null, scopeRegionCode: 'east-1-a' },
  auditor: { role: 'auditor', departmentCode: null, scopeRegionCode: null },
  citizen: { role: 'citizen', departmentCode: null, scopeRegionCode: null },
} as const satisfies Record<string, { role: Role; departmentCode: string | null; scopeRegionCode: string | null }>;

export type TestUsername = keyof typeof TEST_USERS;

/**
 * A small city of its own (two districts, a street and two communities
 * each, three departments, one account per role), so a test never sees
 * another test's rows. `overrides` replaces parts of the plan.
 */
export async function buildCity(deps: PlatformDeps, overrides: Partial<CityPlan> = {}): Promise<{ regionId: number; code: string }> {
  const code = `t-${randomBytes(5).toString('hex')}`;
  const plan: CityPlan = {
    city: { code, name: '测试市', nameEn: 'Test City', centroid: [120, 36] },
    regions: [
      { code: 'east', name: '东区', nameEn: 'East District', level: 'district', parentCode: code, centroid: null },
      { code: 'west', name: '西区', nameEn: 'West District', level: 'district', parentCode: code, centroid: null },
      { code: 'east-1', name: '东一街道', nameEn: null, level: 'street', parentCode: 'east', centroid: null },
      { code: 'west-1', name: '西一街道', nameEn: null, level: 'street', parentCode: 'west', centroid: null },
      { code: 'east-1-a', name: '东一甲社区', nameEn: null, level: 'community', parentCode: 'east-1', centroid: null },
      { code: 'west-1-a', name: '西一甲社区', nameEn: null, level: 'community', parentCode: 'west-1', centroid: null },
    ],
    departments: [
      { code: 'housing', name: '住房和城乡建设局', nameEn: 'Housing Bureau', districtCode: null, parentCode: null, areas: ['城乡建设'], contactPhone: '0532-80000001', contactEmail: null, address: null },
      { code: 'transport', name: '交通运输局', nameEn: 'Transport Bureau', districtCode: null, parentCode: null, areas: ['交通运输'], contactPhone: null, contactEmail: null, address: null },
      { code: 'east-housing', name: '东区住房和城乡建设局', nameEn: null, districtCode: 'east', parentCode: 'housing', areas: ['城乡建设'], contactPhone: null, contactEmail: null, address: null },
    ],
    users: Object.entries(TEST_USERS).map(([username, user]) => ({
      username,
      displayName: `测试${username}`,
      ...user,
      phone: '13800138000',
      email: `${username}@test.example`,
      password: TEST_PASSWORD,
    })),
    ...overrides,
  };
  const { regionId } = await provisionCity(deps, plan);
  return { regionId, code };
}

/**
 * A test city ready for voices: its taxonomy, and two city-wide routing
 * rules (城乡建设 → housing, 交通运输 → transport) created as its coordinator.
 * Everything else (民政, 卫生计生, …) has no rule and goes to triage.
 */
export async function buildVoicesCity(
  deps: PlatformDeps,
  overrides: Partial<CityPlan> = {},
): Promise<{ regionId: number; code: string; departments: Record<string, number>; districts: Record<string, number>; communities: Record<string, number> }> {
  const city = await buildCity(deps, overrides);
  await prepareVoicesCity(deps, city.regionId);
  const departments = Object.fromEntries(
    (await deps.db.selectFrom('departments').select(['id', 'code']).where('region_id', '=', city.regionId).execute()).map((row) => [row.code, Number(row.id)]),
  );
  const regions = await deps.db.selectFrom('regions').select(['id', 'code', 'level']).where('region_id', '=', city.regionId).execute();
  const byLevel = (level: string) => Object.fromEntries(regions.filter((row) => row.level === level).map((row) => [row.code, Number(row.id)]));
  const coordinator = await deps.db.selectFrom('users').selectAll().where('region_id', '=', city.regionId).where('username', '=', 'coordinator').executeTakeFirstOrThrow();
  const context = {
    actor: { regionId: city.regionId, userId: Number(coordinator.id), username: 'coordinator', role: 'coordinator' as const, departmentId: null, scopePath: `/${city.regionId}/`, via: 'cli' as const },
    regionId: city.regionId,
    ip: null,
    requestId: null,
  };
  for (const [prefix, code] of [['城乡建设', 'housing'], ['交通运输', 'transport']] as const) {
    await createRoutingRule(deps, context, { categoryPathPrefix: prefix, districtId: null, departmentId: departments[code]!, coHandlerIds: [], priority: 0 });
  }
  return { ...city, departments, districts: byLevel('district'), communities: byLevel('community') };
}

/** The HTTP app on the shared test database, plus a city whose code requests name. */
export async function buildTestApp(overrides: Partial<PlatformDeps> & { env?: Record<string, string> } = {}): Promise<{
  app: FastifyInstance;
  deps: PlatformDeps;
  city: { regionId: number; code: string };
}> {
  return appWithCity(overrides, buildCity);
}

/** The HTTP app with a city ready for voices (see `buildVoicesCity`). */
export async function buildVoicesTestApp(overrides: Partial<PlatformDeps> & { env?: Record<string, string> } = {}): Promise<{
  app: FastifyInstance;
  deps: PlatformDeps;
  city: Awaited<ReturnType<typeof buildVoicesCity>>;
}> {
  return appWithCity(overrides, buildVoicesCity);
}

async function appWithCity<C extends { regionId: number; code: string }>(
  overrides: Partial<PlatformDeps> & { env?: Record<string, string> },
  build: (deps: PlatformDeps) => Promise<C>,
): Promise<{ app: FastifyInstance; deps: PlatformDeps; city: C }> {
  const base = await buildDeps(overrides);
  const city = await build(base);
  const deps = { ...base, config: { ...base.config, defaultCity: city.code } };
  const app = await buildApp(deps);
  return { app, deps, city };
}

/** A logged-in session for `inject`: pass `headers` to every request. */
export interface TestSession {
  readonly headers: Record<string, string>;
  readonly csrfToken: string;
  readonly userId: number;
}

export async function loginAs(app: FastifyInstance, username: string, password = TEST_PASSWORD): Promise<TestSession> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username, password } });
  if (response.statusCode !== 200) throw new Error(`login as ${username} failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((candidate) => candidate.name === 'minxin_session');
  const body = response.json<{ csrfToken: string; user: { id: number } }>();
  return {
    headers: { cookie: `minxin_session=${cookie!.value}`, 'x-csrf-token': body.csrfToken },
    csrfToken: body.csrfToken,
    userId: body.user.id,
  };
}

/**
 * Asserts that a response is RFC 9457 problem+json with this status and
 * code, and returns the problem for further checks.
 */
export function assertProblem(response: LightMyRequestResponse, status: number, code: string): Problem {
  assert.equal(response.statusCode, status, `expected ${status} ${code}, got ${response.statusCode} ${response.body}`);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  const problem = response.json<Problem>();
  assert.equal(problem.code, code);
  assert.equal(problem.status, status);
  for (const field of ['type', 'title', 'detail'] as const) assert.equal(typeof problem[field], 'string', `problem.${field}`);
  return problem;
}

/** A database of its own, for code that opens one from the environment as the CLI does. */
export interface OwnDatabase {
  /** The environment that names it (plus a silent log), to pass as `CliIo.env`. */
  readonly env: Readonly<Record<string, string>>;
  /** A temporary folder for the test's files (and the embedded database); `dispose` removes it. */
  readonly dir: string;
  /** Opens the database, runs `work` and closes it again: an embedded database allows one opener at a time. */
  use<T>(work: (deps: PlatformDeps) => Promise<T>): Promise<T>;
  /** Removes the folder, and on a server the schema. */
  dispose(): Promise<void>;
}

/**
 * A fresh, migrated database outside the shared one: an embedded PGlite in a
 * temporary folder (its first start takes a few seconds), or a throw-away
 * schema on the server when TEST_DATABASE_URL is set. For CLI tests, whose
 * commands open the database the environment names.
 *
 * @example
 *   const own = await buildOwnDatabase();
 *   const city = await own.use((deps) => buildCity(deps));
 *   const { code, stdout } = await runMinxin(own, ['users', 'list', '--city', city.code]);
 */
export async function buildOwnDatabase(): Promise<OwnDatabase> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'minxin-test-'));
  const schema = `minxin_own_${randomBytes(6).toString('hex')}`;
  const env = {
    ...(TEST_DATABASE_URL ? { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema } : { DATA_DIR: path.join(dir, 'data') }),
    LOG_LEVEL: 'silent',
    WEB_DIST_DIR: '/nonexistent',
  };
  const config = loadConfig(env, dir);
  const own: OwnDatabase = {
    env,
    dir,
    async use(work) {
      const handle = await openDatabase(config);
      try {
        return await work({ db: handle.db, config, logger: createLogger('silent'), clock: () => new Date() });
      } finally {
        await handle.close();
      }
    },
    async dispose() {
      if (TEST_DATABASE_URL) {
        const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await client.connect();
        try {
          await client.query(`drop schema if exists ${schema} cascade`);
        } finally {
          await client.end();
        }
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
  try {
    await own.use(async () => {}); // creates and migrates it now, so the first command is not the slow one
  } catch (error) {
    await own.dispose();
    throw error;
  }
  return own;
}

/** What one `minxin` command line printed, one entry per line, and its exit code. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string[];
  readonly stderr: string[];
}

/**
 * Runs one `minxin` command line (cli/main.ts's `runCli`) on `own`'s database
 * in its folder. The CLI is loaded on first use, so tests that never run it
 * do not load it.
 *
 * @example const { code, stderr } = await runMinxin(own, ['import', 'users', file, '--city', city.code]);
 */
export async function runMinxin(own: Pick<OwnDatabase, 'env' | 'dir'>, argv: string[]): Promise<CliRun> {
  const { runCli } = await import('../cli/main.ts');
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = {
    stdout: (text) => stdout.push(...text.split('\n')),
    stderr: (text) => stderr.push(...text.split('\n')),
    env: own.env,
    cwd: own.dir,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** A temporary folder for a suite of file-only CLI tests (no database), made before the suite and removed after it. */
export interface CliFolder {
  /** Where `minxin` runs: the folder and a quiet log. */
  own(): Pick<OwnDatabase, 'env' | 'dir'>;
  /** Writes `lines` (joined by newlines) to `name` in the folder and returns `name`. */
  write(name: string, lines: readonly string[]): Promise<string>;
  /** The folder's absolute path. */
  path(name?: string): string;
}

/**
 * Registers `before`/`after` hooks of the enclosing suite that make and remove
 * a folder for CLI runs on files.
 *
 * @example
 * const folder = useCliFolder('minxin-hot-cli-');
 * const run = await runMinxin(folder.own(), ['hot', '--input', await folder.write('hot.jsonl', lines)]);
 */
export function useCliFolder(prefix: string): CliFolder {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  });
  after(() => rm(dir, { recursive: true, force: true }));
  return {
    own: () => ({ env: { LOG_LEVEL: 'silent' }, dir }),
    async write(name, lines) {
      await writeFile(path.join(dir, name), lines.join('\n'));
      return name;
    },
    path: (name = '') => path.join(dir, name),
  };
}
