// The platform pages in a real browser: login, language, role-aware menus, a department created through
// the form, and axe-core on the pages people use most. Runs the built app (`vite build`) on a fresh
// embedded database with the demo city, in Debian's Chromium.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { browserSkip, logIn, seriousViolations, startBrowserHarness, type BrowserHarness } from '../../test/browser.ts';

let harness: BrowserHarness;
const openPage = () => harness.openPage();

describe('platform pages in the browser', { skip: browserSkip }, () => {
  before(async () => {
    harness = await startBrowserHarness();
  });

  after(async () => {
    await harness?.stop();
  });

  test('the login page is accessible and explains a wrong password', async () => {
    const page = await openPage();
    await page.goto('/login');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码').fill('not-the-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('alert').filter({ hasText: '用户名或密码不正确' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/login');
    await page.context().close();
  });

  test('the language switch turns the app into English and is remembered', async () => {
    const page = await openPage();
    await page.goto('/login');
    await page.getByRole('combobox', { name: '语言' }).click();
    await page.getByRole('option', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    await page.reload();
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('Minxin-admin-2026');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { level: 1, name: /^Welcome/ }).waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('minxin.lang')), 'en');
    await page.context().close();
  });

  test('an admin creates a department through the form and finds it in the table', async () => {
    const page = await openPage();
    await logIn(page, 'admin');
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByRole('menuitem', { name: '部门' }).click();
    await page.getByRole('button', { name: '新建部门' }).click();
    await page.getByLabel('部门编码').fill('browser-test-office');
    await page.getByLabel('部门名称').fill('浏览器测试办公室');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await page.getByLabel('搜索部门').fill('browser-test');
    await page.keyboard.press('Enter');
    await page.getByRole('cell', { name: '浏览器测试办公室' }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await page.context().close();
  });

  test('the users page is accessible and shows contact details only with an audit note', async () => {
    const page = await openPage();
    await logIn(page, 'admin');
    await page.goto('/users');
    await page.getByRole('button', { name: 'coordinator', exact: true }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByRole('button', { name: 'coordinator', exact: true }).click();
    await page.getByText('此次查看已记入审计日志').waitFor();
    await page.context().close();
  });

  test('an admin edits a user’s phone and e-mail, loaded only when the form opens', async () => {
    const page = await openPage();
    const userReads: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'GET' && /\/api\/v1\/users\/\d+$/.test(new URL(request.url()).pathname)) {
        userReads.push(request.url());
      }
    });
    await logIn(page, 'admin');
    await page.goto('/users');
    await page.getByRole('button', { name: 'coordinator', exact: true }).waitFor();
    assert.deepEqual(userReads, [], 'the table reads no contact details');

    const row = page.getByRole('row').filter({ has: page.getByRole('button', { name: 'coordinator', exact: true }) });
    await row.getByRole('button', { name: '编辑' }).click();
    const dialog = page.getByRole('dialog');
    const phone = dialog.getByLabel('电话');
    const email = dialog.getByLabel('邮箱');
    await email.and(page.locator(':enabled')).waitFor();
    assert.match(await email.inputValue(), /^coordinator@/);
    assert.notEqual(await phone.inputValue(), '');
    assert.equal(userReads.length, 1, 'opening the form reads the user once');
    assert.deepEqual(await seriousViolations(page), []);

    await phone.fill('0532-8888 1234');
    await email.fill('coordinator@example.cn');
    const saved = page.waitForRequest((request) => request.method() === 'PATCH');
    await dialog.getByRole('button', { name: '保存' }).click();
    // Only what changed is sent: an unchanged role, sent again, would end the user's sessions.
    assert.deepEqual(Object.keys((await saved).postDataJSON() as object).sort(), ['email', 'phone', 'version']);
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'coordinator', exact: true }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('0532-8888 1234').waitFor();
    await drawer.getByText('coordinator@example.cn').waitFor();
    await page.context().close();
  });

  test('the departments page passes axe in English', async () => {
    const page = await openPage();
    await logIn(page, 'admin');
    await page.evaluate(() => localStorage.setItem('minxin.lang', 'en'));
    await page.goto('/departments');
    await page.getByRole('heading', { level: 1, name: 'Departments' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    await page.getByRole('columnheader', { name: 'Name' }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByRole('button', { name: 'New department' }).click();
    await page.getByRole('dialog').getByLabel('Code').waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await page.context().close();
  });

  /** Every demo login, the menu it must see, and a page it must be refused. */
  const ROLE_MENUS: [username: string, menu: string[], refused: string][] = [
    ['admin', ['首页', '热点问题', '结对帮扶', '民生工程', '采购监督', '区划', '部门', '人员', '导入', '审计', '通知投递', '我的账户'], '/nonexistent-page'],
    ['admin-shinan', ['首页', '热点问题', '结对帮扶', '民生工程', '采购监督', '区划', '部门', '人员', '我的账户'], '/audit'],
    ['coordinator', ['首页', '待分派', '并案建议', '热点问题', '结对帮扶', '诉求办理', '超期督办', '工作计划', '民生工程', '采购监督', '审计监督', '分派规则', '答复模板', '部门', '人员', '通知投递', '我的账户'], '/regions'],
    ['handler', ['首页', '诉求办理', '工作计划', '民生工程', '审计监督', '答复模板', '人员', '我的账户'], '/departments'],
    ['cadre', ['首页', '我的帮扶户', '我的账户'], '/users'],
    ['auditor', ['首页', '审计', '民生工程', '采购监督', '审计监督', '工作计划', '部门', '人员', '我的账户'], '/import'],
    ['citizen', ['首页', '提交诉求', '查询进度', '民生工程公开', '我的诉求', '我的账户'], '/audit'],
  ];

  for (const [username, menu, refused] of ROLE_MENUS) {
    test(`${username} logs in, sees the menu of the role and is refused ${refused}`, async () => {
      const page = await openPage();
      await logIn(page, username);
      await page.getByRole('menuitem').first().waitFor();
      assert.deepEqual(await page.getByRole('menuitem').allInnerTexts(), menu);
      await page.goto(refused);
      await page
        .getByRole('heading', { level: 1, name: refused === '/nonexistent-page' ? '页面不存在' : '无权访问' })
        .waitFor();
      await page.context().close();
    });
  }

  test('a coordinator reads departments without the create button', async () => {
    const page = await openPage();
    await logIn(page, 'coordinator');
    await page.goto('/departments');
    await page.getByRole('heading', { level: 1, name: '部门' }).waitFor();
    assert.equal(await page.getByRole('button', { name: '新建部门' }).count(), 0);
    await page.context().close();
  });
});
