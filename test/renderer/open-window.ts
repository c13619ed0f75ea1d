import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';

// Debian's chromium here; CHROMIUM_PATH elsewhere (GitHub's Ubuntu runners ship Google Chrome, their apt chromium is a snap).
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const FAKE_API = join(fileURLToPath(new URL('.', import.meta.url)), 'fake-agentwatch.js');

/** Skip reason when Chromium is absent; under CI the caller must fail instead of skipping. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM) ? null : `Chromium not found at ${CHROMIUM}: run apt-get install -y chromium (or set CHROMIUM_PATH)`;
}

export interface FakeInit {
  view: unknown;
  status: unknown;
  usage?: unknown[];
  /** What previewFilter answers (default: no sessions). */
  preview?: unknown;
  /** What about() answers (default: version 0.1.0 and Linux paths). */
  about?: unknown;
  responses?: Record<string, unknown>;
}

export interface OpenedWindow {
  page: Page;
  /** Console errors/warnings and page errors, plus CSP violations reported by the document. */
  problems: () => Promise<string[]>;
  calls: (name?: string) => Promise<FakeCall[]>;
  /** Resolves as soon as the calls the fake API has announced (in order) satisfy `done`; fails after `timeout` ms. */
  waitForCalls: (done: (calls: FakeCall[]) => boolean, timeout?: number) => Promise<void>;
  close: () => Promise<void>;
}

export interface FakeCall {
  name: string;
  arg: unknown;
}

/** Opens the built settings window with a fake window.agentwatch and waits until it has loaded its data. */
export interface WindowOptions {
  colorScheme?: 'light' | 'dark';
  /** Freezes Date.now() (timers keep running) and pins locale and time zone, for reproducible screenshots. */
  fixedTime?: number;
  /** The page's locale (navigator.language); en-US unless a test checks another. */
  locale?: string;
}

export async function openWindow(browser: Browser, distDir: string, init: FakeInit, options: WindowOptions = {}): Promise<OpenedWindow> {
  const context = await browser.newContext({
    viewport: { width: 560, height: 720 },
    colorScheme: options.colorScheme ?? 'light',
    deviceScaleFactor: 1,
    locale: options.locale ?? 'en-US',
    timezoneId: 'UTC',
  });
  if (options.fixedTime !== undefined) await context.clock.setFixedTime(options.fixedTime);
  const page = await context.newPage();
  const consoleProblems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleProblems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleProblems.push(`pageerror: ${e.message}`));
  // fake-agentwatch.js announces each recorded call through this binding (CDP, so the page's CSP does not apply):
  // tests wait for the call itself instead of re-reading window.__fake.calls on a timer.
  const announced: FakeCall[] = [];
  const callWaiters = new Set<() => void>();
  await page.exposeFunction('__fakeCalled', (name: string, arg: unknown) => {
    announced.push({ name, arg });
    for (const check of callWaiters) check();
  });
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
    waitForCalls: (done, timeout = 5_000) =>
      new Promise<void>((resolve, reject) => {
        const finish = (error?: Error) => {
          callWaiters.delete(check);
          clearTimeout(deadline);
          if (error) reject(error);
          else resolve();
        };
        const check = () => {
          if (done(announced)) finish();
        };
        const deadline = setTimeout(() => finish(new Error(`the fake API calls never matched within ${timeout} ms; calls: ${announced.map((c) => c.name).join(', ')}`)), timeout);
        callWaiters.add(check);
        check();
      }),
    close: () => context.close(),
  };
}

// The page's CSP forbids eval, and page.waitForFunction compiles a string predicate with eval after its first
// (CDP-side) check, so a predicate that is not already true failed spuriously. A locator waits in Playwright's own
// world instead, re-checking as the page renders.

/** Waits (bounded) until the element's text contains `expected`, then returns the full text for exact asserts. */
export async function waitForText(page: Page, selector: string, expected: string, timeout = 5_000): Promise<string> {
  const target = page.locator(selector);
  // A RegExp, not a string: string hasText is case-insensitive and whitespace-normalised; this is a plain substring.
  const containing = new RegExp(expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  try {
    await target.filter({ hasText: containing }).waitFor({ state: 'attached', timeout });
  } catch (error) {
    const actual = await target.textContent();
    throw new Error(`${selector} never contained ${JSON.stringify(expected)}; it shows ${JSON.stringify(actual)} (${(error as Error).message})`, { cause: error });
  }
  return (await target.textContent()) ?? '';
}

/** The calls named `name` that the fake API has announced. */
export const callsNamed = (calls: FakeCall[], name: string): FakeCall[] => calls.filter((c) => c.name === name);
