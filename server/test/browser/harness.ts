/**
 * Browser test harness: Debian's chromium driven by playwright-core against a real app (HTTP +
 * WebSocket on a free port, fresh database) serving the built web app.
 *
 *   const browserIt = it.skipIf(!hasChromium);
 *   beforeAll(async () => { web = await startWebApp(); browser = await launchBrowser(); });
 *   const page = await newPage(browser, web);
 *   await loginInBrowser(page, await makeUser(web.deps, 'dispatcher'));
 *   await screenshot(page, 'dispatch-board');
 *   expect(await seriousAxeViolations(page)).toEqual([]);
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { BuildAppOptions } from '../../src/app.js';
import { buildTestApp, type TestApp } from '../build-app.js';
import { type TestUser, totpCode } from '../factories.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';
/** Browser tests run only where Debian's chromium is installed (CI installs it): `it.skipIf(!hasChromium)`. */
export const hasChromium = existsSync(CHROMIUM_PATH);

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** CI output folder kept for review. */
export const SCREENSHOT_DIR = path.join(repoRoot, 'ci-output', 'screenshots');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // WebGL (MapLibre) through the software rasteriser, since the GPU is disabled.
  '--enable-unsafe-swiftshader',
];

/**
 * Builds web/dist when missing or older than its sources (serialised across processes by a lock in
 * web/scripts/ensure-build.ts, so parallel test files build once).
 */
export function ensureWebBuilt(): void {
  const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
  const result = spawnSync(tsx, [path.join(repoRoot, 'web', 'scripts', 'ensure-build.ts')], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`web build failed:\n${result.stdout}\n${result.stderr}`);
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export interface WebApp extends TestApp {
  baseUrl: string;
}

/** A real app listening on 127.0.0.1 with a free port, background work (outbox relay) running. */
export async function startWebApp(options: Partial<BuildAppOptions> = {}): Promise<WebApp> {
  // TEST_WEB_DIST serves an already built copy instead (e.g. while the shared tree has work in progress).
  const prebuilt = process.env.TEST_WEB_DIST;
  if (!prebuilt) ensureWebBuilt();
  const t = await buildTestApp({ ...(prebuilt ? { webRoot: prebuilt } : {}), ...options });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  await t.startBackground();
  const { port } = t.app.server.address() as AddressInfo;
  return Object.assign(t, { baseUrl: `http://127.0.0.1:${port}` });
}

export interface PageOptions {
  /** Phone viewport (field and citizen surfaces). */
  mobile?: boolean;
  locale?: 'es-SV' | 'en-US';
}

/** A page in a fresh context (own sessionStorage/localStorage) with the app's base URL. */
export async function newPage(
  browser: Browser,
  web: Pick<WebApp, 'baseUrl'>,
  options: PageOptions = {},
): Promise<Page> {
  const context: BrowserContext = await browser.newContext({
    baseURL: web.baseUrl,
    locale: options.locale ?? 'es-SV',
    timezoneId: 'America/El_Salvador',
    viewport: options.mobile ? { width: 390, height: 844 } : { width: 1366, height: 900 },
    ...(options.mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  return context.newPage();
}

/**
 * Console errors, uncaught exceptions and CSP violations of a page, collected from now on. Tests
 * assert it stays empty so a broken bundle or a CSP refusal cannot pass unnoticed.
 */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}

/** TOTP codes are single-use per user: remember the last 30-second window used for each. */
const lastWindow = new Map<string, number>();

async function freshTotp(user: TestUser, secret: string): Promise<string> {
  let now = Date.now();
  const used = lastWindow.get(user.username);
  if (used !== undefined && Math.floor(now / 30_000) <= used) {
    const wait = (used + 1) * 30_000 - now + 200;
    await new Promise((resolve) => setTimeout(resolve, wait));
    now = Date.now();
  }
  lastWindow.set(user.username, Math.floor(now / 30_000));
  return totpCode(secret, new Date(now));
}

/** Types a TOTP code for `user` (from its secret) into the MFA form and submits it. */
export async function submitTotp(page: Page, user: TestUser, secret = user.mfaSecret): Promise<void> {
  if (!secret) throw new Error(`${user.username} has no TOTP secret`);
  await page.locator('input[name="code"]').fill(await freshTotp(user, secret));
  await page.locator('form:has(input[name="code"]) button[type="submit"]').click();
}

/**
 * Signs in through the login screen (password, then the TOTP code for MFA roles) and waits for the
 * shell. Starts at `/login`, or at `pathAfter` (the app sends the user back there after signing in);
 * `waitForShell: false` for pages outside the shell (full-screen surfaces, password change).
 */
export async function loginInBrowser(
  page: Page,
  user: TestUser,
  pathAfter = '/',
  options: { waitForShell?: boolean } = {},
): Promise<void> {
  await page.goto(pathAfter === '/' ? '/login' : pathAfter);
  await page.locator('input[name="username"]').fill(user.username);
  await page.locator('input[name="password"]').fill(user.password);
  await page.locator('form:has(input[name="password"]) button[type="submit"]').click();
  // The password step is over when its form is gone (next step or signed in) or refused with an alert.
  await page.waitForFunction(
    () => !document.querySelector('input[name="password"]') || document.querySelector('[role="alert"]'),
    undefined,
    { timeout: 20_000 },
  );
  const passwordForm = page.locator('input[name="password"]');
  if (await passwordForm.isVisible()) {
    throw new Error(
      `login of ${user.username} refused: ${await page.getByRole('alert').first().textContent()}`,
    );
  }
  const codeField = page.locator('input[name="code"]');
  if (await codeField.isVisible()) {
    await submitTotp(page, user);
    await codeField.waitFor({ state: 'detached', timeout: 20_000 });
  }
  if (options.waitForShell !== false) {
    await page.locator('[data-testid="current-user"]').waitFor({ timeout: 20_000 });
  }
}

/** Full-page PNG in ci-output/screenshots/<name>.png (kept by CI for review); returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

let axeSource: string | null = null;

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core on the page and returns its serious and critical violations (expect `[]`). axe is
 * evaluated through the DevTools protocol, so the app's CSP (script-src 'self') stays untouched.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(
    path.join(path.dirname(createRequire(import.meta.url).resolve('axe-core')), 'axe.min.js'),
    'utf8',
  );
  await page.evaluate(`${axeSource}\n;void 0`);
  return page.evaluate<AxeViolation[]>(`(async () => {
    const results = await window.axe.run(document, { resultTypes: ['violations'] });
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => n.target.map(String).join(' ') + ' ' + (n.failureSummary || '')),
      }));
  })()`);
}

/** Waits until the locator's text equals `expected` (or matches it), failing with the last text seen. */
export async function expectText(
  locator: Locator,
  expected: string | RegExp,
  timeout = 10_000,
): Promise<void> {
  const read = async () => {
    try {
      return (await locator.first().innerText({ timeout: 1_000 })).trim();
    } catch {
      return '(no encontrado)';
    }
  };
  const poll = expect.poll(read, { timeout, interval: 100 });
  if (typeof expected === 'string') await poll.toBe(expected);
  else await poll.toMatch(expected);
}

/** Waits until an element with exactly / containing this text is visible. */
export async function expectVisible(locator: Locator, timeout = 10_000): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout });
}

/**
 * Waits for a MapView (`section.map`, or a more specific selector) to finish loading the offline
 * basemap, and checks it shows the boundary data's licence attribution.
 */
export async function waitForMap(page: Page, selector = 'section.map', timeout = 30_000): Promise<void> {
  await page.locator(`${selector}[data-map-status="ready"]`).first().waitFor({ timeout });
  await expectText(page.locator(`${selector} .maplibregl-ctrl-attrib`), /OCHA.*geoBoundaries.*Decreto/s);
}
