import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { sql, type KyselyPlugin } from 'kysely';
import { verifyAudit, type PlatformDeps, type RequestContext } from '../../../platform/index.ts';
import { buildDeps, buildVoicesCity } from '../../../../test/factories.ts';
import { caseNumberSequence } from '../cases/case.repository.ts';
import { caseYearOf } from '../cases/voices.ts';
import { submitMessage, type MessageInput } from './intake.service.ts';

/**
 * How intake writes (docs/benchmarks.md, `voices`): ids from a block taken
 * before, then number, case, message, timeline and audit entries in one
 * statement, without a transaction. Concurrency is real on the PostgreSQL
 * server (TEST_DATABASE_URL); PGlite runs the same requests one at a time.
 */
describe('intake writes', () => {
  let deps: PlatformDeps;
  let city: Awaited<ReturnType<typeof buildVoicesCity>>;
  const anonymous = (regionId = city.regionId): RequestContext => ({
    actor: undefined,
    regionId,
    ip: null,
    requestId: null,
  });
  const routed: MessageInput = {
    title: '路灯不亮',
    description: '小区门口的路灯坏了一周',
    kind: 'request_for_help',
    categoryPath: '城乡建设',
  };
  const counts = async (regionId = city.regionId) => {
    const { rows } = await sql<{ cases: number; messages: number; events: number; submits: number }>`
      select (select count(*) from cases where region_id = ${regionId})::int as cases,
        (select count(*) from messages where region_id = ${regionId})::int as messages,
        (select count(*) from case_events where region_id = ${regionId})::int as events,
        (select count(*) from audit_log where region_id = ${regionId} and action = 'message.submit')::int as submits`.execute(
      deps.db,
    );
    return rows[0]!;
  };

  before(async () => {
    deps = await buildDeps();
    city = await buildVoicesCity(deps);
  });

  test('one intake is one statement once the routing facts are cached and ids are in hand, and opens no transaction; the case, message, timeline and both audit entries are there and the chains verify', async () => {
    await submitMessage(deps, anonymous(), routed, { channel: 'web' }); // the city's audit heads exist from here on
    // Every builder is transformed (also those embedded in a statement); only the statements sent get a result.
    const compiled = new Map<unknown, string>();
    const statements: string[] = [];
    const counter: KyselyPlugin = {
      transformQuery: (args) => {
        compiled.set(args.queryId, deps.db.getExecutor().compileQuery(args.node, args.queryId).sql);
        return args.node;
      },
      transformResult: (args) => {
        statements.push(compiled.get(args.queryId)!);
        return Promise.resolve(args.result);
      },
    };
    const counted = deps.db.withPlugin(counter);
    let transactions = 0;
    const db = new Proxy(counted, {
      get(target, property) {
        if (property === 'transaction') transactions += 1;
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    // Cold: the city's routing facts (taxonomy, active rules, the rules' departments) are read once, a block of ids is
    // taken, the audit heads are made sure of once, then the write.
    await submitMessage({ ...deps, db }, anonymous(), routed, { channel: 'web' });
    assert.equal(statements.length, 6, statements.join('\n'));
    assert.equal(statements.filter((text) => /nextval\(pg_get_serial_sequence\('cases'/.test(text)).length, 1);
    statements.length = 0;
    // Warm: facts from the cache (routing-facts.ts), ids from the block: an intake is its one write and nothing else.
    const before = await counts();
    const receipt = await submitMessage({ ...deps, db }, anonymous(), routed, { channel: 'web' });
    assert.equal(statements.length, 1, statements.join('\n'));
    assert.match(statements[0]!, /^\/\* prepared \*\/ ?with new_case as \(insert into "cases"/);
    assert.match(receipt.caseNumber, /^\d{4}-\d{6}$/);
    assert.equal(transactions, 0);
    assert.deepEqual(await counts(), {
      cases: before.cases + 1,
      messages: before.messages + 1,
      events: before.events + 2,
      submits: before.submits + 1,
    });
    const entries = await deps.db
      .selectFrom('audit_log')
      .select(['action', 'chain'])
      .where('region_id', '=', city.regionId)
      .where('resource_type', '=', 'case')
      .where('resource_id', '=', String(receipt.caseId))
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      entries.map((entry) => entry.action),
      ['message.submit', 'case.dispatch'],
    );
    assert.equal(entries[0]!.chain, entries[1]!.chain);
    assert.equal((await verifyAudit(deps.db, city.regionId)).ok, true);
  });

  test('case numbers are unique per city and year under concurrent intakes, in the year of the intake, from 000001 in a new city and year', async () => {
    const receipts = await Promise.all(
      Array.from({ length: 24 }, (_, index) =>
        submitMessage(deps, anonymous(), { ...routed, title: `并发 ${index}` }, { channel: 'api' }),
      ),
    );
    const numbers = receipts.map((receipt) => receipt.caseNumber);
    assert.equal(new Set(numbers).size, numbers.length);
    assert.equal(new Set(receipts.map((receipt) => receipt.caseId)).size, receipts.length);
    for (const number of numbers) assert.match(number, new RegExp(`^${caseYearOf(new Date())}-\\d{6}$`));
    const ids = receipts.map((receipt) => receipt.messageId);
    const { rows: stored } = await sql<{ message_id: string; case_id: string; number: string }>`
      select m.id as message_id, c.id as case_id, c.number from messages m join cases c on c.region_id = m.region_id and c.id = m.case_id
      where m.region_id = ${city.regionId} and m.id = any(${ids}::bigint[]) order by m.id`.execute(deps.db);
    assert.deepEqual(
      stored.map((row) => [Number(row.message_id), Number(row.case_id), row.number]),
      receipts
        .map((receipt) => [receipt.messageId, receipt.caseId, receipt.caseNumber])
        .sort((a, b) => Number(a[0]) - Number(b[0])),
    );
    assert.equal((await verifyAudit(deps.db, city.regionId)).ok, true);

    // Another city, in another year (a message without a category: triage, no deadline).
    const other = await buildVoicesCity(deps);
    const later = { ...deps, clock: () => new Date('2031-03-01T08:00:00Z') };
    const first = await Promise.all(
      [0, 1, 2].map((index) =>
        submitMessage(
          later,
          anonymous(other.regionId),
          { ...routed, categoryPath: undefined, title: `新年 ${index}` },
          { channel: 'api' },
        ),
      ),
    );
    assert.deepEqual(first.map((receipt) => receipt.caseNumber).sort(), ['2031-000001', '2031-000002', '2031-000003']);
    assert.equal((await verifyAudit(deps.db, other.regionId)).ok, true);
  });

  test('racing submissions with one Idempotency-Key store one case and return its receipt to all; the losers write nothing', async () => {
    const before = await counts();
    const key = `race-${Date.now()}`;
    const receipts = await Promise.all(
      Array.from({ length: 6 }, () =>
        submitMessage(deps, anonymous(), routed, { channel: 'api', idempotencyKey: key }),
      ),
    );
    assert.equal(new Set(receipts.map((receipt) => JSON.stringify(receipt))).size, 1);
    assert.deepEqual(await counts(), {
      cases: before.cases + 1,
      messages: before.messages + 1,
      events: before.events + 2,
      submits: before.submits + 1,
    });
    assert.equal((await verifyAudit(deps.db, city.regionId)).ok, true);
  });

  test('an intake whose statement fails writes nothing, not even audit entries; its number becomes a gap and the retry takes the next', async () => {
    const taken = await submitMessage(deps, anonymous(), routed, { channel: 'api' });
    // Wind the sequence back one: the next number is already taken, so the write statement fails on the unique number.
    const sequence = sql.raw(caseNumberSequence(city.regionId, caseYearOf(new Date())));
    await sql`select setval('${sequence}', (select last_value from ${sequence}) - 1)`.execute(deps.db);
    const before = await counts();
    const receipt = await submitMessage(deps, anonymous(), { ...routed, title: '重试' }, { channel: 'api' });
    assert.notEqual(receipt.caseNumber, taken.caseNumber);
    assert.equal(Number(receipt.caseNumber.slice(5)), Number(taken.caseNumber.slice(5)) + 1);
    // Only the retry's rows: the failed statement's case, message, timeline and audit entries are not there.
    assert.deepEqual(await counts(), {
      cases: before.cases + 1,
      messages: before.messages + 1,
      events: before.events + 2,
      submits: before.submits + 1,
    });
    assert.equal((await verifyAudit(deps.db, city.regionId)).ok, true);
  });
});
