// The voices loop in a real browser: a citizen on a phone submits anonymously, the coordinator dispatches
// from the triage queue, the city housing bureau's handler accepts and replies, the citizen rates 1 by the
// tracking code, the coordinator confirms (rework), the handler replies again, the citizen rates 5, the
// coordinator closes, and the public page shows 已办结. Markup in a description stays text; axe checks the
// citizen's and the handler's pages. Runs the built app (`vite build`) on a fresh demo city in Chromium.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  PHONE,
  browserSkip,
  logIn,
  seriousViolations,
  startBrowserHarness,
  type BrowserHarness,
} from '../../test/browser.ts';

let harness: BrowserHarness;

/** Screenshots go here for a human to look at (desktop and phone). */
const shotDir = process.env.SCREENSHOT_DIR ?? path.join(os.tmpdir(), 'minxin-voices-screens');

async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(shotDir, { recursive: true });
  await page.screenshot({ path: path.join(shotDir, `${name}.png`), fullPage: true });
}

/** Waits until the page shows the case in `state` (the state tag). */
const waitForState = (page: Page, state: string) => page.locator(`[data-state="${state}"]`).first().waitFor();

/** Fires an action from the case page: its button, then (when it asks for more) its dialog. */
async function act(page: Page, label: string, fill?: (dialog: ReturnType<Page['getByRole']>) => Promise<void>) {
  await page.getByRole('button', { name: label, exact: true }).first().click();
  if (!fill) return;
  const dialog = page.getByRole('dialog');
  await fill(dialog);
  await dialog.getByRole('button', { name: label, exact: true }).click();
  try {
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
  } catch (error) {
    await shot(page, `failed-${label}`);
    throw error;
  }
}

/** A rating through the public tracking page, as the anonymous requester. */
async function rate(page: Page, code: string, label: string, comment: string): Promise<void> {
  await page.goto(`/track/${code}`);
  await page.getByRole('heading', { level: 2, name: '评价答复' }).waitFor();
  await page.getByText(label, { exact: true }).tap();
  await page.getByLabel('评价意见').fill(comment);
  await page.getByRole('button', { name: '提交评价' }).tap();
  await page.getByText('感谢您的评价。').waitFor();
}

describe('the voices loop in the browser', { skip: browserSkip }, () => {
  before(async () => {
    harness = await startBrowserHarness();
  });

  after(async () => {
    await harness?.stop();
  });

  test('submit on a phone → dispatch → reply → unsatisfied → rework → satisfied → closed', async () => {
    const citizen = await harness.openPage(PHONE);
    const dialogs: string[] = [];
    await citizen.goto('/submit');
    await citizen.getByRole('heading', { level: 1, name: '提交诉求' }).waitFor();
    assert.deepEqual(await seriousViolations(citizen), []);

    // An empty description is refused before anything is sent.
    await citizen.getByLabel('标题').fill('小区门口路灯不亮');
    await citizen.getByRole('button', { name: '提交' }).tap();
    await citizen.getByText('必填').first().waitFor();

    const description = '晚上很黑，老人走路容易摔倒。<script>alert(1)</script><b>粗体</b>';
    await citizen.getByLabel('诉求内容').fill(description);
    await citizen.getByText('建议', { exact: true }).tap();
    await citizen.getByText('投诉', { exact: true }).tap();
    await citizen.getByLabel('电话').fill('138 0013 8000');
    const posts: string[] = [];
    citizen.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/v1/messages') {
        posts.push(request.headers()['idempotency-key'] ?? '');
      }
    });
    await shot(citizen, 'submit-phone');
    await citizen.getByRole('button', { name: '提交' }).tap();
    const codeText = citizen.getByTestId('tracking-code');
    await codeText.waitFor();
    const code = ((await codeText.textContent()) ?? '').trim();
    assert.match(code, /^\S{4,}$/);
    assert.equal(posts.length, 1);
    assert.ok(posts[0] && posts[0].length >= 16, 'an Idempotency-Key is sent');
    const number = /诉求编号：(\S+)/.exec((await citizen.getByText(/诉求编号：/).textContent()) ?? '')?.[1];
    assert.ok(number);
    await shot(citizen, 'receipt-phone');
    assert.equal(
      await citizen.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth),
      false,
    );

    await citizen.getByRole('link', { name: '查看办理进度' }).tap();
    await citizen.waitForURL((url) => url.pathname === `/track/${code}`);
    await waitForState(citizen, 'accepted');
    assert.deepEqual(await seriousViolations(citizen), []);

    // The coordinator finds it in the triage queue (no category, so no rule) and dispatches it.
    const coordinator = await harness.openPage();
    await logIn(coordinator, 'coordinator');
    await coordinator.getByRole('menuitem', { name: '待分派' }).click();
    await coordinator.getByRole('link', { name: number }).click();
    await coordinator.waitForURL(/\/cases\/\d+$/);
    const casePath = new URL(coordinator.url()).pathname;
    await waitForState(coordinator, 'accepted');
    await act(coordinator, '派单', async (dialog) => {
      const select = dialog.getByLabel('主办单位');
      await select.fill('青岛市住房和城乡建设局');
      await coordinator.locator('.ant-select-item-option', { hasText: /^青岛市住房和城乡建设局$/ }).click();
    });
    await waitForState(coordinator, 'dispatched');

    // The city housing bureau's handler sees the markup as text, accepts and replies.
    const handler = await harness.openPage();
    handler.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await logIn(handler, 'handler');
    await handler.goto('/cases');
    await handler.getByRole('link', { name: number }).waitFor();
    assert.deepEqual(await seriousViolations(handler), []);
    await shot(handler, 'inbox-desktop');
    await handler.goto(casePath);
    await waitForState(handler, 'dispatched');
    await handler.getByText(description).waitFor();
    assert.equal(await handler.locator('main b').count(), 0, 'no markup from the description is rendered');
    await handler.getByText('138 0013 8000').waitFor();
    assert.deepEqual(await seriousViolations(handler), []);
    await act(handler, '签收');
    await waitForState(handler, 'in_progress');
    await act(handler, '答复', async (dialog) => {
      await dialog.getByLabel('答复内容').fill('已安排维修，路灯已于今日修复。');
    });
    await waitForState(handler, 'replied');
    // The reply is scored at once: staff see its quality card (docs/reply-quality.md).
    const quality = handler.getByTestId('reply-quality');
    await quality.getByText('针对性', { exact: true }).waitFor();
    assert.equal(await quality.locator('[data-dimension]').count(), 4);
    await shot(handler, 'case-desktop');

    // Very unsatisfied → verification; the coordinator confirms → rework.
    await rate(citizen, code, '1 · 非常不满意', '路灯还是不亮。');
    await waitForState(citizen, 'verifying');
    await coordinator.goto(casePath);
    await waitForState(coordinator, 'verifying');
    await act(coordinator, '回访核实', async (dialog) => {
      await dialog.getByText('属实，发回重办').click();
      await dialog.getByLabel('说明').fill('回访确认路灯仍未修复。');
    });
    await waitForState(coordinator, 'reopened');

    await handler.goto(casePath);
    await act(handler, '签收');
    await waitForState(handler, 'in_progress');
    await act(handler, '答复', async (dialog) => {
      await dialog.getByLabel('答复内容').fill('已更换灯具和线路，经现场确认路灯正常。');
    });
    await waitForState(handler, 'replied');

    await rate(citizen, code, '5 · 非常满意', '修好了，谢谢！');
    await waitForState(citizen, 'rated');

    await coordinator.goto(casePath);
    await waitForState(coordinator, 'rated');
    await act(coordinator, '办结', async () => {});
    await waitForState(coordinator, 'closed');
    await shot(coordinator, 'case-closed-desktop');

    await citizen.goto(`/track/${code}`);
    await waitForState(citizen, 'closed');
    await citizen.locator('[data-state="closed"]').getByText('已办结').waitFor();
    await citizen.getByText('已更换灯具和线路，经现场确认路灯正常。').waitFor();
    assert.equal(await citizen.getByRole('heading', { name: '评价答复' }).count(), 0, 'no second rating');
    assert.equal(await citizen.getByText('答复质量').count(), 0, 'reply scores are for staff only');
    await shot(citizen, 'track-closed-phone');

    assert.deepEqual(dialogs, [], 'no script in a description ever ran');
    for (const page of [citizen, coordinator, handler]) await page.context().close();
  });

  test('a signed-in citizen finds the loop on the home page and in the menu', async () => {
    const page = await harness.openPage(PHONE);
    await logIn(page, 'citizen');
    await page.getByRole('link', { name: '提交意见建议和投诉' }).tap();
    await page.getByRole('heading', { level: 1, name: '提交诉求' }).waitFor();
    await page.goto('/my-messages');
    await page.getByRole('heading', { level: 1, name: '我的诉求' }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await page.context().close();
  });

  test('the coordinator’s routing rules and overdue board open and pass axe', async () => {
    const page = await harness.openPage();
    await logIn(page, 'coordinator');
    await page.goto('/routing-rules');
    await page.getByRole('heading', { level: 1, name: '分派规则' }).waitFor();
    await page.getByRole('button', { name: /^替换 #/ }).first().waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await shot(page, 'rules-desktop');
    await page.goto('/overdue');
    await page.getByRole('heading', { level: 1, name: '超期督办' }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await page.context().close();
  });
});
