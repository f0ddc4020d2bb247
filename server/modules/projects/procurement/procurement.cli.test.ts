import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createProject } from '../registry/project.service.ts';
import { cliContext } from '../../../platform/index.ts';
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
