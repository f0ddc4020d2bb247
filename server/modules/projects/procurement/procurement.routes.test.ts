import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { FindingView, FlagView, ImportReportView, ProcurementDetailView, ProcurementSummaryView, ProjectDetailView, ProjectSummaryView } from '../../../../contracts/projects.ts';
import { assertProblem, buildVoicesTestApp, loginAs, type TestSession } from '../../../../test/factories.ts';

/** Two releases of one process: a single bidder (R018) and payments above the contract (PAY). */
const tenderRelease = (ocid: string) => ({
  ocid,
  id: `${ocid}-tender`,
  date: '2027-03-01T00:00:00Z',
  tag: ['tender'],
  buyer: { id: 'CN-BUYER-1', name: '东区住房和城乡建设局' },
  parties: [{ id: 'CN-BUYER-1', name: '东区住房和城乡建设局', roles: ['buyer'] }, { id: 'CN-SUP-9', name: '青岛某电梯工程有限公司', roles: ['tenderer', 'supplier'] }],
  tender: { id: 't1', title: '加装电梯施工', procurementMethod: 'open', numberOfTenderers: 1, value: { amount: 1_000_000, currency: 'CNY' } },
});
const contractRelease = (ocid: string) => ({
  ocid,
  id: `${ocid}-contract`,
  date: '2027-04-01T00:00:00Z',
  tag: ['contract', 'implementation'],
  contracts: [{ id: 'c1', awardID: 'a1', status: 'active', value: { amount: 950_000, currency: 'CNY' }, implementation: { transactions: [{ id: 'p1', value: { amount: 600_000, currency: 'CNY' } }, { id: 'p2', value: { amount: 400_000, currency: 'CNY' } }] } }],
});

describe('procurement: OCDS import, compiled releases, red flags, findings from flags, export', () => {
  let app: FastifyInstance;
  let city: Awaited<ReturnType<typeof buildVoicesTestApp>>['city'];
  const as: Record<string, TestSession> = {};
  let project: ProjectSummaryView;
  const ocid = `ocds-mx${Math.random().toString(36).slice(2, 8)}-1`;

  const call = (who: string | null, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method, url, headers: { ...(who ? as[who]!.headers : {}), ...headers }, ...(payload !== undefined && { payload: payload as string }) });
  const importText = (text: string, query = '') => call('coordinator', 'POST', `/api/v1/procurement/imports?name=test.jsonl${query}`, text, { 'content-type': 'application/x-ndjson' });

  before(async () => {
    ({ app, city } = await buildVoicesTestApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000' } }));
    for (const who of ['handler-housing', 'handler-transport', 'coordinator', 'auditor']) as[who] = await loginAs(app, who);
    project = (await call('coordinator', 'POST', '/api/v1/projects', { code: 'MS-OCDS-1', name: '加装电梯', category: 'housing', leadDepartmentId: city.departments.housing, year: 2027 })).json<ProjectSummaryView>();
  });

  after(() => app.close());

  test('a JSON Lines import stores releases, compiles the process, links it and raises flags; re-importing adds nothing', async () => {
    const text = `${JSON.stringify(tenderRelease(ocid))}\n${JSON.stringify(contractRelease(ocid))}\n`;
    const first = await importText(text, `&projectId=${project.id}`);
    assert.equal(first.statusCode, 200, first.body);
    const report = first.json<ImportReportView>();
    assert.deepEqual([report.releasesRead, report.releasesAdded, report.processesCompiled], [2, 2, 1]);
    assert.ok(report.flags >= 2, JSON.stringify(report));
    const again = (await importText(text)).json<ImportReportView>();
    assert.deepEqual([again.releasesRead, again.releasesAdded, again.processesCompiled], [2, 0, 0]);

    const detail = (await call('auditor', 'GET', `/api/v1/procurement/processes/${ocid}`)).json<ProcurementDetailView>();
    assert.deepEqual([detail.title, detail.contractAmount, detail.paidAmount, detail.releaseCount, detail.projectId], ['加装电梯施工', 950_000, 1_000_000, 2, project.id]);
    assert.deepEqual((detail.compiled.tag as string[]), ['compiled']);
    const indicators = detail.flagList.map((flag) => flag.indicator).sort();
    assert.ok(indicators.includes('R018') && indicators.includes('PAY'), indicators.join());
    const pay = detail.flagList.find((flag) => flag.indicator === 'PAY')!;
    assert.match(pay.explanation.zh, /超过合同金额/);
    assert.match(pay.explanation.en, /1000000.*950000/);
  });

  test('bad input: a release without a date stops the import naming the line and field (422)', async () => {
    const bad = `${JSON.stringify({ ocid: `${ocid}-x`, id: '1', date: '2027-01-01T00:00:00Z' })}\n${JSON.stringify({ ocid: `${ocid}-x`, id: '2' })}\n`;
    const problem = assertProblem(await importText(bad), 422, 'import_invalid');
    assert.match(problem.detail, /line 2: date/);
    assertProblem(await importText('{"releases": [1'), 422, 'import_invalid');
  });

  test('the project shows contracted money, paid over contract as a flag, and the process flags', async () => {
    const paid = await call('coordinator', 'POST', `/api/v1/projects/${project.id}/payments`, { paidOn: '2027-05-01', amount: 1_000_000, payee: '青岛某电梯工程有限公司', ocid });
    assert.equal(paid.statusCode, 201, paid.body);
    const detail = (await call('handler-housing', 'GET', `/api/v1/projects/${project.id}`)).json<ProjectDetailView>();
    assert.deepEqual(detail.money, { planned: 0, contracted: 950_000, paid: 1_000_000, paidOverContract: true });
    assert.equal(detail.procurement[0]!.ocid, ocid);
    assert.ok(detail.flagList.length >= 2);
    // Handlers see the procurement of their own projects only.
    assert.equal((await call('handler-transport', 'GET', '/api/v1/procurement')).json<{ items: ProcurementSummaryView[] }>().items.length, 0);
    assertProblem(await call('handler-transport', 'GET', `/api/v1/procurement/processes/${ocid}`), 403, 'forbidden');
  });

  test('an auditor opens a finding from a flag; it takes the flag’s process and project', async () => {
    const flag = (await call('auditor', 'GET', `/api/v1/procurement/processes/${ocid}`)).json<ProcurementDetailView>().flagList.find((row: FlagView) => row.indicator === 'R018')!;
    const opened = await call('auditor', 'POST', '/api/v1/findings', { type: 'audit', title: '单一投标人', foundOn: '2027-06-01', flagId: flag.id });
    assert.equal(opened.statusCode, 201, opened.body);
    const finding = opened.json<FindingView>();
    assert.deepEqual([finding.projectId, finding.ocid, finding.flagId], [project.id, ocid, flag.id]);
  });

  test('settings: a bad file is refused naming the problem; a new version recomputes the flags; versions are kept', async () => {
    assertProblem(await call('auditor', 'POST', '/api/v1/indicator-settings', { settings: '[R999]\n' }), 422, 'validation_failed');
    assertProblem(await call('coordinator', 'POST', '/api/v1/indicator-settings', { settings: '[R018]\n' }), 403, 'forbidden');
    const saved = await call('auditor', 'POST', '/api/v1/indicator-settings', { settings: '[R024]\n', note: '只看价格差' });
    assert.equal(saved.statusCode, 201, saved.body);
    const flags = (await call('auditor', 'GET', `/api/v1/procurement/processes/${ocid}`)).json<ProcurementDetailView>().flagList.map((row) => row.indicator);
    assert.deepEqual(flags, ['PAY'], 'R018 is off in the new settings; payments over contract are always checked');
    const versions = (await call('auditor', 'GET', '/api/v1/indicator-settings')).json<{ items: { version: number; note: string }[] }>().items;
    assert.deepEqual(versions.map((row) => [row.version, row.note]), [[1, '只看价格差']]);
    // The finding opened from the R018 flag stays, without its flag.
    const findings = (await call('auditor', 'GET', `/api/v1/findings?projectId=${project.id}`)).json<{ items: FindingView[] }>().items;
    assert.deepEqual(findings.map((row) => [row.title, row.flagId]), [['单一投标人', null]]);
  });

  test('leaders, export and unlinking', async () => {
    const leaders = await call('auditor', 'GET', '/api/v1/procurement/flag-leaders');
    assert.equal(leaders.statusCode, 200, leaders.body);
    assert.equal(leaders.json<{ buyers: { subjectId: string; flags: number }[] }>().buyers[0]!.subjectId, 'CN-BUYER-1');
    const exported = await call('handler-housing', 'GET', `/api/v1/projects/${project.id}/ocds`);
    assert.equal(exported.statusCode, 200, exported.body);
    const releasePackage = exported.json<{ version: string; releases: { id: string }[] }>();
    assert.deepEqual([releasePackage.version, releasePackage.releases.map((release) => release.id)], ['1.1', [`${ocid}-tender`, `${ocid}-contract`]]);
    const compiled = (await call('handler-housing', 'GET', `/api/v1/projects/${project.id}/ocds?compiled=true`)).json<{ releases: { tag: string[] }[] }>();
    assert.deepEqual(compiled.releases[0]!.tag, ['compiled']);
    assertProblem(await call('handler-housing', 'PUT', `/api/v1/procurement/processes/${ocid}/project`, { projectId: null }), 403, 'forbidden');
    const unlinked = await call('coordinator', 'PUT', `/api/v1/procurement/processes/${ocid}/project`, { projectId: null });
    assert.equal(unlinked.statusCode, 200, unlinked.body);
    assert.equal(unlinked.json<ProcurementSummaryView>().projectId, null);
  });

  test('OCDS 1.0: a release package without a version is compiled by the 1.0 merge rules; an unknown version is refused', async () => {
    const fixtures = path.resolve(import.meta.dirname, '../../../../../shared/data/ocds/ocds-merge/tests/fixtures/1.0');
    const v10 = `${ocid}-v10`;
    const releases = (JSON.parse(await readFile(path.join(fixtures, 'suppliers.json'), 'utf8')) as Record<string, unknown>[]).map((release) => ({ ...release, ocid: v10 }));
    const expected = JSON.parse(await readFile(path.join(fixtures, 'suppliers-compiled.json'), 'utf8')) as { awards: unknown };
    const imported = await importText(JSON.stringify({ uri: 'x', publishedDate: '2014-01-03T00:00:00Z', publisher: { name: 'x' }, releases }));
    assert.equal(imported.statusCode, 200, imported.body);
    const detail = (await call('auditor', 'GET', `/api/v1/procurement/processes/${v10}`)).json<ProcurementDetailView>();
    assert.deepEqual(detail.compiled.awards, expected.awards, 'by the 1.1 rules the two suppliers without id would both stay');
    const problem = assertProblem(await importText(JSON.stringify({ version: '2.0', releases })), 422, 'import_invalid');
    assert.match(problem.detail, /input: version: "2\.0" is not an OCDS version/);
  });
});
