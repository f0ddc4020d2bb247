// The platform pages in a real browser: login, language, role-aware menus, a department created through
// the form, and axe-core on the pages people use most. Runs the built app (`vite build`) on a fresh
// embedded database with the demo city, in Debian's Chromium.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../../server/main.ts';

const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const distDir = path.resolve(import.meta.dirname, '../../../dist/web');
const skip = !fs.existsSync(chromiumPath)
  ? `no Chromium at ${chromiumPath}`
  : !fs.existsSync(path.join(distDir, 'index.html'))
    ? 'the web app is not built (npx vite build)'
    : false;
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server: RunningServer;
let browser: Browser;
let dataDir: string;

/** A fresh browser context (own cookies and localStorage) on the app. */
async function openPage(): Promise<Page> {
  const context = await browser.newContext({
    baseURL: server.url,
    viewport: { width: 1280, height: 900 },
    bypassCSP: true,
  });
  return context.newPage();
}

async function logIn(page: Page, username: string, password = `Minxin-${username.split('-')[0]}-2026`): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((url) => url.pathname === '/');
}

/** Serious and critical axe-core violations once the page has settled. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.waitForLoadState('networkidle');
  await page.locator('h1').first().waitFor();
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            context: Document,
          ) => Promise<{ violations: { id: string; impact: string; nodes: { html: string }[] }[] }>;
        };
      }
    ).axe;
    return (await axe.run(document)).violations;
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.html).join(' | ')}`);
}

describe('platform pages in the browser', { skip }, () => {
  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minxin-browser-'));
    server = await startServer(
      { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, WEB_DIST_DIR: distDir, LOG_LEVEL: 'warn' },
      { buildWeb: false },
    );
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
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

  /** Every demo login, the menu it must see, and a page it must be refused. */
  const ROLE_MENUS: [username: string, menu: string[], refused: string][] = [
    ['admin', ['首页', '区划', '部门', '人员', '导入', '审计', '我的账户'], '/nonexistent-page'],
    ['admin-shinan', ['首页', '区划', '部门', '人员', '我的账户'], '/audit'],
    ['coordinator', ['首页', '部门', '人员', '我的账户'], '/regions'],
    ['handler', ['首页', '人员', '我的账户'], '/departments'],
    ['cadre', ['首页', '我的账户'], '/users'],
    ['auditor', ['首页', '审计', '部门', '人员', '我的账户'], '/import'],
    ['citizen', ['首页', '我的账户'], '/audit'],
  ];

  for (const [username, menu, refused] of ROLE_MENUS) {
    test(`${username} logs in, sees the menu of the role and is refused ${refused}`, async () => {
      const page = await openPage();
      await logIn(page, username);
      await page.getByRole('menuitem').first().waitFor();
      assert.deepEqual(await page.getByRole('menuitem').allInnerTexts(), menu);
      await page.goto(refused);
      await page.getByRole('heading', { level: 1, name: refused === '/nonexistent-page' ? '页面不存在' : '无权访问' }).waitFor();
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
