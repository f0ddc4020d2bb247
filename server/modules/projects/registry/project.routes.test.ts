import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { FindingView, MilestoneView, ProjectDetailView, ProjectSummaryView, PublicProjectView, RectificationView } from '../../../../contracts/projects.ts';
import type { MessageReceiptView } from '../../../../contracts/voices.ts';
import type { PlatformDeps } from '../../../platform/index.ts';
import { assertProblem, buildVoicesTestApp, loginAs, type TestSession } from '../../../../test/factories.ts';

describe('livelihood projects: registry, money, milestones, findings', () => {
  let app: FastifyInstance;
  let deps: PlatformDeps;
  let city: Awaited<ReturnType<typeof buildVoicesTestApp>>['city'];
  const as: Record<string, TestSession> = {};
  let project: ProjectSummaryView;

  const call = (who: string | null, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    app.inject({ method, url, headers: who ? as[who]!.headers : {}, ...(payload !== undefined && { payload: payload as Record<string, unknown> }) });

  before(async () => {
    ({ app, deps, city } = await buildVoicesTestApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000' } }));
    for (const who of ['handler-housing', 'handler-transport', 'coordinator', 'coordinator-east', 'auditor', 'admin', 'citizen']) as[who] = await loginAs(app, who);
    const created = await call('coordinator', 'POST', '/api/v1/projects', {
      code: 'MS-2027-001',
      name: '东区老旧小区加装电梯',
      category: 'housing',
      leadDepartmentId: city.departments.housing,
      coDepartmentIds: [city.departments['east-housing']],
      districtId: city.districts.east,
      areaIds: [city.communities['east-1-a']],
      location: '东一甲社区 3 号楼',
      latitude: 36.07,
      longitude: 120.38,
      beneficiaries: 480,
      year: 2027,
      plannedStart: '2027-03-01',
      plannedEnd: '2027-12-31',
    });
    assert.equal(created.statusCode, 201, created.body);
    project = created.json<ProjectSummaryView>();
  });

  after(() => app.close());

  test('a coordinator registers a project; a duplicate code is 409; an unknown department is 422; handlers may not register', async () => {
    assert.deepEqual([project.leadDepartmentId, project.status, project.progress, project.district], [city.departments.housing, 'planned', 0, '东区']);
    assertProblem(await call('coordinator', 'POST', '/api/v1/projects', { code: 'MS-2027-001', name: '重复', category: 'other', leadDepartmentId: city.departments.housing, year: 2027 }), 409, 'duplicate');
    assertProblem(await call('coordinator', 'POST', '/api/v1/projects', { code: 'MS-2027-X', name: '无此部门', category: 'other', leadDepartmentId: 999999, year: 2027 }), 422, 'validation_failed');
    assertProblem(await call('handler-housing', 'POST', '/api/v1/projects', { code: 'MS-2027-H', name: '自建', category: 'other', leadDepartmentId: city.departments.housing, year: 2027 }), 403, 'forbidden');
    // A district coordinator cannot place a project in another district.
    assertProblem(await call('coordinator-east', 'POST', '/api/v1/projects', { code: 'MS-2027-W', name: '西区项目', category: 'water', leadDepartmentId: city.departments.transport, districtId: city.districts.west, year: 2027 }), 403, 'forbidden');
  });

  test('money: budget lines and payments sum into planned and paid', async () => {
    assert.equal((await call('coordinator', 'POST', `/api/v1/projects/${project.id}/budget-lines`, { fundingSource: 'municipal', description: '市级财政', year: 2027, amount: 3_000_000 })).statusCode, 201);
    assert.equal((await call('coordinator', 'POST', `/api/v1/projects/${project.id}/budget-lines`, { fundingSource: 'special_bond', description: '专项债', year: 2027, amount: 1_500_000.5 })).statusCode, 201);
    const paid = await call('admin', 'POST', `/api/v1/projects/${project.id}/payments`, { paidOn: '2027-04-10', amount: 800_000, payee: '青岛某建设有限公司', purpose: '首期工程款' });
    assert.equal(paid.statusCode, 201, paid.body);
    assertProblem(await call('handler-housing', 'POST', `/api/v1/projects/${project.id}/payments`, { paidOn: '2027-04-10', amount: 1, payee: 'x' }), 403, 'forbidden');
    const detail = (await call('handler-housing', 'GET', `/api/v1/projects/${project.id}`)).json<ProjectDetailView>();
    assert.deepEqual(detail.money, { planned: 4_500_000.5, contracted: 0, paid: 800_000, paidOverContract: false });
    assert.equal(detail.budgetLines.length, 2);
    assert.deepEqual(detail.allowed, { manage: false, progress: true, findings: false });
  });

  test('the lead department reports milestones and progress; another department’s handler cannot, a co-unit only reads', async () => {
    const created = await call('handler-housing', 'POST', `/api/v1/projects/${project.id}/milestones`, { title: '完成施工招标', plannedDate: '2027-05-31' });
    assert.equal(created.statusCode, 201, created.body);
    const milestone = created.json<MilestoneView>();
    assertProblem(await call('handler-transport', 'POST', `/api/v1/projects/${project.id}/milestones`, { title: '别人的里程碑', plannedDate: '2027-05-31' }), 403, 'forbidden');
    assertProblem(await call('handler-transport', 'PATCH', `/api/v1/project-milestones/${milestone.id}`, { version: milestone.version, status: 'done', evidence: '伪造' }), 403, 'forbidden');
    assertProblem(await call('handler-transport', 'POST', `/api/v1/projects/${project.id}/updates`, { progress: 90, note: '越权' }), 403, 'forbidden');
    assertProblem(await call('handler-transport', 'GET', `/api/v1/projects/${project.id}`), 403, 'forbidden');
    assertProblem(await call('handler-housing', 'PATCH', `/api/v1/project-milestones/${milestone.id}`, { version: milestone.version, status: 'done' }), 422, 'validation_failed');
    const done = await call('handler-housing', 'PATCH', `/api/v1/project-milestones/${milestone.id}`, { version: milestone.version, status: 'done', evidence: '中标通知书 2027-05-20', completedOn: '2027-05-20' });
    assert.equal(done.statusCode, 200, done.body);
    assertProblem(await call('handler-housing', 'PATCH', `/api/v1/project-milestones/${milestone.id}`, { version: milestone.version, evidence: '旧版本' }), 409, 'version_conflict');
    const update = await call('handler-housing', 'POST', `/api/v1/projects/${project.id}/updates`, { progress: 25, note: '招标完成，进场施工', milestoneId: milestone.id, status: 'in_progress' });
    assert.equal(update.statusCode, 201, update.body);
    const detail = (await call('auditor', 'GET', `/api/v1/projects/${project.id}`)).json<ProjectDetailView>();
    assert.deepEqual([detail.progress, detail.status, detail.milestones[0]!.status, detail.updates[0]!.note], [25, 'in_progress', 'done', '招标完成，进场施工']);
    const handlerList = (await call('handler-transport', 'GET', '/api/v1/projects')).json<{ items: ProjectSummaryView[] }>().items;
    assert.ok(!handlerList.some((row) => row.id === project.id));
    assert.ok((await call('handler-housing', 'GET', '/api/v1/projects')).json<{ items: ProjectSummaryView[] }>().items.some((row) => row.id === project.id));
  });

  test('links a citizen’s case to the project', async () => {
    const receipt = (await call('citizen', 'POST', '/api/v1/messages', { title: '建议加装电梯', description: '六层老楼没有电梯', kind: 'suggestion', categoryPath: '城乡建设/城市建设和市政管理/其他' })).json<MessageReceiptView>();
    const linked = await call('handler-housing', 'POST', `/api/v1/projects/${project.id}/links`, { caseId: receipt.caseId });
    assert.equal(linked.statusCode, 200, linked.body);
    assert.deepEqual(linked.json<{ caseIds: number[] }>().caseIds, [receipt.caseId]);
    assertProblem(await call('handler-housing', 'POST', `/api/v1/projects/${project.id}/links`, { planItemId: 999999 }), 422, 'validation_failed');
    assertProblem(await call('handler-housing', 'POST', `/api/v1/projects/${project.id}/links`, { caseNumber: 'NO-SUCH-1' }), 422, 'validation_failed');
    assertProblem(await call('handler-transport', 'DELETE', `/api/v1/projects/${project.id}/links/cases/${receipt.caseId}`), 403, 'forbidden');
    const detail = (await call('coordinator', 'GET', `/api/v1/projects/${project.id}`)).json<ProjectDetailView>();
    assert.deepEqual(detail.linkedCases, [{ caseId: receipt.caseId, number: receipt.caseNumber, title: '建议加装电梯', state: detail.linkedCases[0]!.state }]);
    assert.ok(detail.linkedCases[0]!.state);
    // By number, as written on the case; linking twice changes nothing; unlinking removes it.
    const unlinked = await call('coordinator', 'DELETE', `/api/v1/projects/${project.id}/links/cases/${receipt.caseId}`);
    assert.deepEqual(unlinked.json<{ caseIds: number[] }>().caseIds, []);
    const byNumber = await call('coordinator', 'POST', `/api/v1/projects/${project.id}/links`, { caseNumber: receipt.caseNumber });
    assert.deepEqual(byNumber.json<{ caseIds: number[] }>().caseIds, [receipt.caseId]);
    // A title with personal data shows masked, as the public tracking view shows it.
    const phoned = (await call('citizen', 'POST', '/api/v1/messages', { title: '电梯施工噪音 电话13912345678', description: '晚上施工', kind: 'complaint', categoryPath: '城乡建设/城市建设和市政管理/其他' })).json<MessageReceiptView>();
    assert.equal((await call('coordinator', 'POST', `/api/v1/projects/${project.id}/links`, { caseNumber: phoned.caseNumber })).statusCode, 200);
    const masked = (await call('auditor', 'GET', `/api/v1/projects/${project.id}`)).json<ProjectDetailView>().linkedCases.find((link) => link.caseId === phoned.caseId)!;
    assert.equal(masked.number, phoned.caseNumber);
    assert.ok(masked.title && !masked.title.includes('13912345678') && masked.title.startsWith('电梯施工噪音'), masked.title ?? '');
    assert.equal((await call('coordinator', 'DELETE', `/api/v1/projects/${project.id}/links/cases/${phoned.caseId}`)).statusCode, 200);
  });

  test('links a work-plan item: listed with its title and status; unlinked again', async () => {
    const plan = (await call('handler-housing', 'POST', '/api/v1/plans', { departmentId: city.departments.housing, title: '2027年住建工作计划', year: 2027 })).json<{ id: number }>();
    const item = (await call('handler-housing', 'POST', `/api/v1/plans/${plan.id}/items`, { title: '老旧小区加装电梯' })).json<{ id: number }>();
    assert.equal((await call('handler-housing', 'POST', `/api/v1/projects/${project.id}/links`, { planItemId: item.id })).statusCode, 200);
    const detail = (await call('handler-housing', 'GET', `/api/v1/projects/${project.id}`)).json<ProjectDetailView>();
    assert.deepEqual(detail.linkedPlanItems, [{ planItemId: item.id, planId: plan.id, planTitle: '2027年住建工作计划', title: '老旧小区加装电梯', status: 'planned' }]);
    const unlinked = await call('handler-housing', 'DELETE', `/api/v1/projects/${project.id}/links/plan-items/${item.id}`);
    assert.deepEqual(unlinked.json<{ planItemIds: number[] }>().planItemIds, []);
  });

  test('an auditor opens a finding with rectification; the owner submits evidence; the auditor signs off and closes it', async () => {
    assertProblem(await call('coordinator', 'POST', '/api/v1/findings', { type: 'audit', title: 'x', foundOn: '2027-06-01' }), 403, 'forbidden');
    const opened = await call('auditor', 'POST', '/api/v1/findings', {
      type: 'special',
      title: '专项检查：工程款拨付进度滞后',
      foundOn: '2027-06-01',
      projectId: project.id,
      rectifications: [{ description: '补齐拨付审批材料', ownerDepartmentId: city.departments.housing, dueDate: '2027-07-01' }],
    });
    assert.equal(opened.statusCode, 201, opened.body);
    const finding = opened.json<FindingView>();
    assert.equal(finding.status, 'rectifying');
    const item = finding.rectifications[0]!;
    assertProblem(await call('handler-transport', 'PATCH', `/api/v1/rectifications/${item.id}`, { version: item.version, evidence: '越权', status: 'submitted' }), 403, 'forbidden');
    assertProblem(await call('handler-housing', 'PATCH', `/api/v1/rectifications/${item.id}`, { version: item.version, status: 'submitted' }), 422, 'validation_failed');
    const submitted = await call('handler-housing', 'PATCH', `/api/v1/rectifications/${item.id}`, { version: item.version, evidence: '审批材料已补齐（文号 青住建〔2027〕12 号）', status: 'submitted' });
    assert.equal(submitted.statusCode, 200, submitted.body);
    assertProblem(await call('handler-housing', 'PATCH', `/api/v1/rectifications/${item.id}`, { version: item.version + 1, status: 'signed_off' }), 422, 'validation_failed');
    const board = (await call('handler-housing', 'GET', '/api/v1/rectifications')).json<{ items: RectificationView[] }>().items;
    assert.ok(board.some((row) => row.id === item.id && row.status === 'submitted'));
    assert.equal((await call('handler-transport', 'GET', '/api/v1/rectifications')).json<{ items: RectificationView[] }>().items.length, 0);
    assertProblem(await call('auditor', 'PATCH', `/api/v1/findings/${finding.id}`, { version: finding.version, status: 'closed' }), 422, 'validation_failed');
    const signed = await call('auditor', 'PATCH', `/api/v1/rectifications/${item.id}`, { version: item.version + 1, status: 'signed_off' });
    assert.equal(signed.statusCode, 200, signed.body);
    assert.ok(signed.json<RectificationView>().signedOffAt);

    const publicBefore = (await call(null, 'GET', `/api/v1/public/projects/${project.id}`)).json<PublicProjectView>();
    assert.deepEqual(publicBefore.openFindings.map((row) => [row.title, row.rectificationsDone, row.rectificationsTotal]), [['专项检查：工程款拨付进度滞后', 1, 1]]);
    const current = (await call('auditor', 'GET', `/api/v1/findings?projectId=${project.id}`)).json<{ items: FindingView[] }>().items[0]!;
    const closed = await call('auditor', 'PATCH', `/api/v1/findings/${finding.id}`, { version: current.version, status: 'closed' });
    assert.equal(closed.statusCode, 200, closed.body);
    assert.equal((await call(null, 'GET', `/api/v1/public/projects/${project.id}`)).json<PublicProjectView>().openFindings.length, 0);
  });

  test('the public pages show progress and money but no people', async () => {
    const list = await call(null, 'GET', '/api/v1/public/projects');
    assert.equal(list.statusCode, 200, list.body);
    assert.ok(list.json<{ items: { id: number }[] }>().items.some((row) => row.id === project.id));
    const page = await call(null, 'GET', `/api/v1/public/projects/${project.id}`);
    assert.equal(page.statusCode, 200, page.body);
    assert.equal(page.json<PublicProjectView>().money.planned, 4_500_000.5);
    assert.doesNotMatch(page.body, /青岛某建设有限公司|13800138000|handler|payee/);
    assertProblem(await call(null, 'GET', '/api/v1/public/projects/999999'), 404, 'not_found');
    const audit = await deps.db.selectFrom('audit_log').select('action').where('region_id', '=', city.regionId).where('action', 'like', 'project.%').execute();
    assert.ok(audit.some((row) => row.action === 'project.create'));
  });
});
