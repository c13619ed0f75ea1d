import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { demoWorld } from '../../src/sim/demo-world.js';
import { Settings } from '../../src/shared/settings.js';
import { systemClock } from '../../src/sync/ports.js';
import { openGateways } from '../../src/cli/open-gateways.js';
import { runGateways } from '../../src/cli/run-gateways.js';
import { SyncError } from '../../src/sync/errors.js';
import { acquireStateLock } from '../../src/sync/store/lock.js';
import type { RunSyncOptions } from '../../src/cli/run-sync.js';
import { captureLog, startPeers, tempDir } from '../support/engine-kit.js';

/** A loopback port nobody listens on (bound, then closed): connecting to it is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

function options(settings: Settings, stateDir: string, log: RunSyncOptions['log']): { o: RunSyncOptions; signal: () => void } {
  let handler: (signal: string) => void = () => {};
  const o: RunSyncOptions = { settings, flags: { once: false, stateDir }, env: {}, log, secrets: [], clientVersion: 'test', stdout: process.stdout, onSignal: (h) => ((handler = h), () => {}) };
  return { o, signal: () => handler('SIGTERM') };
}

test('the daemon: a gateway that gives up stops alone, the other keeps syncing, SIGTERM stops both with exit 0', async (t) => {
  const world = demoWorld(systemClock);
  world.keys().forEach((k, i) => world.finishRun(k, 1_000 + i, 10 + i));
  const peers = await startPeers({ sessions: () => world.rows(), usage: () => world.usagePayload() });
  const dir = await tempDir();
  t.after(async () => {
    await peers.close();
    await dir.remove();
  });
  await writeFile(join(dir.path, 'token'), peers.token);
  const { log, lines } = captureLog('INFO');
  const settings = Settings.parse({ agentwatchUrl: peers.agentwatch.url, pollIntervalSec: 5, maxErrors: 1, tokenFile: join(dir.path, 'token') });
  const { o, signal } = options(settings, join(dir.path, 'state'), log);
  const done = runGateways(o, [{ url: `http://127.0.0.1:${await closedPort()}`, name: 'down' }, { url: peers.gateway.url, name: 'up' }]);
  const until = Date.now() + 10_000;
  while (!(lines.some((l) => l.includes('[down] Gave up')) && peers.agentwatch.costs.length >= 5)) {
    assert.ok(Date.now() < until, `timed out: ${lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.ok(lines.some((l) => /\[down\] Gave up after 1 failed poll in a row; the other gateways keep syncing/.test(l)), lines.join('\n'));
  assert.equal(lines.filter((l) => l.includes('[down] Gave up')).length, 1, 'said once');
  assert.ok(lines.some((l) => /Starting OpenClaw→AgentWatch polling daemon for 2 gateways/.test(l)));
  assert.ok(lines.some((l) => /Gateway up: http:\/\/127\.0\.0\.1:\d+/.test(l)));
  signal();
  assert.equal(await done, 0);
  assert.ok(lines.some((l) => /\[up\] Stopped after \d+ polls?: 5 events delivered/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /\[down\] Stopped after 1 poll: 0 events delivered, 0 queued for next start, 1 failed poll/.test(l)), lines.join('\n'));
});

test('the daemon exits 1 once every gateway has given up', async (t) => {
  const dir = await tempDir();
  t.after(() => dir.remove());
  await writeFile(join(dir.path, 'token'), 'abcdefgh12345678');
  const { log } = captureLog('INFO');
  const settings = Settings.parse({ pollIntervalSec: 5, maxErrors: 1, tokenFile: join(dir.path, 'token') });
  const { o } = options(settings, join(dir.path, 'state'), log);
  const code = await runGateways(o, [{ url: `http://127.0.0.1:${await closedPort()}` }, { url: `http://127.0.0.1:${await closedPort()}` }]);
  assert.equal(code, 1);
});

test('the gateway list is changed under its own lock, held only meanwhile: a running sync never blocks adding a gateway', async (t) => {
  const dir = await tempDir();
  t.after(() => dir.remove());
  await writeFile(join(dir.path, 'token'), 'abcdefgh12345678');
  const { log } = captureLog('INFO');
  const settings = Settings.parse({ pollIntervalSec: 5, tokenFile: join(dir.path, 'token') });
  const stateDir = join(dir.path, 'state');
  const { o } = options(settings, stateDir, log);
  const held = await acquireStateLock(join(stateDir, 'gateways'), { pid: process.pid, log });
  await assert.rejects(openGateways(o, [{ url: 'http://127.0.0.1:1' }]), (e: Error) => e instanceof SyncError && e.code === 'LOCKED');
  await held.release();
  const open = await openGateways(o, [{ url: 'http://127.0.0.1:1' }]);
  const again = await openGateways({ ...o, flags: { ...o.flags, stateDir } }, [{ url: 'http://127.0.0.1:2' }]);
  assert.equal(open.length + again.length, 2, 'a second process adds a gateway while the first one runs');
  await Promise.all([...open, ...again].map((g) => g.engine.stop()));
});
