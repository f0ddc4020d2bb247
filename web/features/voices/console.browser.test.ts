// The handler inbox and the coordinator console in a real browser: three anonymous messages land in triage;
// the coordinator dispatches two at once (bulk), the housing bureau's handler accepts both at once and
// downloads the deadline export; the handler returns one, the coordinator arbitrates it back with a reason;
// the handler asks to transfer the other, the coordinator approves; the third is merged into the first by
// its case number. axe checks the triage queue and the inbox with selected rows and results. Runs the built
// app (`vite build`) on a fresh demo city in Chromium.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { browserSkip, logIn, seriousViolations, startBrowserHarness, type BrowserHarness } from '../../test/browser.ts';

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

/** Picks `name` in the department select labelled `label` inside `scope`. */
async function pickDepartment(page: Page, scope: ReturnType<Page['getByRole']>, label: string, name: string) {
  await scope.getByLabel(label).fill(name);
  await page.locator('.ant-select-item-option', { hasText: new RegExp(`^${name}$`) }).click();
}

/** Narrows a list to this run's messages by searching their common title word. */
async function search(page: Page, word: string) {
  await page.getByRole('searchbox', { name: '搜索标题或编号' }).fill(word);
  await page
    .getByRole('button', { name: '搜 索' })
    .or(page.getByRole('button', { name: '搜索' }))
    .first()
    .click();
}

describe('the handler inbox and the coordinator console in the browser', { skip: browserSkip }, () => {
  before(async () => {
    harness = await startBrowserHarness();
  });

  after(async () => {
    await harness?.stop();
  });

  test('bulk dispatch and accept, export, arbitration, transfer approval and merge by number', async () => {
    const word = `批量${randomBytes(3).toString('hex')}`;
    const receipts: { caseId: number; caseNumber: string }[] = [];
    for (const n of [1, 2, 3]) {
      const response = await fetch(`${harness.server.url}/api/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          title: `${word} 楼道灯坏了 ${n}`,
          description: '楼道灯坏了一个月，晚上很黑。',
          kind: 'request_for_help',
        }),
      });
      assert.equal(response.status, 201, await response.clone().text());
      receipts.push((await response.json()) as { caseId: number; caseNumber: string });
    }
    const [first, second, third] = receipts as [(typeof receipts)[0], (typeof receipts)[0], (typeof receipts)[0]];

    // The coordinator dispatches the first two from triage in one go.
    const coordinator = await harness.openPage();
    await logIn(coordinator, 'coordinator');
    await coordinator.getByRole('menuitem', { name: '待分派' }).click();
    await search(coordinator, word);
    for (const receipt of receipts) await coordinator.getByRole('link', { name: receipt.caseNumber }).waitFor();
    await coordinator.getByRole('checkbox', { name: first.caseNumber }).check();
    await coordinator.getByRole('checkbox', { name: second.caseNumber }).check();
    await coordinator.getByText('已选 2 件').first().waitFor();
    assert.deepEqual(await seriousViolations(coordinator), []);
    await coordinator.getByRole('button', { name: '批量派单' }).click();
    const dispatchDialog = coordinator.getByRole('dialog');
    await pickDepartment(coordinator, dispatchDialog, '主办单位', '青岛市住房和城乡建设局');
    await dispatchDialog.getByRole('button', { name: '批量派单' }).click();
    await dispatchDialog.waitFor({ state: 'hidden' });
    await coordinator.getByText('批量处理结果: 成功 2 件，未成功 0 件').waitFor();
    assert.deepEqual(await seriousViolations(coordinator), []);

    // The housing bureau's handler accepts both at once and downloads the export of the inbox.
    const handler = await harness.openPage();
    await logIn(handler, 'handler');
    await handler.goto('/cases');
    await search(handler, word);
    await handler.getByRole('link', { name: first.caseNumber }).waitFor();
    await handler.getByRole('checkbox', { name: first.caseNumber }).check();
    await handler.getByRole('checkbox', { name: second.caseNumber }).check();
    await handler.getByRole('button', { name: '批量签收' }).click();
    await handler.getByText('批量处理结果: 成功 2 件，未成功 0 件').waitFor();
    await handler.locator('[data-state="in_progress"]').nth(1).waitFor();
    assert.deepEqual(await seriousViolations(handler), []);
    const exportLink = handler.getByRole('link', { name: '导出时限表（CSV）' });
    const href = (await exportLink.getAttribute('href')) ?? '';
    assert.ok(href.startsWith('/api/v1/cases/export.csv?'), href);
    assert.ok(href.includes(`q=${encodeURIComponent(word)}`), 'the export takes the list’s filters');
    const csv = await handler.request.get(href);
    assert.equal(csv.status(), 200);
    const bytes = await csv.body();
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    assert.ok(text.includes(first.caseNumber) && text.includes(second.caseNumber) && !text.includes(third.caseNumber));
    assert.match(
      String(csv.headers()['content-disposition']),
      /^attachment; filename="cases-.+\.csv"; filename\*=UTF-8''/,
    );

    // The handler returns the first; the coordinator arbitrates: housing is responsible.
    await handler.goto(`/cases/${first.caseId}`);
    await waitForState(handler, 'in_progress');
    await act(handler, '退回', async (dialog) => {
      await dialog.getByLabel('理由').fill('楼道照明归物业管理，不属本单位职责。');
    });
    await coordinator.goto(`/cases/${first.caseId}`);
    await waitForState(coordinator, 'returned');
    await act(coordinator, '仲裁', async (dialog) => {
      await pickDepartment(coordinator, dialog, '主办单位', '青岛市住房和城乡建设局');
      await dialog.getByLabel('理由').fill('物业监管属住建部门职责，由住建局督促物业维修。');
    });
    await waitForState(coordinator, 'dispatched');
    await coordinator.getByText('物业监管属住建部门职责，由住建局督促物业维修。').waitFor();
    await handler.goto(`/cases/${first.caseId}`);
    await waitForState(handler, 'dispatched');
    assert.equal(
      await handler.getByRole('button', { name: '退回', exact: true }).count(),
      0,
      'the ruled department cannot return it',
    );

    // The handler asks to transfer the second; the coordinator approves.
    await handler.goto(`/cases/${second.caseId}`);
    await waitForState(handler, 'in_progress');
    await act(handler, '申请转办', async (dialog) => {
      await pickDepartment(handler, dialog, '转至部门', '青岛市交通运输局');
      await dialog.getByLabel('理由').fill('涉及公交站台照明，属交通部门。');
    });
    await waitForState(handler, 'transfer_requested');
    await coordinator.goto(`/cases/${second.caseId}`);
    await waitForState(coordinator, 'transfer_requested');
    await act(coordinator, '同意转办');
    await waitForState(coordinator, 'dispatched');

    // The third joins the first: the coordinator names the survivor by its case number.
    await coordinator.goto(`/cases/${third.caseId}`);
    await waitForState(coordinator, 'accepted');
    await coordinator.getByRole('button', { name: '并案', exact: true }).click();
    const mergeDialog = coordinator.getByRole('dialog');
    await mergeDialog.getByLabel('并入诉求件编号（如 2026-000123）').fill('1999-000001');
    await mergeDialog.getByRole('button', { name: '并案', exact: true }).click();
    await mergeDialog.getByText('没有编号为 1999-000001 的诉求件').waitFor();
    await mergeDialog.getByLabel('并入诉求件编号（如 2026-000123）').fill(first.caseNumber);
    await mergeDialog.getByRole('button', { name: '并案', exact: true }).click();
    await mergeDialog.waitFor({ state: 'hidden' });
    await waitForState(coordinator, 'merged');
    await coordinator.goto(`/cases/${first.caseId}`);
    await coordinator.getByText('诉求人数').waitFor();

    // The overdue board offers the export and bulk urging.
    await coordinator.goto('/overdue');
    await coordinator.getByRole('heading', { level: 1, name: '超期督办' }).waitFor();
    await coordinator.getByRole('link', { name: '导出时限表（CSV）' }).waitFor();
    await coordinator.getByRole('button', { name: '批量督办' }).waitFor();
    assert.deepEqual(await seriousViolations(coordinator), []);

    for (const page of [coordinator, handler]) await page.context().close();
  });
});
