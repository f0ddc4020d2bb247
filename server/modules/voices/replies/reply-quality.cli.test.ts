import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { buildOwnDatabase, buildVoicesCity, runMinxin, useCliFolder } from '../../../../test/factories.ts';
import type { RequestContext } from '../../../platform/index.ts';
import { importHotlineExport } from '../hotline-import/hotline-import.ts';
import type { ReplyQualityTables } from './reply-quality.table.ts';

// Invented lines in the shape of the teddy2020 replies file.
const GOOD = [
  { id: 1, user: 'U1', title: '路灯不亮', body: '南泉小区门口路灯坏了，请问什么时候修？', time: '2019-04-01T09:00:00', reply: '经市路灯管理所核实，已于4月3日更换线路，路灯已恢复照明。', reply_time: '2019-04-03T16:00:00' },
  { id: 2, title: '公交咨询', body: '请问12路几点收班？', time: '2019-04-01T09:00:00', reply: '网友：您好！留言已收悉', reply_time: '2019-06-01' },
  { id: 'x-3', title: '', body: '没有时间的留言', reply: '已转区住建局调查处理。' },
];

describe('minxin replies score --input', () => {
  const folder = useCliFolder('minxin-replies-cli-');
  const own = folder.own;
  const write = folder.write;

  test('writes one JSON line of scores per input line, in order, to stdout or --output', async () => {
    const input = await write('good.jsonl', ['\uFEFF' + JSON.stringify(GOOD[0]), '', ...GOOD.slice(1).map((row) => JSON.stringify(row))]);
    const run = await runMinxin(own(), ['replies', 'score', '--input', input]);
    assert.equal(run.code, 0, run.stderr.join('\n'));
    const lines = run.stdout.filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(lines.map((line) => line.id), [1, 2, 'x-3']);
    const [first, second, third] = lines as { overall: number; timeliness: number | null; delay: unknown; method: string; reasons: Record<string, { code: string }[]> }[];
    assert.equal(first!.method, 'reply-quality/1');
    assert.deepEqual(first!.delay, { elapsed: 2, limit: 15, unit: 'working_days' });
    assert.equal(first!.timeliness, 1);
    assert.ok(first!.overall > second!.overall);
    assert.ok(second!.reasons.relevance!.some((cue) => cue.code === 'acknowledgement_only'));
    assert.deepEqual(second!.delay, { elapsed: 44, limit: 15, unit: 'working_days' });
    assert.equal(third!.timeliness, null);
    assert.equal(third!.delay, null);
    assert.deepEqual(third!.reasons.timeliness, []);
    assert.match(run.stderr.join('\n'), /scored 3 replies/);

    const toFile = await runMinxin(own(), ['replies', 'score', '--input', input, '--output', 'out.jsonl', '--limit-days', '5']);
    assert.equal(toFile.code, 0, toFile.stderr.join('\n'));
    assert.deepEqual(toFile.stdout.filter(Boolean), []);
    const written = (await readFile(folder.path('out.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { delay: { limit: number } | null });
    assert.equal(written.length, 3);
    assert.equal(written[0]!.delay!.limit, 5);
  });

  test('bad lines: every problem as FILE:LINE: field: problem, exit 3, nothing written', async () => {
    const input = await write('bad.jsonl', [
      JSON.stringify(GOOD[0]),
      '{"id": 2, "title": "x"',
      JSON.stringify({ id: 3, body: '', reply: 42 }),
      JSON.stringify({ id: 4, body: 'b', reply: 'r', time: '2019-04-05T09:00:00', reply_time: '2019-04-01T09:00:00' }),
      JSON.stringify({ id: 5, body: 'b', reply: 'r', time: '2019-13-01' }),
      JSON.stringify({ id: 1, body: 'b', reply: 'r' }),
      '[1, 2]',
      JSON.stringify({ body: 'b', reply: 'x'.repeat(100_001) }),
    ]);
    const run = await runMinxin(own(), ['replies', 'score', '--input', input, '--output', 'never.jsonl']);
    assert.equal(run.code, 3);
    assert.deepEqual(run.stdout.filter(Boolean), []);
    const errors = run.stderr.filter(Boolean);
    const expected = [
      /^bad\.jsonl:2: line: not valid JSON/,
      /^bad\.jsonl:3: body: is empty$/,
      /^bad\.jsonl:3: reply: must be a string$/,
      /^bad\.jsonl:4: reply_time: is before time \(2019-04-01 < 2019-04-05\)$/,
      /^bad\.jsonl:5: time: "2019-13-01" is not a valid date$/,
      /^bad\.jsonl:5: reply_time: missing while time is given \(give both or neither\)$/,
      /^bad\.jsonl:6: id: already on line 1$/,
      /^bad\.jsonl:7: line: must be a JSON object$/,
      /^bad\.jsonl:8: id: missing$/,
      /^bad\.jsonl:8: reply: longer than 100,000 characters$/,
      /^minxin replies score: 7 bad line\(s\) in bad\.jsonl; nothing was written$/,
    ];
    assert.equal(errors.length, expected.length, errors.join('\n'));
    expected.forEach((pattern, index) => assert.match(errors[index]!, pattern));
    await assert.rejects(readFile(folder.path('never.jsonl')));
  });

  test('a missing file, an unwritable output and usage mistakes are one clear line each', async () => {
    const missing = await runMinxin(own(), ['replies', 'score', '--input', 'nope.jsonl']);
    assert.equal(missing.code, 3);
    assert.deepEqual(missing.stderr.filter(Boolean), ['nope.jsonl:0: file: cannot be read (ENOENT)']);
    const input = await write('one.jsonl', [JSON.stringify(GOOD[0])]);
    const unwritable = await runMinxin(own(), ['replies', 'score', '--input', input, '--output', 'no/such/dir/out.jsonl']);
    assert.equal(unwritable.code, 1);
    assert.match(unwritable.stderr.filter(Boolean).join('\n'), /^minxin replies score: cannot write no\/such\/dir\/out\.jsonl: ENOENT$/);
    for (const argv of [[], ['--input', input, '--stored'], ['--input', input, '--limit-days', '0'], ['--stored', '--output', 'x'], ['--input', input, '--all'], ['--input', input, 'extra']]) {
      const run = await runMinxin(own(), ['replies', 'score', ...argv]);
      assert.equal(run.code, 2, argv.join(' '));
      assert.equal(run.stderr.filter(Boolean).length, 1, run.stderr.join('\n'));
    }
  });
});

describe('minxin replies score --stored', () => {
  test('scores the replies of a city that have no score yet', async () => {
    const own = await buildOwnDatabase();
    try {
      const file = path.join(own.dir, 'import.jsonl');
      await writeFile(file, GOOD.slice(0, 2).map((row) => JSON.stringify(row)).join('\n'));
      const city = await own.use(async (deps) => {
        const built = await buildVoicesCity(deps);
        const admin = await deps.db.selectFrom('users').select('id').where('region_id', '=', built.regionId).where('username', '=', 'admin').executeTakeFirstOrThrow();
        const context: RequestContext = {
          actor: { regionId: built.regionId, userId: Number(admin.id), username: 'admin', role: 'admin', departmentId: null, scopePath: `/${built.regionId}/`, via: 'cli' },
          regionId: built.regionId,
          ip: null,
          requestId: null,
        };
        const mapping = { sourceSystem: 'cli-test', sourceId: 'id', title: 'title', body: 'body', submittedAt: 'time', kind: { constant: 'consultation' }, reply: 'reply', repliedAt: 'reply_time' };
        await importHotlineExport(deps, context, { path: file, mapping });
        // As if the replies had been stored before scoring existed.
        await deps.db.withTables<ReplyQualityTables>().deleteFrom('reply_scores').where('region_id', '=', built.regionId).execute();
        return built;
      });
      const run = await runMinxin(own, ['replies', 'score', '--stored', '--city', city.code]);
      assert.equal(run.code, 0, run.stderr.join('\n'));
      assert.deepEqual(run.stdout.filter(Boolean), ['2 replies scored in 1 batch(es)']);
      const again = await runMinxin(own, ['replies', 'score', '--stored', '--city', city.code]);
      assert.deepEqual(again.stdout.filter(Boolean), ['0 replies scored in 0 batch(es)']);
      const rescored = await runMinxin(own, ['replies', 'score', '--stored', '--all', '--city', city.code]);
      assert.deepEqual(rescored.stdout.filter(Boolean), ['2 replies scored in 1 batch(es)']);
    } finally {
      await own.dispose();
    }
  });
});
