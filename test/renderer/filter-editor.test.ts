import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultFilterExpression } from '../../src/shared/filter-dsl/default-filter.js';
import { callsNamed, chromiumMissing, waitForText } from './open-window.js';
import { samplePreview, sampleSettings, sampleStatus, sampleUsage, sampleView } from './window-fixtures.js';
import { windowSuite } from './window-suite.js';

const missing = chromiumMissing();
if (missing && process.env['CI'] === 'true') test('Chromium is installed for the filter editor tests', () => assert.fail(missing));

const VALID = 'classification in (main, subagent) and not agentId = "ops" and tokens >= 10';
// "lots" starts at column 40: the number the message and the caret must both name.
const INVALID = 'classification in (main) and tokens >= lots';

describe('filter expression and metrics port in the settings window', { skip: missing ?? false }, () => {
  const now = Date.now();
  const suite = windowSuite(() => ({ view: sampleView(), status: sampleStatus(now), usage: sampleUsage(), preview: samplePreview() }));
  const open = suite.open;
  const previewArgs = async () => (await suite.window().calls('previewFilter')).map((c) => c.arg);

  test('an invalid expression shows the message with its column, a caret under it, and disables Save', async () => {
    const page = await open();
    await waitForText(page, '#filter-preview-summary', '3 of 7 kept');
    const before = (await previewArgs()).length;
    await page.fill('#f-filterExpression', INVALID);
    assert.equal(await page.textContent('#f-filterExpression-error'), '"tokens" compares with a number like 10 (column 40)');
    assert.equal(await page.getAttribute('#f-filterExpression', 'aria-invalid'), 'true');
    assert.equal(await page.textContent('#f-filterExpression-caret'), `${INVALID}\n${' '.repeat(39)}^ column 40`);
    assert.equal(await page.isDisabled('#save'), true);
    assert.equal(await page.textContent('#filter-preview-empty'), 'Fix the expression to see the preview.');
    assert.equal(await page.isVisible('#filter-preview-list'), false);
    assert.equal((await previewArgs()).length, before, 'an expression that does not parse is not sent to main');

    await page.fill('#f-filterExpression', 'classification in (main) and tokens >= 100');
    assert.equal(await page.textContent('#f-filterExpression-error'), '');
    assert.equal(await page.getAttribute('#f-filterExpression', 'aria-invalid'), null);
    assert.equal(await page.isVisible('#f-filterExpression-caret'), false);
    assert.equal(await page.isDisabled('#save'), false);
  });

  test('the default rules are previewed on open; a typed expression replaces the rule fields and is previewed, debounced', async () => {
    const page = await open();
    const fallback = defaultFilterExpression(sampleSettings().filter);
    await waitForText(page, '#filter-preview-summary', '3 of 7 kept');
    assert.equal(await page.getAttribute('#f-filterExpression', 'placeholder'), fallback);
    assert.equal((await previewArgs()).at(-1), fallback, 'no expression: the rules are what gets previewed');
    assert.equal(await page.isDisabled('#f-classes'), false);

    const typedFrom = (await previewArgs()).length;
    await page.locator('#f-filterExpression').pressSequentially(VALID);
    await suite.window().waitForCalls((calls) => callsNamed(calls, 'previewFilter').some((c) => c.arg === VALID));
    const typed = (await previewArgs()).slice(typedFrom);
    assert.ok(typed.length < VALID.length / 4, `debounced: ${typed.length} previews for ${VALID.length} keystrokes`);
    await waitForText(page, '#filter-preview-summary', '3 of 7 kept');
    const rows = page.locator('#filter-preview-list li');
    assert.equal(await rows.count(), 7);
    assert.equal(await rows.nth(0).textContent(), 'keepagent:main:maintokens >= 10: tokens=184220');
    assert.equal(await rows.nth(3).getAttribute('data-keep'), 'false');
    assert.equal(await rows.nth(3).locator('.reason').textContent(), 'classification=cron');
    for (const id of ['#f-classes', '#f-activeMinutes', '#f-minTokens']) assert.equal(await page.isDisabled(id), true, `${id} is replaced`);
    assert.equal(await page.isVisible('#filter-rules-replaced'), true);
    const box = await page.locator('#filter-preview-list').boundingBox();
    assert.ok(box && box.height <= 150, `the list stays compact and scrolls (${box?.height}px)`);

    await page.fill('#f-filterExpression', '');
    assert.equal(await page.isDisabled('#f-classes'), false);
    assert.equal(await page.isVisible('#filter-rules-replaced'), false);
  });

  test('before the first poll the preview says so instead of showing an empty list', async () => {
    const page = await open({ status: { ...sampleStatus(now), pollCount: 0, lastPollAt: null, lastSuccessAt: null }, preview: { ok: true, decisions: [] } });
    await waitForText(page, '#filter-preview-empty', 'No poll yet: the preview fills in after the first successful poll.');
    assert.equal(await page.isVisible('#filter-preview-list'), false);
  });

  test("main's answer is shown when it rejects the expression or fails", async () => {
    const page = await open({ responses: { previewFilter: { ok: false, error: 'The sync engine is not running yet; try again in a moment.' } } });
    await waitForText(page, '#filter-preview-empty', 'Preview unavailable: The sync engine is not running yet; try again in a moment.');
  });

  test('Save sends filter.expression and metricsPort; clearing them sends neither', async () => {
    const page = await open();
    await page.fill('#f-filterExpression', `  ${VALID}\n`);
    await page.fill('#f-metricsPort', '9464');
    await page.click('#save');
    await waitForText(page, '#save-result', 'Saved at');
    const base = sampleSettings();
    const [first] = await suite.window().calls('saveSettings');
    assert.deepEqual((first?.arg as { settings: unknown }).settings, { ...base, metricsPort: 9464, filter: { ...base.filter, expression: VALID } });
    assert.equal(await page.inputValue('#f-filterExpression'), VALID, 'the saved value is shown back');
    assert.equal(await page.isDisabled('#f-minTokens'), true, 'still replaced after the reload from main');

    await page.fill('#f-filterExpression', '');
    await page.fill('#f-metricsPort', '');
    await page.click('#save');
    await suite.window().waitForCalls((calls) => callsNamed(calls, 'saveSettings').length === 2);
    const second = (await suite.window().calls('saveSettings'))[1]?.arg as { settings: { filter: object } };
    assert.deepEqual(second.settings, base);
  });

  test('the metrics port is validated by the shared schema, and main reports a busy port next to it', async () => {
    const error = 'Port 9464 is already in use, so Prometheus metrics are off. Pick another port in Settings (or leave it empty).';
    const page = await open({ view: { ...sampleView(), settings: { ...sampleSettings(), metricsPort: 9464 }, metrics: { state: 'failed', error } } });
    assert.equal(await page.inputValue('#f-metricsPort'), '9464');
    assert.equal(await page.textContent('#f-metricsPort-state'), error);
    await page.fill('#f-metricsPort', '70000');
    assert.equal(await page.textContent('#f-metricsPort-error'), 'Too big: expected number to be <=65535');
    assert.equal(await page.isDisabled('#save'), true);
    await page.fill('#f-metricsPort', 'http');
    assert.equal(await page.textContent('#f-metricsPort-error'), 'Enter a port number such as 9464, or leave it empty to turn metrics off');
    await page.fill('#f-metricsPort', '9465');
    assert.equal(await page.isDisabled('#save'), false);
  });
});
