// Work plans in a real browser, with the server's dispatcher every second: the demo citizen submits a
// suggestion, the coordinator dispatches it to the city housing bureau, whose handler adopts it into a new
// item of a new plan from the case page and then updates the item's progress on the 工作计划 page. The
// citizen's tracking page shows the item's status and progress, and their bell brings the news. axe checks
// the work-plans page, the case page with its plan card and the tracking page. An admin opens 通知投递.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { browserSkip, logIn, seriousViolations, startBrowserHarness, type BrowserHarness } from '../../test/browser.ts';

let harness: BrowserHarness;

const waitForState = (page: Page, state: string) => page.locator(`[data-state="${state}"]`).first().waitFor();

/** Picks an option of the open antd select by its exact text. */
const pick = (page: Page, text: string | RegExp) =>
  page
    .locator('.ant-select-item-option', {
      hasText: typeof text === 'string' ? new RegExp(`^${text.replace(/[+()]/g, '\\$&')}$`) : text,
    })
    .click();

describe('work plans in the browser', { skip: browserSkip }, () => {
  before(async () => {
    harness = await startBrowserHarness({ NOTIFY_INTERVAL_SECONDS: '1' });
  });

  after(async () => {
    await harness?.stop();
  });

  test('a handler adopts a suggestion into a plan item and updates its progress; the citizen follows it', async () => {
    // The demo citizen suggests something; it has no category, so it waits in triage.
    const citizen = await harness.openPage();
    await logIn(citizen, 'citizen');
    await citizen.goto('/submit');
    await citizen.getByRole('heading', { level: 1, name: '提交诉求' }).waitFor();
    await citizen.getByLabel('标题').fill('建议在小区增设电动自行车充电桩');
    await citizen.getByLabel('诉求内容').fill('小区楼道里常有人私拉电线给电动车充电，建议统一建设充电桩。');
    await citizen.locator('label', { hasText: /^建议$/ }).click();
    await citizen.getByRole('button', { name: '提交', exact: true }).click();
    const numberText = citizen.getByText(/诉求编号：/);
    await numberText.waitFor();
    const number = /诉求编号：(\S+)/.exec((await numberText.textContent()) ?? '')?.[1];
    assert.ok(number);
    const code = ((await citizen.getByTestId('tracking-code').textContent()) ?? '').trim();
    assert.ok(code);

    const coordinator = await harness.openPage();
    await logIn(coordinator, 'coordinator');
    await coordinator.goto('/triage');
    await coordinator.getByRole('link', { name: number }).click();
    await coordinator.waitForURL(/\/cases\/\d+$/);
    await waitForState(coordinator, 'accepted');
    await coordinator.getByRole('button', { name: '派单', exact: true }).first().click();
    const dispatchDialog = coordinator.getByRole('dialog');
    await dispatchDialog.getByLabel('主办单位').fill('青岛市住房和城乡建设局');
    await pick(coordinator, '青岛市住房和城乡建设局');
    await dispatchDialog.getByRole('button', { name: '派单', exact: true }).click();
    await waitForState(coordinator, 'dispatched');
    const casePath = new URL(coordinator.url()).pathname;

    // The housing bureau's handler adopts it into a new item of a new plan.
    const handler = await harness.openPage();
    await logIn(handler, 'handler');
    await handler.goto(casePath);
    await waitForState(handler, 'dispatched');
    await handler.getByRole('heading', { level: 2, name: '纳入工作计划' }).waitFor();
    await handler.getByRole('button', { name: '采纳进工作计划' }).click();
    const adopt = handler.getByRole('dialog', { name: '采纳进工作计划' });
    await adopt.waitFor();
    // The plan list loads while the select is open and re-renders its options; on a loaded machine a click
    // can land on the old list, so choose again until the new-plan fields show.
    for (let attempt = 1; ; attempt += 1) {
      await adopt.getByLabel('工作计划', { exact: true }).click();
      await pick(handler, '+ 新建计划');
      const shown = await adopt
        .getByLabel('标题')
        .waitFor({ timeout: 5_000 })
        .then(() => true)
        .catch(() => false);
      if (shown || attempt === 3) break;
    }
    await adopt.getByLabel('标题').fill('2026 年住房民生实事');
    await adopt.getByLabel('事项', { exact: true }).fill('老旧小区增设电动自行车充电桩');
    await adopt.getByLabel('完成时限').fill('2026-12-31');
    await adopt.getByLabel('资金说明').fill('市级财政 300 万元');
    await adopt.getByRole('button', { name: '保存' }).click();
    await adopt.waitFor({ state: 'hidden', timeout: 10_000 });
    const adoptions = handler.getByTestId('adoptions');
    await adoptions.getByText('老旧小区增设电动自行车充电桩').waitFor();
    await adoptions.locator('[data-plan-status="planned"]').waitFor();
    assert.deepEqual(await seriousViolations(handler), []);

    // The work-plans page lists the plan and the item; the handler moves it on with a note.
    await handler.goto('/plans');
    await handler.getByRole('heading', { level: 1, name: '工作计划' }).waitFor();
    // The demo bureau already has a plan of its own: pick the new one.
    await handler.getByRole('button', { name: '2026 年住房民生实事' }).click();
    const row = handler.getByRole('row', { name: /老旧小区增设电动自行车充电桩/ });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /市级财政 300 万元/);
    assert.match((await row.textContent()) ?? '', /2026-12-31/);
    assert.deepEqual(await seriousViolations(handler), []);
    await row.getByRole('button', { name: '更新: 老旧小区增设电动自行车充电桩' }).click();
    const edit = handler.getByRole('dialog');
    await edit.getByLabel('进度').fill('40');
    await edit.getByLabel('事项状态').click();
    await pick(handler, '推进中');
    await edit.getByLabel('进展说明').fill('已完成选址，正在招标。');
    await edit.getByRole('button', { name: '保存' }).click();
    await edit.waitFor({ state: 'hidden', timeout: 10_000 });
    await row.locator('[data-progress="40"]').waitFor();
    await row.locator('[data-plan-status="in_progress"]').waitFor();

    // The citizen's tracking page shows what became of the suggestion.
    await citizen.goto(`/track/${code}`);
    const tracked = citizen.getByTestId('adoptions');
    await tracked.getByText('老旧小区增设电动自行车充电桩').waitFor();
    await tracked.locator('[data-progress="40"]').waitFor();
    await tracked.locator('[data-plan-status="in_progress"]').waitFor();
    assert.deepEqual(await seriousViolations(citizen), []);

    // …and the bell brings the news (the dispatcher runs every second; the bell reads on load).
    const news = new RegExp(`您的诉求（${number}）所纳入的工作计划事项有更新`);
    const drawer = citizen.getByRole('dialog', { name: '通知' });
    let found = false;
    for (let attempt = 0; attempt < 30 && !found; attempt += 1) {
      await citizen.goto('/my-messages');
      await citizen.getByTestId('notification-bell').click();
      await drawer.waitFor();
      found = (await drawer.getByRole('link', { name: news }).count()) > 0;
      if (!found) await citizen.waitForTimeout(1_000);
    }
    assert.ok(found, 'the citizen was told of the progress');
    await drawer.getByRole('link', { name: news }).first().click();
    await citizen.waitForURL((url) => url.pathname === casePath);
    await citizen.getByTestId('adoptions').locator('[data-progress="40"]').waitFor();

    // An admin opens 通知投递 (the demo sends no e-mail, so nothing has failed).
    const admin = await harness.openPage();
    await logIn(admin, 'admin');
    await admin.goto('/deliveries');
    await admin.getByRole('heading', { level: 1, name: '通知投递' }).waitFor();
    await admin.getByText('没有失败的投递').waitFor();
    assert.deepEqual(await seriousViolations(admin), []);

    for (const page of [citizen, coordinator, handler, admin]) await page.context().close();
  });
});
