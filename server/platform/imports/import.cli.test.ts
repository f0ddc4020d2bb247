import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildCity, buildOwnDatabase, runMinxin, type CliRun, type OwnDatabase } from '../../../test/factories.ts';
import { listDepartments } from '../organisation/organisation.repository.ts';

/**
 * `minxin import`, `users` and `audit verify` as a person runs them: the
 * commands open the database their environment names, so this file gets a
 * database of its own (an embedded one in a temporary folder, or a schema on
 * the test server) holding one test city.
 */

let own: OwnDatabase;
let city: { regionId: number; code: string };

describe('the minxin CLI', () => {
  before(async () => {
    own = await buildOwnDatabase();
    city = await own.use((deps) => buildCity(deps));
  });
  after(() => own?.dispose());

  const minxin = (...argv: string[]): Promise<CliRun> => runMinxin(own, argv);

  async function departmentCodes(): Promise<string[]> {
    const page = await own.use((deps) => listDepartments(deps.db, city.regionId, {}, { limit: 500, offset: 0 }));
    return page.items.map((department) => department.code).sort();
  }

  async function writeFixture(name: string, lines: string[]): Promise<string> {
    const file = path.join(own.dir, name);
    await writeFile(file, lines.join('\n') + '\n');
    return file;
  }

  const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  describe('minxin', () => {
    test('--help lists the commands and exits 0', async () => {
      const { code, stdout } = await minxin('--help');
      assert.equal(code, 0);
      const text = stdout.join('\n');
      for (const command of ['import', 'users create', 'users list', 'audit verify'])
        assert.match(text, new RegExp(`^\\s+${command}\\s`, 'm'));
    });

    test('an unknown command exits 2 with one line on stderr', async () => {
      const { code, stdout, stderr } = await minxin('frobnicate', 'everything');
      assert.equal(code, 2);
      assert.deepEqual(stdout, []);
      assert.equal(stderr.length, 1);
      assert.match(stderr[0]!, /unknown command "frobnicate everything"/);
    });

    test('an import without a file is a usage error: exit 2', async () => {
      const { code, stderr } = await minxin('import', 'departments');
      assert.equal(code, 2);
      assert.match(stderr.join('\n'), /Usage: minxin import/);
    });
  });

  describe('minxin import', () => {
    test('a file with problems exits 3, prints file:line:column: message for each, and imports nothing', async () => {
      const file = await writeFixture('bad-departments.csv', [
        'code,name,district_code,contact_phone',
        'parks,园林局,,0532-80000010',
        'libraries,图书馆,,call me maybe',
        'west-parks,西区园林局,nowhere,',
      ]);
      const before = await departmentCodes();
      const { code, stdout, stderr } = await minxin('import', 'departments', file, '--city', city.code);
      assert.equal(code, 3, stderr.join('\n'));
      assert.deepEqual(stdout, []);
      // One line per problem in the editor convention, then one summary line.
      const problems = stderr.slice(0, -1);
      assert.equal(problems.length, 2, stderr.join('\n'));
      const pattern = new RegExp(`^${escape(file)}:(\\d+):(\\w+): (.+)$`);
      assert.deepEqual(
        problems.map((line) => pattern.exec(line)?.slice(1, 3)),
        [
          ['3', 'contact_phone'],
          ['4', 'district_code'],
        ],
      );
      assert.match(stderr.at(-1)!, /2 problem\(s\); nothing was imported/);
      assert.deepEqual(await departmentCodes(), before);
    });

    test('a good file exits 0 with a one-line summary; running it again changes nothing', async () => {
      const file = await writeFixture('departments.csv', [
        'code,name,district_code,areas',
        'water,水务局,,供水;排水',
        'east-water,东区水务局,east,供水',
      ]);
      const first = await minxin('import', 'departments', file, '--city', city.code);
      assert.equal(first.code, 0, first.stderr.join('\n'));
      assert.deepEqual(first.stdout, [`${file}: 2 rows, 2 created, 0 updated, 0 unchanged, 0 rejected`]);
      assert.deepEqual(first.stderr, []);
      assert.ok((await departmentCodes()).includes('east-water'));

      const again = await minxin('import', 'departments', file, '--city', city.code);
      assert.equal(again.code, 0);
      assert.deepEqual(again.stdout, [`${file}: 2 rows, 0 created, 0 updated, 2 unchanged, 0 rejected`]);
    });

    test('--skip-invalid imports the good rows and names the rest on stderr', async () => {
      const file = await writeFixture('mixed.csv', [
        'code,name,contact_phone',
        'culture,文化局,',
        'sports,体育局,not a phone',
      ]);
      const { code, stdout, stderr } = await minxin(
        'import',
        'departments',
        file,
        '--skip-invalid',
        '--city',
        city.code,
      );
      assert.equal(code, 0, stderr.join('\n'));
      assert.deepEqual(stdout, [`${file}: 2 rows, 1 created, 0 updated, 0 unchanged, 1 rejected`]);
      assert.equal(stderr.length, 1);
      assert.match(stderr[0]!, new RegExp(`^${escape(file)}:3:contact_phone: .+ \\(skipped\\)$`));
      const codes = await departmentCodes();
      assert.ok(codes.includes('culture') && !codes.includes('sports'));
    });

    test('an unknown city exits 4', async () => {
      const file = await writeFixture('one.csv', ['code,name', 'x,X']);
      const { code, stderr } = await minxin('import', 'departments', file, '--city', 'atlantis');
      assert.equal(code, 4);
      assert.match(stderr.join('\n'), /atlantis/);
    });
  });

  describe('minxin users and audit', () => {
    test('users create, then users list shows the account', async () => {
      const created = await minxin(
        'users',
        'create',
        '--username',
        'cli-handler',
        '--display-name',
        '命令行办理员',
        '--role',
        'handler',
        '--department',
        'housing',
        '--password',
        'Cli-password-2026',
        '--city',
        city.code,
      );
      assert.equal(created.code, 0, created.stderr.join('\n'));
      assert.match(created.stdout.join('\n'), /^Created cli-handler \(handler\), id \d+$/);

      const listed = await minxin('users', 'list', '--role', 'handler', '--city', city.code);
      assert.equal(listed.code, 0, listed.stderr.join('\n'));
      const row = listed.stdout.find((line) => line.startsWith('cli-handler\t'));
      assert.deepEqual(row?.split('\t'), ['cli-handler', 'handler', '命令行办理员', '住房和城乡建设局', '-', 'active']);
      assert.ok(listed.stdout.every((line) => line.split('\t')[1] === 'handler'));
      assert.doesNotMatch(listed.stdout.join('\n'), /13800138000|@test\.example/, 'no contact details');

      const duplicate = await minxin(
        'users',
        'create',
        '--username',
        'cli-handler',
        '--display-name',
        '又一个',
        '--role',
        'coordinator',
        '--password',
        'Cli-password-2026',
        '--city',
        city.code,
      );
      assert.equal(duplicate.code, 6);
    });

    test('audit verify exits 0 on an intact log', async () => {
      const { code, stdout, stderr } = await minxin('audit', 'verify', '--city', city.code);
      assert.equal(code, 0, stderr.join('\n'));
      const match = /^Audit log intact: (\d+) entries verified\.$/.exec(stdout.join('\n'));
      assert.ok(match, stdout.join('\n'));
      // city.provision, the imports and the account created above.
      assert.ok(Number(match[1]) >= 5);
    });
  });
});
