import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { chromiumMissing } from './open-window.js';
import { samplePreview, sampleStatus, sampleUsage, sampleView } from './window-fixtures.js';
import { windowSuite } from './window-suite.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

// Evaluated over CDP, so the page's CSP (script-src 'self') does not stand in the way; preload off, or axe fetches
// the stylesheets and the CSP (connect-src 'none') reports it.
async function axeViolations(page: Page): Promise<Violation[]> {
  await page.evaluate(AXE_SOURCE);
  const json = await page.evaluate(`axe.run(document, { resultTypes: ['violations'], preload: false }).then((r) => JSON.stringify(
    r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }))))`);
  return JSON.parse(String(json)) as Violation[];
}

const seriousOrWorse = (vs: Violation[]) => vs.filter((v) => v.impact === 'serious' || v.impact === 'critical');

const missing = chromiumMissing();
if (missing && process.env['CI'] === 'true') test('Chromium is installed for the accessibility tests', () => assert.fail(missing));

describe('settings window accessibility in Chromium (axe-core)', { skip: missing ?? false }, () => {
  const now = Date.now();
  const suite = windowSuite(() => ({ view: sampleView(), status: sampleStatus(now), usage: sampleUsage(), preview: samplePreview() }));

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`no serious or critical axe violation in ${colorScheme} mode, with field errors showing`, async () => {
      const page = await suite.open({}, { colorScheme });
      await page.waitForSelector('#usage-charts canvas');
      assert.deepEqual(seriousOrWorse(await axeViolations(page)), [], 'as opened');
      await page.fill('#f-openclawUrl', 'gateway.local');
      await page.fill('#f-pollIntervalSec', '2');
      assert.deepEqual(seriousOrWorse(await axeViolations(page)), [], 'with two field errors');
    });
  }

  test('every control has a label, and every field error is announced through its control’s aria-describedby', async () => {
    const page = await suite.open();
    const unlabelled = await page.evaluate(`[...document.querySelectorAll('input, select, textarea')]
      .filter((c) => c.labels.length === 0 && !c.getAttribute('aria-label') && !c.getAttribute('aria-labelledby')).map((c) => c.id)`);
    assert.deepEqual(unlabelled, []);
    const unannounced = await page.evaluate(`[...document.querySelectorAll('.field-error[id$="-error"]')]
      .filter((e) => { const c = document.getElementById(e.id.replace(/-error$/, ''));
        return c && !(c.getAttribute('aria-describedby') || '').split(' ').includes(e.id); }).map((e) => e.id)`);
    assert.deepEqual(unannounced, []);
    await page.fill('#f-pollIntervalSec', '2');
    const described = String(await page.getAttribute('#f-pollIntervalSec', 'aria-describedby')).split(' ');
    assert.ok(described.includes('f-pollIntervalSec-error'));
    assert.equal(await page.textContent('#f-pollIntervalSec-error'), 'Too small: expected number to be >=5');
  });
});
