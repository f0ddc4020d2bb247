import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { buildDeps, buildOwnDatabase, buildVoicesCity, runMinxin, type OwnDatabase } from '../../../../test/factories.ts';
import { isAppError, type PlatformDeps, type RequestContext } from '../../../platform/index.ts';
import type { VoicesTables } from '../cases/voices.table.ts';
import { parseHotlineMapping, parseTime } from './hotline-import-mapping.ts';
import { importHotlineExport } from './hotline-import.ts';

const REPLIES = new URL('../../../../../shared/data/civic/teddy2020/replies.jsonl', import.meta.url).pathname;
const TEDDY_MAPPING = new URL('../../../../docs/examples/teddy2020-replies.mapping.json', import.meta.url).pathname;

/** A small export in the shape of a 12345 system's, with the Chinese headers it would have. */
const MAPPING = {
  sourceSystem: 'hotline-12345',
  sourceId: '工单编号',
  title: '标题',
  body: '内容',
  submittedAt: '来电时间',
  kind: { column: '类型', map: { 投诉: 'complaint', 咨询: 'consultation', 建议: 'suggestion' } },
  category: { column: '分类', map: { 物业: '城乡建设/住房保障与房地产/物业服务' } },
  district: { column: '区', map: { 东区: 'east', 西区: 'west' } },
  department: { column: '承办单位', map: { 住建局: 'housing' } },
  reply: '答复内容',
  repliedAt: '答复时间',
};
const HEADER = '工单编号,标题,内容,来电时间,类型,分类,区,承办单位,答复内容,答复时间';
const GOOD = [
  'A-1,小区电梯坏了,电梯停运三天,2024-03-01 09:00:00,投诉,物业,东区,住建局,已督促物业修复,2024-03-05 10:00:00',
  'A-2,公交线路咨询,请问12路几点收班,2024-03-02 10:00,咨询,,西区,,,',
  'A-3,建议增设路灯,小区门口太黑,2024/3/3 8:30,建议,,南区,,已安排,2024-03-10 16:00:00',
];
const BAD = 'A-4,日期错了,内容,yesterday,投诉,物业,东区,住建局,,';

let deps: PlatformDeps;
const db = () => deps.db.withTables<VoicesTables>();
let dir: string;

before(async () => {
  deps = await buildDeps();
  dir = await mkdtemp(path.join(tmpdir(), 'minxin-hotline-'));
});
after(() => rm(dir, { recursive: true, force: true }));

async function cityContext(): Promise<{ context: RequestContext; regionId: number; code: string }> {
  const city = await buildVoicesCity(deps);
  const admin = await deps.db.selectFrom('users').select('id').where('region_id', '=', city.regionId).where('username', '=', 'admin').executeTakeFirstOrThrow();
  const context: RequestContext = {
    actor: { regionId: city.regionId, userId: Number(admin.id), username: 'admin', role: 'admin', departmentId: null, scopePath: `/${city.regionId}/`, via: 'cli' },
    regionId: city.regionId,
    ip: null,
    requestId: null,
  };
  return { context, regionId: city.regionId, code: city.code };
}

const countCases = async (regionId: number): Promise<number> =>
  Number((await db().selectFrom('cases').select((eb) => eb.fn.countAll().as('n')).where('region_id', '=', regionId).executeTakeFirstOrThrow()).n);

async function writeCsv(name: string, lines: string[], encoding = 'utf8'): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, iconv.encode(lines.join('\n') + '\n', encoding));
  return file;
}

async function expectInvalid(work: Promise<unknown>): Promise<{ path: string; message: string }[]> {
  try {
    await work;
  } catch (error) {
    assert.ok(isAppError(error) && error.code === 'import_invalid', String(error));
    return (error.details?.errors ?? []) as { path: string; message: string }[];
  }
  assert.fail('expected import_invalid');
}

describe('the mapping file', () => {
  test('the shipped teddy2020 mapping is valid', async () => {
    const mapping = parseHotlineMapping(JSON.parse(await readFile(TEDDY_MAPPING, 'utf8')));
    assert.equal(mapping.sourceSystem, 'teddy2020');
    assert.equal(mapping.finalState, 'closed');
  });

  test('a bad mapping is refused with every problem named by its setting', () => {
    assert.throws(
      () => parseHotlineMapping({ sourceSystem: 'x y', sourceId: 'id', title: 'title', body: '', submittedAt: { column: 't', timeZone: 'Mars/Base' }, kind: { constant: 'gripe' }, reply: 'r', colour: 1 }),
      (error: Error & { problems?: { path: string }[] }) => {
        const paths = error.problems!.map((problem) => problem.path).sort();
        for (const expected of ['sourceSystem', 'body', 'submittedAt.timeZone', '(root)']) assert.ok(paths.includes(expected), `${expected} in ${paths.join(', ')}`);
        return true;
      },
    );
    assert.throws(() => parseHotlineMapping({ sourceSystem: 's', sourceId: 'id', title: 't', body: 'b', submittedAt: 'at', kind: { column: 'k', map: { 投诉: 'gripe' } } }), /kind\.map\.投诉/);
  });

  test('times are wall times in the mapping time zone unless they carry an offset', () => {
    const zone = { format: 'auto', timeZone: 'Asia/Shanghai' } as const;
    assert.equal(parseTime('2019-04-25T09:32:09', zone)?.toISOString(), '2019-04-25T01:32:09.000Z');
    assert.equal(parseTime('2019/4/25 9:32', zone)?.toISOString(), '2019-04-25T01:32:00.000Z');
    assert.equal(parseTime('2019-04-25T09:32:09Z', zone)?.toISOString(), '2019-04-25T09:32:09.000Z');
    assert.equal(parseTime('2024-07-01 12:00', { format: 'auto', timeZone: 'Europe/Berlin' })?.toISOString(), '2024-07-01T10:00:00.000Z');
    assert.equal(parseTime('2019-02-30', zone), null);
    assert.equal(parseTime('1556155929', { format: 'unix-seconds', timeZone: 'UTC' })?.toISOString(), '2019-04-25T01:32:09.000Z');
  });
});

describe('importHotlineExport', () => {
  test('a CSV becomes cases with the historical dates, replies and a system timeline', async () => {
    const { context, regionId } = await cityContext();
    const file = await writeCsv('good.csv', [HEADER, ...GOOD]);
    const report = await importHotlineExport(deps, context, { path: file, mapping: MAPPING });
    assert.deepEqual({ rows: report.rows, created: report.created, unchanged: report.unchanged, rejected: report.rejectedRows }, { rows: 3, created: 3, unchanged: 0, rejected: 0 });

    const cases = await db()
      .selectFrom('cases as c')
      .innerJoin('messages as m', (join) => join.onRef('m.region_id', '=', 'c.region_id').onRef('m.case_id', '=', 'c.id'))
      .select(['c.id', 'c.number', 'c.state', 'c.district_id', 'c.department_id', 'c.category_id', 'c.created_at', 'c.closed_at', 'm.source_id', 'm.channel', 'm.submitted_at'])
      .where('c.region_id', '=', regionId)
      .orderBy('m.source_id')
      .execute();
    assert.deepEqual(cases.map((row) => [row.source_id, row.state]), [['A-1', 'closed'], ['A-2', 'accepted'], ['A-3', 'closed']]);
    const [first, second, third] = cases;
    assert.equal(new Date(first!.submitted_at).toISOString(), '2024-03-01T01:00:00.000Z');
    assert.equal(new Date(first!.created_at).toISOString(), '2024-03-01T01:00:00.000Z');
    assert.equal(new Date(first!.closed_at!).toISOString(), '2024-03-05T02:00:00.000Z');
    assert.match(first!.number, /^2024-\d{6}$/);
    assert.ok(first!.department_id !== null && first!.category_id !== null && first!.district_id !== null);
    assert.equal(first!.channel, 'import');
    assert.equal(second!.closed_at, null);
    assert.equal(third!.district_id, null, 'an unmapped district is left empty');

    const timeline = await db().selectFrom('case_events').selectAll().where('region_id', '=', regionId).where('case_id', '=', first!.id).orderBy('version').execute();
    assert.deepEqual(timeline.map((event) => [event.event, event.from_state, event.to_state, event.actor_label]), [
      ['open', null, 'accepted', 'system'],
      ['dispatch', 'accepted', 'dispatched', 'system'],
      ['reply', 'dispatched', 'replied', 'system'],
      ['close', 'replied', 'closed', 'system'],
    ]);
    assert.equal(new Date(timeline[2]!.at).toISOString(), '2024-03-05T02:00:00.000Z');
    assert.equal((timeline[2]!.details as { payload: { text: string } }).payload.text, '已督促物业修复');
    assert.deepEqual((timeline[3]!.details as { notifications: unknown[] }).notifications, []);

    const audits = await deps.db.selectFrom('audit_log').select(['action', 'details']).where('region_id', '=', regionId).where('action', '=', 'hotline.import').execute();
    assert.equal(audits.length, 1);
    assert.equal((audits[0]!.details as { created: number }).created, 3);
  });

  for (const variant of ['csv', 'gbk', 'xlsx'] as const) {
    test(`a ${variant} file with a bad row: nothing without --skip-invalid, the rest with it`, async () => {
      const { context, regionId } = await cityContext();
      let file: string;
      if (variant === 'xlsx') {
        const workbook = new ExcelJS.Workbook();
        const sheet = workbook.addWorksheet('工单');
        for (const line of [HEADER, ...GOOD, BAD]) sheet.addRow(line.split(','));
        file = path.join(dir, `bad-${regionId}.xlsx`);
        await workbook.xlsx.writeFile(file);
      } else {
        file = await writeCsv(`bad-${regionId}.csv`, [HEADER, ...GOOD, BAD], variant === 'gbk' ? 'gbk' : 'utf8');
      }
      const problems = await expectInvalid(importHotlineExport(deps, context, { path: file, mapping: MAPPING }));
      assert.deepEqual(problems.map((problem) => problem.path), [`${file}:5:submittedAt`]);
      assert.equal(await countCases(regionId), 0);

      const report = await importHotlineExport(deps, context, { path: file, mapping: MAPPING, skipInvalid: true });
      assert.deepEqual([report.created, report.rejectedRows, report.rejected.map((problem) => `${problem.line}:${problem.field}`)], [3, 1, ['5:submittedAt']]);
      assert.equal(await countCases(regionId), 3);
    });
  }

  test('every bad row is listed by line and field; repeated source ids are problems', async () => {
    const { context } = await cityContext();
    const file = await writeCsv('many.csv', [HEADER, GOOD[0]!, 'A-1,又一次,内容,2024-03-01 09:00,投诉,,,,,', ',无编号,内容,2024-03-01,吐槽,,,,,', 'A-9,答复早于来电,内容,2024-03-05,投诉,,,,已办,2024-03-01']);
    const problems = await expectInvalid(importHotlineExport(deps, context, { path: file, mapping: MAPPING }));
    assert.deepEqual(problems.map((problem) => problem.path), [`${file}:3:sourceId`, `${file}:4:sourceId`, `${file}:4:kind`, `${file}:5:repliedAt`]);
  });

  test('a mapping naming codes the city lacks, or columns the file lacks, imports nothing', async () => {
    const { context } = await cityContext();
    const file = await writeCsv('good2.csv', [HEADER, ...GOOD]);
    const wrongCode = await expectInvalid(importHotlineExport(deps, context, { path: file, mapping: { ...MAPPING, department: { column: '承办单位', map: { 住建局: 'nowhere' } } } }));
    assert.deepEqual(wrongCode.map((problem) => problem.path), ['mapping:department.map.住建局']);
    const wrongColumn = await expectInvalid(importHotlineExport(deps, context, { path: file, mapping: { ...MAPPING, title: '主题' } }));
    assert.deepEqual(wrongColumn.map((problem) => problem.path), [`${file}:1:主题`]);
  });

  test('a crash after the first batch loses nothing committed, and a rerun completes without duplicates', async () => {
    const { context, regionId } = await cityContext();
    const lines = Array.from({ length: 25 }, (_, index) => `B-${index},标题${index},内容${index},2024-04-01 08:00,咨询,,,,答复${index},2024-04-02 08:00`);
    const file = await writeCsv('crash.csv', [HEADER, ...lines]);
    await assert.rejects(
      importHotlineExport(deps, context, {
        path: file,
        mapping: MAPPING,
        batchSize: 10,
        onProgress: (progress) => {
          if (progress.phase === 'batch') throw new Error('power cut');
        },
      }),
      /power cut/,
    );
    assert.equal(await countCases(regionId), 10);
    const rerun = await importHotlineExport(deps, context, { path: file, mapping: MAPPING, batchSize: 10 });
    assert.deepEqual([rerun.created, rerun.unchanged, rerun.batches], [15, 10, 3]);
    assert.equal(await countCases(regionId), 25);
    const numbers = await db().selectFrom('cases').select('number').where('region_id', '=', regionId).execute();
    assert.equal(new Set(numbers.map((row) => row.number)).size, 25);
  });

  test('the real teddy2020 replies: 2,816 closed cases with replies and their dates; a rerun changes nothing', async (t) => {
    if (!existsSync(REPLIES)) {
      t.skip(`${REPLIES} is absent`);
      return;
    }
    const { context, regionId } = await cityContext();
    const mapping = JSON.parse(await readFile(TEDDY_MAPPING, 'utf8')) as unknown;
    const started = performance.now();
    const report = await importHotlineExport(deps, context, { path: REPLIES, mapping, batchSize: 500 });
    const seconds = (performance.now() - started) / 1000;
    t.diagnostic(`imported ${report.created} rows in ${seconds.toFixed(1)} s: ${Math.round(report.created / seconds)} rows/s`);
    assert.deepEqual([report.rows, report.created, report.unchanged, report.rejectedRows], [2816, 2816, 0, 0]);

    const states = await db().selectFrom('cases').select(['state']).select((eb) => eb.fn.countAll().as('n')).where('region_id', '=', regionId).groupBy('state').execute();
    assert.deepEqual(states.map((row) => [row.state, Number(row.n)]), [['closed', 2816]]);
    const firstLine = JSON.parse((await readFile(REPLIES, 'utf8')).split('\n')[0]!) as { id: number; time: string; reply: string; reply_time: string };
    const message = await db().selectFrom('messages').selectAll().where('region_id', '=', regionId).where('source_system', '=', 'teddy2020').where('source_id', '=', String(firstLine.id)).executeTakeFirstOrThrow();
    assert.equal(new Date(message.submitted_at).getTime(), new Date(`${firstLine.time}+08:00`).getTime());
    const record = await db().selectFrom('cases').selectAll().where('region_id', '=', regionId).where('id', '=', message.case_id).executeTakeFirstOrThrow();
    assert.equal(new Date(record.closed_at!).getTime(), new Date(`${firstLine.reply_time}+08:00`).getTime());
    assert.equal((record.snapshot as { reply: { text: string } }).reply.text, firstLine.reply.trim());
    const events = await db().selectFrom('case_events').select((eb) => eb.fn.countAll().as('n')).where('region_id', '=', regionId).executeTakeFirstOrThrow();
    assert.equal(Number(events.n), 2816 * 3, 'open, reply and close for each');
    const districts = await db().selectFrom('cases').select((eb) => eb.fn.countAll().as('n')).where('region_id', '=', regionId).where('district_id', 'is not', null).executeTakeFirstOrThrow();
    assert.equal(Number(districts.n), 0, 'the anonymised A-districts match none of the test city');

    const again = await importHotlineExport(deps, context, { path: REPLIES, mapping, batchSize: 500 });
    assert.deepEqual([again.created, again.unchanged], [0, 2816]);
    assert.equal(await countCases(regionId), 2816);
  });
});

describe('minxin voices import', () => {
  let own: OwnDatabase;
  let city: { regionId: number; code: string };
  before(async () => {
    own = await buildOwnDatabase();
    city = await own.use((ownDeps) => buildVoicesCity(ownDeps));
  });
  after(() => own?.dispose());

  test('prints problems as file:line:field: message, exits 3 and imports nothing; with --skip-invalid, a summary line', async () => {
    const file = 'hotline.csv';
    await writeFile(path.join(own.dir, file), [HEADER, ...GOOD, BAD].join('\n') + '\n');
    await writeFile(path.join(own.dir, 'mapping.json'), JSON.stringify(MAPPING));
    const env = { ...own.env, MINXIN_NO_PROGRESS: '1' };
    const refused = await runMinxin({ ...own, env }, ['voices', 'import', file, '--mapping', 'mapping.json', '--city', city.code]);
    assert.equal(refused.code, 3, refused.stderr.join('\n'));
    assert.deepEqual(refused.stdout, []);
    assert.ok(refused.stderr.includes('hotline.csv:5:submittedAt: not a date and time (e.g. 2019-04-25 09:32:09)'), refused.stderr.join('\n'));
    assert.match(refused.stderr.at(-1)!, /nothing was imported/);

    const imported = await runMinxin({ ...own, env }, ['voices', 'import', file, '--mapping', 'mapping.json', '--skip-invalid', '--city', city.code]);
    assert.equal(imported.code, 0, imported.stderr.join('\n'));
    assert.deepEqual(imported.stdout, ['hotline.csv: 4 rows, 3 created, 0 unchanged, 1 rejected']);
    assert.ok(imported.stderr.includes('hotline.csv:5:submittedAt: not a date and time (e.g. 2019-04-25 09:32:09) (skipped)'));
    assert.ok(imported.stderr.some((line) => /^imported 3\/3 rows/.test(line)), imported.stderr.join('\n'));

    const again = await runMinxin({ ...own, env }, ['voices', 'import', file, '--mapping', 'mapping.json', '--skip-invalid', '--city', city.code]);
    assert.deepEqual(again.stdout, ['hotline.csv: 4 rows, 0 created, 3 unchanged, 1 rejected']);
  });

  test('a missing --mapping is a usage error', async () => {
    const run = await runMinxin(own, ['voices', 'import', 'x.csv']);
    assert.equal(run.code, 2);
    assert.match(run.stderr.join('\n'), /--mapping is required/);
  });
});
