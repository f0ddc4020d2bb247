// Citizen self-registration in a real browser, on a phone: the form, its accessibility, landing signed
// in on the home page, a taken username, answers the server may give (422, 429), and markup typed into
// the username or display name. Runs the built app (`vite build`) in Debian's Chromium.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { PHONE, browserSkip, seriousViolations, startBrowserHarness, type BrowserHarness } from '../../test/browser.ts';

let harness: BrowserHarness;

const PASSWORD = 'Citizen-pass-2026';

interface Registration {
  username: string;
  displayName: string;
  phone?: string;
  email?: string;
}

/** Fills the registration form (in Chinese) and taps the submit button. */
async function register(page: Page, { username, displayName, phone, email }: Registration): Promise<void> {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('称呼').fill(displayName);
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
  await page.getByLabel('确认密码').fill(PASSWORD);
  if (phone) await page.getByLabel('电话').fill(phone);
  if (email) await page.getByLabel('邮箱').fill(email);
  await page.getByRole('button', { name: '注册并登录' }).tap();
}

/** Whether the page is wider than the phone's screen (a sideways scroll nobody wants). */
const overflowsSideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

/** Counts the registration requests the page sends. */
function countRegistrations(page: Page): { count: number } {
  const sent = { count: 0 };
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/v1/citizens') sent.count += 1;
  });
  return sent;
}

describe('citizen registration in the browser', { skip: browserSkip }, () => {
  before(async () => {
    harness = await startBrowserHarness();
  });

  after(async () => {
    await harness?.stop();
  });

  test('on a phone a citizen registers from the login page and lands on home, signed in', async () => {
    const page = await harness.openPage(PHONE);
    await page.goto('/login');
    await page.getByRole('link', { name: '注册市民账号' }).tap();
    await page.getByRole('heading', { level: 1, name: '注册市民账号' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/register');
    await page.getByText('电话和邮箱不会公开，只有办理您留言的市政工作人员才能看到。').waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    assert.equal(await overflowsSideways(page), false);

    // An empty form is refused in the browser, next to each required field, and stays accessible.
    const sent = countRegistrations(page);
    await page.getByRole('button', { name: '注册并登录' }).tap();
    await page.getByText('必填').first().waitFor();
    assert.equal(await page.getByText('必填').count(), 4);
    assert.equal(sent.count, 0);
    assert.deepEqual(await seriousViolations(page), []);

    await register(page, {
      username: 'Wang-Fang',
      displayName: '王女士',
      phone: '138 0013 8000',
      email: 'wang@example.cn',
    });
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('heading', { level: 1, name: '欢迎，王女士' }).waitFor();
    assert.equal(await page.getByTestId('current-user').textContent(), '王女士');
    await page.getByText('wang-fang', { exact: true }).waitFor();
    await page.getByRole('link', { name: '提交意见建议和投诉' }).waitFor();
    assert.equal(sent.count, 1);
    assert.equal(await overflowsSideways(page), false);
    assert.deepEqual(await seriousViolations(page), []);

    // The session cookie was set: a reload stays signed in, and /register sends a signed-in citizen home.
    await page.goto('/register');
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('heading', { level: 1, name: '欢迎，王女士' }).waitFor();
    await page.context().close();
  });

  test('the registration page passes axe in English', async () => {
    const page = await harness.openPage(PHONE);
    await page.addInitScript(() => localStorage.setItem('minxin.lang', 'en'));
    await page.goto('/register');
    await page.getByRole('heading', { level: 1, name: 'Register as a citizen' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.deepEqual(await seriousViolations(page), []);
    await page.context().close();
  });

  test('a taken username is shown next to the username field', async () => {
    const page = await harness.openPage(PHONE);
    await page.goto('/register');
    // The demo city has a citizen called "citizen"; usernames are compared in lower case.
    await register(page, { username: 'Citizen', displayName: '另一位市民' });
    await page.getByText('该用户名已被使用，请换一个').waitFor();
    assert.equal(new URL(page.url()).pathname, '/register');
    assert.equal(await page.getByLabel('用户名').getAttribute('aria-invalid'), 'true');
    await page.context().close();
  });

  test('markup is refused as a username and shown as plain text as a display name', async () => {
    const page = await harness.openPage(PHONE);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const sent = countRegistrations(page);
    await page.goto('/register');

    const markup = '<img src=x onerror=alert(1)>';
    await register(page, { username: '<script>alert(1)</script>', displayName: markup });
    await page.getByText('3–40 个小写字母、数字或 . _ -，以字母或数字开头').waitFor();
    assert.equal(sent.count, 0, 'the browser refuses the username before asking the server');

    await page.getByLabel('用户名').fill('markup-citizen');
    await page.getByRole('button', { name: '注册并登录' }).tap();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('heading', { level: 1, name: `欢迎，${markup}` }).waitFor();
    await page.waitForLoadState('networkidle');
    const header = page.getByTestId('current-user');
    assert.equal(await header.textContent(), markup);
    assert.equal(await header.isVisible(), true);
    assert.equal(await page.locator('img[src="x"]').count(), 0);
    assert.deepEqual(dialogs, []);
    await page.context().close();
  });

  test('field errors from the server sit next to their fields; a rate limit is explained', async () => {
    const page = await harness.openPage(PHONE);
    await page.goto('/register');
    const answers = [
      {
        status: 422,
        body: {
          type: 'https://minxin.dev/problems/validation-failed',
          title: 'Unprocessable Content',
          status: 422,
          detail: 'The request is not valid: body.phone: not a phone number',
          code: 'validation_failed',
          errors: [{ path: 'body.phone', message: 'not a phone number' }],
        },
      },
      {
        status: 429,
        body: {
          type: 'https://minxin.dev/problems/rate-limited',
          title: 'Too Many Requests',
          status: 429,
          detail: 'Too many requests; slow down and try again shortly',
          code: 'rate_limited',
        },
      },
    ];
    await page.route('**/api/v1/citizens', (route) => {
      const answer = answers.shift()!;
      return route.fulfill({
        status: answer.status,
        contentType: 'application/problem+json',
        body: JSON.stringify(answer.body),
      });
    });

    await register(page, { username: 'routed-citizen', displayName: '市民', phone: '0532 1234' });
    await page.getByText('not a phone number').waitFor();
    assert.equal(await page.getByLabel('电话').getAttribute('aria-invalid'), 'true');

    await page.getByLabel('电话').fill('0532 12345');
    await page.getByRole('button', { name: '注册并登录' }).tap();
    await page.getByRole('alert').filter({ hasText: '操作过于频繁，请稍后再试' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/register');
    await page.context().close();
  });
});
