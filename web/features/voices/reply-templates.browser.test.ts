// Reply templates in a real browser: the coordinator opens 答复模板 (axe), adds a city template through the
// modal and finds it in the list; a resident's complaint about an illegal building reaches the city housing
// bureau, whose handler accepts it, picks the demo's 违章建筑投诉答复 in the reply dialog (the text arrives
// filled with the case number and the name the resident gave), edits it and replies. The inbox shows the
// lead department by name. Runs the built app (`vite build`) on a fresh demo city in Chromium.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { browserSkip, logIn, seriousViolations, startBrowserHarness, type BrowserHarness } from '../../test/browser.ts';

let harness: BrowserHarness;

const waitForState = (page: Page, state: string) => page.locator(`[data-state="${state}"]`).first().waitFor();

describe('reply templates in the browser', { skip: browserSkip }, () => {
  before(async () => {
    harness = await startBrowserHarness();
  });

  after(async () => {
    await harness?.stop();
  });

  test('the coordinator adds a template; the handler replies from one, filled with the case', async () => {
    const coordinator = await harness.openPage();
    await logIn(coordinator, 'coordinator');
    await coordinator.getByRole('menuitem', { name: '答复模板' }).click();
    await coordinator.getByRole('heading', { level: 1, name: '答复模板' }).waitFor();
    await coordinator.getByText('违章建筑投诉答复').waitFor();
    assert.deepEqual(await seriousViolations(coordinator), []);
    await coordinator.getByRole('button', { name: '新建模板' }).click();
    const dialog = coordinator.getByRole('dialog');
    await dialog.getByLabel('模板名称').fill('噪声扰民答复');
    await dialog
      .getByLabel('模板正文')
      .fill('尊敬的{诉求人称呼}：您反映的噪声问题（编号{案件编号}）已由{承办单位}处理。');
    await dialog.getByText('{案件编号}', { exact: false }).first().waitFor();
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
    await coordinator.getByRole('cell', { name: '噪声扰民答复' }).waitFor();

    // A resident's complaint, routed by the demo rules to the city housing bureau.
    const submitted = await fetch(new URL('/api/v1/messages', harness.server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        title: '邻居楼顶搭建彩钢房',
        description: '六楼住户在楼顶违规搭建彩钢房，存在安全隐患。',
        kind: 'complaint',
        categoryPath: '城乡建设/城乡规划/违章建筑',
        contact: { name: '张女士' },
      }),
    });
    assert.equal(submitted.status, 201);
    const receipt = (await submitted.json()) as { caseId: number; caseNumber: string };

    const handler = await harness.openPage();
    await logIn(handler, 'handler');
    await handler.goto(`/cases?q=${receipt.caseNumber}`);
    await handler.getByRole('link', { name: receipt.caseNumber }).waitFor();
    await handler
      .getByRole('cell', { name: /住房和城乡建设局/ })
      .first()
      .waitFor();
    await handler.goto(`/cases/${receipt.caseId}`);
    await waitForState(handler, 'dispatched');
    await handler.getByRole('button', { name: '签收', exact: true }).click();
    await waitForState(handler, 'in_progress');
    await handler.getByRole('button', { name: '答复', exact: true }).first().click();
    const replyDialog = handler.getByRole('dialog');
    await replyDialog.getByRole('combobox', { name: '使用答复模板' }).click();
    await handler.locator('.ant-select-item-option', { hasText: /^违章建筑投诉答复$/ }).click();
    const text = replyDialog.getByLabel('答复内容');
    const filled = await text.inputValue();
    assert.match(filled, /^尊敬的张女士：/);
    assert.ok(filled.includes(receipt.caseNumber), filled);
    const edited = filled.replace('（请填写是否取得规划许可及面积）', '未取得规划许可，面积约20平方米');
    await text.fill(edited);
    assert.deepEqual(await seriousViolations(handler), []);
    await replyDialog.getByRole('button', { name: '答复', exact: true }).click();
    await replyDialog.waitFor({ state: 'hidden', timeout: 10_000 });
    await waitForState(handler, 'replied');
    await handler.getByText('未取得规划许可，面积约20平方米', { exact: false }).first().waitFor();
    for (const page of [coordinator, handler]) await page.context().close();
  });
});
