// What every browser test file shares: the built app served by a real server on a fresh embedded
// database with the demo city, Debian's Chromium driven by playwright-core, and axe-core. Node-only,
// so web/tsconfig.json leaves this folder out of the app's typecheck.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../server/main.ts';

const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const distDir = path.resolve(import.meta.dirname, '../../dist/web');
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Why a browser suite cannot run here (pass it as `describe`'s `skip`), or false. */
export const browserSkip: string | false = !fs.existsSync(chromiumPath)
  ? `no Chromium at ${chromiumPath}`
  : !fs.existsSync(path.join(distDir, 'index.html'))
    ? 'the web app is not built (npx vite build)'
    : false;

/** A desktop window. */
export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 } };

/** A phone held upright (about an iPhone 14): touch, mobile viewport rules, a narrow screen. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

/** A running app and browser; `stop` ends both and removes the database. */
export interface BrowserHarness {
  readonly server: RunningServer;
  /** A fresh browser context (own cookies and localStorage) on the app. */
  openPage(device?: BrowserContextOptions): Promise<Page>;
  stop(): Promise<void>;
}

/**
 * Starts the server (port 0, a temporary DATA_DIR, the already built web app) and Chromium.
 * `env` adds to the server's environment.
 *
 * @example
 *   let harness: BrowserHarness;
 *   before(async () => (harness = await startBrowserHarness()));
 *   after(() => harness?.stop());
 */
export async function startBrowserHarness(env: Record<string, string> = {}): Promise<BrowserHarness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minxin-browser-'));
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    server = await startServer(
      {
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        WEB_DIST_DIR: distDir,
        LOG_LEVEL: 'warn',
        // Every suite logs in many times from one address; the limit itself is tested over HTTP.
        LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
        // The suites take uncategorised messages through triage by hand, whatever the classifier would say.
        CLASSIFIER_MIN_CONFIDENCE: '1',
        // A small pairing registry (5 % of the seed scale) keeps each suite's demo city quick to load.
        DEMO_PAIRING_PERCENT: '5',
        ...env,
      },
      { buildWeb: false },
    );
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const running = { server, browser };
  return {
    server: running.server,
    async openPage(device = DESKTOP) {
      const context = await running.browser.newContext({ ...device, baseURL: running.server.url, bypassCSP: true });
      return context.newPage();
    },
    stop,
  };
}

/** The demo password of a demo login (`handler-3` → `Minxin-handler-2026`). */
export const demoPassword = (username: string): string => `Minxin-${username.split('-')[0]}-2026`;

/** Logs in through the (Chinese) login page and waits for the home page. */
export async function logIn(page: Page, username: string, password = demoPassword(username)): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((url) => url.pathname === '/');
}

/** Serious and critical axe-core violations once the page has settled, one line per rule. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.waitForLoadState('networkidle');
  await page.locator('h1').first().waitFor();
  // A modal or drawer still fading in has washed-out colours; judge contrast once motion has settled.
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((animation) => animation.effect?.getComputedTiming().endTime !== Infinity)
        .map((animation) => animation.finished.catch(() => undefined)),
    ),
  );
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            context: Document,
          ) => Promise<{ violations: { id: string; impact: string; nodes: { html: string }[] }[] }>;
        };
      }
    ).axe;
    return (await axe.run(document)).violations;
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.html).join(' | ')}`);
}
