// Pairing in a real browser: the coordinator opens 结对帮扶 (axe), imports a household from a CSV file and
// reads the report, runs the optimiser in the background (202, then cost, lower bound, gap, certified, time, the
// diff: the new household paired, everyone else kept) and approves it, edits the household by hand; the map and
// the coverage board show. The demo cadre, on a
// phone, opens 我的帮扶户, a household with its phone number, logs a visit with a medical need and a photo (axe on
// the phone form) and finds the need's case on the household page; their bell holds the weekly reminder
// (households waiting for a visit), which opens 我的帮扶户. Runs the built app (`vite build`) on a fresh
// demo city (a small pairing registry) in Chromium.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { tinyPng } from '../../../test/images.ts';
import { browserSkip, logIn, PHONE, seriousViolations, startBrowserHarness, type BrowserHarness } from '../../test/browser.ts';

let harness: BrowserHarness;

describe('pairing in the browser', { skip: browserSkip }, () => {
  before(async () => {
    // Households count as waiting after 2 days, so the demo cadre surely has some and is reminded at the start.
    harness = await startBrowserHarness({ DEMO_PAIRING_PERCENT: '2', PAIRING_VISIT_DAYS: '2' });
  });

  after(async () => {
    await harness?.stop();
  });

  test('the coordinator imports, runs and approves; the map and coverage board show', async () => {
    const page = await harness.openPage();
    await logIn(page, 'coordinator');
    await page.getByRole('menuitem', { name: '结对帮扶' }).click();
    await page.getByRole('heading', { level: 1, name: '结对帮扶' }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);

    await page.getByRole('tab', { name: '导入台账' }).click();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'minxin-pairing-')), 'households.csv');
    fs.writeFileSync(file, 'code,district_code,community_code,x,y,difficulties,members,contact_phone\nNEW-1,370202,370202001001,0.5,0.4,低保,2,13912345678\n');
    await page.locator('input[type="file"]').setInputFiles(file);
    await page.getByTestId('import-report').getByText('新增 1').waitFor();

    await page.getByRole('tab', { name: '结对方案' }).click();
    // The run is computed in the background: the POST answers 202 at once, the page polls its progress.
    const started = page.waitForResponse((response) => response.url().endsWith('/api/v1/pairing/runs') && response.request().method() === 'POST');
    await page.getByRole('button', { name: '运行优化' }).click();
    assert.equal((await started).status(), 202);
    const detail = page.getByTestId('run-detail');
    await detail.waitFor({ timeout: 60_000 });
    await detail.getByText('已证明最优').waitFor();
    await detail.getByText('新结对 1').waitFor();
    await detail.getByText(/保持 \d+/).waitFor();
    assert.equal(await detail.getByText('调整 0').count(), 1, 'the change penalty keeps every current pair');
    await detail.getByRole('button', { name: '审核通过' }).click();
    await detail.getByText('已生效').waitFor();

    await page.getByRole('tab', { name: '帮扶户' }).click();
    await page.getByRole('img', { name: '帮扶户分布图' }).waitFor();
    await page.getByRole('searchbox', { name: '按编号查找' }).fill('NEW-1');
    await page.getByRole('searchbox', { name: '按编号查找' }).press('Enter');
    const row = page.getByRole('row', { name: /NEW-1/ });
    await row.waitFor();
    assert.doesNotMatch(await row.innerText(), /未结对/);

    // One edit by hand: the household also lives alone (the form reads its page first, at its version).
    await row.getByRole('button', { name: '编辑帮扶户 NEW-1' }).click();
    const dialog = page.getByRole('dialog', { name: '编辑帮扶户 NEW-1' });
    await dialog.getByLabel('联系电话（仅结对干部和本区协调员可见）').waitFor();
    assert.equal(await dialog.getByLabel('联系电话（仅结对干部和本区协调员可见）').inputValue(), '13912345678');
    const difficulties = dialog.getByLabel('困难类型');
    await difficulties.click();
    await difficulties.fill('独居老人');
    await difficulties.press('Enter');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row.getByText('独居老人').waitFor();

    await page.getByRole('tab', { name: '走访覆盖' }).click();
    await page.getByTestId('coverage-summary').waitFor();
    await page.getByText('走访滞后的干部').waitFor();
  });

  test('the cadre, on a phone, logs a visit whose need becomes a case shown on the household page', async () => {
    const phone = await harness.openPage(PHONE);
    await logIn(phone, 'cadre');
    await phone.goto('/my-households');
    await phone.getByRole('heading', { level: 1, name: '我的帮扶户' }).waitFor();
    const first = phone.getByRole('table').getByRole('link').first();
    await first.waitFor();
    await first.click();
    const facts = phone.getByTestId('household-facts');
    await facts.getByText('联系电话').waitFor();
    assert.match(await facts.innerText(), /1\d{10}/);

    await phone.getByRole('button', { name: '记录走访' }).click();
    await phone.getByRole('heading', { level: 1, name: '记录走访' }).waitFor();
    await phone.getByLabel('见到的人').fill('户主本人');
    await phone.getByLabel('家庭情况').fill('血压偏高，独自在家，行动不便。');
    await phone.getByRole('button', { name: '发现需求' }).click();
    await phone.getByLabel('需求说明').fill('需要家庭医生上门随访');
    await phone.locator('#visit-photos').setInputFiles({ name: 'door.png', mimeType: 'image/png', buffer: tinyPng() });
    assert.deepEqual(await seriousViolations(phone), []);
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `the visit form fits the phone (${width}px)`);
    await phone.getByRole('button', { name: '保存走访' }).click();
    const saved = phone.getByTestId('visit-saved');
    await saved.waitFor();
    const caseNumber = /：(\S+)/.exec(await saved.innerText())?.[1];
    assert.ok(caseNumber, await saved.innerText());

    await phone.getByRole('link', { name: '返回帮扶户' }).click();
    await phone.getByText(caseNumber).waitFor();
    await phone.getByTestId('need-case-state').first().waitFor();
    await phone.getByText('血压偏高，独自在家，行动不便。').waitFor();
  });

  test('the cadre\'s bell holds the weekly reminder (counts only) and opens 我的帮扶户', async () => {
    const page = await harness.openPage(PHONE);
    await logIn(page, 'cadre');
    const drawer = page.getByRole('dialog', { name: '通知' });
    const reminder = drawer.getByRole('link', { name: /^结对帮扶提醒：\d+ 户待走访$/ });
    let found = false;
    // The reminder job runs when the server starts; the bell reads on opening.
    for (let attempt = 0; attempt < 30 && !found; attempt += 1) {
      await page.goto('/');
      await page.getByTestId('notification-bell').click();
      await drawer.waitFor();
      found = (await reminder.count()) > 0;
      if (!found) await page.waitForTimeout(1_000);
    }
    assert.ok(found, 'the cadre was reminded');
    const text = await drawer.locator('.notification-item').filter({ hasText: '结对帮扶提醒' }).first().innerText();
    assert.match(text, /超过 2 天未走访/);
    assert.doesNotMatch(text, /1\d{10}/, 'no phone number');
    await reminder.click();
    await page.waitForURL((url) => url.pathname === '/my-households');
    await page.getByRole('heading', { level: 1, name: '我的帮扶户' }).waitFor();
  });
});
