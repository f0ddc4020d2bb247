// The platform API under load, against a baseline measured in the same run:
// a bare Fastify route running the equivalent raw query on the same database.
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import Fastify, { type FastifyInstance } from 'fastify';
import { CompiledQuery } from 'kysely';
import pg from 'pg';
import { buildApp } from '../../server/app.ts';
import { generateDemoCity, loadDemoCity } from '../../server/demo/index.ts';
import { createLogger, loadConfig, resolveCity, type PlatformDeps } from '../../server/platform/index.ts';
import { openBenchDatabase, type BenchDatabase } from '../database.ts';
import {
  round,
  runHttpScenarios,
  type BenchOptions,
  type BenchSuite,
  type HttpScenario,
  type SuiteResult,
} from '../suite.ts';

const PAGE = 50;

/** The baseline's query: what `GET /api/v1/departments` boils down to, without auth, policy, count, joins or schemas. */
const RAW_DEPARTMENTS = `select id, parent_id, code, name, name_en, district_id, areas, contact_phone, contact_email, address, active, version
  from departments where region_id = $1 order by code limit ${PAGE}`;

export const suite: BenchSuite = {
  name: 'platform',
  description:
    'Platform API on the demo city (token auth, policy, Kysely queries, zod serialisation) vs a bare Fastify route running one raw query on the same database',
  run: runPlatform,
};

async function runPlatform(options: BenchOptions): Promise<SuiteResult> {
  // Parsed by the platform's own config, so a bad DEMO_SEED fails the same way `minxin start` would.
  const seed = loadConfig({ DEMO_SEED: options.env.DEMO_SEED }).demoSeed;
  const demo = generateDemoCity(seed);
  const database = await openBenchDatabase(options, { MINXIN_CITY: demo.city.code, DEMO_SEED: String(seed) });
  options.log(`database: ${database.facts.kind} — ${database.facts.location}`);
  const servers: FastifyInstance[] = [];
  const closers: (() => Promise<void>)[] = [];
  try {
    const deps: PlatformDeps = {
      db: database.handle.db,
      config: database.config,
      logger: createLogger('silent'),
      clock: () => new Date(),
    };
    const setupStart = performance.now();
    const { logins } = await loadDemoCity(deps, seed, { historySize: 0, pairingPercent: 5 });
    const cityId = (await resolveCity(deps, demo.city.code)).id;
    const setupSeconds = round((performance.now() - setupStart) / 1000, 2);
    options.log(`demo city loaded in ${setupSeconds} s`);

    const app = await buildApp(deps);
    servers.push(app);
    const admin = logins.find((login) => login.username === 'admin')!;
    const token = await createApiToken(app, admin.username, admin.password);
    const district = await firstDistrict(app);

    const baseline = await startBaseline(database, cityId, closers);
    servers.push(baseline);
    const appPort = await listen(app);
    const baselinePort = await listen(baseline);

    const plan: HttpScenario[] = [
      {
        name: 'baseline-raw-departments',
        description:
          'Bare Fastify route, no plugins: one raw select of 50 departments through a plain pool, JSON.stringify',
        role: 'baseline',
        port: baselinePort,
        requests: [{ path: '/departments' }],
      },
      {
        name: 'departments-token',
        description:
          'API token lookup + user load + policy + list with district join, staff count subquery and total + zod serialisation',
        role: 'subject',
        baseline: 'baseline-raw-departments',
        port: appPort,
        requests: [{ path: `/api/v1/departments?limit=${PAGE}`, headers: { authorization: `Bearer ${token}` } }],
      },
      {
        name: 'regions-anonymous',
        description: `Public region list: the streets of district ${district.code} with child counts and total, no auth lookup`,
        role: 'subject',
        baseline: 'baseline-raw-departments',
        port: appPort,
        requests: [{ path: `/api/v1/regions?parentId=${district.id}&limit=${PAGE}` }],
      },
    ];

    const itemsPerResponse: Record<string, number> = {};
    for (const scenario of plan) itemsPerResponse[scenario.name] = await probe(scenario);
    const scenarios = await runHttpScenarios(plan, options);
    return {
      database: database.facts,
      setup: {
        city: {
          code: demo.city.code,
          seed,
          regions: demo.regions.length,
          departments: demo.departments.length,
          users: demo.users.length,
        },
        district: { id: district.id, code: district.code, streets: district.childCount },
        itemsPerResponse,
        cityLoadSeconds: setupSeconds,
        databasePool: database.server
          ? 'pg.Pool max 10 for the app (openDatabase) and 10 for the baseline'
          : 'PGlite: one connection shared by both',
      },
      scenarios,
    };
  } finally {
    for (const server of servers) await server.close().catch(() => {});
    for (const close of closers) await close().catch(() => {});
    await database.close();
  }
}

/** Logs in as the admin over HTTP and creates a personal API token, as a script author would. */
async function createApiToken(app: FastifyInstance, username: string, password: string): Promise<string> {
  const login = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username, password } });
  if (login.statusCode !== 200) throw new Error(`benchmark login failed: ${login.statusCode} ${login.body}`);
  const cookie = login.cookies.find((candidate) => candidate.name === 'minxin_session')!;
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/me/tokens',
    headers: {
      cookie: `minxin_session=${cookie.value}`,
      'x-csrf-token': login.json<{ csrfToken: string }>().csrfToken,
    },
    payload: { name: 'benchmark', expiresInDays: 1 },
  });
  if (created.statusCode !== 201)
    throw new Error(`creating the benchmark API token failed: ${created.statusCode} ${created.body}`);
  return created.json<{ token: string }>().token;
}

async function firstDistrict(app: FastifyInstance): Promise<{ id: number; code: string; childCount: number }> {
  const response = await app.inject({ method: 'GET', url: '/api/v1/regions?level=district&limit=1' });
  const district = response.json<{ items: { id: number; code: string; childCount: number }[] }>().items[0];
  if (response.statusCode !== 200 || !district)
    throw new Error(`no district in the demo city: ${response.statusCode} ${response.body}`);
  return district;
}

/**
 * The yardstick: a Fastify app with no plugins, hooks or schemas and one
 * route running the raw query. On a server it has its own plain `pg.Pool`
 * (as large as the app's, with the same bigint parsing); PGlite has one
 * connection, so there it shares the app's.
 */
async function startBaseline(
  database: BenchDatabase,
  cityId: number,
  closers: (() => Promise<void>)[],
): Promise<FastifyInstance> {
  let query: (cityId: number) => Promise<unknown[]>;
  if (database.server) {
    const pool = new pg.Pool({
      connectionString: database.server.url,
      max: 10,
      options: `-c search_path=${database.server.schema}`,
      types: {
        getTypeParser: (oid: number, format?: 'text' | 'binary') =>
          oid === 20 ? Number : pg.types.getTypeParser(oid, format),
      } as unknown as pg.CustomTypesConfig,
    });
    closers.push(() => pool.end());
    query = async (id) => (await pool.query(RAW_DEPARTMENTS, [id])).rows;
  } else {
    const db = database.handle.db;
    query = async (id) => (await db.executeQuery(CompiledQuery.raw(RAW_DEPARTMENTS, [id]))).rows;
  }
  const app = Fastify({ logger: false });
  app.get('/departments', async () => ({ items: await query(cityId) }));
  return app;
}

async function listen(app: FastifyInstance): Promise<number> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return (app.server.address() as AddressInfo).port;
}

/** One real request before measuring: the scenario must answer 200 with a non-empty page of `items`. */
async function probe(scenario: HttpScenario): Promise<number> {
  const request = scenario.requests[0]!;
  const response = await fetch(`http://127.0.0.1:${scenario.port}${request.path}`, { headers: request.headers });
  const body = (await response.json()) as { items?: unknown[] };
  const items = response.ok && Array.isArray(body.items) ? body.items.length : 0;
  if (!response.ok || items === 0)
    throw new Error(
      `${scenario.name}: expected a non-empty page, got ${response.status} ${JSON.stringify(body).slice(0, 300)}`,
    );
  return items;
}
