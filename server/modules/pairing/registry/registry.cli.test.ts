import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { buildCity, buildOwnDatabase, runMinxin, type OwnDatabase } from '../../../../test/factories.ts';

/**
 * `minxin pairing import` as a person runs it, on a database of its own:
 * a good file imports and again changes nothing; a bad one writes nothing
 * and names file, line and column; --skip-invalid imports the rest.
 */

let own: OwnDatabase;
let city: { regionId: number; code: string };

before(async () => {
  own = await buildOwnDatabase();
  city = await own.use((deps) => buildCity(deps));
});
after(() => own?.dispose());

async function fixture(name: string, lines: string[]): Promise<string> {
  const file = path.join(own.dir, name);
  await writeFile(file, `${lines.join('\n')}\n`);
  return name;
}

test('minxin pairing import: idempotent, bad rows named by file, line and column', async () => {
  const cadres = await fixture('cadres.csv', ['编号,姓名,区,容量,x,y,专长', 'C1,王干部,east,3,0,0,medical;legal', 'C2,李干部,west,2,9,9,']);
  const first = await runMinxin(own, ['pairing', 'import', 'cadres', cadres, '--city', city.code]);
  assert.equal(first.code, 0, first.stderr.join('\n'));
  assert.deepEqual(first.stdout, ['cadres.csv: 2 rows, 2 created, 0 updated, 0 unchanged, 0 rejected']);
  const again = await runMinxin(own, ['pairing', 'import', 'cadres', cadres, '--city', city.code]);
  assert.match(again.stdout.join('\n'), /0 created, 0 updated, 2 unchanged/);

  const bad = await fixture('households.csv', ['code,district_code,community_code,x,y,lat,lon,needs', 'H1,east,east-1-a,1,1,,,medical', 'H2,east,west-1-a,1,1,,,', 'H3,east,east-1-a,1,1,36,120,']);
  const refused = await runMinxin(own, ['pairing', 'import', 'households', bad, '--city', city.code]);
  assert.notEqual(refused.code, 0);
  const text = refused.stderr.join('\n');
  assert.match(text, /households\.csv:3:community_code: "west-1-a" is not in district "east"/);
  assert.match(text, /households\.csv:4:lat: give either x,y or lat,lon/);
  const skipped = await runMinxin(own, ['pairing', 'import', 'households', bad, '--skip-invalid', '--city', city.code]);
  assert.equal(skipped.code, 0, skipped.stderr.join('\n'));
  assert.match(skipped.stdout.join('\n'), /3 rows, 1 created, 0 updated, 0 unchanged, 2 rejected/);
});
