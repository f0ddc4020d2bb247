// Photos on a message in a real browser: a citizen on a phone attaches photos to a message (a text file is
// refused before anything is sent, a PDF dressed as a PNG is refused by the server, one photo is removed again),
// the housing bureau's handler sees the photo on the case page and enlarges it, and the citizen sees it on the
// track page. Runs the built app (`vite build`) on a fresh demo city in Chromium.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PHONE, browserSkip, logIn, seriousViolations, startBrowserHarness, type BrowserHarness } from '../../test/browser.ts';
import { tinyPng } from '../../../test/images.ts';

let harness: BrowserHarness;

describe('message photos in the browser', { skip: browserSkip }, () => {
  before(async () => {
    harness = await startBrowserHarness();
  });

  after(async () => {
    await harness?.stop();
  });

  test('attach on a phone → the handler sees and enlarges it → the requester sees it by tracking code', async () => {
    const citizen = await harness.openPage(PHONE);
    await citizen.goto('/submit');
    await citizen.getByRole('heading', { level: 1, name: '提交诉求' }).waitFor();
    await citizen.getByLabel('标题').fill('人行道地砖松动');
    await citizen.getByLabel('诉求内容').fill('小区门口人行道地砖松动，老人容易绊倒，附现场照片。');
    // 城乡建设 has a routing rule in the demo city: the case goes straight to the housing bureau.
    await citizen.getByLabel('分类').click();
    await citizen.locator('.ant-cascader-menu-item', { hasText: /^城乡建设$/ }).first().click();
    await citizen.keyboard.press('Escape');

    const input = citizen.locator('#message-photos');
    // Refused in the browser: not an image type the picker takes.
    await input.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo') });
    await citizen.getByText('“notes.txt”不是 JPEG、PNG 或 WebP 图片。').waitFor();
    // Refused by the server: the bytes are a PDF, whatever the name and type say.
    await input.setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('%PDF-1.7\n1 0 obj') });
    await citizen.locator('[data-testid="picked-photo"][data-status="error"]', { hasText: 'fake.png' }).waitFor();
    await citizen.getByRole('button', { name: '删除照片 notes.txt' }).tap();
    await citizen.getByRole('button', { name: '删除照片 fake.png' }).tap();
    // Two real photos uploaded while the citizen writes; one is removed again.
    await input.setInputFiles([
      { name: 'street.png', mimeType: 'image/png', buffer: tinyPng(40, 30, [200, 60, 40]) },
      { name: 'spare.png', mimeType: 'image/png', buffer: tinyPng(20, 20, [40, 60, 200]) },
    ]);
    await citizen.locator('[data-testid="picked-photo"][data-status="done"]').nth(1).waitFor();
    await citizen.getByRole('button', { name: '删除照片 spare.png' }).tap();
    assert.equal(await citizen.locator('[data-testid="picked-photo"]').count(), 1);
    assert.deepEqual(await seriousViolations(citizen), []);
    assert.equal(
      await citizen.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth),
      false,
      'the picker fits the phone',
    );

    await citizen.getByRole('button', { name: '提交' }).tap();
    const codeText = citizen.getByTestId('tracking-code');
    await codeText.waitFor();
    const code = ((await codeText.textContent()) ?? '').trim();
    const number = /诉求编号：(\S+)/.exec((await citizen.getByText(/诉求编号：/).textContent()) ?? '')?.[1];
    assert.ok(number);

    const handler = await harness.openPage();
    await logIn(handler, 'handler');
    await handler.goto('/cases');
    await handler.getByRole('link', { name: number }).click();
    await handler.waitForURL(/\/cases\/\d+$/);
    const thumbnail = handler.getByRole('img', { name: '第 1 张照片' }).first();
    await thumbnail.waitFor();
    await handler.waitForFunction(() => {
      const image = document.querySelector<HTMLImageElement>('[data-testid="photo-gallery"] img');
      return image !== null && image.complete && image.naturalWidth === 40;
    });
    assert.equal(await handler.locator('[data-testid="photo-gallery"] img').count(), 1, 'the removed photo was not sent');
    assert.deepEqual(await seriousViolations(handler), []);
    await thumbnail.click();
    await handler.locator('.ant-image-preview').first().waitFor();

    await citizen.goto(`/track/${code}`);
    await citizen.getByRole('heading', { level: 2, name: '照片' }).waitFor();
    await citizen.waitForFunction(() => {
      const image = document.querySelector<HTMLImageElement>('[data-testid="photo-gallery"] img');
      return image !== null && image.complete && image.naturalWidth === 40;
    });
    for (const page of [citizen, handler]) await page.context().close();
  });
});
