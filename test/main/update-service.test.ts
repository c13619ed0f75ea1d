// The real electron-updater (AppImageUpdater, its ElectronAppAdapter and ElectronHttpExecutor) against a loopback
// generic feed. Electron's `app` and `net` are the fake electron module's (net = Node's http), nothing else is.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { AppImageUpdater } from 'electron-updater';
import { createUpdateService, UPDATE_CHECK_INTERVAL_MS, type UpdaterLike } from '../../src/main/update-service.js';
import { useTestFeed } from '../../src/main/test-update-feed.js';
import { __test, app } from '../support/fake-electron/index.js';
import { fakeAppImageEnv, startUpdateFeed, sha512Of, type UpdateFeed } from '../support/update-feed.js';
import { recordingLogger } from './fake-engine.js';

let root = '';
let feed: UpdateFeed | null = null;
let restoreEnv = () => {};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'aw-update-'));
  __test.reset({ userData: join(root, 'userData') });
  mkdirSync(join(root, 'userData'));
  restoreEnv = fakeAppImageEnv(root);
});

afterEach(async () => {
  await feed?.close();
  feed = null;
  restoreEnv();
  rmSync(root, { recursive: true, force: true });
});

function service(feedUrl: string) {
  const rec = recordingLogger();
  const updater = new AppImageUpdater();
  useTestFeed(updater, feedUrl, root, (p, t) => writeFileSync(p, t));
  const ready: string[] = [];
  const timers: Array<{ ms: number; fn: () => void }> = [];
  const svc = createUpdateService({
    updater: updater as unknown as UpdaterLike,
    enabled: () => true,
    log: rec.log,
    every: (ms, fn) => {
      timers.push({ ms, fn });
      return () => {};
    },
    onReady: (v) => ready.push(v),
  });
  const said = (level: string) => rec.lines.filter((l) => l.level === level).map((l) => l.message);
  return { svc, updater, ready, timers, said };
}

test('the feed offers the running version: no download, nothing waits for a restart', async () => {
  feed = await startUpdateFeed({ version: app.getVersion() });
  const { svc, ready, said } = service(feed.url);
  assert.equal(await svc.check(), 'current');
  assert.deepEqual(feed.requests, ['/latest-linux.yml']);
  assert.equal(svc.readyVersion(), null);
  assert.deepEqual(ready, []);
  assert.deepEqual([...said('info'), ...said('warn'), ...said('error')], []);
});

test('a newer version is downloaded in the background, checked, announced once, and installed when the app quits', async () => {
  feed = await startUpdateFeed({ version: '0.2.0' });
  const { svc, ready, said } = service(feed.url);
  assert.equal(await svc.check(), 'downloaded');
  assert.deepEqual(feed.requests.filter((p) => p.endsWith('.AppImage')), [`/${feed.artifactName}`]);
  assert.equal(svc.readyVersion(), '0.2.0');
  assert.deepEqual(ready, ['0.2.0']);
  assert.ok(said('info').some((m) => m.startsWith('Update 0.2.0 downloaded and verified')), said('info').join('\n'));
  // A second check finds it already downloaded: no second announcement, no second download.
  assert.equal(await svc.check(), 'downloaded');
  assert.deepEqual(ready, ['0.2.0']);
  assert.equal(feed.requests.filter((p) => p.endsWith('.AppImage')).length, 1);

  // Quit (exit code 0): electron-updater moves the new AppImage over the running one and runs it once.
  app.quit();
  assert.equal(readFileSync(process.env.APPIMAGE!, 'utf8'), feed.artifact.toString('utf8'));
  assert.equal(readFileSync(process.env.AGENTWATCH_TEST_INSTALL_MARKER!, 'utf8').trim(), 'installed 0.2.0');
});

test('a download whose sha512 does not match the feed is refused with one line and never installed', async () => {
  feed = await startUpdateFeed({ version: '0.2.0', sha512: sha512Of(Buffer.from('something else')) });
  const { svc, ready, said } = service(feed.url);
  assert.equal(await svc.check(), 'refused');
  assert.ok(feed.requests.includes(`/${feed.artifactName}`), 'the artifact was downloaded before the check');
  assert.deepEqual(said('warn'), ['Update 0.2.0 refused: its sha512 does not match the release feed, so nothing was installed; the next check tries again.']);
  assert.deepEqual(said('error'), []);
  assert.equal(svc.readyVersion(), null);
  assert.deepEqual(ready, []);
  assert.deepEqual(__test.notifications, []);
  app.quit();
  assert.equal(readFileSync(process.env.APPIMAGE!, 'utf8'), '#!/bin/sh\necho old\n', 'the running AppImage is untouched');
  assert.equal(existsSync(process.env.AGENTWATCH_TEST_INSTALL_MARKER!), false);
});

test('an unreachable feed is one quiet line; the next 6-hourly check finds the update', async () => {
  feed = await startUpdateFeed({ version: '0.2.0' });
  const url = feed.url;
  await feed.close();
  const { svc, ready, timers, said } = service(url);
  svc.start();
  assert.deepEqual(timers.map((t) => t.ms), [UPDATE_CHECK_INTERVAL_MS]);
  assert.equal(await svc.check(), 'unreachable');
  const lines = said('info');
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0]!, /^Update check failed \(.*ECONNREFUSED.*\); trying again at the next check in 6 h\.$/);
  assert.deepEqual([...said('warn'), ...said('error')], []);
  assert.deepEqual(__test.notifications, []);
  assert.deepEqual(__test.windows, [], 'no dialog, no window');

  // The feed comes back on the same port; the timer's next tick checks again.
  feed = await startUpdateFeed({ version: '0.2.0' }, Number(new URL(url).port));
  timers[0]!.fn();
  await svc.check();
  assert.deepEqual(ready, ['0.2.0']);
});
