import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createTray } from '../../src/main/tray.js';
import type { TrayActions } from '../../src/main/tray-menu.js';
import { STALE_AFTER_INTERVALS } from '../../src/shared/health-verdict.js';
import type { SyncStatus } from '../../src/shared/sync-status.js';
import { serveMetrics, type MetricsEndpoint } from '../../src/sync/metrics/metrics-endpoint.js';
import { __test, Menu, nativeImage, Tray, type FakeNativeImage } from '../support/fake-electron/index.js';
import { chromiumMissing } from './open-window.js';
import { sampleStatus, sampleView } from './window-fixtures.js';
import { windowSuite } from './window-suite.js';
import { clockFormatter } from '../../src/shared/format-clock.js';

// The same status, at the same instant, through the three places that show health: the tray (fake electron), the
// settings window (real Chromium, its clock frozen at NOW) and /healthz (a real loopback request).

const NOW = Date.UTC(2026, 2, 14, 14, 30, 0);
const INTERVAL = 30_000;
const STALE_MS = STALE_AFTER_INTERVALS * INTERVAL;
const lastError = { code: 'NETWORK', message: 'AgentWatch at http://localhost:8765 did not answer. Start the dashboard.', at: NOW - 5_000 };

const base = (): SyncStatus => ({ ...sampleStatus(NOW), lastError: null, pollIntervalMs: INTERVAL, startedAt: NOW - 3_600_000 });
const CASES: Array<{ name: string; status: SyncStatus; stale: boolean }> = [
  { name: 'fresh', status: { ...base(), lastSuccessAt: NOW - 12_000 }, stale: false },
  { name: 'exactly three intervals', status: { ...base(), lastSuccessAt: NOW - STALE_MS }, stale: false },
  { name: 'three intervals and a millisecond', status: { ...base(), lastSuccessAt: NOW - STALE_MS - 1 }, stale: true },
  { name: 'long quiet', status: { ...base(), lastSuccessAt: NOW - 10 * 60_000 }, stale: true },
  { name: 'a poll hanging past three intervals', status: { ...base(), phase: 'polling', lastSuccessAt: NOW - STALE_MS - 1_000 }, stale: true },
  { name: 'first poll not back after three intervals', status: { ...base(), phase: 'polling', lastSuccessAt: null, startedAt: NOW - STALE_MS - 1 }, stale: true },
  { name: 'a 5 s engine after 16 s', status: { ...base(), pollIntervalMs: 5_000, lastSuccessAt: NOW - 16_000 }, stale: true },
  { name: 'failing and quiet', status: { ...base(), lastSuccessAt: NOW - 10 * 60_000, consecutiveErrors: 2, lastError }, stale: false },
  { name: 'paused and quiet', status: { ...base(), phase: 'paused', lastSuccessAt: NOW - 10 * 60_000 }, stale: false },
  { name: 'stopped and quiet', status: { ...base(), phase: 'stopped', lastSuccessAt: NOW - 10 * 60_000 }, stale: false },
];

const noop = () => {};
const actions: TrayActions = { pause: noop, resume: noop, runOnce: noop, openSettings: noop, openExternal: noop, openLogFile: noop, copyText: noop, restartToUpdate: noop, quit: noop };

const missing = chromiumMissing();
if (missing && process.env['CI'] === 'true') test('Chromium is installed for the health-agreement test', () => assert.fail(missing));

describe('one health verdict: tray, settings window and /healthz agree', { skip: missing ?? false }, () => {
  const suite = windowSuite(() => ({ view: sampleView(), status: base() }));
  let current: SyncStatus = base();
  let endpoint: MetricsEndpoint | undefined;

  before(async () => {
    const source = { status: () => current, onStatus: () => noop, onDelivered: () => noop };
    endpoint = await serveMetrics(source, { port: 0, clock: { now: () => NOW }, defaultMetrics: false });
  });
  after(async () => endpoint?.close());
  beforeEach(() => __test.reset());

  test('the tray says Stale exactly when the window does, and /healthz is degraded for the same reason', async () => {
    const page = await suite.open({}, { fixedTime: NOW });
    const tray = createTray<FakeNativeImage>(
      { createTray: (image) => new Tray(image), buildMenu: Menu.buildFromTemplate, imageFromPath: nativeImage.createFromPath, platform: 'linux', assetsDir: '/a', now: () => NOW },
      actions,
      () => ({ dashboardUrl: 'http://localhost:8766', formatTime: clockFormatter('en-US'), finishedGraceMs: 600_000, trayTitle: 'off' as const }),
      base(),
    );
    const fake = __test.trays[0]!;
    for (const c of CASES) {
      current = c.status;
      tray.update(c.status);
      await page.evaluate(`window.__fake.push(${JSON.stringify(c.status)})`);
      const trayStale = String(fake.menus.at(-1)!.getMenuItemById('status')?.label).startsWith('Stale · ');
      const windowStale = (await page.textContent('#state-pill')) === 'Stale';
      const health = await fetch(`${endpoint!.url}/healthz`);
      const body = (await health.json()) as { status: string; reason?: string };
      const windowLine = (await page.textContent('#st-state')) ?? '';

      assert.equal(trayStale, c.stale, `${c.name}: tray`);
      assert.equal(windowStale, c.stale, `${c.name}: window`);
      assert.equal(fake.images.at(-1)!.path.endsWith('tray-stale.png'), c.stale, `${c.name}: tray icon`);
      assert.equal(/^no successful poll for /.test(body.reason ?? ''), c.stale, `${c.name}: /healthz`);
      if (c.stale) {
        assert.equal(health.status, 503, `${c.name}: /healthz status`);
        assert.ok(windowLine.endsWith(body.reason!), `${c.name}: the window gives /healthz's reason (${windowLine})`);
      }
    }
    tray.destroy();
  });
});
