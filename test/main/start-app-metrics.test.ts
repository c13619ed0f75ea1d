import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import test, { afterEach, beforeEach } from 'node:test';
import { startApp } from '../../src/main/start-app.js';
import { __test, app } from '../support/fake-electron/index.js';
import { scrape } from '../sync/metrics/scrape.js';
import { startAppDeps } from './start-app-deps.js';

const TOKEN = 'gw-token-5f1c2a9e7d3b';
const PAGE = pathToFileURL(join('/app/dist', 'renderer', 'index.html')).href;
let root: string;
let blocker: Server | undefined;
beforeEach(() => {
  root = fs.mkdtempSync(join(tmpdir(), 'start-app-metrics-'));
  __test.reset({ userData: join(root, 'userData'), logs: join(root, 'logs') });
});
afterEach(async () => {
  await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
  blocker = undefined;
  fs.rmSync(root, { recursive: true, force: true });
});

function listenAnywhere(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

async function refused(url: string): Promise<boolean> {
  return fetch(url).then(
    () => false,
    (e: Error) => /ECONNREFUSED/.test(String((e.cause as Error | undefined)?.message ?? e.message)),
  );
}

test('metrics follow the setting: served for the running engine, moved on restart, a busy port reported, closed on quit', async () => {
  const { d, engines } = startAppDeps(root, { OPENCLAW_GATEWAY_TOKEN: TOKEN });
  const running = await startApp(d);
  assert.ok(running);
  running.openSettings();
  const call = (channel: string, payload?: unknown) => __test.invoke(channel, payload, { webContents: __test.windows[0]!.webContents, frameUrl: PAGE });
  const initial = (await call('settings:get')).value;
  assert.deepEqual(initial.metrics, { state: 'off' }, 'no port set: no server');
  const save = async (metricsPort: number | undefined) => {
    const r = await call('settings:save', { settings: { ...initial.settings, metricsPort } });
    assert.equal(r.value.ok, true);
    return r.value.view.metrics;
  };

  // Port 0 = any free port, so the test never collides with another process.
  const serving = await save(0);
  assert.equal(serving.state, 'serving');
  assert.match(serving.url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  assert.equal(engines.length, 2, 'the save restarted the engine');
  engines[1]!.emit({ pollCount: 4, sessionsSeen: 7, outboxDepth: 3 });
  const base = serving.url.replace(/\/metrics$/, '');
  const metrics = await scrape(base);
  assert.equal(metrics.value('agentwatch_sync_sessions_seen'), 7, 'the new engine is the one measured');
  assert.equal(metrics.value('agentwatch_sync_outbox_depth'), 3);
  assert.equal(engines[1]!.deliveredListenerCount(), 1);

  const busy = await listenAnywhere();
  blocker = busy.server;
  const failed = await save(busy.port);
  assert.deepEqual(failed, { state: 'failed', error: `Port ${busy.port} is already in use, so Prometheus metrics are off. Pick another port in Settings (or leave it empty).` });
  assert.equal(await refused(serving.url), true, 'the previous server was closed with its engine');
  assert.equal(engines[1]!.deliveredListenerCount(), 0);
  assert.equal(engines.length, 3);
  assert.equal(running.engines.status().phase, 'idle', 'the sync keeps running without metrics');
  assert.ok((await call('diagnostics:copy')).value.text.includes(`Port ${busy.port} is already in use`), 'the error reaches the recent problems');

  assert.deepEqual(await save(undefined), { state: 'off' });
  const again = await save(0);
  assert.equal(again.state, 'serving');
  const quit = new Promise<void>((resolve) => app.once('quit', () => resolve()));
  app.quit();
  await quit;
  assert.equal(await refused(again.url), true, 'quit closes the metrics server');
  assert.equal(engines.at(-1)!.deliveredListenerCount(), 0);
  assert.match(fs.readFileSync(running.logPath, 'utf8'), /\[ERROR\] - Port \d+ is already in use, so Prometheus metrics are off/);
});
