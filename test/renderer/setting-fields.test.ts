import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formSettings } from '../../src/shared/setting-descriptors.js';
import { chromiumMissing } from './open-window.js';
import { sampleStatus, sampleUsage, sampleView } from './window-fixtures.js';
import { windowSuite } from './window-suite.js';

const missing = chromiumMissing();
if (missing && process.env['CI'] === 'true') test('Chromium is installed for the setting-fields test', () => assert.fail(missing));

describe('settings window fields from the descriptors', { skip: missing ?? false }, () => {
  const suite = windowSuite(() => ({ view: sampleView(), status: sampleStatus(Date.now()), usage: sampleUsage() }));

  test('every window-editable setting has one labelled control bound to its path', async () => {
    const form = (await suite.open()).locator('#settings-form');
    for (const s of formSettings()) {
      assert.equal(await form.locator(`[data-path="${s.path}"]`).count(), 1, `one control for ${s.path}`);
      const control = form.getByLabel(s.form.label, { exact: true });
      assert.equal(await control.count(), 1, `one control labelled "${s.form.label}"`);
      assert.equal(await control.getAttribute('id'), `f-${s.form.id}`, s.form.label);
      assert.equal(await control.getAttribute('data-path'), s.path, s.form.label);
    }
  });
});
