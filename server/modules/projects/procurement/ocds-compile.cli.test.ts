import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runMinxin } from '../../../../test/factories.ts';

const OCDS = path.resolve(import.meta.dirname, '../../../../../shared/data/ocds');
const MERGE = path.join(OCDS, 'ocds-merge/tests/fixtures');
const REALDATA = path.join(OCDS, 'ocdskit/tests/fixtures/realdata');
const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));

/** NAME.json cases of an ocds-merge fixture folder with their expected outputs. */
function cases(folder: string): { name: string; compiled: boolean; versioned: boolean }[] {
  const files = new Set(readdirSync(path.join(MERGE, folder)));
  return [...files]
    .filter((file) => file.endsWith('.json') && !/-(compiled|versioned)\.json$/.test(file))
    .map((file) => file.slice(0, -'.json'.length))
    .filter((name) => files.has(`${name}-compiled.json`) || files.has(`${name}-versioned.json`))
    .map((name) => ({ name, compiled: files.has(`${name}-compiled.json`), versioned: files.has(`${name}-versioned.json`) }));
}

describe('minxin ocds compile', () => {
  let dir: string;
  const own = () => ({ env: { LOG_LEVEL: 'silent' }, dir });
  const compile = (args: string[]) => runMinxin(own(), ['ocds', 'compile', ...args]);
  const lines = (stdout: string[]) => stdout.filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
  const write = async (name: string, text: string): Promise<string> => {
    await writeFile(path.join(dir, name), text);
    return name;
  };
  const release = (ocid: string, id: string, date: string, rest: Record<string, unknown> = {}) => ({ ocid, id, date, tag: ['tender'], ...rest });

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'minxin-ocds-compile-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  describe('every ocds-merge fixture, run through the command on the fixture file itself', () => {
    for (const folder of ['1.1', '1.0', 'schema']) {
      const rulesArgs = folder === 'schema' ? ['--schema', path.join(MERGE, 'schema.json')] : ['--schema-version', folder];
      for (const { name, compiled, versioned } of cases(folder)) {
        const input = path.join(MERGE, folder, `${name}.json`);
        if (compiled) {
          test(`${folder}/${name} compiled`, async () => {
            const run = await compile([...rulesArgs, input]);
            assert.equal(run.code, 0, run.stderr.join('\n'));
            const [result, ...more] = lines(run.stdout);
            const expected = readJson(path.join(MERGE, folder, `${name}-compiled.json`)) as Record<string, unknown>;
            assert.equal(more.length, 0);
            assert.deepEqual(result, expected);
            assert.deepEqual(Object.keys(result!), Object.keys(expected));
          });
        }
        if (versioned) {
          test(`${folder}/${name} versioned`, async () => {
            const run = await compile(['--versioned', ...rulesArgs, input]);
            assert.equal(run.code, 0, run.stderr.join('\n'));
            assert.deepEqual(lines(run.stdout), [readJson(path.join(MERGE, folder, `${name}-versioned.json`))]);
          });
        }
      }
    }
  });

  test('ocdskit realdata: the release package (no version: OCDS 1.0 rules) gives the expected compiled release, keys in order', async () => {
    const run = await compile([path.join(REALDATA, 'release-package-1.json')]);
    assert.equal(run.code, 0, run.stderr.join('\n'));
    const expected = readJson(path.join(REALDATA, 'compiled-release-1.json')) as Record<string, unknown>;
    const [result] = lines(run.stdout);
    assert.deepEqual(result, expected);
    assert.deepEqual(Object.keys(result!), Object.keys(expected));
  });

  test('ocdskit realdata --versioned gives the expected versioned release', async () => {
    const run = await compile(['--versioned', path.join(REALDATA, 'release-package-1.json')]);
    assert.equal(run.code, 0, run.stderr.join('\n'));
    assert.deepEqual(lines(run.stdout), [readJson(path.join(REALDATA, 'versioned-release-1.json'))]);
  });

  test('JSON Lines of packages and releases, in any order: one release per ocid, ocids ascending', async () => {
    const package11 = { uri: 'u', version: '1.1', releases: [release('b', '2', '2020-01-02', { parties: [{ id: 'p', roles: ['buyer'] }] }), null, release('a', '1', '2020-01-01', { parties: [] })] };
    const input = await write('mixed.jsonl', [JSON.stringify(package11), JSON.stringify(release('b', '1', '2020-01-01', { parties: [{ id: 'p', name: 'Buyer' }] })), ''].join('\r\n'));
    const run = await compile([input]);
    assert.equal(run.code, 0, run.stderr.join('\n'));
    const result = lines(run.stdout);
    assert.deepEqual(result.map((item) => item.ocid), ['a', 'b']);
    assert.deepEqual(result[1]!.parties, [{ id: 'p', roles: ['buyer'], name: 'Buyer' }]);
    assert.equal(result[1]!.id, 'b-2020-01-02');
  });

  test('record packages: embedded releases are merged, else the compiled release is taken', async () => {
    const records = {
      version: '1.1',
      records: [
        { ocid: 'r1', releases: [release('r1', '1', '2020-01-01', { parties: [], title: 'old' }), release('r1', '2', '2020-01-02', { parties: [], title: 'new' })] },
        { ocid: 'r2', releases: [{ url: 'https://example.org/r2.json', date: '2020-01-01' }], compiledRelease: { ocid: 'r2', id: 'r2-x', date: '2020-02-02', tag: ['compiled'], parties: [], title: 'compiled' } },
      ],
    };
    const run = await compile([await write('records.json', JSON.stringify(records, null, 2))]);
    assert.equal(run.code, 0, run.stderr.join('\n'));
    assert.deepEqual(
      lines(run.stdout).map((item) => [item.ocid, item.title, item.id]),
      [
        ['r1', 'new', 'r1-2020-01-02'],
        ['r2', 'compiled', 'r2-2020-02-02'],
      ],
    );
  });

  test('an invalid JSON line is named with its line and skipped; the rest is written and the exit status is 3', async () => {
    const input = await write('broken.jsonl', [JSON.stringify(release('a', '1', '2020-01-01')), '{"ocid": "b", ', '', JSON.stringify(release('c', '1', '2020-01-01'))].join('\n'));
    const run = await compile([input]);
    assert.equal(run.code, 3);
    assert.deepEqual(lines(run.stdout).map((item) => item.ocid), ['a', 'c']);
    assert.match(run.stderr.join('\n'), /broken\.jsonl:2: line is invalid JSON: .*skipped/);
  });

  test('a release without ocid stops with one line naming file, line and field', async () => {
    const input = await write('no-ocid.jsonl', [JSON.stringify(release('a', '1', '2020-01-01')), JSON.stringify({ id: '2', date: '2020-01-01' })].join('\n'));
    const run = await compile([input]);
    assert.equal(run.code, 3);
    assert.deepEqual(run.stderr.filter((line) => line !== ''), ['minxin ocds compile: no-ocid.jsonl:2: ocid: missing: the `ocid` field of at least one release is missing']);
  });

  test('a missing date among several releases of one process stops the command', async () => {
    const input = await write('no-date.jsonl', [JSON.stringify(release('a', '1', '2020-01-01')), JSON.stringify({ ocid: 'a', id: '2' })].join('\n'));
    const run = await compile([input]);
    assert.equal(run.code, 3);
    assert.match(run.stderr.join('\n'), /no-date\.jsonl:2: date: .*no `date`/);
  });

  test('an unknown OCDS version, and mixed versions, are refused', async () => {
    const unknown = await write('v2.json', JSON.stringify({ version: '2.0', releases: [release('a', '1', 'd')] }));
    const run = await compile([unknown]);
    assert.equal(run.code, 3);
    assert.match(run.stderr.join('\n'), /v2\.json:1: version: "2\.0" is not an OCDS version/);
    const old = await write('v10.json', JSON.stringify({ releases: [release('a', '1', 'd')] }));
    const recent = await write('v11.json', JSON.stringify({ version: '1.1', releases: [release('b', '1', 'd')] }));
    const mixed = await compile([old, recent]);
    assert.equal(mixed.code, 3);
    assert.match(mixed.stderr.join('\n'), /v11\.json:1: version: this is OCDS 1\.1 data but v10\.json:1 is OCDS 1\.0/);
    const forced = await compile(['--schema-version', '1.1', old, recent]);
    assert.equal(forced.code, 0, forced.stderr.join('\n'));
    assert.equal(lines(forced.stdout).length, 2);
  });

  test('a process whose releases conflict is left out with a warning, the others are written', async () => {
    const input = await write('conflict.jsonl', [release('a', '1', '1', { tender: 'x' }), release('a', '2', '2', { tender: { id: 't' } }), release('b', '1', '1')].map((item) => JSON.stringify(item)).join('\n'));
    const run = await compile([input]);
    assert.equal(run.code, 3);
    assert.deepEqual(lines(run.stdout).map((item) => item.ocid), ['b']);
    assert.match(run.stderr.join('\n'), /warning: a: An earlier release had the literal "x" for \/tender/);
  });

  test('- reads standard input (a real process: unsorted JSON Lines come out sorted)', () => {
    const input = [release('b', '1', '2020-01-02'), release('a', '1', '2020-01-01'), release('b', '2', '2020-01-01', { title: 'older' })].map((item) => JSON.stringify(item)).join('\n');
    const child = spawnSync(process.execPath, [path.resolve(import.meta.dirname, '../../../../cli/main.ts'), 'ocds', 'compile', '-'], { input, encoding: 'utf8' });
    assert.equal(child.status, 0, child.stderr);
    assert.deepEqual(
      lines(child.stdout.split('\n')).map((item) => [item.ocid, item.id, item.title]),
      [
        ['a', 'a-2020-01-01', undefined],
        ['b', 'b-2020-01-02', 'older'],
      ],
    );
  });

  test('usage mistakes: no file, bad --schema-version, missing file', async () => {
    assert.equal((await compile([])).code, 2);
    assert.equal((await compile(['--schema-version', '1.2', 'x.json'])).code, 2);
    const missing = await compile(['nowhere.json']);
    assert.equal(missing.code, 3);
    assert.match(missing.stderr.join('\n'), /nowhere\.json: cannot read: ENOENT/);
  });
});
