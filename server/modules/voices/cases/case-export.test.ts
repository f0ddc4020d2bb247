import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { CaseDetailView, MessageReceiptView } from '../../../../contracts/voices.ts';
import type { PlatformDeps, RequestContext } from '../../../platform/index.ts';
import {
  assertProblem,
  buildOwnDatabase,
  buildVoicesCity,
  buildVoicesTestApp,
  loginAs,
  runMinxin,
  testClock,
  type TestSession,
} from '../../../../test/factories.ts';
import { submitMessage } from '../intake/intake.service.ts';
import { contentDisposition, csvField, csvLine, guardFormula, localTime } from './case-export.ts';
import { exportCases } from './case-export.service.ts';

/** Splits a CSV text into rows of fields (RFC 4180: quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += char;
  }
  assert.equal(field, '', 'the file ends with a line break');
  return rows;
}

describe('the deadline export, pure parts', () => {
  test('texts a spreadsheet would run are guarded; numbers are not', () => {
    for (const text of ['=SUM(A1)', '+86', '-1', '@cmd', '\tx'])
      assert.equal(guardFormula(text).startsWith("'"), true, text);
    assert.equal(guardFormula('路灯'), '路灯');
    assert.equal(csvField(-3), '-3');
    assert.equal(csvField('=1+1'), "'=1+1");
    assert.equal(csvField('a,"b"'), '"a,""b"""');
    assert.equal(csvField(null), '');
    assert.equal(csvLine(['x', 1, null]), 'x,1,\r\n');
  });

  test('times are Beijing wall-clock time', () => {
    assert.equal(localTime(new Date('2026-03-09T15:59:59.999Z')), '2026-03-09 23:59');
    assert.equal(localTime(null), null);
  });

  test('the file name is sent plain and RFC 5987-encoded', () => {
    assert.equal(
      contentDisposition('cases-青岛-2026-03-02.csv'),
      `attachment; filename="cases-__-2026-03-02.csv"; filename*=UTF-8''cases-%E9%9D%92%E5%B2%9B-2026-03-02.csv`,
    );
  });
});

/**
 * The export over HTTP on a city where 城乡建设 goes to housing and 交通运输
 * to transport: a handler gets their department's cases, a district
 * coordinator their district's, and nobody gets personal data.
 */
describe('GET /api/v1/cases/export.csv', () => {
  let app: FastifyInstance;
  let deps: PlatformDeps;
  let city: Awaited<ReturnType<typeof buildVoicesTestApp>>['city'];
  const clock = testClock(new Date('2026-03-02T01:00:00Z')); // a Monday, 09:00 in Beijing
  const as: Record<string, TestSession> = {};
  const receipts: Record<'housing' | 'transport' | 'triage', MessageReceiptView> = {} as never;

  const submit = async (payload: Record<string, unknown>): Promise<MessageReceiptView> => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/messages', payload });
    assert.equal(response.statusCode, 201, response.body);
    return response.json<MessageReceiptView>();
  };
  const exported = async (who: string, query = '') => {
    const response = await app.inject({ url: `/api/v1/cases/export.csv${query}`, headers: as[who]!.headers });
    assert.equal(response.statusCode, 200, response.body);
    return response;
  };
  const numbersOf = (body: string): string[] =>
    parseCsv(body.replace(/^\uFEFF/, ''))
      .slice(1)
      .map((row) => row[0]!)
      .sort();

  before(async () => {
    ({ app, deps, city } = await buildVoicesTestApp({
      clock: clock.now,
      env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000', SESSION_TTL_HOURS: '720' },
    }));
    for (const username of ['coordinator', 'coordinator-east', 'handler-housing', 'citizen', 'auditor', 'admin'])
      as[username] = await loginAs(app, username);
    const contact = { name: '张三', phone: '13912345678' };
    receipts.housing = await submit({
      title: '=HYPERLINK("http://evil.example","点我")',
      description: '东一甲社区3号楼楼道灯坏了一个月。',
      kind: 'request_for_help',
      categoryPath: '城乡建设/城市建设和市政管理/其他',
      communityId: city.communities['east-1-a'],
      address: '东一甲社区3号楼',
      contact,
    });
    receipts.transport = await submit({
      title: '路口信号灯不亮',
      description: '西一甲社区路口信号灯坏了。',
      kind: 'complaint',
      categoryPath: '交通运输/出租车管理/其他',
      communityId: city.communities['west-1-a'],
      contact,
    });
    receipts.triage = await submit({
      title: '低保咨询',
      description: '请问低保如何申请？',
      kind: 'consultation',
      communityId: city.communities['east-1-a'],
      contact,
    });
  });
  after(() => app.close());

  test('a UTF-8 file with a BOM, a header and one row per case; times in Beijing; nothing personal', async () => {
    const response = await exported('coordinator');
    assert.equal(response.headers['content-type'], 'text/csv; charset=utf-8');
    assert.equal(
      response.headers['content-disposition'],
      `attachment; filename="cases-${city.code}-2026-03-02.csv"; filename*=UTF-8''cases-${city.code}-2026-03-02.csv`,
    );
    assert.deepEqual([...response.rawPayload.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'starts with the UTF-8 BOM');
    const rows = parseCsv(response.body.replace(/^\uFEFF/, ''));
    assert.deepEqual(rows[0], [
      '编号',
      '标题',
      '类型',
      '分类',
      '区域',
      '主办单位',
      '状态',
      '受理时间',
      '办理时限',
      '剩余时间（负数为超期）',
      '时间单位',
      '时限状态',
      '紧急',
      '督办',
      '答复时间',
      '评价（本轮平均分）',
    ]);
    assert.equal(rows.length, 4);
    const housing = rows.find((row) => row[0] === receipts.housing.caseNumber)!;
    assert.deepEqual(housing, [
      receipts.housing.caseNumber,
      `'=HYPERLINK("http://evil.example","点我")`,
      '求助',
      '城乡建设/城市建设和市政管理/其他',
      '东区',
      '住房和城乡建设局',
      '已派单',
      '2026-03-02 09:00',
      '2026-03-09 23:59',
      '5',
      '工作日',
      '正常',
      '否',
      '否',
      '',
      '',
    ]);
    const triage = rows.find((row) => row[0] === receipts.triage.caseNumber)!;
    assert.deepEqual(triage.slice(5, 12), ['', '受理', '2026-03-02 09:00', '', '', '', '']);
    for (const secret of ['13912345678', '张三', '东一甲社区3号楼', 'MX-', '楼道灯坏了'])
      assert.ok(!response.body.includes(secret), `the export leaks ${secret}`);
  });

  test("the reader's scope: a handler their department, a district coordinator their district; citizens may not export", async () => {
    assert.deepEqual(numbersOf((await exported('handler-housing')).body), [receipts.housing.caseNumber]);
    assert.deepEqual(
      numbersOf((await exported('coordinator-east')).body),
      [receipts.housing.caseNumber, receipts.triage.caseNumber].sort(),
    );
    assert.equal(numbersOf((await exported('auditor')).body).length, 3);
    assertProblem(
      await app.inject({ url: '/api/v1/cases/export.csv', headers: as.citizen!.headers }),
      403,
      'forbidden',
    );
    assertProblem(await app.inject({ url: '/api/v1/cases/export.csv' }), 401, 'unauthenticated');
  });

  test("the list's filters: state, triage queue, search; English labels with lang=en", async () => {
    assert.deepEqual(numbersOf((await exported('coordinator', '?queue=triage')).body), [receipts.triage.caseNumber]);
    assert.deepEqual(
      numbersOf((await exported('coordinator', '?state=dispatched')).body),
      [receipts.housing.caseNumber, receipts.transport.caseNumber].sort(),
    );
    assert.deepEqual(numbersOf((await exported('coordinator', `?q=${receipts.transport.caseNumber}`)).body), [
      receipts.transport.caseNumber,
    ]);
    const english = parseCsv((await exported('coordinator', '?lang=en')).body.replace(/^\uFEFF/, ''));
    assert.equal(english[0]![0], 'Number');
    assert.equal(english.find((row) => row[0] === receipts.transport.caseNumber)![5], 'Transport Bureau');
    assertProblem(
      await app.inject({ url: '/api/v1/cases/export.csv?queue=triage', headers: as['handler-housing']!.headers }),
      403,
      'forbidden',
    );
  });

  test('overdue and escalated (督办) cases, with the time they are over', async () => {
    clock.advance(10 * 24 * 3600_000); // Thursday 12 March: both dispatched cases are past their five working days
    const coordinator = as.coordinator!;
    const detail = (
      await app.inject({ url: `/api/v1/cases/${receipts.housing.caseId}`, headers: coordinator.headers })
    ).json<CaseDetailView>();
    const urged = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${receipts.housing.caseId}/events`,
      headers: coordinator.headers,
      payload: { version: detail.version, event: { type: 'urge', note: '请尽快办理' } },
    });
    assert.equal(urged.statusCode, 200, urged.body);
    const response = await exported('coordinator', '?overdue=true');
    assert.match(String(response.headers['content-disposition']), /cases-.*-2026-03-12\.csv/);
    const rows = parseCsv(response.body.replace(/^\uFEFF/, ''));
    // The request for help had five working days; the complaint has longer and is not overdue yet.
    assert.deepEqual(
      rows.slice(1).map((row) => row[0]),
      [receipts.housing.caseNumber],
    );
    assert.deepEqual(rows[1]!.slice(9, 14), ['-3', '工作日', '已超期', '否', '是']);
    const all = parseCsv((await exported('coordinator')).body.replace(/^\uFEFF/, ''));
    assert.deepEqual(all.find((row) => row[0] === receipts.transport.caseNumber)!.slice(11, 14), ['正常', '否', '否']);
  });

  test('the export reads page after page in case order and misses none', async () => {
    const coordinator = await deps.db
      .selectFrom('users')
      .select(['id'])
      .where('region_id', '=', city.regionId)
      .where('username', '=', 'coordinator')
      .executeTakeFirstOrThrow();
    const context: RequestContext = {
      actor: {
        regionId: city.regionId,
        userId: Number(coordinator.id),
        username: 'coordinator',
        role: 'coordinator',
        departmentId: null,
        scopePath: `/${city.regionId}/`,
        via: 'cli',
      },
      regionId: city.regionId,
      ip: null,
      requestId: null,
    };
    const file = await exportCases(deps, context, {}, 'zh-CN', 1);
    const chunks: string[] = [];
    for await (const chunk of file.chunks) chunks.push(chunk);
    assert.equal(chunks.length, 4, 'the header, then one chunk per page of one');
    assert.equal(file.rows(), 3);
    const numbers = parseCsv(chunks.join('').replace(/^\uFEFF/, ''))
      .slice(1)
      .map((row) => row[0]!);
    assert.deepEqual(numbers, [...numbers].sort(), 'in case order');
    assert.equal(new Set(numbers).size, 3);
  });
});

describe('minxin voices export', () => {
  test("writes the city's or one region's export to a file", async () => {
    const own = await buildOwnDatabase();
    try {
      const city = await own.use(async (deps) => {
        const built = await buildVoicesCity(deps);
        const anonymous: RequestContext = { actor: undefined, regionId: built.regionId, ip: null, requestId: null };
        for (const community of ['east-1-a', 'west-1-a']) {
          await submitMessage(
            deps,
            anonymous,
            {
              title: `路灯不亮 ${community}`,
              description: '路灯坏了',
              kind: 'request_for_help',
              categoryPath: '城乡建设/城市建设和市政管理/其他',
              communityId: built.communities[community],
            },
            { channel: 'api' },
          );
        }
        return built;
      });
      const all = await runMinxin(own, ['voices', 'export', '--city', city.code, '--output', 'all.csv']);
      assert.equal(all.code, 0, all.stderr.join('\n'));
      assert.deepEqual(all.stdout.filter(Boolean), ['all.csv: 2 cases']);
      const text = await readFile(path.join(own.dir, 'all.csv'), 'utf8');
      assert.ok(text.startsWith('\uFEFF编号,标题'));
      const east = await runMinxin(own, [
        'voices',
        'export',
        '--city',
        city.code,
        '--region',
        'east',
        '--output',
        'east.csv',
        '--lang',
        'en',
      ]);
      assert.equal(east.code, 0, east.stderr.join('\n'));
      assert.deepEqual(east.stdout.filter(Boolean), ['east.csv: 1 cases']);
      assert.match(await readFile(path.join(own.dir, 'east.csv'), 'utf8'), /路灯不亮 east-1-a/);
      assert.notEqual(
        (await runMinxin(own, ['voices', 'export', '--city', city.code, '--region', 'nowhere', '--output', 'x.csv']))
          .code,
        0,
      );
      assert.equal((await runMinxin(own, ['voices', 'export', '--city', city.code])).code, 2, '--output is required');
    } finally {
      await own.dispose();
    }
  });
});
