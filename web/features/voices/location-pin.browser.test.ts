// The location pin in a real browser: a citizen on a phone lets the page use their position, sees the pin,
// clears it and takes it again, submits; the handler sees the point on the case page, while Open311's public
// list shows it only to three decimals. A citizen who refuses the permission is told so and can still submit.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PHONE, browserSkip, logIn, seriousViolations, startBrowserHarness, type BrowserHarness } from '../../test/browser.ts';

let harness: BrowserHarness;

// A point in 市南区, 青岛 (WGS 84), inside the demo city's 200 km radius.
const HERE = { latitude: 36.0662345, longitude: 120.3826789, accuracy: 12 };

describe('the location pin in the browser', { skip: browserSkip }, () => {
  before(async () => {
    harness = await startBrowserHarness();
  });

  after(async () => {
    await harness?.stop();
  });

  test('use my location on a phone → submit → the handler sees the point', async () => {
    const citizen = await harness.openPage({ ...PHONE, geolocation: HERE, permissions: ['geolocation'] });
    await citizen.goto('/submit');
    await citizen.getByRole('heading', { level: 1, name: '提交诉求' }).waitFor();
    await citizen.getByLabel('标题').fill('路口井盖缺失');
    await citizen.getByLabel('诉求内容').fill('路口的井盖不见了，晚上很危险，位置见定位。');
    await citizen.getByLabel('分类').click();
    await citizen.locator('.ant-cascader-menu-item', { hasText: /^城乡建设$/ }).first().click();
    await citizen.keyboard.press('Escape');

    await citizen.getByRole('button', { name: '使用我当前的位置' }).tap();
    const pin = citizen.getByTestId('location-pin-value');
    await pin.waitFor();
    assert.match((await pin.textContent()) ?? '', /北纬 36\.06623，东经 120\.38268（精度约 12 米）/);
    await citizen.getByRole('button', { name: '清除位置' }).tap();
    await citizen.getByRole('button', { name: '使用我当前的位置' }).tap();
    await pin.waitFor();
    assert.deepEqual(await seriousViolations(citizen), []);

    await citizen.getByRole('button', { name: '提交' }).tap();
    await citizen.getByTestId('tracking-code').waitFor();
    const number = /诉求编号：(\S+)/.exec((await citizen.getByText(/诉求编号：/).textContent()) ?? '')?.[1];
    assert.ok(number);

    const handler = await harness.openPage();
    await logIn(handler, 'handler');
    await handler.goto('/cases');
    // Searched by its number, so the case is found whatever else the demo city's handler has in the list.
    await handler.getByRole('searchbox', { name: '搜索标题或编号' }).fill(number);
    await handler.getByRole('searchbox', { name: '搜索标题或编号' }).press('Enter');
    await handler.getByRole('link', { name: number }).click();
    await handler.waitForURL(/\/cases\/\d+$/);
    const point = handler.getByTestId('message-pin');
    await point.waitFor();
    assert.match((await point.textContent()) ?? '', /36\.06623.*120\.38268/);
    await handler.getByText('网页').first().waitFor();

    const response = await fetch(new URL(`/open311/v2/requests/${number}.json`, harness.server.url));
    const [request] = (await response.json()) as { lat: number; long: number }[];
    assert.deepEqual([request!.lat, request!.long], [36.066, 120.383]);
  });

  test('a refused permission is explained and the form still submits without a pin', async () => {
    const citizen = await harness.openPage({ ...PHONE, permissions: [] });
    await citizen.goto('/submit');
    await citizen.getByLabel('标题').fill('公交站牌破损');
    await citizen.getByLabel('诉求内容').fill('站牌玻璃碎了，边缘锋利。');
    await citizen.getByRole('button', { name: '使用我当前的位置' }).tap();
    await citizen.getByText('未获得定位权限，可在浏览器设置中允许，或只填写地址。').waitFor();
    await citizen.getByRole('button', { name: '提交' }).tap();
    await citizen.getByTestId('tracking-code').waitFor();
  });
});
