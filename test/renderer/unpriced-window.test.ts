import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { callsNamed, chromiumMissing, waitForText } from './open-window.js';
import { sampleStatus, sampleUsage, sampleView } from './window-fixtures.js';
import { windowSuite } from './window-suite.js';

const missing = chromiumMissing();
if (missing && process.env['CI'] === 'true') test('Chromium is installed for the unpriced-cost window tests', () => assert.fail(missing));

describe('unpriced cost in the settings window (Chromium)', { skip: missing ?? false }, () => {
  const now = Date.now();
  const suite = windowSuite(() => ({ view: sampleView(), status: sampleStatus(now), usage: sampleUsage() }));

  test("today's cost reads as a lower bound once unpriced runs are in it, and as exact without them", async () => {
    const page = await suite.open();
    assert.equal(await page.textContent('#st-today'), '1,482,930 tokens · $4.87');
    await page.evaluate(`window.__fake.push(${JSON.stringify({ ...sampleStatus(now), unpricedToday: 2 })})`);
    await waitForText(page, '#st-today', '1,482,930 tokens · ≥ $4.87 (2 runs unpriced)');
  });

  test('the USD chart says it is a lower bound when the last 24 hours hold unpriced runs', async () => {
    const usage = [...sampleUsage(), { hoursAgo: 1, agentId: 'coder', tokens: 9_000, costMicros: 0, unpriced: 3 }];
    const page = await suite.open({ usage });
    await suite.window().waitForCalls((calls) => callsNamed(calls, 'usageByHour').length > 0);
    await waitForText(page, '#usage-charts .u-title >> nth=1', 'USD / h, at least (3 runs unpriced)');
    assert.match((await page.getAttribute('#usage-charts', 'aria-label')) ?? '', /tokens and ≥ \$[\d.]+ \(3 runs unpriced\) in the last 24 hours$/);
  });

  test('without unpriced runs the chart title is the plain one', async () => {
    const page = await suite.open();
    await suite.window().waitForCalls((calls) => callsNamed(calls, 'usageByHour').length > 0);
    assert.equal(await waitForText(page, '#usage-charts .u-title >> nth=1', 'USD / h'), 'USD / h');
  });
});
