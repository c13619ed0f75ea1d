import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { AlertsView } from '../../src/shared/ipc-contract.js';
import { REPO_ROOT } from '../build/build-into.js';
import { callsNamed, chromiumMissing, waitForText } from './open-window.js';
import { sampleSettings, sampleStatus, sampleView } from './window-fixtures.js';
import { windowSuite } from './window-suite.js';

const REFUSED = 'Slack refused the alert trigger "sync-failing" (HTTP 404 no_service) — the webhook was revoked or its channel deleted: create a new incoming webhook and put the new URL in Settings → Alerts → Slack webhook URL.';
const SLACK_URL = 'https://hooks.slack.com/services/T0AAA/B0BBB/cccccccccccccccccccccccc';

const missing = chromiumMissing();
if (missing && process.env['CI'] === 'true') test('Chromium is installed for the Alerts section tests', () => assert.fail(missing));

describe('settings window: Alerts section in Chromium', { skip: missing ?? false }, () => {
  const now = Date.UTC(2026, 11, 7, 14, 30);
  const alerts: AlertsView = { slack: { stored: true, refused: REFUSED }, pagerduty: { stored: false } };
  const suite = windowSuite(() => ({ view: { ...sampleView(), alerts }, status: sampleStatus(now) }));
  const shots = mkdtempSync(join(tmpdir(), 'alerts-shot-'));
  after(() => rmSync(shots, { recursive: true, force: true }));

  test('stored secrets are masked, a refused target says so, and the rules are the shared settings', async () => {
    const page = await suite.open();
    assert.equal(await page.getAttribute('#f-slackWebhookUrl', 'type'), 'password');
    assert.equal(await page.inputValue('#f-slackWebhookUrl'), '', 'a stored secret is never put back into the field');
    assert.equal(await page.getAttribute('#f-slackWebhookUrl', 'placeholder'), 'stored — type to replace');
    assert.equal(await page.getAttribute('#f-pagerdutyRoutingKey', 'placeholder'), 'not set');
    assert.equal(await page.textContent('#alert-slack-refused'), `Stopped: ${REFUSED} Nothing more is sent there until you change it.`);
    assert.equal(await page.isHidden('#alert-pagerduty-refused'), true);
    assert.equal(await page.inputValue('#f-alertFailingMinutes'), '5');
    assert.equal(await page.isChecked('#f-alertSlackEnabled'), true);
    assert.equal(await page.isChecked('#f-alertFailedSessions'), true);
  });

  test('bad secrets and limits are marked and block Save; Save sends the typed secrets, switches and rules', async () => {
    const page = await suite.open();
    await page.fill('#f-slackWebhookUrl', 'hooks.slack.com/services/x');
    await page.fill('#f-pagerdutyRoutingKey', 'abc def');
    await page.fill('#f-alertDayUsd', 'fifty');
    assert.match((await page.textContent('#f-slackWebhookUrl-error')) ?? '', /^The URL is not an http\(s\) URL\. Copy it from the Slack app's "Incoming Webhooks" page/);
    assert.match((await page.textContent('#f-pagerdutyRoutingKey-error')) ?? '', /^The key contains whitespace\./);
    assert.equal(await page.textContent('#f-alertDayUsd-error'), 'Enter an amount in USD such as 50, or leave it empty (off)');
    assert.equal(await page.getAttribute('#f-slackWebhookUrl', 'aria-invalid'), 'true');
    assert.equal(await page.isDisabled('#save'), true);

    await page.fill('#f-slackWebhookUrl', SLACK_URL);
    await page.fill('#f-pagerdutyRoutingKey', 'R0123456789abcdef0123456789abcde');
    await page.fill('#f-alertDayUsd', '50');
    await page.fill('#f-alertFailingMinutes', '0');
    await page.uncheck('#f-alertPagerdutyEnabled');
    assert.equal(await page.textContent('#f-slackWebhookUrl-error'), '');
    await page.click('#save');
    await waitForText(page, '#save-result', 'Saved at');
    const [save] = callsNamed(await suite.window().calls(), 'saveSettings');
    const arg = save?.arg as { settings: ReturnType<typeof sampleSettings>; slackWebhookUrl?: string; pagerdutyRoutingKey?: string };
    assert.equal(arg.slackWebhookUrl, SLACK_URL);
    assert.equal(arg.pagerdutyRoutingKey, 'R0123456789abcdef0123456789abcde');
    assert.deepEqual(arg.settings.alerts, { ...sampleSettings().alerts, dayUsdLimit: 50, failingMinutes: 0, pagerdutyEnabled: false });
    assert.equal(await page.inputValue('#f-slackWebhookUrl'), '', 'the secret field is cleared after saving');
    assert.equal(await page.getAttribute('#f-pagerdutyRoutingKey', 'placeholder'), 'stored — type to replace');
  });

  test('Send test alert passes the typed secret (or none) and shows the target\'s one-line answer', async () => {
    const answer = { ok: false, message: 'PagerDuty refused the test alert (HTTP 400 Event object is invalid: Invalid routing key) — PagerDuty rejected the event.' };
    const page = await suite.open({ responses: { testAlert: { ok: true, value: answer } } });
    await page.fill('#f-slackWebhookUrl', 'not a url');
    await page.click('#test-alert-slack');
    assert.match(await waitForText(page, '#test-alert-slack-result', 'Fix the Slack webhook URL first'), /is not an http\(s\) URL/);
    assert.equal(callsNamed(await suite.window().calls(), 'testAlert').length, 0, 'a bad URL is not sent to main');

    await page.fill('#f-pagerdutyRoutingKey', 'R0wrongkey');
    await page.click('#test-alert-pagerduty');
    assert.equal(await waitForText(page, '#test-alert-pagerduty-result', 'refused'), answer.message);
    assert.equal(await page.getAttribute('#test-alert-pagerduty-result', 'data-ok'), 'false');
    await page.fill('#f-slackWebhookUrl', '');
    await page.click('#test-alert-slack');
    await suite.window().waitForCalls((c) => callsNamed(c, 'testAlert').length === 2);
    assert.deepEqual(callsNamed(await suite.window().calls(), 'testAlert').map((c) => c.arg), [{ target: 'pagerduty', secret: 'R0wrongkey' }, { target: 'slack' }]);
  });

  test('a test alert that gets through clears the "Stopped" line, as main lifts the stop', async () => {
    const page = await suite.open({ responses: { testAlert: { ok: true, value: { ok: true, message: "Slack accepted the test alert (HTTP 200): look for it in the webhook's channel." } } } });
    assert.equal(await page.isVisible('#alert-slack-refused'), true);
    await page.click('#test-alert-slack');
    await waitForText(page, '#test-alert-slack-result', 'accepted');
    assert.equal(await page.isHidden('#alert-slack-refused'), true);
  });

  test('screenshot of the section for the README (looked at by hand when it changes)', async () => {
    const page = await suite.open({ responses: { testAlert: { ok: true, value: { ok: true, message: 'PagerDuty accepted the test event (HTTP 202) and its resolve: it shows as a resolved incident.' } } } }, { fixedTime: now });
    await page.fill('#f-alertDayUsd', '50');
    await page.click('#test-alert-pagerduty');
    await waitForText(page, '#test-alert-pagerduty-result', 'accepted');
    // Tall enough for the whole scrolling pane, so the card is never clipped by it.
    await page.setViewportSize({ width: 760, height: Number(await page.evaluate("document.getElementById('sections').scrollHeight")) + 200 });
    await page.evaluate('document.activeElement?.blur()');
    const file = join(shots, 'alerts-section.png');
    await page.locator('#alerts-card').screenshot({ path: file });
    const target = join(REPO_ROOT, 'docs', 'alerts-section.png');
    if (process.env['UPDATE_SCREENSHOTS'] === '1' || !existsSync(target)) copyFileSync(file, target);
  });
});
