// Understanding messages in a real browser: a citizen reports the same broken street lamp twice; the
// classifier's suggestion shows on the case page; the near-duplicate indexer (every second here) proposes
// joining the second case into the first; the coordinator confirms it on 并案建议, and the proposal is
// listed as confirmed. The coordinator also opens 热点问题 over the demo city's messages. axe checks both
// coordinator pages.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { browserSkip, logIn, seriousViolations, startBrowserHarness, type BrowserHarness } from '../../test/browser.ts';

let harness: BrowserHarness;

/** Submits a message as the logged-in citizen and returns its case number. */
async function submit(citizen: Page, title: string, body: string): Promise<string> {
  await citizen.goto('/submit');
  await citizen.getByRole('heading', { level: 1, name: '提交诉求' }).waitFor();
  await citizen.getByLabel('标题').fill(title);
  await citizen.getByLabel('诉求内容').fill(body);
  await citizen.locator('label', { hasText: /^投诉$/ }).click();
  await citizen.getByRole('button', { name: '提交', exact: true }).click();
  const numberText = citizen.getByText(/诉求编号：/);
  await numberText.waitFor();
  const number = /诉求编号：(\S+)/.exec((await numberText.textContent()) ?? '')?.[1];
  assert.ok(number, 'the confirmation names the case number');
  return number;
}

describe('understanding messages in the browser', { skip: browserSkip }, () => {
  before(async () => {
    harness = await startBrowserHarness({ NEAR_DUPLICATE_INTERVAL_SECONDS: '1' });
  });

  after(async () => {
    await harness?.stop();
  });

  test('a coordinator sees the suggested category, confirms a proposed join and opens the hot issues', async () => {
    const citizen = await harness.openPage();
    await logIn(citizen, 'citizen');
    const first = await submit(
      citizen,
      '市南区金湖路8号金湖花园小区门口路灯坏了',
      '金湖花园小区门口的三盏路灯已经坏了两个星期，晚上一片漆黑，老人孩子出行很不安全，请尽快维修。',
    );
    const second = await submit(
      citizen,
      '金湖花园小区门口路灯不亮',
      '市南区金湖路8号金湖花园小区门口的路灯坏了两周了，晚上漆黑一片，出行很不安全，希望尽快修好路灯。',
    );

    const coordinator = await harness.openPage();
    await logIn(coordinator, 'coordinator');
    await coordinator.goto('/triage');
    await coordinator.getByRole('link', { name: first }).click();
    await coordinator.waitForURL(/\/cases\/\d+$/);
    const suggestion = coordinator.getByTestId('message-suggestion').first();
    await suggestion.waitFor();
    assert.match((await suggestion.textContent()) ?? '', /城乡建设|环境保护|交通运输/);

    // The indexer runs every second; the proposal appears once it has read both messages.
    await coordinator.goto('/join-proposals');
    await coordinator.getByRole('heading', { level: 1, name: '并案建议' }).waitFor();
    const proposal = coordinator.locator('[data-testid^="join-proposal-"]', { hasText: second }).filter({ hasText: first });
    for (let attempt = 0; attempt < 30 && (await proposal.count()) === 0; attempt++) {
      await coordinator.waitForTimeout(1000);
      await coordinator.reload();
      await coordinator.getByRole('heading', { level: 1, name: '并案建议' }).waitFor();
    }
    await proposal.first().waitFor({ timeout: 5_000 });
    assert.deepEqual(await seriousViolations(coordinator), []);
    await proposal.first().getByRole('button', { name: '确认并案' }).click();
    await coordinator.locator('.ant-popconfirm').getByRole('button', { name: '确认并案' }).click();
    await proposal.first().waitFor({ state: 'detached' });

    await coordinator.getByLabel('状态').click();
    await coordinator.locator('.ant-select-item-option', { hasText: /^已并案$/ }).click();
    await coordinator.locator('[data-testid^="join-proposal-"]', { hasText: second }).first().waitFor();

    await coordinator.goto('/hot-issues');
    await coordinator.getByRole('heading', { level: 1, name: '热点问题' }).waitFor();
    await coordinator.getByTestId('hot-summary').waitFor({ timeout: 30_000 });
    await coordinator.locator('.ant-table-row').first().waitFor({ timeout: 30_000 });
    assert.deepEqual(await seriousViolations(coordinator), []);
  });
});
