import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { certifyPairing, generatePairingCity, scenarioOptions, solvePairing } from '../../algorithms/pairing/index.ts';
import { runMinxin } from '../../../test/factories.ts';
import { instanceLines } from './pair-instance-file.ts';

const cadre = (id: string, extra: Record<string, unknown> = {}) => JSON.stringify({ type: 'cadre', id, district: 'A', x: 0, y: 0, capacity: 2, skills: ['medical'], ...extra });
const household = (id: string, extra: Record<string, unknown> = {}) => JSON.stringify({ type: 'household', id, district: 'A', community: 'q1', x: 1, y: 1, needs: [], ...extra });

describe('minxin pair', () => {
  let dir: string;
  const own = () => ({ env: { LOG_LEVEL: 'silent' }, dir });
  const write = async (name: string, lines: string[]): Promise<string> => {
    await writeFile(path.join(dir, name), lines.join('\n') + '\n');
    return name;
  };
  const pairs = async (name: string) => (await readFile(path.join(dir, name), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { household: string; cadre: string });

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'minxin-pair-cli-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('writes the certified optimum, one line per household in input order, and a summary on stderr', async () => {
    const city = generatePairingCity({ seed: 3, scale: 0.02 });
    const input = await write('city.jsonl', instanceLines(city, { seed: 3 }));
    const run = await runMinxin(own(), ['pair', '--instance', input, '--output', 'pairs.jsonl']);
    assert.equal(run.code, 0, run.stderr.join('\n'));
    const output = await pairs('pairs.jsonl');
    assert.deepEqual(output.map((pair) => pair.household), city.households.map((h) => h.id));
    assert.deepEqual(Object.keys(output[0]!), ['household', 'cadre']);
    const options = scenarioOptions('full');
    const optimum = solvePairing(city, options);
    const check = certifyPairing(city, options, output, optimum.potentials.cadres);
    assert.equal(check.cost, optimum.cost);
    assert.ok(check.certified);
    const text = run.stderr.join('\n');
    assert.match(text, /city\.jsonl: 314 households, 145 cadres \(same district, skills, change penalty 2000, fairness 300\)/);
    assert.match(text, /status optimal \(certified/);
    assert.match(text, new RegExp(`cost ${optimum.cost.toLocaleString('en')} {2}lower bound ${optimum.cost.toLocaleString('en')} {2}gap 0\\.000%`));
    assert.match(text, /time: read [\d.]+ s, solver [\d.]+ s, total [\d.]+ s/);
  });

  test('flags override the scenario: --scenario plain --skills, --change-penalty, --fairness', async () => {
    const input = await write('small.jsonl', [cadre('c1', { x: 0 }), cadre('c2', { x: 3, district: 'B', skills: [] }), household('h1', { x: 2.9, y: 0, currentCadre: 'c1', needs: ['medical'] }), household('h2', { x: 2.9, y: 0 })]);
    const plain = await runMinxin(own(), ['pair', '--instance', input, '--output', 'plain.jsonl', '--scenario', 'plain']);
    assert.equal(plain.code, 0, plain.stderr.join('\n'));
    assert.match(plain.stderr.join('\n'), /\(change penalty 0, fairness 0\)/);
    assert.deepEqual((await pairs('plain.jsonl')).map((pair) => pair.cadre), ['c2', 'c2']);
    const skills = await runMinxin(own(), ['pair', '--instance', input, '--output', 'skills.jsonl', '--scenario', 'plain', '--skills', '--change-penalty', '5000', '--fairness', '0']);
    assert.equal(skills.code, 0, skills.stderr.join('\n'));
    assert.match(skills.stderr.join('\n'), /\(skills, change penalty 5000, fairness 0\)/);
    assert.deepEqual((await pairs('skills.jsonl')).map((pair) => pair.cadre), ['c1', 'c2']);
    const district = await runMinxin(own(), ['pair', '--instance', input, '--output', 'district.jsonl', '--scenario', 'plain', '--same-district']);
    assert.equal(district.code, 0, district.stderr.join('\n'));
    assert.deepEqual((await pairs('district.jsonl')).map((pair) => pair.cadre), ['c1', 'c1']);
  });

  test('bad input stops with one line FILE:LINE: field: problem, exit 3, and no output file', async () => {
    const cases: [string[], string][] = [
      [[cadre('c1'), '{"type": "household", "id": '], 'bad.jsonl:2: line: not valid JSON'],
      [[cadre('c1'), JSON.stringify({ type: 'office', id: 'o1' })], 'bad.jsonl:2: type: unknown record type "office" (one of meta, district, community, cadre, household)'],
      [[cadre('c1'), cadre('c1')], 'bad.jsonl:2: id: duplicate cadre c1 (first on line 1)'],
      [[cadre('c1'), household('h1'), household('h1')], 'bad.jsonl:3: id: duplicate household h1 (first on line 2)'],
      [[cadre('c1', { capacity: -1 })], 'bad.jsonl:1: capacity: must be a whole number ≥ 0, not -1'],
      [[cadre('c1', { capacity: 2.5 })], 'bad.jsonl:1: capacity: must be a whole number ≥ 0, not 2.5'],
      [[cadre('c1'), household('h1', { x: undefined, y: undefined })], 'bad.jsonl:2: x: missing coordinates (x, y in km or lat, lon in degrees)'],
      [[cadre('c1'), household('h1', { y: undefined })], 'bad.jsonl:2: y: missing (the record has x)'],
      [[cadre('c1'), household('h1', { x: undefined, y: undefined, lat: 36.1, lon: 120.4 })], 'bad.jsonl:2: lat: the file mixes x,y (line 1) and lat,lon'],
      [[cadre('c1'), household('h1', { currentCadre: 'c9' })], 'bad.jsonl:2: currentCadre: unknown cadre c9'],
      [[household('h1', { currentCadre: 'c1' }), cadre('c2')], 'bad.jsonl:1: currentCadre: unknown cadre c1'],
      [[JSON.stringify({ type: 'district', id: 'A' }), cadre('c1', { district: 'Z' }), household('h1')], 'bad.jsonl:2: district: unknown district Z'],
      [[cadre('c1', { skills: 'medical' })], 'bad.jsonl:1: skills: must be an array of non-empty strings'],
      [['[1]'], 'bad.jsonl:1: line: must be a JSON object'],
    ];
    for (const [lines, expected] of cases) {
      const input = await write('bad.jsonl', lines);
      const run = await runMinxin(own(), ['pair', '--instance', input, '--output', 'never.jsonl']);
      assert.equal(run.code, 3, expected);
      assert.equal(run.stderr.filter(Boolean).length, 1, run.stderr.join('\n'));
      assert.ok(run.stderr[0]!.startsWith(expected), `${run.stderr[0]} ≠ ${expected}`);
      assert.equal(existsSync(path.join(dir, 'never.jsonl')), false);
    }
  });

  test('an infeasible instance lists each household that cannot be served, exits 1 and writes nothing', async () => {
    await writeFile(path.join(dir, 'stale.jsonl'), 'old\n');
    const input = await write('tight.jsonl', [cadre('c1', { capacity: 1 }), household('h1'), household('h2', { needs: ['legal'] }), household('h3'), household('h4', { district: 'B' })]);
    const run = await runMinxin(own(), ['pair', '--instance', input, '--output', 'stale.jsonl']);
    assert.equal(run.code, 1);
    const text = run.stderr.join('\n');
    assert.match(text, /^tight\.jsonl: infeasible: 3 of 4 households cannot be served; no output written/);
    assert.match(text, /h2: skills: no cadre with capacity in district A has legal/);
    assert.match(text, /h3: capacity: .*1 cadres, 1 places in district A.*1 other households/);
    assert.match(text, /h4: sameDistrict: no cadre with capacity in district B/);
    assert.equal(existsSync(path.join(dir, 'stale.jsonl')), false);
  });

  test('usage mistakes exit 2', async () => {
    const input = await write('ok.jsonl', [cadre('c1'), household('h1')]);
    for (const argv of [
      ['pair', '--output', 'x.jsonl'],
      ['pair', '--instance', input],
      ['pair', '--instance', input, '--output', 'x.jsonl', '--scenario', 'fancy'],
      ['pair', '--instance', input, '--output', 'x.jsonl', '--fairness', '-3'],
      ['pair', '--instance', input, '--output', 'x.jsonl', '--time-limit', '0'],
    ]) {
      const run = await runMinxin(own(), argv);
      assert.equal(run.code, 2, argv.join(' '));
    }
  });
});
