// The tray app in real Electron (Playwright's _electron, no browser download) against the loopback simulators. It runs
// wherever Electron's binary exists (the GitHub CI workflow installs it, `npm run fetch-electron` locally, or an
// unpacked Electron through ELECTRON_OVERRIDE_DIST_PATH) and skips with the reason elsewhere; REQUIRE_ELECTRON=1 turns
// that skip into a failure. Each case here has a fake-electron or Chromium twin that runs everywhere (test/main/,
// test/renderer/), so the behaviour is covered even where this file cannot run.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { build } from '../../scripts/build.mjs';
import { findElectron } from '../../scripts/find-electron.mjs';
import type { E2eView } from '../../src/main/e2e-handle.js';
import type { RendererApi } from '../../src/shared/renderer-api.js';
import type { SyncStatus } from '../../src/shared/sync-status.js';
import { demoWorld } from '../../src/sim/demo-world.js';
import { systemClock } from '../../src/sync/ports.js';
import { REPO_ROOT } from '../build/build-into.js';
import { startSlowProxy } from '../delivery/slow-proxy.js';
import { receivedEvents } from '../delivery/delivery-kit.js';
import { startPeers, type Peers } from '../support/engine-kit.js';
import { startUpdateFeed } from '../support/update-feed.js';
import { TEST_UPDATE_FEED_ENV } from '../../src/main/update-eligibility.js';

export function electronSkipReason(exe: string | null, env: NodeJS.ProcessEnv = process.env): string | false {
  let reason: string | false = false;
  if (!exe) reason = 'Electron binary not available (node_modules/electron has no dist/ binary: it downloads on first use, and this machine is offline; the GitHub CI workflow runs this suite, locally `npm run fetch-electron`)';
  else if (process.platform === 'linux' && !env['DISPLAY'] && !env['WAYLAND_DISPLAY']) reason = 'no display for Electron: run under xvfb-run';
  if (reason && env['REQUIRE_ELECTRON'] === '1') throw new Error(`REQUIRE_ELECTRON=1 but the real-Electron suite cannot run: ${reason}`);
  return reason;
}

const exe = findElectron()?.executable ?? null;
const skip = electronSkipReason(exe);

type Api = { agentwatch: RendererApi };
type Main = { agentwatchSyncE2E: E2eView };

async function launch(userData: string, env: Record<string, string> = {}): Promise<ElectronApplication> {
  return _electron.launch({
    executablePath: exe!,
    args: [REPO_ROOT, `--user-data-dir=${userData}`],
    env: { ...(process.env as Record<string, string>), AGENTWATCH_SYNC_E2E: '1', OPENCLAW_GATEWAY_TOKEN: '', ...env },
  });
}

async function settingsWindow(app: ElectronApplication): Promise<Page> {
  const win = await app.firstWindow();
  await win.waitForSelector('body[data-ready="true"]');
  return win;
}

// The main process's view (src/main/e2e-handle.ts, on with AGENTWATCH_SYNC_E2E=1), read or clicked from here.
const statusOf = (app: ElectronApplication) => app.evaluate(() => (globalThis as unknown as Main).agentwatchSyncE2E.status());
const tooltipOf = (app: ElectronApplication) => app.evaluate(() => (globalThis as unknown as Main).agentwatchSyncE2E.tooltip());
const menuIds = (app: ElectronApplication) => app.evaluate(() => (globalThis as unknown as Main).agentwatchSyncE2E.menu().map((i) => i.id));
const menuLabel = (app: ElectronApplication, id: string) =>
  app.evaluate((_electron, item) => (globalThis as unknown as Main).agentwatchSyncE2E.menu().find((i) => i.id === item)?.label, id);
const click = (app: ElectronApplication, id: string) => app.evaluate((_electron, item) => (globalThis as unknown as Main).agentwatchSyncE2E.click(item), id);

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe();
    if (got) return got;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));

describe('the tray app in real Electron', { skip, timeout: 180_000 }, () => {
  let peers: Peers;
  const world = demoWorld(systemClock);
  const dirs: string[] = [];
  const userDataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentwatch-e2e-'));
    dirs.push(dir);
    return dir;
  };
  before(async () => {
    await build(); // the app loads dist/ from its app path (the repo root)
    world.keys().forEach((k, i) => world.finishRun(k, 1_000 + i * 100, 10 + i));
    peers = await startPeers({ sessions: () => world.rows(), usage: () => world.usagePayload() });
  });
  after(async () => {
    await peers?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const save = (win: Page, input: Parameters<RendererApi['saveSettings']>[0]) =>
    win.evaluate((i) => (globalThis as unknown as Api).agentwatch.saveSettings(i), input);
  const settingsFor = (agentwatchUrl: string) => ({ openclawUrl: peers.gateway.url, agentwatchUrl, pollIntervalSec: 5, sink: 'agentwatch' });

  test('first run opens a locked-down settings window: no Node, no navigation, no new windows', async () => {
    const app = await launch(userDataDir());
    try {
      const win = await settingsWindow(app);
      assert.equal(await win.title(), 'AgentWatch Sync — Settings');
      assert.equal(await win.evaluate('typeof require'), 'undefined', 'no Node integration');
      assert.equal(await win.evaluate('typeof process'), 'undefined');
      assert.equal(await win.evaluate('"ipcRenderer" in window.agentwatch'), false, 'the preload exposes named functions only');
      assert.equal(await win.evaluate('window.open("https://example.com")'), null, 'window.open is denied');
      const before = win.url();
      await win.evaluate('location.href = "https://example.com"').catch(() => undefined);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(win.url(), before, 'navigation is blocked');
      const csp = String(await win.evaluate('document.querySelector(\'meta[http-equiv="Content-Security-Policy"]\')?.getAttribute("content") ?? ""'));
      assert.match(csp, /default-src 'none'|default-src 'self'/);
      assert.match((await win.getAttribute('#f-token', 'placeholder')) ?? '', /not set/);
    } finally {
      await app.close();
    }
  });

  test('saved URLs and interval survive a restart; the token goes through safeStorage and never into a plain file', async () => {
    const userData = userDataDir();
    const first = await launch(userData);
    try {
      const saved = await save(await settingsWindow(first), { settings: settingsFor(peers.agentwatch.url), token: peers.token });
      assert.ok(saved.ok && saved.value.ok, JSON.stringify(saved));
    } finally {
      await first.close();
    }
    for (const file of filesUnder(userData)) {
      assert.ok(!readFileSync(file).includes(peers.token), `${file} holds no plain-text token`);
    }
    const second = await launch(userData);
    try {
      const win = await settingsWindow(second);
      const view = await win.evaluate(() => (globalThis as unknown as Api).agentwatch.getSettings());
      assert.ok(view.ok);
      const settings = view.value.settings as { openclawUrl: string; pollIntervalSec: number };
      assert.equal(settings.openclawUrl, peers.gateway.url);
      assert.equal(settings.pollIntervalSec, 5);
      // The stored token is decrypted and used: the sync reaches the gateway.
      await until('a successful poll with the stored token', async () => ((await statusOf(second))?.lastSuccessAt ?? null) !== null);
    } finally {
      await second.close();
    }
  });

  test('a sync delivers to AgentWatch, the tray says so, and Pause / Resume / Run once drive the engine', async () => {
    const app = await launch(userDataDir(), { OPENCLAW_GATEWAY_TOKEN: peers.token });
    try {
      // No window on a run with a token; settings come from the environment's token and the defaults plus a save.
      const before = peers.agentwatch.traces.length;
      await click(app, 'open-settings');
      const win = await until('the settings window after Open settings', async () => app.windows()[0]);
      await win.waitForSelector('body[data-ready="true"]');
      await save(win, { settings: settingsFor(peers.agentwatch.url) });
      await until('AgentWatch traces', async () => peers.agentwatch.traces.length > before);
      const tooltip = await until('the in-sync tooltip', async () => { const t = await tooltipOf(app); return t !== null && /last sync \d/.test(t) ? t : false; });
      assert.match(tooltip!, /^AgentWatch Sync — last sync /);
      const labels = await menuIds(app);
      for (const id of ['status', 'poll-count', 'events-delivered', 'toggle-pause', 'run-once', 'open-settings', 'quit']) assert.ok(labels.includes(id), id);

      await click(app, 'toggle-pause');
      await until('paused', async () => (await statusOf(app))?.phase === 'paused');
      assert.match((await tooltipOf(app)) ?? '', /paused/);
      await click(app, 'toggle-pause');
      const polls = (await statusOf(app))?.pollCount ?? 0;
      await click(app, 'run-once');
      await until('one more poll', async () => ((await statusOf(app))?.pollCount ?? 0) > polls);
    } finally {
      await app.close();
    }
  });

  test('a second launch focuses the running instance and exits', async () => {
    const userData = userDataDir();
    const app = await launch(userData);
    try {
      await settingsWindow(app);
      const second = await launch(userData);
      await second.waitForEvent('close', { timeout: 20_000 });
      assert.equal(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.isVisible()), true);
    } finally {
      await app.close();
    }
  });

  test('quitting while AgentWatch holds a batch loses and doubles nothing after the next start', async () => {
    const userData = userDataDir();
    const proxy = await startSlowProxy(peers.agentwatch.url, '/api/ingest');
    const seen = new Set(receivedEvents(peers.agentwatch).map((e) => e.id));
    try {
      const first = await launch(userData, { OPENCLAW_GATEWAY_TOKEN: peers.token });
      await click(first, 'open-settings');
      const win = await until('the settings window', async () => first.windows()[0]);
      await win.waitForSelector('body[data-ready="true"]');
      world.keys().forEach((k) => world.finishRun(k, 300, 3));
      await save(win, { settings: settingsFor(proxy.url) });
      await proxy.nextHeld();
      const closing = first.close();
      proxy.release();
      await closing;

      const second = await launch(userData, { OPENCLAW_GATEWAY_TOKEN: peers.token });
      try {
        await until('an empty outbox after the restart', async () => {
          const s: SyncStatus | null = await statusOf(second);
          return s !== null && s.lastSuccessAt !== null && s.outboxDepth === 0;
        });
      } finally {
        await second.close();
      }
      const fresh = receivedEvents(peers.agentwatch).filter((e) => !seen.has(e.id));
      assert.ok(fresh.length > 0, 'the new runs arrived');
      assert.equal(new Set(fresh.map((e) => e.id)).size, fresh.length, 'none twice');
    } finally {
      await proxy.close();
    }
  });

  // The loopback feed is the Linux AppImage feed: macOS installs only through Squirrel.Mac, which insists on a signed
  // app, and the Windows feed would need a real NSIS installer. Their update path is the packaged smoke test's job.
  const updateSkip = process.platform === 'linux' ? false : 'the loopback update feed serves the Linux AppImage feed (latest-linux.yml)';
  test('update available: a loopback feed offers 0.2.0, it downloads, the tray offers "Restart to update to v0.2.0", quitting installs it', { skip: updateSkip }, async () => {
    const feed = await startUpdateFeed({ version: '0.2.0' });
    const dir = userDataDir();
    const appImage = join(dir, 'AgentWatch-Live-Sync.AppImage');
    writeFileSync(appImage, '#!/bin/sh\necho old\n', { mode: 0o755 });
    const marker = join(dir, 'installed.txt');
    try {
      const app = await launch(join(dir, 'userData'), {
        OPENCLAW_GATEWAY_TOKEN: peers.token, [TEST_UPDATE_FEED_ENV]: feed.url, APPIMAGE: appImage,
        XDG_CACHE_HOME: join(dir, 'cache'), AGENTWATCH_TEST_INSTALL_MARKER: marker,
      });
      try {
        await until('the update item in the tray menu', async () => (await menuIds(app)).includes('restart-to-update'), 60_000);
        assert.equal(await menuLabel(app, 'restart-to-update'), 'Restart to update to v0.2.0');
        assert.ok(feed.requests.includes(`/${feed.artifactName}`), feed.requests.join(', '));
      } finally {
        await app.close();
      }
      // Install on quit: electron-updater moved the downloaded AppImage over the running one.
      assert.equal(readFileSync(appImage, 'utf8'), feed.artifact.toString('utf8'));
    } finally {
      await feed.close();
    }
  });
});

test('REQUIRE_ELECTRON=1 makes a missing binary a failure, never a skip', () => {
  assert.throws(() => electronSkipReason(null, { REQUIRE_ELECTRON: '1' }), /REQUIRE_ELECTRON=1 but the real-Electron suite cannot run: Electron binary not available/);
  assert.match(String(electronSkipReason(null, {})), /Electron binary not available/);
});
