import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoWorld } from '../../src/sim/demo-world.js';
import { gatewaySource } from '../../src/sync/gateway-source.js';
import { GatewayClient } from '../../src/sync/openclaw/gateway-client.js';
import { systemClock } from '../../src/sync/ports.js';
import { captureLog, engineFor, settingsFor, startPeers, tempDir } from '../support/engine-kit.js';
import { clientDeps, recordingLogger, simToken, startValidatedSim } from './openclaw/sim-kit.js';

test('usage is asked for alongside the list until an answer had more rows than the limit (the gateway\'s 50 MB send buffer)', async () => {
  const sim = await startValidatedSim(); // the captured snapshot: 7 usage rows
  const client = new GatewayClient({ url: sim.url, token: simToken, requestTimeoutMs: 2_000, clientVersion: 'test' }, clientDeps());
  try {
    const signal = new AbortController().signal;
    const tight = gatewaySource(client, recordingLogger(), systemClock, 50, 6);
    const roomy = gatewaySource(client, recordingLogger(), systemClock, 50, 7);
    assert.equal(tight.usageWithList?.(), true, 'nothing known yet: alongside');
    await tight.fetchUsage(signal, { startDate: '2026-11-01', endDate: '2026-11-24' });
    assert.equal(tight.usageWithList?.(), true, 'a backfill window says nothing about the lifetime answer');
    assert.equal((await tight.fetchUsage(signal)).bySessionId.size, 7);
    assert.equal(tight.usageWithList?.(), false, '7 rows > 6: after the list');
    await roomy.fetchUsage(signal);
    assert.equal(roomy.usageWithList?.(), true, '7 rows ≤ 7');
  } finally {
    client.close();
    await sim.close();
  }
});

test('a poll asks for usage before the list pages while the answers are small', async () => {
  const world = demoWorld(systemClock);
  world.keys().forEach((key, i) => world.finishRun(key, 1_000 + i, 10));
  const peers = await startPeers({ sessions: () => world.rows(), usage: () => world.usagePayload() });
  const dir = await tempDir();
  try {
    const engine = await engineFor(peers, dir.path, captureLog('INFO').log, settingsFor(peers));
    assert.equal((await engine.runOnce()).ok, true);
    await engine.stop();
    const order = peers.gateway.requests.map((r) => r.method).filter((m) => m.startsWith('sessions.'));
    assert.deepEqual(order.slice(0, 2), ['sessions.usage', 'sessions.list'], order.join(', '));
  } finally {
    await peers.close();
    await dir.remove();
  }
});
