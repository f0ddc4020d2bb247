import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { runMinxin, useCliFolder } from '../../../../test/factories.ts';

// Invented messages in the shape of the teddy2020 hot-messages file.
const mixer = (id: number, day: number, user = `U${id}`) => ({
  id,
  user,
  title: id % 2 ? '丽发新城附近建搅拌站噪音扰民' : '投诉丽发新城小区旁的搅拌站',
  time: `2019-12-${String(day).padStart(2, '0')}T10:00:00`,
  body: '丽发新城小区旁边新建了一个搅拌站，日夜施工噪音很大，粉尘污染严重，请环保部门处理。',
  likes: 2,
  dislikes: 0,
});
const lift = { id: 900, user: 'U900', title: '翠微花园电梯经常故障', time: '2019-06-01T08:00:00', body: '翠微花园小区的电梯三天两头坏，老人上下楼困难。', likes: 40, dislikes: 1 };
const LINES = [...Array.from({ length: 8 }, (_, k) => mixer(k + 1, 20 + k)), lift].map((row) => JSON.stringify(row));

describe('minxin hot', () => {
  const folder = useCliFolder('minxin-hot-cli-');
  const own = folder.own;
  const write = folder.write;

  test('prints the top clusters: heat, time range, place, description, size, people, likes and member ids', async () => {
    const input = await write('hot.jsonl', ['\uFEFF' + LINES[0], '', ...LINES.slice(1)]);
    const run = await runMinxin(own(), ['hot', '--input', input, '--top', '5']);
    assert.equal(run.code, 0, run.stderr.join('\n'));
    const text = run.stdout.join('\n');
    assert.match(run.stdout[0]!, /^hot\.jsonl: 9 messages in the start – the end; heat at 2019-12-27T10:00:00\+08:00/);
    assert.match(text, / {2}1\. heat [\d.]+ · 丽发新城 · 2019-12-20 – 2019-12-27/);
    assert.match(text, /8 messages · 8 people · 16 likes · SURGE: 7 in the last 7 days, 7\.0× the expected 1\.0/);
    assert.match(text, /ids: 1 2 3 4 5 6 7 8/);
    assert.match(text, / {2}2\. heat [\d.]+ · 翠微花园 · 2019-06-01 – 2019-06-01/);
  });

  test('--json writes one object per cluster; --top, --from and --to narrow it', async () => {
    const input = await write('hot.jsonl', LINES);
    const run = await runMinxin(own(), ['hot', '--input', input, '--top', '1', '--json']);
    assert.equal(run.code, 0, run.stderr.join('\n'));
    const lines = run.stdout.filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(lines.length, 1);
    assert.deepEqual(Object.keys(lines[0]!), ['rank', 'heat', 'from', 'to', 'place', 'description', 'keyTerms', 'size', 'people', 'likes', 'dislikes', 'growth', 'ids']);
    assert.deepEqual(lines[0]!.ids, [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(lines[0]!.from, '2019-12-20T10:00:00+08:00');
    assert.equal((lines[0]!.growth as { alert: boolean }).alert, true);
    const june = await runMinxin(own(), ['hot', '--input', input, '--from', '2019-06-01', '--to', '2019-06-30', '--top', '5', '--json']);
    assert.deepEqual(june.stdout.filter(Boolean).map((line) => (JSON.parse(line) as { ids: number[] }).ids), [[900]]);
    const late = await runMinxin(own(), ['hot', '--input', input, '--from', '2019-12-24T00:00:00+08:00', '--top', '5', '--json']);
    assert.deepEqual(late.stdout.filter(Boolean).map((line) => (JSON.parse(line) as { ids: number[] }).ids), [[5, 6, 7, 8]]);
    const none = await runMinxin(own(), ['hot', '--input', input, '--from', '2020-01-01', '--top', '5']);
    assert.equal(none.code, 0);
    assert.match(none.stdout[0]!, /no messages in 2020-01-01T00:00:00\+08:00 – the end/);
  });

  test('a bad line stops the run with one line FILE:LINE: field: problem and exit 3', async () => {
    const cases: [string[], string][] = [
      [[LINES[0]!, '{"id": 2, "user": "U2", "title": "x"'], 'bad.jsonl:2: line: not valid JSON'],
      [[LINES[0]!, JSON.stringify({ ...mixer(2, 21), time: '2019-13-01' })], 'bad.jsonl:2: time: "2019-13-01" is not a valid date and time'],
      [[JSON.stringify({ ...mixer(1, 20), likes: -1 })], 'bad.jsonl:1: likes: must be a whole number ≥ 0'],
      [[JSON.stringify({ ...mixer(1, 20), user: undefined })], 'bad.jsonl:1: user: missing (distinct people are counted by it)'],
      [[JSON.stringify({ ...mixer(1, 20), title: '', body: ' ' })], 'bad.jsonl:1: body: missing or empty (and so is the title)'],
      [[LINES[0]!, '', LINES[0]!], 'bad.jsonl:3: id: 1 is already on line 1'],
      [['[1, 2]'], 'bad.jsonl:1: line: must be a JSON object'],
      [[JSON.stringify({ ...mixer(1, 20), body: '字'.repeat(100_001) })], 'bad.jsonl:1: body: longer than 100,000 characters'],
    ];
    for (const [lines, expected] of cases) {
      const input = await write('bad.jsonl', lines);
      const run = await runMinxin(own(), ['hot', '--input', input, '--top', '3']);
      assert.equal(run.code, 3, expected);
      assert.deepEqual(run.stderr.filter(Boolean).length, 1, run.stderr.join('\n'));
      assert.ok(run.stderr[0]!.startsWith(expected), `${run.stderr[0]} ≠ ${expected}`);
      assert.deepEqual(run.stdout.filter(Boolean), []);
    }
    const missing = await runMinxin(own(), ['hot', '--input', 'absent.jsonl', '--top', '3']);
    assert.equal(missing.code, 3);
    assert.match(missing.stderr[0]!, /^absent\.jsonl:0: file: cannot be read \(ENOENT\)/);
  });

  test('usage mistakes exit 2', async () => {
    for (const args of [['hot', '--top', '3'], ['hot', '--input', 'x.jsonl', '--top', '0'], ['hot', '--input', 'x.jsonl', '--from', '2020-01-02', '--to', '2020-01-01'], ['hot', '--input', 'x.jsonl', '--to', 'soon'], ['hot', '--input', 'x.jsonl', '--half-life', '1.5']]) {
      const run = await runMinxin(own(), args);
      assert.equal(run.code, 2, args.join(' '));
      assert.match(run.stderr[0]!, /^minxin hot: .*Usage: minxin hot --input FILE\.jsonl/);
    }
  });

  const shared = path.resolve(import.meta.dirname, '../../../../../shared/data/civic/teddy2020/hot-messages.jsonl');
  test('on hot-messages.jsonl up to 1 September 2019 the parking-space campaign is the hottest issue', { skip: existsSync(shared) ? false : `${shared} is absent` }, async () => {
    const run = await runMinxin(own(), ['hot', '--input', shared, '--to', '2019-09-01', '--top', '3', '--json']);
    assert.equal(run.code, 0, run.stderr.join('\n'));
    const first = JSON.parse(run.stdout[0]!) as { place: string; ids: number[]; size: number };
    assert.ok(first.ids.includes(190337) && first.ids.includes(205277), 'the 伊景园滨河苑 bundled parking cluster');
    assert.ok(first.size >= 40);
  });
});
