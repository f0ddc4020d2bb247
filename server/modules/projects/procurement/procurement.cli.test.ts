import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createProject } from '../registry/project.service.ts';
import { cliContext } from '../../../platform/index.ts';
import { findCompiled } from './procurement.repository.ts';
import { buildCity, buildOwnDatabase, runMinxin, type OwnDatabase } from '../../../../test/factories.ts';

let own: OwnDatabase;
let city: { regionId: number; code: string };
let projectId: number;

const release = (id: string, date: string, extra: Record<string, unknown> = {}) => ({ ocid: 'ocds-cli-1', id, date, tag: ['tender'], tender: { id: 't', title: '学校改造', numberOfTenderers: 1, procurementMethod: 'open' }, ...extra });

before(async () => {
  own = await buildOwnDatabase();
  ({ city, projectId } = await own.use(async (deps) => {
    const built = await buildCity(deps);
    const context = await cliContext(deps, built.code);
    const departmentId = Number((await deps.db.selectFrom('departments').select('id').where('region_id', '=', built.regionId).where('code', '=', 'housing').executeTakeFirstOrThrow()).id);
    const project = await createProject(deps, context, { code: 'CLI-1', name: '学校改造', category: 'education', leadDepartmentId: departmentId, year: 2027 });
    return { city: built, projectId: project.id };
  }));
});

after(() => own.dispose());

test('ocds import: a pretty-printed release package is stored, linked and flagged; a second run adds nothing; export writes the package', async () => {
  const file = path.join(own.dir, 'package.json');
  await writeFile(file, JSON.stringify({ uri: 'x', version: '1.1', publishedDate: '2027-01-01T00:00:00Z', publisher: { name: 'x' }, releases: [release('1', '2027-01-01T00:00:00Z'), release('2', '2027-02-01T00:00:00Z')] }, null, 2));
  const first = await runMinxin(own, ['ocds', 'import', 'package.json', '--project', String(projectId), '--city', city.code]);
  assert.equal(first.code, 0, first.stderr.join('\n'));
  assert.match(first.stdout.join('\n'), /2 releases read, 2 new, 1 processes compiled, [1-9]\d* red flags/);
  const again = await runMinxin(own, ['ocds', 'import', 'package.json', '--city', city.code]);
  assert.equal(again.code, 0, again.stderr.join('\n'));
  assert.match(again.stdout.join('\n'), /2 releases read, 0 new, 0 processes compiled/);
  const exported = await runMinxin(own, ['ocds', 'export', '--project', String(projectId), '--city', city.code]);
  assert.equal(exported.code, 0, exported.stderr.join('\n'));
  assert.equal(JSON.parse(exported.stdout.join('\n')).releases.length, 2);
});

test('ocds import: a release without a date is one line naming the file, line and field, exit 3', async () => {
  await writeFile(path.join(own.dir, 'bad.jsonl'), `${JSON.stringify(release('3', '2027-03-01T00:00:00Z'))}\n${JSON.stringify({ ocid: 'ocds-cli-1', id: '4' })}\n`);
  const run = await runMinxin(own, ['ocds', 'import', 'bad.jsonl', '--city', city.code]);
  assert.equal(run.code, 3);
  assert.deepEqual(run.stderr.filter(Boolean), ['bad.jsonl:2: date: missing (releases are merged in date order)']);
  const usage = await runMinxin(own, ['ocds', 'import', 'missing.json', '--city', city.code]);
  assert.equal(usage.code, 2);
});

/** The ocds-merge 1.0 fixture whose merge differs by version: 1.0 merges award suppliers as a whole list, 1.1 by id (two entries). */
const MERGE_1_0 = path.resolve(import.meta.dirname, '../../../../../shared/data/ocds/ocds-merge/tests/fixtures/1.0');

const compiledOf = (ocid: string) => own.use(async (deps) => findCompiled(deps.db, city.regionId, ocid));

test('ocds import: a 1.0 package whose version follows its releases (streamed) is compiled by the 1.0 merge rules', async () => {
  const releases = JSON.parse(await readFile(path.join(MERGE_1_0, 'suppliers.json'), 'utf8')) as Record<string, unknown>[];
  const expected = JSON.parse(await readFile(path.join(MERGE_1_0, 'suppliers-compiled.json'), 'utf8')) as Record<string, unknown>;
  const rekeyed = releases.map((release) => ({ ...release, ocid: 'ocds-v10-A' }));
  await writeFile(path.join(own.dir, 'v10.json'), JSON.stringify({ uri: 'x', publishedDate: '2014-01-03T00:00:00Z', publisher: { name: 'x' }, releases: rekeyed, version: '1.0' }, null, 2));
  const run = await runMinxin(own, ['ocds', 'import', 'v10.json', '--city', city.code]);
  assert.equal(run.code, 0, run.stderr.join('\n'));
  assert.deepEqual(await compiledOf('ocds-v10-A'), { ...expected, ocid: 'ocds-v10-A', id: 'ocds-v10-A-2014-01-02T00:00:00Z' });

  await writeFile(path.join(own.dir, 'bare.jsonl'), rekeyed.map((release) => JSON.stringify({ ...release, ocid: 'ocds-v10-B' })).join('\n'));
  const bare = await runMinxin(own, ['ocds', 'import', 'bare.jsonl', '--city', city.code]);
  assert.equal(bare.code, 0, bare.stderr.join('\n'));
  assert.deepEqual((await compiledOf('ocds-v10-B'))?.awards, expected.awards, 'releases without parties in an input with no 1.1 release are 1.0');
});

test('ocds import: a 1.1 release added to a 1.0 process is a warning and the process keeps its compiled release', async () => {
  const before = await compiledOf('ocds-v10-A');
  await writeFile(path.join(own.dir, 'v11.json'), JSON.stringify({ uri: 'x', version: '1.1', publishedDate: '2014-01-04T00:00:00Z', publisher: { name: 'x' }, releases: [{ ocid: 'ocds-v10-A', id: '3', date: '2014-01-03T00:00:00Z', tag: ['award'], awards: [{ id: '1', status: 'active' }] }] }));
  const run = await runMinxin(own, ['ocds', 'import', 'v11.json', '--city', city.code]);
  assert.equal(run.code, 0, run.stderr.join('\n'));
  assert.ok(run.stderr.some((line) => line.startsWith('ocds-v10-A: not compiled: its releases mix OCDS 1.0 and 1.1')), run.stderr.join('\n'));
  assert.deepEqual(await compiledOf('ocds-v10-A'), before);
});
