// The voices loop under load: intake (`POST /api/v1/messages`) against a bare
// Fastify + pg insert measured in the same run, and the SLA scan's selection
// over 1,000,000 open cases (target ≤ 2 s, index-backed). See docs/benchmarks.md.
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import Fastify, { type FastifyInstance } from 'fastify';
import { CompiledQuery, sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../../server/app.ts';
import { createRoutingRule, prepareVoicesCity } from '../../server/modules/voices/index.ts';
import { findSlaCandidates, slaCandidatesQuery } from '../../server/modules/voices/deadlines/sla-scan.repository.ts';
import { slaHorizon } from '../../server/modules/voices/deadlines/sla-scan.service.ts';
import { createLogger, provisionCity, type PlatformDeps } from '../../server/platform/index.ts';
import { openBenchDatabase, type BenchDatabase } from '../database.ts';
import { OPEN_LOOP_SOCKETS, round, runHttpScenarios, runTimedScenarios, type BenchOptions, type BenchSuite, type SuiteResult } from '../suite.ts';

let CASES = 1_000_000;
/** The rate for the intake target (p99 ≤ 50 ms at 500 req/s); `--rate` changes it. */
const DEFAULT_RATE = 500;
const CITY = 'bench-voices';

export const suite: BenchSuite = {
  name: 'voices',
  description: 'Intake POST /api/v1/messages vs a bare Fastify + pg insert; the SLA scan selection over 1,000,000 open cases',
  run: runVoices,
};

async function runVoices(options: BenchOptions): Promise<SuiteResult> {
  CASES = Number(options.env.BENCH_SLA_CASES || 1_000_000);
  const database = await openBenchDatabase(options, { MINXIN_CITY: CITY, SLA_SCAN_INTERVAL_SECONDS: '0' });
  options.log(`database: ${database.facts.kind} — ${database.facts.location}`);
  const servers: FastifyInstance[] = [];
  const closers: (() => Promise<void>)[] = [];
  try {
    const deps: PlatformDeps = { db: database.handle.db, config: database.config, logger: createLogger('silent'), clock: () => new Date() };
    const regionId = await provisionBenchCity(deps);
    const app = await buildApp(deps);
    servers.push(app);
    const baseline = await startBaseline(database, closers);
    servers.push(baseline);
    const appPort = await listen(app);
    const baselinePort = await listen(baseline);
    const body = JSON.stringify({ title: '楼道灯坏了', description: '三号楼二单元的楼道灯坏了一周，晚上看不见路。', kind: 'complaint', categoryPath: '城乡建设' });
    const json = { 'content-type': 'application/json' };
    const probe = await fetch(`http://127.0.0.1:${appPort}/api/v1/messages`, { method: 'POST', headers: json, body });
    if (probe.status !== 201) throw new Error(`intake probe: ${probe.status} ${await probe.text()}`);

    const rate = options.rate ?? DEFAULT_RATE;
    const baselineRequests = [{ method: 'POST', path: '/messages', headers: json, body }];
    const intakeRequests = [{ method: 'POST', path: '/api/v1/messages', headers: json, body }];
    const intakeDescription = 'Validation, tracking code and routing from the cached routing facts, ids from a block taken before, then one prepared statement: case number (city-year sequence), case (already dispatched) + message + timeline + audit entries (in the case\'s audit chain, hashed in SQL)';
    const http = await runHttpScenarios(
      [
        { name: 'baseline-raw-insert', description: 'Bare Fastify route: one raw insert of the message through a plain pool (closed loop, saturation)', role: 'baseline', port: baselinePort, requests: baselineRequests },
        { name: 'intake', description: `${intakeDescription} (closed loop, saturation)`, role: 'subject', baseline: 'baseline-raw-insert', port: appPort, requests: intakeRequests },
        { name: 'baseline-raw-insert-open', description: `The bare insert at ${rate} req/s on a fixed schedule (open loop)`, role: 'baseline', port: baselinePort, requests: baselineRequests, rate },
        { name: 'intake-open', description: `${intakeDescription}, at ${rate} req/s on a fixed schedule (open loop): the issue's target, p99 ≤ 50 ms at 500 req/s`, role: 'subject', baseline: 'baseline-raw-insert-open', port: appPort, requests: intakeRequests, rate, targets: { p99Ms: 50 } },
      ],
      options,
    );

    options.log(`generating ${CASES.toLocaleString('en')} open cases …`);
    const generated = await generateCases(deps, regionId);
    options.log(`generated in ${generated.seconds} s`);
    const horizon = slaHorizon(new Date());
    const plan = await explain(deps, slaCandidatesQuery(regionId, horizon, 200).compile(deps.db));
    const countQuery = sql<{ n: string }>`select count(*) as n from (${slaCandidatesQuery(regionId, horizon, CASES)}) as due`;
    const due = Number((await countQuery.execute(deps.db)).rows[0]!.n);
    const timed = await runTimedScenarios(
      [
        { name: 'sla-select-batch', description: 'The scan selection: the first 200 due cases (soonest first) from the pending index', operation: `select 200 of ${due} due cases among ${CASES} open`, role: 'subject', run: () => findSlaCandidates(deps.db, regionId, horizon, 200), targets: { p99Ms: 2000 } },
        { name: 'sla-select-all', description: 'The same selection without a page: every due case (what a scan walks in all)', operation: `select all ${due} due cases among ${CASES} open`, role: 'subject', run: () => countQuery.execute(deps.db), targets: { p99Ms: 2000 } },
      ],
      { ...options, seconds: Math.min(options.seconds, 6), warmupSeconds: 1 },
    );
    return {
      database: database.facts,
      setup: { openLoopRate: rate, openLoopSockets: OPEN_LOOP_SOCKETS, openCases: CASES, dueCases: due, generateSeconds: generated.seconds, explain: plan, databasePool: database.server ? 'pg.Pool max 10 for the app and 10 for the baseline' : 'PGlite: one connection shared by both' },
      scenarios: [...http, ...timed],
    };
  } finally {
    for (const server of servers) await server.close().catch(() => {});
    for (const close of closers) await close().catch(() => {});
    await database.close();
  }
}

async function provisionBenchCity(deps: PlatformDeps): Promise<number> {
  const { regionId } = await provisionCity(deps, {
    city: { code: CITY, name: '基准市', nameEn: 'Bench City', centroid: [120, 36] },
    regions: [{ code: 'east', name: '东区', nameEn: null, level: 'district', parentCode: CITY, centroid: null }],
    departments: [{ code: 'housing', name: '住房和城乡建设局', nameEn: null, districtCode: null, parentCode: null, areas: ['城乡建设'], contactPhone: null, contactEmail: null, address: null }],
    users: [],
  });
  await prepareVoicesCity(deps, regionId);
  const department = await deps.db.selectFrom('departments').select('id').where('region_id', '=', regionId).executeTakeFirstOrThrow();
  const context = {
    actor: { regionId, userId: 0, username: 'bench', role: 'admin' as const, departmentId: null, scopePath: `/${regionId}/`, via: 'cli' as const },
    regionId,
    ip: null,
    requestId: null,
  };
  await createRoutingRule(deps, context, { categoryPathPrefix: '城乡建设', districtId: null, departmentId: Number(department.id), coHandlerIds: [], priority: 0 });
  return regionId;
}

/**
 * 1,000,000 running cases in one INSERT … SELECT: due dates spread over ±30
 * days; of the overdue ones, every other one already escalated for its due
 * date (the partial index leaves those out); one in ten hour-limit clocks.
 */
async function generateCases(deps: PlatformDeps, regionId: number): Promise<{ seconds: number }> {
  const start = performance.now();
  await sql`
    insert into cases (region_id, number, title, kind, state, version, snapshot, deadline, due_at, urgent, created_at, updated_at, sla_escalated_for)
    select ${regionId}, 'B-' || i, '基准诉求 ' || i, 'complaint',
           (array['dispatched', 'in_progress', 'reopened'])[1 + i % 3], 2, '{}'::jsonb,
           jsonb_build_object('limit', jsonb_build_object('unit', case when i % 10 = 0 then 'hours' else 'working_days' end, 'amount', 10)),
           due, false, now() - interval '20 days', now() - interval '20 days',
           case when due < now() and i % 2 = 0 then due end
      from generate_series(1, ${CASES}) as i,
           lateral (select now() + ((i::bigint * 7919) % 86400 - 43200) * interval '1 minute' as due) as d`.execute(deps.db);
  await sql`analyze cases`.execute(deps.db);
  return { seconds: round((performance.now() - start) / 1000, 1) };
}

async function explain(deps: PlatformDeps, query: CompiledQuery): Promise<string[]> {
  const text = query.sql.replace(/\$(\d+)/g, (_, n: string) => {
    const value = query.parameters[Number(n) - 1];
    return value instanceof Date ? `'${value.toISOString()}'::timestamptz` : String(value);
  });
  const { rows } = await sql.raw<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${text}`).execute(deps.db);
  return rows.map((row) => row['QUERY PLAN']);
}

/** A bare Fastify route inserting the message into a table of its own: the floor under intake. */
async function startBaseline(database: BenchDatabase, closers: (() => Promise<void>)[]): Promise<FastifyInstance> {
  const create = 'create table if not exists bench_raw_messages (id bigint generated always as identity primary key, title text not null, body text not null, kind text not null, category text, submitted_at timestamptz not null default now())';
  const insert = 'insert into bench_raw_messages (title, body, kind, category) values ($1, $2, $3, $4) returning id';
  let query: (values: unknown[]) => Promise<unknown[]>;
  if (database.server) {
    const pool = new pg.Pool({ connectionString: database.server.url, max: 10, options: `-c search_path=${database.server.schema}` });
    closers.push(() => pool.end());
    await pool.query(create);
    query = async (values) => (await pool.query(insert, values)).rows;
  } else {
    const db = database.handle.db;
    await db.executeQuery(CompiledQuery.raw(create, []));
    query = async (values) => (await db.executeQuery(CompiledQuery.raw(insert, values))).rows;
  }
  const app = Fastify({ logger: false });
  app.post('/messages', async (request, reply) => {
    const input = request.body as { title: string; description: string; kind: string; categoryPath?: string };
    const [row] = await query([input.title, input.description, input.kind, input.categoryPath ?? null]);
    return reply.code(201).send(row);
  });
  return app;
}

async function listen(app: FastifyInstance): Promise<number> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return (app.server.address() as AddressInfo).port;
}
