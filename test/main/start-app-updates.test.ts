// The tray app's update wiring: startApp with the fake electron and the real electron-updater (AppImageUpdater) against
// a loopback generic feed given through the test-only AGENTWATCH_SYNC_TEST_UPDATE_FEED.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { afterEach, beforeEach } from 'node:test';
import { AppImageUpdater } from 'electron-updater';
import { latestVersion, MIGRATIONS } from '../../src/main/settings-migrations.js';
import { startApp } from '../../src/main/start-app.js';
import { TEST_UPDATE_FEED_ENV } from '../../src/main/update-eligibility.js';
import { UPDATE_CHECK_INTERVAL_MS } from '../../src/main/update-service.js';
import { __test, app } from '../support/fake-electron/index.js';
import { fakeAppImageEnv, sha512Of, startUpdateFeed, type UpdateFeed } from '../support/update-feed.js';
import { startAppDeps } from './start-app-deps.js';

const TOKEN = 'gw-token-5f1c2a9e7d3b';
const PAGE = 'file:///app/dist/renderer/index.html';
let root = '';
let feed: UpdateFeed | null = null;
let restoreEnv = () => {};

beforeEach(() => {
  root = fs.mkdtempSync(join(tmpdir(), 'start-app-updates-'));
  __test.reset({ userData: join(root, 'userData'), logs: join(root, 'logs') });
  restoreEnv = fakeAppImageEnv(root);
});

afterEach(async () => {
  await feed?.close();
  feed = null;
  restoreEnv();
  fs.rmSync(root, { recursive: true, force: true });
});

async function quit(): Promise<void> {
  const done = new Promise<void>((resolve) => app.once('quit', () => resolve()));
  app.quit();
  await done;
}

const menuItem = (id: string) => __test.trays[0]!.menus.at(-1)!.getMenuItemById(id);

test('update available: downloaded in the background, then a tray item and a notification say "Restart to update to v0.2.0"', async () => {
  feed = await startUpdateFeed({ version: '0.2.0' });
  const { d, timers } = startAppDeps(root, { OPENCLAW_GATEWAY_TOKEN: TOKEN, [TEST_UPDATE_FEED_ENV]: feed.url, APPIMAGE: process.env.APPIMAGE! });
  d.createUpdater = () => new AppImageUpdater();
  const running = await startApp(d);
  assert.ok(running?.updates, 'an unpacked run with the test feed checks for updates');
  assert.equal(menuItem('restart-to-update'), undefined, 'nothing to offer before the download');
  assert.equal(await running.updates.check(), 'downloaded');
  assert.ok(timers.all.some((t) => t.ms === UPDATE_CHECK_INTERVAL_MS), 'and again every 6 h');

  assert.equal(menuItem('restart-to-update')?.label, 'Restart to update to v0.2.0');
  assert.deepEqual(__test.notifications.map((n) => n.title), ['Restart to update to v0.2.0']);
  assert.match(__test.notifications[0]!.body, /installs when you quit/);

  // "Restart to update": the engine flushes first, then the new AppImage replaces the old one and is started.
  const done = new Promise<void>((resolve) => app.once('quit', () => resolve()));
  (menuItem('restart-to-update')!.click as () => void)();
  await done;
  // electron-updater's quitAndInstall quits once more on the next turn; let that land before the next test's app.
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(fs.readFileSync(process.env.APPIMAGE!, 'utf8'), feed.artifact.toString('utf8'));
  const log = fs.readFileSync(running.logPath, 'utf8');
  assert.match(log, /Update 0\.2\.0 downloaded and verified/);
  assert.ok(log.indexOf('Quitting: stopping the sync engine') < log.indexOf('Installing update 0.2.0 and restarting'), log);
});

test('"Restart to update" whose install fails at once still quits, with one line saying why', async () => {
  feed = await startUpdateFeed({ version: '0.2.0' });
  const { d } = startAppDeps(root, { OPENCLAW_GATEWAY_TOKEN: TOKEN, [TEST_UPDATE_FEED_ENV]: feed.url, APPIMAGE: process.env.APPIMAGE! });
  d.createUpdater = () => new AppImageUpdater();
  const running = await startApp(d);
  assert.equal(await running!.updates!.check(), 'downloaded');
  // The AppImage the update would replace is gone from the environment: electron-updater cannot install.
  delete process.env.APPIMAGE;
  const done = new Promise<void>((resolve) => app.once('quit', () => resolve()));
  (menuItem('restart-to-update')!.click as () => void)();
  await done;
  const log = fs.readFileSync(running!.logPath, 'utf8');
  assert.match(log, /\[WARNING\] - Update 0\.2\.0 could not be installed \(APPIMAGE env is not defined\); quitting without it\./);
});

test('a tampered download and an unreachable feed: no tray item, no notification, no window, one log line each', async () => {
  feed = await startUpdateFeed({ version: '0.2.0', sha512: sha512Of(Buffer.from('not the artifact')) });
  const { d } = startAppDeps(root, { OPENCLAW_GATEWAY_TOKEN: TOKEN, [TEST_UPDATE_FEED_ENV]: feed.url, APPIMAGE: process.env.APPIMAGE! });
  d.createUpdater = () => new AppImageUpdater();
  const running = await startApp(d);
  assert.equal(await running!.updates!.check(), 'refused');
  await feed.close();
  feed = null;
  assert.equal(await running!.updates!.check(), 'unreachable');
  assert.equal(menuItem('restart-to-update'), undefined);
  assert.deepEqual(__test.notifications, []);
  assert.deepEqual(__test.windows, [], 'no dialog or window opened');
  await quit();
  assert.equal(fs.readFileSync(process.env.APPIMAGE!, 'utf8'), '#!/bin/sh\necho old\n', 'nothing installed on quit');
  const log = fs.readFileSync(running!.logPath, 'utf8').split('\n');
  assert.equal(log.filter((l) => l.includes('refused: its sha512 does not match the release feed')).length, 1, log.join('\n'));
  // ECONNREFUSED, or "socket hang up" when the pooled keep-alive socket of the first check was the one cut.
  assert.equal(log.filter((l) => /\[INFO\] - Update check failed \(.+\); trying again at the next check in 6 h\.$/.test(l)).length, 1, log.join('\n'));
  assert.deepEqual(log.filter((l) => /\[ERROR\]|^\s+at /.test(l)), [], 'no error lines, no stack traces');
});

test('"Check for updates" off: the feed is never asked; switched on in the window, it checks at once', { timeout: 20_000 }, async () => {
  feed = await startUpdateFeed({ version: '0.2.0' });
  fs.mkdirSync(join(root, 'userData'), { recursive: true });
  const settings = { schemaVersion: latestVersion(MIGRATIONS), settings: { checkForUpdates: false } };
  fs.writeFileSync(join(root, 'userData', 'settings.json'), JSON.stringify(settings));
  const { d } = startAppDeps(root, { OPENCLAW_GATEWAY_TOKEN: TOKEN, [TEST_UPDATE_FEED_ENV]: feed.url, APPIMAGE: process.env.APPIMAGE! });
  d.createUpdater = () => new AppImageUpdater();
  const running = await startApp(d);
  assert.equal(await running!.updates!.check(), 'off');
  assert.deepEqual(feed.requests, []);
  assert.deepEqual(__test.netRequests, []);

  running!.openSettings();
  const call = (channel: string, payload?: unknown) => __test.invoke(channel, payload, { webContents: __test.windows[0]!.webContents, frameUrl: PAGE });
  const current = (await call('settings:get')).value;
  assert.equal(current.settings.checkForUpdates, false, 'the window shows it off');
  const saved = await call('settings:save', { settings: { ...current.settings, checkForUpdates: true } });
  assert.equal(saved.value.ok, true);
  await feed.asked('/latest-linux.yml'); // the save itself started a check (a timeout here means it did not)
  assert.equal(await running!.updates!.check(), 'downloaded', 'this call joins the check in flight');
  assert.equal(feed.requests.filter((p) => p === '/latest-linux.yml').length, 1, 'one check');
  await quit();
});

test('after an AppImage update renamed the file, "Open at login" starts the running copy, not the removed one', async () => {
  const { d } = startAppDeps(root, { OPENCLAW_GATEWAY_TOKEN: TOKEN });
  const entry = join(root, 'home', '.config', 'autostart', 'agentwatch-sync.desktop');
  fs.mkdirSync(join(entry, '..'), { recursive: true });
  fs.writeFileSync(entry, '[Desktop Entry]\nExec=/home/u/agentwatch-live-sync-0.1.0-linux-x86_64.AppImage\n');
  d.execPath = '/home/u/agentwatch-live-sync-0.2.0-linux-x86_64.AppImage';
  await startApp(d);
  const text = fs.readFileSync(entry, 'utf8');
  assert.match(text, /^Exec="\/home\/u\/agentwatch-live-sync-0\.2\.0-linux-x86_64\.AppImage"$/m);
  assert.doesNotMatch(text, /0\.1\.0/);
  await quit();
});

test('a development run (not packaged, no test feed) builds no updater and contacts nothing', async () => {
  const { d } = startAppDeps(root, { OPENCLAW_GATEWAY_TOKEN: TOKEN });
  let built = 0;
  d.createUpdater = () => {
    built++;
    return new AppImageUpdater();
  };
  const running = await startApp(d);
  assert.equal(running?.updates, null);
  assert.equal(built, 0);
  assert.deepEqual(__test.netRequests, []);
  await quit();
  assert.match(fs.readFileSync(running!.logPath, 'utf8'), /Update checks: off \(development run \(not packaged\): updates come from git\)\./);
});
