import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import iconv from 'iconv-lite';
import type { Department, ImportReport, Region, SessionResponse, User } from '../../../contracts/platform.ts';
import { assertProblem, buildTestApp, loginAs, type TestSession } from '../../../test/factories.ts';

/**
 * Bulk imports through `POST /api/v1/imports/:kind`: the file is the raw
 * body. All or nothing unless `skipInvalid`; idempotent by code/username;
 * CSV in UTF-8 or GBK, XLSX, JSONL; English or Chinese headers.
 */

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let app: FastifyInstance;
let admin: TestSession;

describe('POST /api/v1/imports/:kind', () => {
  before(async () => {
    ({ app } = await buildTestApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000' } }));
    admin = await loginAs(app, 'admin');
  });
  after(() => app.close());

  function importFile(
    kind: string,
    file: string,
    body: string | Buffer,
    options: { contentType?: string; skipInvalid?: boolean; as?: TestSession } = {},
  ) {
    const query = new URLSearchParams({ filename: file, ...(options.skipInvalid && { skipInvalid: 'true' }) });
    return app.inject({
      method: 'POST',
      url: `/api/v1/imports/${kind}?${query}`,
      headers: { ...(options.as ?? admin).headers, 'content-type': options.contentType ?? 'text/csv' },
      payload: body,
    });
  }

  async function imported(
    kind: string,
    file: string,
    body: string | Buffer,
    options: { contentType?: string; skipInvalid?: boolean } = {},
  ): Promise<ImportReport> {
    const response = await importFile(kind, file, body, options);
    assert.equal(response.statusCode, 200, response.body);
    return response.json<ImportReport>();
  }

  async function list<T>(path: string): Promise<{ items: T[]; total: number }> {
    const response = await app.inject({
      url: `${path}${path.includes('?') ? '&' : '?'}limit=500`,
      headers: admin.headers,
    });
    assert.equal(response.statusCode, 200, response.body);
    return response.json<{ items: T[]; total: number }>();
  }

  const departmentCount = async () => (await list<Department>('/api/v1/departments')).total;
  const userCount = async () => (await list<User>('/api/v1/users')).total;
  const department = async (code: string) =>
    (await list<Department>(`/api/v1/departments?q=${code}`)).items.find((item) => item.code === code);

  const counts = (report: ImportReport) => ({
    rows: report.rows,
    created: report.created,
    updated: report.updated,
    unchanged: report.unchanged,
    rejected: report.rejected.length,
  });

  test('a departments CSV imports, and importing it again changes nothing', async () => {
    const csv = [
      'code,name,name_en,parent_code,district_code,areas,contact_phone,contact_email',
      'water,水务局,Water Bureau,,,供水;排水,0532-80000002,water@test.example',
      'east-water,东区水务局,,water,east,供水,,',
      'housing,住房和城乡建设局,Housing Bureau,,,城乡建设,0532-80000001,housing@test.example',
    ].join('\n');
    const before = await departmentCount();
    const first = await imported('departments', 'departments.csv', csv);
    assert.deepEqual(counts(first), { rows: 3, created: 2, updated: 1, unchanged: 0, rejected: 0 });
    assert.equal(first.kind, 'departments');
    assert.equal(first.file, 'departments.csv');
    assert.equal(await departmentCount(), before + 2);

    const water = await department('water');
    assert.deepEqual(water?.areas, ['供水', '排水']);
    assert.equal(water?.contactEmail, 'water@test.example');
    const eastWater = await department('east-water');
    assert.equal(eastWater?.parentId, water?.id);
    assert.equal(eastWater?.districtName, '东区');

    const again = await imported('departments', 'departments.csv', csv);
    assert.deepEqual(counts(again), { rows: 3, created: 0, updated: 0, unchanged: 3, rejected: 0 });
    assert.equal((await department('water'))?.version, water?.version);
  });

  const BAD_DEPARTMENTS = [
    'code,name,district_code,contact_phone',
    'parks,园林局,,0532-80000010',
    'libraries,图书馆,,call me maybe',
    'west-parks,西区园林局,nowhere,',
    'east-parks,东区园林局,east,',
  ].join('\n');

  test('a file with bad rows imports nothing and names every problem by file, line and column', async () => {
    const before = await departmentCount();
    const problem = assertProblem(
      await importFile('departments', 'departments.csv', BAD_DEPARTMENTS),
      422,
      'import_invalid',
    );
    assert.deepEqual(
      problem.errors?.map((error) => error.path),
      ['departments.csv:3:contact_phone', 'departments.csv:4:district_code'],
    );
    assert.match(problem.errors![1]!.message, /nowhere/);
    assert.equal(await departmentCount(), before);
    assert.equal(await department('parks'), undefined);
  });

  test('with skipInvalid the valid rows are imported and the bad ones reported', async () => {
    const before = await departmentCount();
    const report = await imported('departments', 'departments.csv', BAD_DEPARTMENTS, { skipInvalid: true });
    assert.deepEqual(counts(report), { rows: 4, created: 2, updated: 0, unchanged: 0, rejected: 2 });
    assert.deepEqual(
      report.rejected.map(({ file, line, column }) => ({ file, line, column })),
      [
        { file: 'departments.csv', line: 3, column: 'contact_phone' },
        { file: 'departments.csv', line: 4, column: 'district_code' },
      ],
    );
    assert.equal(await departmentCount(), before + 2);
    assert.ok(await department('parks'));
    assert.ok(await department('east-parks'));
    assert.equal(await department('libraries'), undefined);
  });

  test('an XLSX workbook imports, with Excel row numbers in its problems', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('部门');
    sheet.addRow(['code', 'name', 'district_code', 'contact_phone']);
    sheet.addRow(['culture', '文化和旅游局', '', '0532-80000020']);
    sheet.addRow(['west-culture', '西区文化和旅游局', 'west', '']);
    const good = Buffer.from(await workbook.xlsx.writeBuffer());
    const report = await imported('departments', 'departments.xlsx', good, { contentType: XLSX_TYPE });
    assert.deepEqual(counts(report), { rows: 2, created: 2, updated: 0, unchanged: 0, rejected: 0 });
    assert.equal((await department('west-culture'))?.districtName, '西区');

    sheet.addRow(['sports', '体育局', '', 'not a phone']);
    const bad = Buffer.from(await workbook.xlsx.writeBuffer());
    const problem = assertProblem(
      await importFile('departments', 'departments.xlsx', bad, { contentType: XLSX_TYPE }),
      422,
      'import_invalid',
    );
    assert.deepEqual(
      problem.errors?.map((error) => error.path),
      ['departments.xlsx:4:contact_phone'],
    );
    assert.equal(await department('sports'), undefined);
  });

  test('a GBK-encoded CSV, as Excel saves it on Chinese Windows, keeps its Chinese names', async () => {
    const text = ['code,name,areas,address', 'civil-affairs,民政局,社会救助；养老服务,青岛市市南区香港中路1号'].join(
      '\r\n',
    );
    const report = await imported('departments', 'civil.csv', iconv.encode(text, 'gbk'));
    assert.deepEqual(counts(report), { rows: 1, created: 1, updated: 0, unchanged: 0, rejected: 0 });
    const civil = await department('civil-affairs');
    assert.equal(civil?.name, '民政局');
    assert.deepEqual(civil?.areas, ['社会救助', '养老服务']);
    assert.equal(civil?.address, '青岛市市南区香港中路1号');
  });

  test('Chinese headers are accepted', async () => {
    const csv =
      '\uFEFF部门编码,部门名称,所属区编码,职责领域,联系电话\nemergency,应急管理局,,应急,0532-80000030\neast-emergency,东区应急管理局,east,应急,\n';
    const report = await imported('departments', '部门.csv', csv);
    assert.deepEqual(counts(report), { rows: 2, created: 2, updated: 0, unchanged: 0, rejected: 0 });
    assert.equal((await department('emergency'))?.contactPhone, '0532-80000030');
    assert.equal((await department('east-emergency'))?.districtName, '东区');
  });

  test('a regions JSONL file imports below existing parents, each level checked', async () => {
    const jsonl = [
      JSON.stringify({ code: 'east-5', name: '东五街道', parent_code: 'east' }),
      JSON.stringify({
        code: 'east-5-a',
        name: '东五甲社区',
        parent_code: 'east-5',
        level: 'community',
        lng: 120.4,
        lat: 36.1,
      }),
    ].join('\n');
    const report = await imported('regions', 'regions.jsonl', jsonl, { contentType: 'application/x-ndjson' });
    assert.deepEqual(counts(report), { rows: 2, created: 2, updated: 0, unchanged: 0, rejected: 0 });
    const community = (await list<Region>('/api/v1/regions?q=east-5-a')).items[0];
    assert.equal(community?.level, 'community');
    assert.deepEqual(community?.centroid, [120.4, 36.1]);
  });

  test('users: new accounts need a password, a username twice is refused naming the first line, and re-import is unchanged', async () => {
    const csv = [
      'username,display_name,role,department_code,scope_region_code,phone,password',
      'import-handler,导入办理员,handler,housing,,13900000001,Initial-pass-2026',
      'import-cadre,导入干部,cadre,,east-1-a,,Initial-pass-2026',
      'import-nopass,没有密码,coordinator,,,,',
      'import-handler,重复的人,handler,transport,,,Initial-pass-2026',
    ].join('\n');
    const before = await userCount();
    const problem = assertProblem(await importFile('users', 'users.csv', csv), 422, 'import_invalid');
    assert.deepEqual(problem.errors?.map((error) => error.path).sort(), [
      'users.csv:4:password',
      'users.csv:5:username',
    ]);
    assert.match(problem.errors!.find((error) => error.path === 'users.csv:5:username')!.message, /line 2/);
    assert.equal(await userCount(), before);

    const report = await imported('users', 'users.csv', csv, { skipInvalid: true });
    assert.deepEqual(counts(report), { rows: 4, created: 2, updated: 0, unchanged: 0, rejected: 2 });
    assert.equal(await userCount(), before + 2);

    const signedIn = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: 'import-handler', password: 'Initial-pass-2026' },
    });
    assert.equal(signedIn.statusCode, 200);
    const me = signedIn.json<SessionResponse>().user;
    assert.equal(me.mustChangePassword, true);
    assert.equal(me.departmentName, '住房和城乡建设局');

    const valid = csv.split('\n').slice(0, 3).join('\n');
    const again = await imported('users', 'users.csv', valid);
    assert.deepEqual(counts(again), { rows: 2, created: 0, updated: 0, unchanged: 2, rejected: 0 });
  });

  test('a placement that does not fit the role is rejected per row', async () => {
    const csv = [
      'username,display_name,role,department_code,password',
      'import-orphan,无部门办理员,handler,,Initial-pass-2026',
    ].join('\n');
    const problem = assertProblem(await importFile('users', 'users.csv', csv), 422, 'import_invalid');
    assert.deepEqual(
      problem.errors?.map((error) => error.path),
      ['users.csv:2:department_code'],
    );
  });

  test('a missing required column stops the import at the header', async () => {
    const problem = assertProblem(
      await importFile('departments', 'departments.csv', 'code,title\nx,y\n'),
      422,
      'import_invalid',
    );
    assert.ok(
      problem.errors?.every((error) => error.path.startsWith('departments.csv:1:')),
      JSON.stringify(problem.errors),
    );
  });

  test('only a city-wide admin may import', async () => {
    const before = await departmentCount();
    const eastAdmin = await loginAs(app, 'admin-east');
    assertProblem(
      await importFile('departments', 'd.csv', 'code,name\neast-x,东区X\n', { as: eastAdmin }),
      403,
      'forbidden',
    );
    const coordinator = await loginAs(app, 'coordinator');
    assertProblem(await importFile('departments', 'd.csv', 'code,name\nx,X\n', { as: coordinator }), 403, 'forbidden');
    const { 'x-csrf-token': _token, ...cookieOnly } = admin.headers;
    const noCsrf = await app.inject({
      method: 'POST',
      url: '/api/v1/imports/departments',
      headers: { ...cookieOnly, 'content-type': 'text/csv' },
      payload: 'code,name\nx,X\n',
    });
    assertProblem(noCsrf, 403, 'csrf_failed');
    assert.equal(await departmentCount(), before);
  });
});
