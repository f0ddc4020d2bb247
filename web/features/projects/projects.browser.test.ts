// Livelihood projects in a real browser on the demo city: anyone reads the public project list (with its map)
// and a project's public page; the city housing bureau's handler reports progress on one of its projects; a
// coordinator registers a project, budgets it and links a citizen's case to it by number; an
// auditor reads the procurement page (flag leaders, a flagged process with its explained flags), opens a
// finding from a flag and finds it in the oversight console. axe checks the public page, the project page and
// the procurement page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { browserSkip, logIn, seriousViolations, startBrowserHarness, type BrowserHarness } from '../../test/browser.ts';

let harness: BrowserHarness;

describe('livelihood projects in the browser', { skip: browserSkip }, () => {
  before(async () => {
    harness = await startBrowserHarness();
  });

  after(async () => {
    await harness?.stop();
  });

  test('the public reads the project list, map and a project page, without people', async () => {
    const page = await harness.openPage();
    await page.goto('/open/projects');
    await page.getByRole('heading', { level: 1, name: '民生工程公开' }).waitFor();
    await page.getByTestId('project-map').waitFor();
    const first = page.locator('table a[href^="/open/projects/"]').first();
    await first.waitFor();
    const name = (await first.textContent()) ?? '';
    await first.click();
    await page.getByRole('heading', { level: 1, name }).waitFor();
    await page.getByTestId('project-money').waitFor();
    await page.getByTestId('public-findings').waitFor();
    const text = (await page.locator('main').textContent()) ?? '';
    assert.doesNotMatch(text, /有限公司|1[3-9]\d{9}|@/, 'no payees, phones or e-mail on the public page');
    assert.deepEqual(await seriousViolations(page), []);
  });

  test('the lead department’s handler reports progress on its project', async () => {
    const page = await harness.openPage();
    await logIn(page, 'handler');
    await page.goto('/projects');
    await page.getByRole('heading', { level: 1, name: '民生工程' }).waitFor();
    await page.locator('table a[href^="/projects/"]').first().click();
    await page.waitForURL(/\/projects\/\d+$/);
    await page.getByRole('button', { name: '报告进度' }).click();
    const dialog = page.getByRole('dialog', { name: '报告进度' });
    await dialog.getByLabel('进度').fill('63');
    await dialog.getByLabel('进展说明').fill('主体结构完成，进入装修阶段');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('主体结构完成，进入装修阶段').waitFor();
    assert.match((await page.getByTestId('project-progress').textContent()) ?? '', /63%/);
    assert.deepEqual(await seriousViolations(page), []);
  });

  test('a coordinator registers a project, gives it a budget line and links a citizen’s case by number', async () => {
    const page = await harness.openPage();
    await logIn(page, 'coordinator');
    await page.goto('/projects');
    await page.getByRole('button', { name: '登记项目' }).click();
    const dialog = page.getByRole('dialog', { name: '登记项目' });
    await dialog.getByLabel('编号').fill('MS-2027-900');
    await dialog.getByLabel('项目名称').fill('浏览器测试社区食堂');
    await dialog.getByLabel('牵头部门').click();
    await page.locator('.ant-select-item-option').first().click();
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/\/projects\/\d+$/);
    await page.getByRole('heading', { level: 1, name: '浏览器测试社区食堂' }).waitFor();
    await page.getByRole('button', { name: '添加预算' }).click();
    const budget = page.getByRole('dialog', { name: '添加预算' });
    await budget.getByLabel('说明').fill('市级财政资金');
    await budget.getByLabel('金额（元）').fill('1200000');
    await budget.getByRole('button', { name: '保存' }).click();
    await budget.waitFor({ state: 'hidden' });
    // The page reloads the project after saving: wait for the new sum rather than reading the old one.
    await page.getByTestId('project-money').getByText(/1,200,000/).first().waitFor();

    // It links a citizen's case by its number: listed with number, title and state, opening the case page; then unlinks it.
    const cases = await page.request.get('/api/v1/cases?limit=1');
    assert.equal(cases.status(), 200);
    const [known] = ((await cases.json()) as { items: { id: number; number: string }[] }).items;
    assert.ok(known, 'the demo city has cases');
    await page.getByRole('tab', { name: '关联诉求与计划' }).click();
    await page.getByLabel('诉求编号').fill(known.number);
    await page.getByRole('button', { name: '关联诉求' }).click();
    const linked = page.getByTestId('project-linked-cases').getByRole('link', { name: known.number });
    await linked.waitFor();
    assert.equal(await linked.getAttribute('href'), `/cases/${known.id}`);
    assert.equal(await page.getByTestId('project-linked-cases').locator('[data-state]').count(), 1, 'the case state is shown');
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByRole('button', { name: `取消关联诉求 ${known.number}` }).click();
    await page.getByRole('button', { name: '取消关联', exact: true }).click();
    await linked.waitFor({ state: 'detached' });
  });

  test('an auditor reads the procurement flags with explanations and opens a finding from one', async () => {
    const page = await harness.openPage();
    await logIn(page, 'auditor');
    await page.goto('/procurement');
    await page.getByRole('heading', { level: 1, name: '采购监督' }).waitFor();
    await page.getByText('红旗最多的采购人').waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await page.locator('table a[href^="/procurement/"]').first().click();
    await page.waitForURL(/\/procurement\/.+/);
    const flag = page.getByTestId('flag-card').first();
    await flag.waitFor();
    assert.match((await flag.textContent()) ?? '', /触发红旗 [A-Z0-9]+：测量的是/);
    await flag.getByRole('button', { name: '据此立项审计' }).click();
    const dialog = page.getByRole('dialog', { name: '据此立项审计' });
    await dialog.getByLabel('问题标题').fill('浏览器测试：采购红旗延伸审计');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.goto('/oversight');
    await page.getByRole('heading', { level: 1, name: '审计监督' }).waitFor();
    await page.getByText('浏览器测试：采购红旗延伸审计').waitFor();
  });
});
