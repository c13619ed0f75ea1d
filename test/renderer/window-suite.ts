import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, afterEach, before } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildIntoTemp } from '../build/build-into.js';
import { CHROMIUM, openWindow, type FakeInit, type OpenedWindow, type WindowOptions } from './open-window.js';

export interface WindowSuite {
  /** Opens the built window over `base()` with `extra` on top; the suite closes it and checks it stayed clean. */
  open(extra?: Partial<FakeInit>, options?: WindowOptions): Promise<Page>;
  /** The window `open` opened last. */
  window(): OpenedWindow;
  /** Closes the window without the clean-console check, for a test that provokes a problem on purpose. */
  closeUnchecked(): Promise<void>;
}

/**
 * Hooks for a describe() of settings-window tests: one build and one Chromium for the suite, and after each test the
 * window closed with no console errors, page errors or CSP violations.
 */
export function windowSuite(base: () => FakeInit): WindowSuite {
  let browser: Browser | undefined;
  let dist: string | undefined;
  let w: OpenedWindow | undefined;

  before(async () => {
    dist = (await buildIntoTemp()).dir;
    browser = await chromium.launch({ executablePath: CHROMIUM });
  });
  after(async () => {
    await browser?.close();
    if (dist) rmSync(dist, { recursive: true, force: true });
  });
  afterEach(async () => {
    const problems = w ? await w.problems() : [];
    await w?.close();
    w = undefined;
    assert.deepEqual(problems, [], 'no console errors, page errors or CSP violations');
  });

  return {
    async open(extra = {}, options = {}) {
      assert.ok(browser && dist, 'the suite has started');
      w = await openWindow(browser, dist, { ...base(), ...extra }, options);
      return w.page;
    },
    window: () => w ?? assert.fail('no window is open'),
    async closeUnchecked() {
      await w?.close();
      w = undefined;
    },
  };
}
