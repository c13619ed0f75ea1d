import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const FAKE_API = join(fileURLToPath(new URL('.', import.meta.url)), 'fake-agentwatch.js');

/** Skip reason when Chromium is absent; under CI the caller must fail instead of skipping. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM) ? null : `Chromium not found at ${CHROMIUM}: run apt-get install -y chromium`;
}

export interface FakeInit {
  view: unknown;
  status: unknown;
  usage?: unknown[];
  /** What previewFilter answers (default: no sessions). */
  preview?: unknown;
  responses?: Record<string, unknown>;
}

export interface OpenedWindow {
  page: Page;
  /** Console errors/warnings and page errors, plus CSP violations reported by the document. */
  problems: () => Promise<string[]>;
  calls: (name?: string) => Promise<{ name: string; arg: unknown }[]>;
  close: () => Promise<void>;
}

/** Opens the built settings window with a fake window.agentwatch and waits until it has loaded its data. */
export interface WindowOptions {
  colorScheme?: 'light' | 'dark';
  /** Freezes Date.now() (timers keep running) and pins locale and time zone, for reproducible screenshots. */
  fixedTime?: number;
}

export async function openWindow(browser: Browser, distDir: string, init: FakeInit, options: WindowOptions = {}): Promise<OpenedWindow> {
  const context = await browser.newContext({
    viewport: { width: 560, height: 720 },
    colorScheme: options.colorScheme ?? 'light',
    deviceScaleFactor: 1,
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  if (options.fixedTime !== undefined) await context.clock.setFixedTime(options.fixedTime);
  const page = await context.newPage();
  const consoleProblems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleProblems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleProblems.push(`pageerror: ${e.message}`));
  await page.addInitScript({
    content: `window.__fakeInit = ${JSON.stringify(init)};
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => window.__csp.push('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));`,
  });
  await page.addInitScript({ path: FAKE_API });
  await page.goto(pathToFileURL(join(distDir, 'renderer', 'index.html')).href);
  await page.waitForSelector('body[data-ready]');
  return {
    page,
    problems: async () => [...consoleProblems, ...(await page.evaluate(() => (globalThis as unknown as { __csp: string[] }).__csp))],
    calls: async (name) => {
      const all = await page.evaluate(() => (globalThis as unknown as { __fake: { calls: { name: string; arg: unknown }[] } }).__fake.calls);
      return name ? all.filter((c) => c.name === name) : all;
    },
    close: () => context.close(),
  };
}

// The page's CSP forbids eval, and page.waitForFunction compiles a string predicate with eval after its first
// (CDP-side) check, so a predicate that is not already true failed spuriously. Both helpers below stay clear of
// in-page eval: a locator waits in Playwright's own world, and page.evaluate runs over CDP.

/** Waits (bounded) until the element's text contains `expected`, then returns the full text for exact asserts. */
export async function waitForText(page: Page, selector: string, expected: string, timeout = 5_000): Promise<string> {
  try {
    await pollUntil(async () => ((await page.locator(selector).textContent()) ?? '').includes(expected), timeout);
  } catch (error) {
    const actual = await page.locator(selector).textContent();
    throw new Error(`${selector} never contained ${JSON.stringify(expected)}; it shows ${JSON.stringify(actual)} (${(error as Error).message})`, { cause: error });
  }
  return (await page.locator(selector).textContent()) ?? '';
}

/** Waits (bounded) until a JS expression in the page is truthy. */
export async function waitUntil(page: Page, expression: string, timeout = 5_000): Promise<void> {
  await pollUntil(async () => Boolean(await page.evaluate(expression)), timeout);
}

async function pollUntil(check: () => Promise<boolean>, timeout: number): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`still false after ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
