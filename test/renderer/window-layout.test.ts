import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { WINDOW_MIN_SIZE, WINDOW_SIZE } from '../../src/main/settings-window.js';
import { chromiumMissing } from './open-window.js';
import { samplePreview, sampleStatus, sampleUsage, sampleView } from './window-fixtures.js';
import { windowSuite } from './window-suite.js';

const SECTIONS = ['Status', 'Connections', 'Sync', 'Alerts', 'About'];

const missing = chromiumMissing();
if (missing && process.env['CI'] === 'true') test('Chromium is installed for the window-layout tests', () => assert.fail(missing));

/** Where an element sits in the viewport, and whether all of it is inside. */
async function inView(page: Page, selector: string): Promise<boolean> {
  const box = await page.locator(selector).boundingBox();
  const size = page.viewportSize();
  assert.ok(box && size, `${selector} is rendered`);
  return box.x >= 0 && box.y >= 0 && box.x + box.width <= size.width && box.y + box.height <= size.height;
}

describe('settings window layout in Chromium', { skip: missing ?? false }, () => {
  const now = Date.now();
  const suite = windowSuite(() => ({ view: sampleView(), status: sampleStatus(now), usage: sampleUsage(), preview: samplePreview() }));

  test('opens at a size where the whole Status section (charts included) shows without scrolling, Save and Revert in view', async () => {
    const page = await suite.open();
    await page.setViewportSize(WINDOW_SIZE);
    await page.waitForSelector('#usage-charts canvas');
    assert.deepEqual(await page.locator('#section-nav button').allTextContents(), SECTIONS);
    const fits = (await page.evaluate(`({
      paneBottom: document.getElementById('sections').getBoundingClientRect().bottom,
      statusBottom: document.getElementById('sec-status').getBoundingClientRect().bottom,
    })`)) as { paneBottom: number; statusBottom: number };
    assert.ok(fits.statusBottom <= fits.paneBottom, `Status ends at ${fits.statusBottom}px, the pane at ${fits.paneBottom}px`);
    assert.ok(await inView(page, '#save'));
    assert.ok(await inView(page, '#revert'));
    assert.equal(await page.getAttribute('#section-nav button[data-section="sec-status"]', 'aria-current'), 'true');
  });

  test('each sidebar button brings its section to the top of the pane, marks itself current and moves focus there', async () => {
    const page = await suite.open();
    await page.setViewportSize(WINDOW_SIZE);
    for (const [id, name] of [['sec-alerts', 'Alerts'], ['sec-connections', 'Connections'], ['sec-sync', 'Sync'], ['sec-about', 'About'], ['sec-status', 'Status']] as const) {
      await page.click(`#section-nav button[data-section="${id}"]`);
      const top = Number(await page.evaluate(`document.getElementById('${id}').getBoundingClientRect().top - document.getElementById('sections').getBoundingClientRect().top`));
      // The last section is short, so the pane stops at its end instead of lifting it to the top.
      if (id !== 'sec-about') assert.ok(top >= 0 && top <= 16, `${name} starts ${top}px below the pane top`);
      assert.ok(await inView(page, `#${id} > :first-child`), `${name} heading in view`);
      assert.equal(await page.getAttribute(`#section-nav button[data-section="${id}"]`, 'aria-current'), 'true', name);
      assert.equal(await page.locator('#section-nav [aria-current="true"]').count(), 1);
      assert.equal(await page.evaluate('document.activeElement.id'), id);
      assert.ok(await inView(page, '#save'), `Save in view on ${name}`);
    }
  });

  test('at the minimum window size the sidebar, Save and Revert are all still in view', async () => {
    const page = await suite.open();
    await page.setViewportSize(WINDOW_MIN_SIZE);
    for (const selector of ['#save', '#revert', ...SECTIONS.map((_, i) => `#section-nav button:nth-child(${i + 1})`)]) {
      assert.ok(await inView(page, selector), `${selector} is in view at ${WINDOW_MIN_SIZE.width}×${WINDOW_MIN_SIZE.height}`);
    }
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    assert.equal(overflow, 0, 'no sideways scrolling');
  });

  test('dark mode follows prefers-color-scheme: dark page and cards, light text, and back to light', async () => {
    const luminance = (page: Page, selector: string, prop: string) =>
      page.evaluate(`(() => { const [r, g, b] = getComputedStyle(document.querySelector('${selector}')).${prop}.match(/[\\d.]+/g).map(Number);
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255; })()`) as Promise<number>;
    const dark = await suite.open({}, { colorScheme: 'dark' });
    assert.ok((await luminance(dark, 'body', 'backgroundColor')) < 0.2, 'dark page');
    assert.ok((await luminance(dark, '.card', 'backgroundColor')) < 0.25, 'dark cards');
    assert.ok((await luminance(dark, 'body', 'color')) > 0.8, 'light text');
    assert.ok((await luminance(dark, '#f-openclawUrl', 'backgroundColor')) < 0.25, 'dark fields');
    await dark.emulateMedia({ colorScheme: 'light' });
    assert.ok((await luminance(dark, 'body', 'backgroundColor')) > 0.9, 'light page once the OS switches');
    assert.ok((await luminance(dark, 'body', 'color')) < 0.2, 'dark text');
  });

  test('usage charts: each legend sits above its plot and, on hover, both read the hovered hour in their own unit', async () => {
    const page = await suite.open();
    await page.setViewportSize(WINDOW_SIZE);
    await page.waitForSelector('#usage-charts canvas');
    const charts = page.locator('#usage-charts .uplot');
    assert.equal(await charts.count(), 2);
    for (let i = 0; i < 2; i++) {
      const legend = await charts.nth(i).locator('.u-legend').boundingBox();
      const plot = await charts.nth(i).locator('canvas').boundingBox();
      assert.ok(legend && plot && legend.y + legend.height <= plot.y + 1, `chart ${i + 1}: legend above the plot`);
    }
    const values = (i: number) => charts.nth(i).locator('.u-legend .u-value').allTextContents();
    assert.ok((await values(0)).every((v) => v === '—'), 'no readout before hovering');
    const plot = await charts.nth(0).locator('.u-over').boundingBox();
    assert.ok(plot);
    await page.mouse.move(plot.x + plot.width - 4, plot.y + plot.height / 2);
    const [tokens, usd] = [await values(0), await values(1)];
    assert.match(tokens[0] ?? '', /\d (AM|PM)/, `hour readout: ${tokens.join(' | ')}`);
    assert.ok(tokens.slice(1).some((v) => /^\d[\d.]*k?$/.test(v)), `token readout: ${tokens.join(' | ')}`);
    assert.ok(usd.slice(1).some((v) => /^\$\d/.test(v)), `the USD chart follows the same cursor: ${usd.join(' | ')}`);
  });
});
