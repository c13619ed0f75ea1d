import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { formSettings } from '../../src/shared/setting-descriptors.js';
import { buildIntoTemp } from '../build/build-into.js';
import { CHROMIUM, chromiumMissing, openWindow } from './open-window.js';
import { sampleStatus, sampleUsage, sampleView } from './window-fixtures.js';

const missing = chromiumMissing();
if (missing && process.env['CI'] === 'true') test('Chromium is installed for the setting-fields test', () => assert.fail(missing));

describe('settings window fields from the descriptors', { skip: missing ?? false }, () => {
  let browser: Browser;
  let dist: string;
  before(async () => {
    dist = (await buildIntoTemp()).dir;
    browser = await chromium.launch({ executablePath: CHROMIUM });
  });
  after(async () => {
    await browser?.close();
    if (dist) rmSync(dist, { recursive: true, force: true });
  });

  test('every window-editable setting has one labelled control bound to its path', async () => {
    const w = await openWindow(browser, dist, { view: sampleView(), status: sampleStatus(Date.now()), usage: sampleUsage() });
    try {
      const form = w.page.locator('#settings-form');
      for (const s of formSettings()) {
        assert.equal(await form.locator(`[data-path="${s.path}"]`).count(), 1, `one control for ${s.path}`);
        const control = form.getByLabel(s.form.label, { exact: true });
        assert.equal(await control.count(), 1, `one control labelled "${s.form.label}"`);
        assert.equal(await control.getAttribute('id'), `f-${s.form.id}`, s.form.label);
        assert.equal(await control.getAttribute('data-path'), s.path, s.form.label);
      }
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.close();
    }
  });
});
