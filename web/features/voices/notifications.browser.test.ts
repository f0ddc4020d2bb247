// Notifications in a real browser, with the server's dispatcher every second: an anonymous citizen's
// tracking page lists 消息提醒 after the coordinator dispatches and the handler replies; a citizen who
// registers and submits while logged in sees the header bell's unread count rise (by its 30 s poll,
// driven with Playwright's clock), opens one (marked read, to the case) and marks all read. axe checks
// the tracking page and the open drawer. Runs the built app (`vite build`) on a fresh demo city.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { PHONE, browserSkip, logIn, seriousViolations, startBrowserHarness, type BrowserHarness } from '../../test/browser.ts';

let harness: BrowserHarness;

const waitForState = (page: Page, state: string) => page.locator(`[data-state="${state}"]`).first().waitFor();

/** Fires an action from the case page: its button, then (when it asks for more) its dialog. */
async function act(page: Page, label: string, fill?: (dialog: ReturnType<Page['getByRole']>) => Promise<void>) {
  await page.getByRole('button', { name: label, exact: true }).first().click();
  if (!fill) return;
  const dialog = page.getByRole('dialog');
  await fill(dialog);
  await dialog.getByRole('button', { name: label, exact: true }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
}

/** Fills and sends the submit form; answers with the case number and, when shown, the tracking code. */
async function submit(page: Page, title: string): Promise<{ number: string; code: string }> {
  await page.goto('/submit');
  await page.getByRole('heading', { level: 1, name: '提交诉求' }).waitFor();
  await page.getByLabel('标题').fill(title);
  await page.getByLabel('诉求内容').fill(`${title}，请尽快处理。`);
  await page.getByRole('button', { name: '提交', exact: true }).click();
  const numberText = page.getByText(/诉求编号：/);
  await numberText.waitFor();
  const number = /诉求编号：(\S+)/.exec((await numberText.textContent()) ?? '')?.[1];
  assert.ok(number);
  const codeText = page.getByTestId('tracking-code');
  const code = (await codeText.count()) > 0 ? ((await codeText.textContent()) ?? '').trim() : '';
  return { number, code };
}

/** The coordinator dispatches a case from the triage queue to the city housing bureau; answers its path. */
async function dispatch(coordinator: Page, number: string): Promise<string> {
  await coordinator.goto('/triage');
  await coordinator.getByRole('link', { name: number }).click();
  await coordinator.waitForURL(/\/cases\/\d+$/);
  await waitForState(coordinator, 'accepted');
  await act(coordinator, '派单', async (dialog) => {
    await dialog.getByLabel('主办单位').fill('青岛市住房和城乡建设局');
    await coordinator.locator('.ant-select-item-option', { hasText: /^青岛市住房和城乡建设局$/ }).click();
  });
  await waitForState(coordinator, 'dispatched');
  return new URL(coordinator.url()).pathname;
}

/** The housing bureau's handler accepts and replies. */
async function reply(handler: Page, casePath: string, text: string): Promise<void> {
  await handler.goto(casePath);
  await waitForState(handler, 'dispatched');
  await act(handler, '签收');
  await waitForState(handler, 'in_progress');
  await act(handler, '答复', async (dialog) => {
    await dialog.getByLabel('答复内容').fill(text);
  });
  await waitForState(handler, 'replied');
}

/** The bell's accessible name, e.g. "通知，2 条未读". */
const bellName = async (page: Page) => (await page.getByTestId('notification-bell').getAttribute('aria-label')) ?? '';

/** Lets the page's 30 s poll run (fake clock) until the bell's name matches, the dispatcher running meanwhile. */
async function pollUntil(page: Page, expected: RegExp): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    if (expected.test(await bellName(page))) return;
    await page.clock.fastForward(30_000);
    await page.waitForTimeout(500);
  }
  assert.match(await bellName(page), expected);
}

describe('notifications in the browser', { skip: browserSkip }, () => {
  before(async () => {
    harness = await startBrowserHarness({ NOTIFY_INTERVAL_SECONDS: '1' });
  });

  after(async () => {
    await harness?.stop();
  });

  test('the tracking page shows updates; a registered citizen’s bell counts, opens and marks all read', async () => {
    // An anonymous citizen on a phone: no updates yet.
    const anonymous = await harness.openPage(PHONE);
    const anon = await submit(anonymous, '楼道灯坏了');
    assert.match(anon.code, /^\S{4,}$/);
    await anonymous.goto(`/track/${anon.code}`);
    await anonymous.getByRole('heading', { level: 2, name: '消息提醒' }).waitFor();
    await anonymous.getByText('暂无消息提醒。诉求有新进展时会在这里提醒您。').waitFor();

    // A citizen registers (signed in at once) and submits while logged in; the clock is faked so the poll can be hurried.
    const citizen = await harness.openPage();
    await citizen.clock.install();
    await citizen.goto('/register');
    await citizen.getByLabel('用户名').fill('li-lei');
    await citizen.getByLabel('称呼').fill('李先生');
    await citizen.getByLabel('密码', { exact: true }).fill('Citizen-pass-2026');
    await citizen.getByLabel('确认密码').fill('Citizen-pass-2026');
    await citizen.getByRole('button', { name: '注册并登录' }).click();
    await citizen.waitForURL((url) => url.pathname === '/');
    await citizen.getByRole('button', { name: '通知，0 条未读' }).waitFor();
    const own = await submit(citizen, '小区垃圾无人清运');

    const coordinator = await harness.openPage();
    await logIn(coordinator, 'coordinator');
    const anonPath = await dispatch(coordinator, anon.number);
    const ownPath = await dispatch(coordinator, own.number);

    const handler = await harness.openPage();
    await logIn(handler, 'handler');
    await reply(handler, anonPath, '已更换楼道灯。');
    await reply(handler, ownPath, '已安排环卫车辆每日清运。');

    // The tracking page lists what the code was told, newest first: the reply, then the dispatch.
    const updates = anonymous.getByTestId('tracking-updates');
    for (let attempt = 0; attempt < 30; attempt += 1) {
      await anonymous.reload();
      await updates.getByRole('listitem').first().waitFor({ timeout: 5_000 }).catch(() => undefined);
      if ((await updates.getByRole('listitem').count()) >= 2) break;
      await anonymous.waitForTimeout(500);
    }
    const texts = await updates.getByRole('listitem').allTextContents();
    assert.equal(texts.length, 2, texts.join(' | '));
    assert.match(texts[0] ?? '', new RegExp(`您的诉求（${anon.number}）已答复`));
    assert.match(texts[0] ?? '', /请查看答复并评价/);
    assert.match(texts[1] ?? '', new RegExp(`您的诉求（${anon.number}）`));
    assert.deepEqual(await seriousViolations(anonymous), []);

    // The bell's poll brings the dispatch and the reply: two unread.
    await pollUntil(citizen, /^通知，2 条未读$/);
    await citizen.getByRole('button', { name: '通知，2 条未读' }).click();
    const drawer = citizen.getByRole('dialog', { name: '通知' });
    await drawer.waitFor();
    await drawer.getByText('共 2 条，2 条未读').waitFor();
    assert.deepEqual(await seriousViolations(citizen), []);

    // Opening one marks it read and goes to the case.
    await drawer.getByRole('link', { name: new RegExp(`您的诉求（${own.number}）已答复`) }).click();
    await citizen.waitForURL((url) => url.pathname === ownPath);
    await citizen.getByRole('button', { name: '通知，1 条未读' }).waitFor();

    // Mark all read; the server keeps it (a reload still shows none unread).
    await citizen.getByRole('button', { name: '通知，1 条未读' }).click();
    await drawer.getByText('共 2 条，1 条未读').waitFor();
    await drawer.getByRole('button', { name: '全部标为已读' }).click();
    await citizen.getByRole('button', { name: '通知，0 条未读' }).waitFor();
    await drawer.getByText('共 2 条，0 条未读').waitFor();
    assert.ok(await drawer.getByRole('button', { name: '全部标为已读' }).isDisabled());
    await citizen.reload();
    await citizen.getByRole('button', { name: '通知，0 条未读' }).waitFor();

    // English is complete here too.
    await citizen.evaluate(() => localStorage.setItem('minxin.lang', 'en'));
    await citizen.reload();
    await citizen.getByRole('button', { name: 'Notifications, 0 unread' }).click();
    await citizen.getByRole('dialog', { name: 'Notifications' }).getByText('2 in all, 0 unread').waitFor();
    await citizen.getByRole('link', { name: new RegExp(`Your message \\(case ${own.number}\\): `) }).first().waitFor();

    for (const page of [anonymous, citizen, coordinator, handler]) await page.context().close();
  });
});
