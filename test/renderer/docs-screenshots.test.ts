process.env.TZ = 'UTC';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { buildMenu, type TrayActions } from '../../src/main/tray-menu.js';
import { WINDOW_SIZE } from '../../src/main/settings-window.js';
import { clockFormatter } from '../../src/shared/format-clock.js';
import { buildIntoTemp, REPO_ROOT } from '../build/build-into.js';
import { menuPreviewHtml } from './menu-preview.js';
import { CHROMIUM, chromiumMissing, openWindow, waitForText } from './open-window.js';
import { samplePreview, sampleStatus, sampleUsage, sampleView } from './window-fixtures.js';

// Screenshots for the README. They are always rendered and checked; docs/*.png is (re)written when missing or when
// UPDATE_SCREENSHOTS=1, so a normal test run never dirties the work tree.
const NOW = Date.UTC(2026, 10, 24, 14, 30, 0);
const update = process.env['UPDATE_SCREENSHOTS'] === '1';

function pngSize(file: string): { width: number; height: number } {
  const png = readFileSync(file);
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function publish(file: string, name: string): void {
  const target = join(REPO_ROOT, 'docs', name);
  if (update || !existsSync(target)) copyFileSync(file, target);
}

const noop = () => {};
const actions: TrayActions = { pause: noop, resume: noop, runOnce: noop, openSettings: noop, openExternal: noop, openLogFile: noop, copyText: noop, restartToUpdate: noop, quit: noop };

const missing = chromiumMissing();
if (missing && process.env['CI'] === 'true') test('Chromium is installed for the README screenshots', () => assert.fail(missing));

describe('README screenshots', { skip: missing ?? false }, () => {
  let browser: Browser;
  let dist: string;
  const out = mkdtempSync(join(tmpdir(), 'agentwatch-shots-'));

  before(async () => {
    dist = (await buildIntoTemp()).dir;
    browser = await chromium.launch({ executablePath: CHROMIUM });
  });
  after(async () => {
    await browser?.close();
    rmSync(out, { recursive: true, force: true });
    if (dist) rmSync(dist, { recursive: true, force: true });
  });

  // The window at its opening size, light and dark, on the Status section; then the Sync section (the filter preview).
  const shots = [
    { name: 'settings-window.png', colorScheme: 'light', section: null },
    { name: 'settings-window-dark.png', colorScheme: 'dark', section: null },
    { name: 'settings-sync.png', colorScheme: 'light', section: 'nav-sync' },
  ] as const;
  for (const shot of shots) {
    test(`settings window with realistic data: ${shot.name}`, async () => {
      const init = { view: sampleView(), status: sampleStatus(NOW), usage: sampleUsage(), preview: samplePreview() };
      const w = await openWindow(browser, dist, init, { fixedTime: NOW, colorScheme: shot.colorScheme });
      try {
        await w.page.setViewportSize(WINDOW_SIZE);
        await w.page.waitForSelector('#usage-charts canvas');
        await waitForText(w.page, '#filter-preview-summary', '3 of 7 kept');
        if (shot.section) await w.page.click(`#${shot.section}`);
        await w.page.evaluate('document.activeElement?.blur()');
        const file = join(out, shot.name);
        await w.page.screenshot({ path: file });
        assert.deepEqual(pngSize(file), WINDOW_SIZE);
        // The window's clock is the menu's (shared/format-clock.ts) on the page's en-US locale.
        assert.equal(await w.page.textContent('#st-last-sync'), clockFormatter('en-US')(sampleStatus(NOW).lastSuccessAt ?? 0));
        assert.equal(await w.page.textContent('#st-last-sync'), '2:29:48 PM');
        assert.deepEqual(await w.problems(), []);
        publish(file, shot.name);
      } finally {
        await w.close();
      }
    });
  }

  test('tray menu preview rendered from the real buildMenu template', async () => {
    const status = {
      ...sampleStatus(NOW),
      activeSessions: [
        { key: 'agent:main:main', agentId: 'main', model: 'claude-sonnet-4-5', status: 'running' as const, tokens: 184_220, costMicros: 912_000, contextUsedPct: 41, subagent: false, endedAt: null },
        { key: 'agent:research:subagent:1', agentId: 'research', model: 'gpt-5-mini', status: 'success' as const, tokens: 52_310, costMicros: 88_000, contextUsedPct: 12, subagent: true, endedAt: NOW - 3 * 60_000 },
        { key: 'agent:coder:main', agentId: 'coder', model: 'claude-opus-4-1', status: 'running' as const, tokens: 301_900, costMicros: 2_410_000, contextUsedPct: 67, subagent: false, endedAt: null },
        // Four sub-agents that finished over 10 minutes ago: folded into "+4 finished".
        ...[1, 2, 3, 4].map((i) => ({ key: `agent:main:subagent:${i}`, agentId: 'main', model: 'claude-haiku-4-5', status: 'success' as const, tokens: 4_000 * i, costMicros: 0, contextUsedPct: 5, subagent: true, endedAt: NOW - 25 * 60_000 })),
      ],
    };
    const items = buildMenu(status, NOW, actions, { dashboardUrl: 'http://localhost:8766', formatTime: clockFormatter('en-US'), finishedGraceMs: 600_000, trayTitle: 'off' as const });
    const page = await browser.newPage({ viewport: { width: 900, height: 600 }, deviceScaleFactor: 1 });
    try {
      await page.setContent(menuPreviewHtml(items, 'Preview — rendered from the tray menu template (src/main/tray-menu.ts); the OS draws the real menu'));
      // Line the open submenu up with its parent item, as the OS would.
      await page.evaluate(`document.querySelector('.submenu').style.marginTop =
        (document.querySelector('li.parent').getBoundingClientRect().top - document.querySelector('.menu').getBoundingClientRect().top - 5) + 'px'`);
      for (const item of items.filter((i) => i.type !== 'separator')) {
        assert.equal(await page.textContent(`li[data-id="${item.id}"]`), item.label, `menu item ${item.id} is shown`);
      }
      assert.equal(await page.locator('.submenu li').count(), 4);
      assert.equal(await page.textContent('.submenu li:last-child'), '+4 finished');
      assert.match((await page.textContent('.caption')) ?? '', /^Preview — rendered from the tray menu template/);
      const file = join(out, 'tray-menu.png');
      await page.locator('body').screenshot({ path: file });
      assert.ok(pngSize(file).width > 300);
      publish(file, 'tray-menu.png');
    } finally {
      await page.close();
    }
  });
});
