process.env.TZ = 'UTC';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { clockFormatter } from '../../src/shared/format-clock.js';
import { callsNamed, chromiumMissing, waitForText } from './open-window.js';
import { sampleSettings, sampleStatus, sampleUsage, sampleView } from './window-fixtures.js';
import { windowSuite } from './window-suite.js';

const BAD_URL = 'must be an http:// or https:// URL, e.g. http://127.0.0.1:18789';
const TOO_SMALL_INTERVAL = 'Too small: expected number to be >=5';

const missing = chromiumMissing();
if (missing && process.env['CI'] === 'true') test('Chromium is installed for the settings-window tests', () => assert.fail(missing));

describe('settings window in Chromium', { skip: missing ?? false }, () => {
  const now = Date.now();
  const suite = windowSuite(() => ({ view: sampleView(), status: sampleStatus(now), usage: sampleUsage() }));
  const open = suite.open;
  const errorOf = (page: Page, field: string) => page.locator(`#f-${field}-error`).textContent();

  test('times read the menu clock of the page locale: 12-hour in en-US, 24-hour in de-DE', async () => {
    const at = sampleStatus(now).lastSuccessAt ?? 0;
    for (const locale of ['en-US', 'de-DE']) {
      const page = await open({}, { locale });
      assert.equal(await page.textContent('#st-last-sync'), clockFormatter(locale)(at), locale);
      await suite.closeUnchecked();
    }
    assert.match(clockFormatter('en-US')(at), / [AP]M$/);
    assert.doesNotMatch(clockFormatter('de-DE')(at), /M$/);
  });

  test('shows the schema messages for a bad URL and a 2 s interval; Save follows validity', async () => {
    const page = await open();
    assert.equal(await page.isDisabled('#save'), false, 'stored settings are valid');
    await page.fill('#f-openclawUrl', 'gateway.local');
    await page.fill('#f-pollIntervalSec', '2');
    assert.equal(await errorOf(page, 'openclawUrl'), BAD_URL);
    assert.equal(await errorOf(page, 'pollIntervalSec'), TOO_SMALL_INTERVAL);
    assert.equal(await page.getAttribute('#f-openclawUrl', 'aria-invalid'), 'true');
    assert.match((await page.getAttribute('#f-openclawUrl', 'aria-describedby')) ?? '', /f-openclawUrl-error/);
    assert.equal(await page.isDisabled('#save'), true);

    await page.fill('#f-openclawUrl', 'http://127.0.0.1:18789');
    assert.equal(await page.isDisabled('#save'), true, 'still invalid: the interval');
    await page.fill('#f-pollIntervalSec', '5');
    assert.equal(await errorOf(page, 'pollIntervalSec'), '');
    assert.equal(await page.getAttribute('#f-pollIntervalSec', 'aria-invalid'), null);
    assert.equal(await page.isDisabled('#save'), false);
  });

  test('Save sends the parsed settings (Check for updates included), the typed token, open-at-login and notification choices; the token field is then cleared', async () => {
    const page = await open();
    assert.equal(await page.inputValue('#f-dailyUsdBudget'), '25', 'stored budget shown');
    await page.uncheck('#f-notifyFailure');
    await page.fill('#f-dailyTokenBudget', '500000');
    await page.fill('#f-pollIntervalSec', '60');
    await page.fill('#f-classes', ' main , subagent,, ');
    await page.selectOption('#f-sink', 'seed');
    await page.uncheck('#f-openAtLogin');
    assert.equal(await page.isChecked('#f-checkForUpdates'), true, '"Check for updates" is on by default');
    await page.uncheck('#f-checkForUpdates');
    await page.fill('#f-token', 'oc_new_token_123');
    await page.click('#save');
    await waitForText(page, '#save-result', 'Saved at');

    const [save] = await suite.window().calls('saveSettings');
    const base = sampleSettings();
    assert.deepEqual(save?.arg, {
      settings: { ...base, pollIntervalSec: 60, sink: 'seed', filter: { ...base.filter, classes: ['main', 'subagent'] }, checkForUpdates: false },
      token: 'oc_new_token_123',
      openAtLogin: false,
      notifications: { failure: false, recovery: true, deadLetter: true, dailyTokenBudget: 500_000, dailyUsdBudget: 25 },
    });
    assert.equal(await page.inputValue('#f-token'), '', 'a token is never shown back');
    assert.match((await page.getAttribute('#f-token', 'placeholder')) ?? '', /stored/);
    assert.ok(!(await page.content()).includes('oc_new_token_123'), 'the token is nowhere in the page');
  });

  test('an empty token field keeps the stored token: no token key is sent and none is displayed', async () => {
    const page = await open();
    assert.equal(await page.inputValue('#f-token'), '');
    assert.equal(await page.getAttribute('#f-token', 'type'), 'password');
    assert.match((await page.getAttribute('#f-token', 'placeholder')) ?? '', /^stored/);
    assert.match((await page.getAttribute('#f-apiKey', 'placeholder')) ?? '', /^none/);
    await page.click('#save');
    await waitForText(page, '#save-result', 'Saved at');
    const [save] = await suite.window().calls('saveSettings');
    assert.equal(Object.hasOwn(save?.arg as object, 'token'), false);
    assert.equal(Object.hasOwn(save?.arg as object, 'apiKey'), false);
  });

  test("main's per-field errors are shown next to their fields until that field is edited", async () => {
    const errors = { agentwatchUrl: 'AgentWatch refused this URL: use the API port (8765).', token: 'This system offers no encryption for secrets.' };
    const page = await open({ responses: { saveSettings: { ok: true, value: { ok: false, errors } } } });
    await page.fill('#f-token', 'secret');
    await page.click('#save');
    await waitForText(page, '#save-result', 'Not saved: fix the marked fields.');
    assert.equal(await errorOf(page, 'agentwatchUrl'), errors.agentwatchUrl);
    assert.equal(await errorOf(page, 'token'), errors.token);
    assert.equal(await page.getAttribute('#f-agentwatchUrl', 'aria-invalid'), 'true');

    await page.fill('#f-agentwatchUrl', 'http://localhost:8765/');
    assert.equal(await errorOf(page, 'agentwatchUrl'), '');
    assert.equal(await errorOf(page, 'token'), errors.token, 'other fields keep their server error');
  });

  test('Test connection shows handshake, scopes and sessions on success, and the actionable message on failure', async () => {
    const page = await open({
      responses: {
        testGateway: { ok: true, value: { ok: true, message: 'Connected to the gateway.', serverVersion: '2026.3.2', scopes: ['operator.read', 'operator.admin'], sessions: 7 } },
        testAgentWatch: { ok: true, value: { ok: false, message: 'AgentWatch answered 401: paste the API key from the dashboard settings.' } },
      },
    });
    await page.click('#test-gateway');
    const gateway = await waitForText(page, '#test-gateway-result', 'Connected to the gateway.');
    assert.equal(gateway, 'Connected to the gateway.Gateway version 2026.3.2Granted scopes: operator.read, operator.admin7 sessions visible');
    assert.equal(await page.getAttribute('#test-gateway-result', 'data-ok'), 'true');

    await page.click('#test-agentwatch');
    await waitForText(page, '#test-agentwatch-result', 'AgentWatch answered 401: paste the API key from the dashboard settings.');
    assert.equal(await page.getAttribute('#test-agentwatch-result', 'data-ok'), 'false');

    await page.fill('#f-token', 'draft-token');
    await page.evaluate(`window.__fake.responses.testAgentWatch = { ok: true, value: { ok: true, message: 'AgentWatch is reachable.', sink: 'seed' } }`);
    await page.click('#test-gateway');
    await page.click('#test-agentwatch');
    await waitForText(page, '#test-agentwatch-result', 'Sink detected: seed endpoint');
    assert.deepEqual((await suite.window().calls('testGateway')).map((c) => c.arg), [
      { openclawUrl: 'http://127.0.0.1:18789' },
      { openclawUrl: 'http://127.0.0.1:18789', token: 'draft-token' },
    ]);

    await page.fill('#f-openclawUrl', 'ftp://x');
    await page.click('#test-gateway');
    await waitForText(page, '#test-gateway-result', `Fix the URL first: ${BAD_URL}`);
    assert.equal((await suite.window().calls('testGateway')).length, 2, 'an invalid URL is not sent to main');
  });

  test('the status panel follows pushed statuses and the chart reloads after a poll', async () => {
    const page = await open();
    assert.equal(await page.textContent('#st-polls'), '42 (1 failed)');
    assert.equal(await page.isVisible('#st-error'), true);
    assert.equal((await suite.window().calls('usageByHour')).length, 1);
    assert.equal(await page.isVisible('#usage-empty'), false);
    await page.click('#copy-error');
    await waitForText(page, '#action-result', 'Error details copied.');
    await page.click('#copy-diagnostics');
    await waitForText(page, '#action-result', 'Diagnostics copied to the clipboard (3 lines, secrets redacted).');

    const next = { ...sampleStatus(now), pollCount: 43, outboxDepth: 0, eventsDelivered: 1_290, lastError: null, mode: 'polling' };
    await page.evaluate(`window.__fake.push(${JSON.stringify(next)})`);
    await waitForText(page, '#st-polls', '43');
    assert.equal(await page.textContent('#st-outbox'), '0');
    assert.equal(await page.textContent('#st-delivered'), '1,290');
    assert.equal(await page.textContent('#state-pill'), 'Polling');
    assert.equal(await page.isVisible('#st-error'), false);
    await suite.window().waitForCalls((calls) => callsNamed(calls, 'usageByHour').length === 2);
    assert.deepEqual((await suite.window().calls('usageByHour')).map((c) => c.arg), [24, 24]);
  });

  test('Pause/Resume label follows the status, and Run once now is disabled while it runs', async () => {
    const page = await open();
    assert.equal(await page.textContent('#toggle-pause'), 'Pause');
    await page.click('#toggle-pause');
    await waitForText(page, '#toggle-pause', 'Resume');
    assert.equal(await page.textContent('#state-pill'), 'Paused');
    await page.click('#toggle-pause');
    await waitForText(page, '#toggle-pause', 'Pause');
    assert.deepEqual((await suite.window().calls()).filter((c) => c.name === 'pause' || c.name === 'resume').map((c) => c.name), ['pause', 'resume']);

    await page.evaluate(`window.__fake.hold.runOnce = true`);
    await page.click('#run-once');
    await suite.window().waitForCalls((calls) => callsNamed(calls, 'runOnce').length > 0);
    assert.equal(await page.isDisabled('#run-once'), true);
    await page.evaluate(`window.__fake.release('runOnce')`);
    await waitForText(page, '#action-result', 'Synced 4 sessions, delivered 6 events in 212 ms.');
    assert.equal(await page.isDisabled('#run-once'), false);
  });

  test('keyboard only: Tab goes sidebar → status → fields, Enter saves when valid, Escape reverts the edit', async () => {
    const page = await open();
    const order: string[] = [];
    for (let i = 0; i < 25 && order.at(-1) !== 'f-pollIntervalSec'; i++) {
      await page.keyboard.press('Tab');
      order.push(String(await page.evaluate('document.activeElement.id')));
    }
    assert.deepEqual(order, [
      'nav-status', 'nav-connections', 'nav-sync', 'nav-alerts', 'nav-about',
      'copy-error', 'toggle-pause', 'run-once', 'copy-diagnostics',
      'f-openclawUrl', 'f-token', 'test-gateway', 'f-agentwatchUrl', 'f-apiKey', 'f-sink', 'f-otlpUrl', 'test-agentwatch', 'f-pollIntervalSec',
    ]);
    assert.notEqual(await page.evaluate('getComputedStyle(document.activeElement).outlineStyle'), 'none', 'focus ring visible');
    assert.equal(await page.isDisabled('#revert'), true, 'nothing to revert yet');

    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('3');
    await page.keyboard.press('Enter');
    assert.equal(await page.isDisabled('#save'), true);
    assert.equal(await page.isDisabled('#revert'), false);
    await page.keyboard.press('Escape');
    assert.equal(await page.inputValue('#f-pollIntervalSec'), '30', 'Escape put the stored value back');
    assert.equal(await errorOf(page, 'pollIntervalSec'), '');
    assert.equal(await page.textContent('#save-result'), 'Reverted to the saved settings.');
    assert.equal(await page.isDisabled('#revert'), true);

    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('45');
    await page.keyboard.press('Enter');
    await waitForText(page, '#save-result', 'Saved at');
    const saves = await suite.window().calls('saveSettings');
    assert.equal(saves.length, 1, 'the invalid Enter did not save');
    assert.equal((saves[0]?.arg as { settings: { pollIntervalSec: number } }).settings.pollIntervalSec, 45);
  });

  test('Enter on a checkbox saves too, and the Revert button undoes a typed token and a toggled checkbox', async () => {
    const page = await open();
    await page.fill('#f-token', 'oc_typed_but_abandoned');
    await page.uncheck('#f-live');
    await page.click('#revert');
    assert.equal(await page.inputValue('#f-token'), '');
    assert.equal(await page.isChecked('#f-live'), true);
    assert.equal((await suite.window().calls('saveSettings')).length, 0);
    await page.focus('#f-openAtLogin');
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    await waitForText(page, '#save-result', 'Saved at');
    const [save] = await suite.window().calls('saveSettings');
    assert.equal((save?.arg as { openAtLogin: boolean }).openAtLogin, false);
  });

  test('an empty ledger shows the empty-state text instead of a chart', async () => {
    const page = await open({ usage: [] });
    await suite.window().waitForCalls((calls) => callsNamed(calls, 'usageByHour').length > 0);
    assert.equal(await page.isVisible('#usage-empty'), true);
    assert.equal(await page.locator('#usage-charts canvas').count(), 0);
  });

  test('the CSP is enforced: an injected inline script is blocked and reported', async () => {
    const page = await open();
    await page.evaluate(`{ const s = document.createElement('script'); s.textContent = 'window.__inline = 1'; document.body.append(s); }`);
    assert.equal(await page.evaluate('window.__inline'), undefined);
    const reported = await suite.window().problems();
    assert.ok(reported.some((p) => p.includes('script-src')), `the violation is reported: ${reported.join(' | ')}`);
    await suite.closeUnchecked(); // the expected violation must not fail the afterEach check
  });
});
