import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { callsNamed, chromiumMissing, waitForText } from './open-window.js';
import { sampleStatus, sampleUsage, sampleView } from './window-fixtures.js';
import { windowSuite } from './window-suite.js';

const missing = chromiumMissing();
if (missing && process.env['CI'] === 'true') test('Chromium is installed for the About tests', () => assert.fail(missing));

const ABOUT = { appVersion: '0.1.0', stateDir: '/home/ada/.config/AgentWatch Sync/state', logFile: '/home/ada/.config/AgentWatch Sync/logs/agentwatch-sync.log', projectUrl: 'https://github.com/jrholco-beepboop-bot/agentwatch' };

describe('About section in Chromium', { skip: missing ?? false }, () => {
  const now = Date.now();
  const suite = windowSuite(() => ({ view: sampleView(), status: sampleStatus(now), usage: sampleUsage(), about: ABOUT }));

  test('shows the app version, the gateway version from the handshake, and the paths; follows a new gateway version', async () => {
    const page = await suite.open();
    const rows = async () => {
      const terms = await page.locator('#about dt').allTextContents();
      const values = await page.locator('#about dd').allTextContents();
      return Object.fromEntries(terms.map((t, i) => [t, values[i]]));
    };
    assert.deepEqual(await rows(), {
      'Version': 'AgentWatch Sync 0.1.0',
      'OpenClaw gateway': 'version 2026.3.2',
      'State folder': ABOUT.stateDir,
      'Log file': ABOUT.logFile,
      'Project page': ABOUT.projectUrl,
    });
    await page.evaluate(`window.__fake.push({ ...${JSON.stringify(sampleStatus(now))}, gatewayVersion: '2026.4.0' })`);
    await waitForText(page, '#about', 'version 2026.4.0');
    await page.evaluate(`window.__fake.push({ ...${JSON.stringify(sampleStatus(now))}, gatewayVersion: null })`);
    await waitForText(page, '#about', 'not connected yet');
  });

  test('the state folder, log file and project page are buttons that ask main to open that target, by name only', async () => {
    const page = await suite.open();
    await page.click('#nav-about');
    await page.click('#about-log-file');
    await waitForText(page, '#about-result', `Opened ${ABOUT.logFile}`);
    await page.focus('#about-state-dir');
    await page.keyboard.press('Enter');
    await page.click('#about-project');
    await suite.window().waitForCalls((calls) => callsNamed(calls, 'openAboutTarget').length === 3);
    assert.deepEqual(callsNamed(await suite.window().calls(), 'openAboutTarget').map((c) => c.arg), ['logFile', 'stateDir', 'project']);
  });

  test("main's reason is shown when a target cannot be opened", async () => {
    const page = await suite.open({ responses: { openAboutTarget: { ok: true, value: { error: 'Could not open /x/sync.log: No application is associated with this file' } } } });
    await page.click('#about-log-file');
    await waitForText(page, '#about-result', 'No application is associated');
  });
});
