// Near-duplicate lookup among 1,000,000 stored message signatures (target
// ≤ 50 ms p99), against a bare primary-key read of one signature measured in
// the same run. See docs/near-duplicates.md and docs/benchmarks.md.
// BENCH_NEAR_DUPLICATE_MESSAGES sets the number of messages (default 1,000,000).
import { performance } from 'node:perf_hooks';
import { sql, type CompiledQuery } from 'kysely';
import { DEFAULT_PARAMETERS, compareMessages, createSigner, type MessageFacts } from '../../server/algorithms/near-duplicates/index.ts';
import { prepareVoicesCity } from '../../server/modules/voices/index.ts';
import { candidatesQuery, findCandidates, planForLookups, type Candidate, type CandidateQuery } from '../../server/modules/voices/near-duplicates/near-duplicate.repository.ts';
import { JOINABLE_STATES, PER_SITE } from '../../server/modules/voices/near-duplicates/near-duplicate.service.ts';
import { createLogger, inTransaction, provisionCity, type PlatformDeps } from '../../server/platform/index.ts';
import { openBenchDatabase } from '../database.ts';
import { round, runTimedScenarios, type BenchOptions, type BenchSuite, type SuiteResult } from '../suite.ts';

const CITY = 'bench-near-duplicates';
/** Named sites in the generated city: each message names two, drawn with a long tail (a few sites are hot issues). */
const SITES = 20_000;
const DAY_MS = 86_400_000;

export const suite: BenchSuite = {
  name: 'near-duplicates',
  description: 'Near-duplicate lookup (newest per named site, GIN on LSH band keys, window, open cases) and scoring among 1,000,000 stored signatures vs a primary-key read of one signature',
  run: runNearDuplicates,
};

async function runNearDuplicates(options: BenchOptions): Promise<SuiteResult> {
  const messages = Number(options.env.BENCH_NEAR_DUPLICATE_MESSAGES || 1_000_000);
  const database = await openBenchDatabase(options, { MINXIN_CITY: CITY, SLA_SCAN_INTERVAL_SECONDS: '0', NEAR_DUPLICATE_INTERVAL_SECONDS: '0' });
  options.log(`database: ${database.facts.kind} — ${database.facts.location}`);
  try {
    const deps: PlatformDeps = { db: database.handle.db, config: database.config, logger: createLogger('silent'), clock: () => new Date() };
    const { regionId } = await provisionCity(deps, {
      city: { code: CITY, name: '基准市', nameEn: 'Bench City', centroid: [120, 36] },
      regions: [],
      departments: [],
      users: [],
    });
    await prepareVoicesCity(deps, regionId);
    const now = new Date();
    options.log(`generating ${messages.toLocaleString('en')} messages with their cases and signatures …`);
    const generated = await generate(deps, regionId, messages, now);
    options.log(`generated in ${generated.seconds} s (signatures ${generated.signatureBytes}, key index ${generated.indexBytes})`);

    // Each lookup asks with the keys of a stored message (so it meets its site's other messages, as a new
    // message about a known place would), walking through the city in a fixed stride: warm and cold pages alike.
    let cursor = 0;
    const nextId = (): number => {
      cursor = (cursor + 7919) % messages;
      return generated.firstMessageId + cursor;
    };
    const probe = async (messageId: number): Promise<CandidateQuery> => {
      const { rows } = await sql<{ band_keys: number[] | string; submitted_at: Date | string; case_id: string | number; sites: number[] | string }>`
        select band_keys, submitted_at, case_id,
               array(select site_key from message_sites where region_id = s.region_id and message_id = s.message_id) as sites
          from message_signatures s where region_id = ${regionId} and message_id = ${messageId}`.execute(deps.db);
      const row = rows[0]!;
      const ints = (value: number[] | string) => (typeof value === 'string' ? value.replace(/[{}]/g, '').split(',').filter(Boolean).map(Number) : value.map(Number));
      const submittedAt = new Date(row.submitted_at);
      const window = DEFAULT_PARAMETERS.windowDays * DAY_MS;
      return {
        bandKeys: ints(row.band_keys),
        siteKeys: ints(row.sites),
        from: new Date(submittedAt.getTime() - window),
        to: new Date(submittedAt.getTime() + window),
        beforeMessageId: generated.firstMessageId + messages,
        excludeCaseId: Number(row.case_id),
        caseStates: JOINABLE_STATES,
        perSite: PER_SITE,
        limit: 500,
      };
    };
    // The lookups' queries are prepared before the clock runs: the probe read is not what is measured.
    const queries = await Promise.all(Array.from({ length: 400 }, () => probe(nextId())));
    let next = 0;
    const query = () => queries[(next = (next + 1) % queries.length)]!;
    // As the indexer runs it: inside its batch transaction, planned for lookups (see `planForLookups`).
    const lookup = (q: CandidateQuery) =>
      inTransaction(deps.db, async (trx) => {
        await planForLookups(trx);
        return findCandidates(trx, regionId, q);
      });
    const counts = await Promise.all(queries.slice(0, 100).map(async (q) => (await lookup(q)).length));
    counts.sort((a, b) => a - b);
    const own = ownFacts();
    const plan = await inTransaction(deps.db, async (trx) => {
      await planForLookups(trx);
      return explain(trx, candidatesQuery(regionId, queries[0]!).compile(trx));
    });
    let pkId = generated.firstMessageId;

    const timed = await runTimedScenarios(
      [
        {
          name: 'baseline-signature-by-id',
          description: 'One stored signature read by its primary key (region_id, message_id): the cheapest read of this table',
          operation: `select one of ${messages} signatures by primary key`,
          role: 'baseline',
          run: () => sql`select * from message_signatures where region_id = ${regionId} and message_id = ${(pkId = generated.firstMessageId + ((pkId + 7919) % messages))}`.execute(deps.db),
        },
        {
          name: 'lookup',
          description: 'The indexer\'s candidate query in a transaction planned for lookups (no JIT, no sequential scans): the newest 50 messages of each named site and every message sharing an LSH band key (GIN), in the window, older, of another open case, newest 500',
          operation: `find candidates among ${messages} signatures`,
          role: 'subject',
          baseline: 'baseline-signature-by-id',
          run: () => lookup(query()),
          targets: { p99Ms: 50 },
        },
        {
          name: 'lookup-and-score',
          description: 'The lookup and scoring every candidate against the new message (what proposing a join costs per message)',
          operation: `find and score candidates among ${messages} signatures`,
          role: 'subject',
          baseline: 'baseline-signature-by-id',
          run: async () => scoreAll(own, await lookup(query())),
          targets: { p99Ms: 50 },
        },
      ],
      options,
    );
    return {
      database: database.facts,
      setup: {
        messages,
        sites: SITES,
        generateSeconds: generated.seconds,
        signatureTableBytes: generated.signatureBytes,
        keyIndexBytes: generated.indexBytes,
        candidatesPerLookup: { min: counts[0], median: counts[Math.floor(counts.length / 2)], p90: counts[Math.floor(counts.length * 0.9)], max: counts[counts.length - 1] },
        explain: plan,
      },
      scenarios: timed,
    };
  } finally {
    await database.close();
  }
}

/** A real signature, scored against every candidate (the candidates' own parts are generated). */
function ownFacts(): MessageFacts {
  const signature = createSigner().sign({ title: '润芳园小区临街门面油烟直排扰民', body: '润芳园小区临街的烧烤店长期油烟直排，没有烟道，每天经营到深夜，严重影响居民生活。' });
  return { signature, communityId: null, districtId: null, categoryPath: null, lat: null, lng: null, submittedAt: new Date() };
}

function scoreAll(own: MessageFacts, candidates: readonly Candidate[]): number {
  let best = 0;
  for (const candidate of candidates) {
    const facts: MessageFacts = {
      signature: { minhash: candidate.minhash, places: candidate.places as MessageFacts['signature']['places'], terms: candidate.terms, bandKeys: [], siteKeys: [] },
      communityId: candidate.communityId,
      districtId: candidate.districtId,
      categoryPath: candidate.categoryPath,
      lat: candidate.lat,
      lng: candidate.lng,
      submittedAt: candidate.submittedAt,
    };
    best = Math.max(best, compareMessages(own, facts).score);
  }
  return best;
}

/**
 * `messages` cases (nine in ten open), one message each, and their signatures
 * over the last 60 days: 32 random band keys (so only the sites meet) and
 * two named sites drawn as floor(u² × SITES) — a long tail where the hottest
 * site is named by about 0.7 % of messages, like the hottest estate of the
 * teddy2020 messages (丽发新城, 0.9 %) — a 256-byte MinHash, one of 1,000 term
 * lists and a place list. The key index is built after the load, as a bulk
 * load would.
 */
async function generate(deps: PlatformDeps, regionId: number, messages: number, now: Date) {
  const start = performance.now();
  const window = DEFAULT_PARAMETERS.windowDays;
  const { rows: before } = await sql<{ id: string | number | null }>`select max(id) as id from cases where region_id = ${regionId}`.execute(deps.db);
  const offset = Number(before[0]?.id ?? 0);
  await sql`
    insert into cases (region_id, id, number, title, kind, state, version, snapshot, created_at, updated_at)
    select ${regionId}, ${offset} + i, 'ND-' || i, '基准诉求 ' || i, 'complaint',
           case when i % 10 = 0 then 'closed' else (array['accepted', 'dispatched', 'in_progress'])[1 + i % 3] end,
           2, '{}'::jsonb, ${now}::timestamptz - (i % ${window * 1440}) * interval '1 minute', ${now}
      from generate_series(1, ${messages}) as i`.execute(deps.db);
  const { rows: messageBefore } = await sql<{ id: string | number | null }>`select max(id) as id from messages where region_id = ${regionId}`.execute(deps.db);
  const firstMessageId = Number(messageBefore[0]?.id ?? 0) + 1;
  await sql`
    insert into messages (region_id, id, case_id, channel, kind, title, body, requester_key, tracking_code, submitted_at)
    select ${regionId}, ${firstMessageId - 1} + i, ${offset} + i, 'web', 'complaint', '基准诉求 ' || i, '基准诉求正文 ' || i, 'code:ND' || i, 'ND' || i,
           ${now}::timestamptz - (i % ${window * 1440}) * interval '1 minute'
      from generate_series(1, ${messages}) as i`.execute(deps.db);
  await sql`drop index message_signatures_band_keys`.execute(deps.db);
  await sql`create temporary table bench_terms as
    select t, array(select '问题' || ((t * 31 + k * 17) % 3000) from generate_series(1, 12) as k) as terms,
              array(select (0.2 + (k % 5) * 0.05)::real from generate_series(1, 12) as k) as weights
      from generate_series(0, 999) as t`.execute(deps.db);
  await sql`create temporary table bench_sites as
    select i, 1000000000 + floor(power(random(), 2) * ${SITES})::integer + 0 * i as s1, 1000000000 + floor(power(random(), 2) * ${SITES})::integer + 0 * i as s2
      from generate_series(1, ${messages}) as i`.execute(deps.db);
  await sql`
    insert into message_signatures (region_id, message_id, case_id, submitted_at, band_keys, minhash, places, terms, term_weights)
    select ${regionId}, ${firstMessageId - 1} + i, ${offset} + i, ${now}::timestamptz - (i % ${window * 1440}) * interval '1 minute',
           array(select (random() * 4294967295 - 2147483648)::bigint::integer from generate_series(1, 32 + 0 * i)),
           decode(repeat(lpad(to_hex(i), 8, '0'), 64), 'hex'),
           jsonb_build_array(jsonb_build_object('term', '基准' || s1 || '园', 'kind', 'site'), jsonb_build_object('term', '基准' || s2 || '苑', 'kind', 'site')),
           bt.terms, bt.weights
      from bench_sites
      join bench_terms bt on bt.t = i % 1000`.execute(deps.db);
  await sql`
    insert into message_sites (region_id, site_key, message_id)
    select ${regionId}, site, ${firstMessageId - 1} + i from bench_sites, unnest(array[s1, s2]) as site
    on conflict do nothing`.execute(deps.db);
  await inTransaction(deps.db, async (trx) => {
    // This session only: the GIN build sorts 32 keys per message in memory instead of spilling.
    await sql`set local maintenance_work_mem = '512MB'`.execute(trx);
    await sql`create index message_signatures_band_keys on message_signatures using gin (band_keys)`.execute(trx);
  });
  await sql`analyze cases`.execute(deps.db);
  await sql`analyze messages`.execute(deps.db);
  await sql`analyze message_signatures`.execute(deps.db);
  await sql`analyze message_sites`.execute(deps.db);
  const { rows: sizes } = await sql<{ table_bytes: string; index_bytes: string }>`
    select pg_size_pretty(pg_total_relation_size('message_signatures') + pg_total_relation_size('message_sites')) as table_bytes,
           pg_size_pretty(pg_relation_size('message_signatures_band_keys')) as index_bytes`.execute(deps.db);
  return { seconds: round((performance.now() - start) / 1000, 1), firstMessageId, signatureBytes: sizes[0]!.table_bytes, indexBytes: sizes[0]!.index_bytes };
}

async function explain(db: PlatformDeps['db'], query: CompiledQuery): Promise<string[]> {
  const text = query.sql.replace(/\$(\d+)/g, (_, n: string) => {
    const value = query.parameters[Number(n) - 1];
    return value instanceof Date ? `'${value.toISOString()}'::timestamptz` : typeof value === 'string' ? `'${value}'` : String(value);
  });
  const { rows } = await sql.raw<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${text}`).execute(db);
  return rows.map((row) => row['QUERY PLAN']);
}
