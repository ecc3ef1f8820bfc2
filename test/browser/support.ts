/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig } from '../../app/config.js';
import { startApp, type RunningApp } from '../../app/runtime.js';
import { dynamoLocal, uniquePrefix } from '../support/dynamo.js';
import { SettableDrState, TEST_SCRYPT } from '../support/fixture.js';

export const RESULTS_DIR = 'test-results';

/** Debian's Chromium (`command -v chromium`), with the flags the team agreed on for headless runs. */
export function launchChromium(): Promise<Browser> {
  const executablePath = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
}

export interface BrowserApp {
  readonly url: string;
  readonly app: RunningApp;
  readonly dr: SettableDrState;
  /** TABLE_PREFIX of its tables, so a second region can be started over the same (global-table stand-in) tables. */
  readonly tablePrefix: string;
  stop(): Promise<void>;
}

/**
 * The whole app as `npm start` runs it (both roles over HTTP, real clock) on DynamoDB Local with fresh tables and
 * the demo catalog. `env` overrides configuration (e.g. a short HOLD_SECONDS for the countdown test).
 */
export async function startBrowserApp(
  name: string,
  env: Record<string, string> = {},
  dr: SettableDrState = new SettableDrState(),
): Promise<BrowserApp> {
  const local = await dynamoLocal();
  const config = loadConfig({
    HOST: '127.0.0.1',
    WEB_PORT: '0',
    API_PORT: '0',
    TABLE_PREFIX: uniquePrefix(name),
    DYNAMODB_MODE: 'external',
    BOOTSTRAP_TABLES: 'true',
    DR_STATE_CACHE_SECONDS: '0',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const app = await startApp(config, {
    dynamoEndpoint: local.endpoint,
    drState: dr,
    scrypt: TEST_SCRYPT,
    log: () => {},
  });
  return { url: app.webUrl!, app, dr, tablePrefix: config.dynamodb.tablePrefix, stop: () => app.stop() };
}

/** What a browser suite runs against: one Chromium and one app, started before its tests and stopped after them. */
export interface BrowserSuite {
  readonly browser: Browser;
  readonly app: BrowserApp;
}

/**
 * Registers the `before`/`after` hooks that start Chromium and `startBrowserApp(name, env)` side by side and stop
 * both; call it inside a `describe`. The fields are set once `before` has run.
 */
export function useBrowserSuite(name: string, env: Record<string, string> = {}): BrowserSuite {
  const suite = {} as { browser: Browser; app: BrowserApp };
  before(async () => {
    [suite.browser, suite.app] = await Promise.all([launchChromium(), startBrowserApp(name, env)]);
  });
  after(async () => {
    await suite.browser?.close();
    await suite.app?.stop();
  });
  return suite;
}

/** The standby region (Tokyo) over the same tables and DR state as `primary`: what serves after a failover. */
export function startStandbyApp(primary: BrowserApp): Promise<BrowserApp> {
  return startBrowserApp(
    'standby',
    { AWS_REGION: 'ap-northeast-1', TABLE_PREFIX: primary.tablePrefix, BOOTSTRAP_TABLES: 'false' },
    primary.dr,
  );
}

/** A page that records console errors and uncaught exceptions, so a test can assert there were none. */
export async function watchedPage(context: BrowserContext): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return { page, errors };
}

/** Full-page screenshot under test-results/ (gitignored), for people to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: `${RESULTS_DIR}/${name}.png`, fullPage: true });
}

/** Whether the page scrolls sideways (it must not, at any width). */
export function hasHorizontalScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}

let users = 0;
/** Signs up through the page's own form; returns the email. */
export async function signUpInBrowser(page: Page, base: string, name = 'browser'): Promise<string> {
  const email = `${name}-${++users}-${process.pid}-${Date.now()}@example.com`;
  await page.goto(`${base}/signup`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', 'correct horse battery');
  await page.fill('input[name="displayName"]', name);
  await Promise.all([page.waitForURL(`${base}/`), page.click('form[action="/signup"] button[type="submit"]')]);
  return email;
}

/** The first bookable slot of a performance, read from its detail page. */
export async function firstSlotUrl(page: Page, base: string, performanceId: string): Promise<string> {
  await page.goto(`${base}/performances/${performanceId}`);
  const href = await page.locator('.slots a.button').first().getAttribute('href');
  return `${base}${href}`;
}

let contexts = 0;
/**
 * A browser context that is its own person: its own cookies and its own address (sent as X-Forwarded-For, which the
 * web tier trusts from the loopback proxy), so the API's per-IP sign-up limit sees different people.
 */
export function newPerson(browser: Browser, width = 1280, height = 900): Promise<BrowserContext> {
  contexts++;
  return browser.newContext({
    viewport: { width, height },
    extraHTTPHeaders: { 'x-forwarded-for': `203.0.113.${contexts % 250}` },
  });
}
