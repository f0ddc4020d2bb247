import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { smallTrainingSet } from '../../../algorithms/text-classifier/test-fixtures.ts';
import { runMinxin } from '../../../../test/factories.ts';

let dir: string;
const minxin = (...argv: string[]) => runMinxin({ env: {}, dir }, argv);
const file = (name: string) => path.join(dir, name);

/** The small fixture set as training lines, raw ones with title/body and tokenised ones with tokens. */
function trainingLines(): string[] {
  return smallTrainingSet().map((example) =>
    JSON.stringify('tokens' in example.input ? { tokens: example.input.tokens.join(' '), label: example.label } : { ...example.input, label: example.label }),
  );
}

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'minxin-classifier-'));
  const lines = trainingLines();
  await writeFile(file('a.jsonl'), lines.slice(0, 20).join('\n') + '\n');
  await writeFile(file('b.jsonl'), lines.slice(20).join('\n') + '\n');
});
after(() => rm(dir, { recursive: true, force: true }));

describe('minxin train', () => {
  test('trains from several files, deterministically for a seed', async () => {
    const first = await minxin('train', '--input', 'a.jsonl', '--input', 'b.jsonl', '--output', 'model.mxm', '--seed', '5', '--folds', '2');
    assert.equal(first.code, 0, first.stderr.join('\n'));
    assert.match(first.stdout.join('\n'), /^model\.mxm: \d+ bytes; 36 examples \(24 raw, 12 tokenised\), 3 labels, seed 5; 2-fold cross-validation/);
    const again = await minxin('train', '--input', 'a.jsonl', '--input', 'b.jsonl', '--output', 'again.mxm', '--seed', '5', '--folds', '2');
    assert.equal(again.code, 0);
    assert.deepEqual(await readFile(file('again.mxm')), await readFile(file('model.mxm')));
  });

  test('every bad line is reported as FILE:LINE: field: problem, exit 1, and no model is written', async () => {
    await writeFile(
      file('bad.jsonl'),
      [
        JSON.stringify({ title: '路灯坏了', body: '没人修', label: '城乡建设' }),
        '{"title": "路灯", "body": ',
        JSON.stringify({ title: '路灯坏了', body: '没人修', label: '路灯' }),
        JSON.stringify({ title: '路灯坏了', body: '没人修' }),
        '',
        JSON.stringify({ label: '城乡建设' }),
        JSON.stringify({ title: 3, body: '没人修', label: '城乡建设' }),
        JSON.stringify([1, 2]),
      ].join('\n'),
    );
    const run = await minxin('train', '--input', 'a.jsonl', '--input', 'bad.jsonl', '--output', 'bad.mxm');
    assert.equal(run.code, 1);
    const problems = run.stderr.filter((line) => line.startsWith('bad.jsonl:'));
    assert.deepEqual(problems.map((line) => line.replace(/\(.*\)$/, '(…)')), [
      'bad.jsonl:2: json: not valid JSON (…)',
      'bad.jsonl:3: label: "路灯" is not a level-1 category of the taxonomy',
      'bad.jsonl:4: label: missing',
      'bad.jsonl:6: body: missing; give title and body, or tokens',
      'bad.jsonl:7: title: expected a string, got number',
      'bad.jsonl:8: json: expected a JSON object',
    ]);
    assert.equal(existsSync(file('bad.mxm')), false);
  });

  test('a missing input file or option is one clear line', async () => {
    const missing = await minxin('train', '--input', 'nope.jsonl', '--output', 'x.mxm');
    assert.equal(missing.code, 1);
    assert.deepEqual(missing.stderr, ['nope.jsonl: file: cannot read (ENOENT)']);
    assert.equal((await minxin('train', '--input', 'a.jsonl')).code, 2);
    assert.equal((await minxin('train', '--input', 'a.jsonl', '--output', 'x.mxm', '--seed', 'one')).code, 2);
  });
});

describe('minxin classify', () => {
  test('one output line per input line, in order, ids echoed with their JSON type', async () => {
    await writeFile(
      file('in.jsonl'),
      [
        JSON.stringify({ id: 7, title: '网约车乱收费', body: '网约车司机乱收费', user: 'ignored' }),
        JSON.stringify({ id: 'x-2', title: '工厂夜间噪音扰民', body: '化工厂排放废气' }),
        JSON.stringify({ id: 3, title: '', body: '' }),
        JSON.stringify({ id: 4, title: 'Broken light', body: 'nobody came' }),
        JSON.stringify({ id: 5, title: '', body: '\u0000\u0001\u0002\u0003binary' }),
        JSON.stringify({ id: 6, title: '物业不管事', body: '小区物业费乱涨'.repeat(15000) }),
        '{"id": 8, "title": ',
        JSON.stringify({ title: '没有编号', body: '路灯坏了' }),
      ].join('\n'),
    );
    const run = await minxin('classify', '--input', 'in.jsonl', '--output', 'out.jsonl', '--model', 'model.mxm');
    assert.equal(run.code, 1, 'unreadable lines make the exit code 1');
    assert.deepEqual(
      run.stderr.filter((line) => line.startsWith('in.jsonl:')).map((line) => line.replace(/\(.*\)$/, '(…)')),
      ['in.jsonl:7: json: not valid JSON (…)', 'in.jsonl:8: id: missing'],
    );
    const out = (await readFile(file('out.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(out.map((line) => line.id), [7, 'x-2', 3, 4, 5, 6, null, null]);
    assert.deepEqual(out[0], { id: 7, label: '交通运输', confidence: out[0]!.confidence, path: ['交通运输', '出租车管理', '网约车问题'] });
    assert.equal(out[1]!.label, '环境保护');
    for (const line of out.slice(0, 6)) {
      assert.equal(typeof line.confidence, 'number');
      assert.ok((line.confidence as number) >= 0 && (line.confidence as number) <= 1);
    }
    assert.deepEqual([out[2]!.warning, out[3]!.warning, out[4]!.warning, out[5]!.warning], ['empty', 'no-chinese', 'binary', 'huge']);
    assert.equal(out[5]!.label, '城乡建设');
    assert.match(out[6]!.error as string, /^json: not valid JSON/);
    assert.equal(out[7]!.error, 'id: missing');
  });

  test('--eval prints per-class scores and ends with the macroF1 line', async () => {
    await writeFile(file('labelled.jsonl'), trainingLines().join('\n'));
    const run = await minxin('classify', '--eval', '--input', 'labelled.jsonl', '--model', 'model.mxm');
    assert.equal(run.code, 0, run.stderr.join('\n'));
    const lines = run.stdout.filter((line) => line !== '');
    assert.match(lines.at(-1)!, /^macroF1=\d\.\d{4} accuracy=\d\.\d{4} n=36$/);
    assert.ok(lines.some((line) => /^环境保护\s+\d\.\d{4}\s+\d\.\d{4}\s+\d\.\d{4}\s+12$/.test(line)), lines.join('\n'));
    const bad = await minxin('classify', '--eval', '--input', 'in.jsonl', '--model', 'model.mxm');
    assert.equal(bad.code, 1);
    assert.ok(bad.stderr.includes('in.jsonl:1: label: missing'), bad.stderr.join('\n'));
  });

  test('a damaged or foreign model is refused with its reason', async () => {
    const damaged = await readFile(file('model.mxm'));
    damaged[damaged.length - 10]! ^= 1;
    await writeFile(file('damaged.mxm'), damaged);
    await writeFile(file('foreign.mxm'), 'hello');
    const run = await minxin('classify', '--input', 'in.jsonl', '--output', 'o.jsonl', '--model', 'damaged.mxm');
    assert.equal(run.code, 1);
    assert.deepEqual(run.stderr, ['damaged.mxm: model: model refused: checksum mismatch (the file was altered or damaged)']);
    const foreign = await minxin('classify', '--eval', '--input', 'labelled.jsonl', '--model', 'foreign.mxm');
    assert.deepEqual(foreign.stderr, ['foreign.mxm: model: model refused: not a Minxin model (no MINXINTC magic)']);
    const missing = await minxin('classify', '--input', 'in.jsonl', '--output', 'o.jsonl', '--model', 'none.mxm');
    assert.deepEqual(missing.stderr, ['none.mxm: model: cannot read (ENOENT)']);
  });

  test('without --model the shipped default model is used, from any directory', async () => {
    await writeFile(file('one.jsonl'), JSON.stringify({ id: 1, title: '小区楼下餐馆油烟噪音扰民', body: '每天晚上排放油烟，噪音很大，环保部门管一管' }) + '\n');
    const run = await minxin('classify', '--input', 'one.jsonl', '--output', 'one.out.jsonl');
    assert.equal(run.code, 0, run.stderr.join('\n'));
    const [line] = (await readFile(file('one.out.jsonl'), 'utf8')).trim().split('\n').map((text) => JSON.parse(text) as { label: string });
    assert.equal(line!.label, '环境保护');
  });
});
