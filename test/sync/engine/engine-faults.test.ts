import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SessionWorld } from '../../../src/sim/session-world.js';
import { demoWorld } from '../../../src/sim/demo-world.js';
import { systemClock } from '../../../src/sync/ports.js';
import { createEngine } from '../../../src/sync/create-engine.js';
import { syncConfigOf } from '../../../src/sync/sync-config.js';
import { captureLog, engineFor, FAST_RETRY, receivedBySession, settingsFor, startPeers, tempDir, type Peers } from '../../support/engine-kit.js';

const MODEL = { provider: 'fakellm', model: 'fake-model-1', input: 3, output: 15, contextTokens: 128_000 };

/** The demo's six sessions, each with one finished run. */
function playedWorld(): SessionWorld {
  const world = demoWorld(systemClock);
  world.keys().forEach((key, i) => world.finishRun(key, 1_000 + i * 100, 10 + i));
  return world;
}

async function withPeers(world: SessionWorld, fn: (peers: Peers, dir: string) => Promise<void>, gatewayExtra = {}): Promise<void> {
  const peers = await startPeers({ sessions: () => world.rows(), usage: () => world.usagePayload(), ...gatewayExtra });
  const dir = await tempDir();
  try {
    await fn(peers, dir.path);
  } finally {
    await peers.close();
    await dir.remove();
  }
}

test('a wrong gateway token fails the poll with an actionable AUTH error and never logs the token', async () => {
  await withPeers(playedWorld(), async (peers, dir) => {
    const wrong = 'f00d'.repeat(10);
    const { log, lines } = captureLog('DEBUG');
    const engine = await createEngine(syncConfigOf(settingsFor(peers)), { log, stateDir: dir, gatewayToken: wrong, clientVersion: 'test', retry: FAST_RETRY });
    const result = await engine.runOnce();
    await engine.stop();
    assert.equal(result.ok, false);
    assert.equal(result.error?.code, 'AUTH');
    assert.match(result.error!.message, /token/i);
    assert.equal(peers.agentwatch.costs.length, 0);
    assert.ok(!lines.join('\n').includes(wrong), 'the rejected token is not in the log');
    assert.equal(engine.status().consecutiveErrors, 1);
  });
});

test('a gateway that grants no scopes fails with a SCOPE error naming operator.read', async () => {
  await withPeers(
    playedWorld(),
    async (peers, dir) => {
      const { log } = captureLog('INFO');
      const engine = await engineFor(peers, dir, log, settingsFor(peers));
      const result = await engine.runOnce();
      await engine.stop();
      assert.equal(result.error?.code, 'SCOPE');
      assert.match(result.error!.message, /operator\.read/);
    },
    { grantScopes: () => [] },
  );
});

test('more than 100 sessions are paged through: 250 sessions, 250 traces, exact totals', async () => {
  const world = new SessionWorld(systemClock);
  for (let i = 0; i < 250; i++) {
    world.add({ key: `agent:main:subagent:s${i}`, agentId: 'main', classification: 'subagent', model: MODEL });
    world.finishRun(`agent:main:subagent:s${i}`, 100 + i, 5);
  }
  await withPeers(world, async (peers, dir) => {
    const { log } = captureLog('INFO');
    const engine = await engineFor(peers, dir, log, settingsFor(peers));
    const result = await engine.runOnce();
    await engine.stop();
    assert.equal(result.sessions, 250);
    assert.equal(peers.agentwatch.traces.length, 250);
    const got = receivedBySession(peers.agentwatch);
    assert.equal(got.size, 250);
    assert.deepEqual(got.get('agent:main:subagent:s249'), { input: 349, output: 5, costMicros: 349 * 3 + 5 * 15 });
    assert.ok(peers.gateway.requests.filter((r) => r.method === 'sessions.list').length >= 3, 'several pages were requested');
  });
});

test('503 answers are retried and every session arrives exactly once', async () => {
  const world = playedWorld();
  await withPeers(world, async (peers, dir) => {
    peers.agentwatch.fail({ status: 503, times: 2, path: '/api/ingest' });
    const { log, lines } = captureLog('INFO');
    const engine = await engineFor(peers, dir, log, settingsFor(peers));
    const result = await engine.runOnce();
    await engine.stop();
    assert.equal(result.ok, true, result.error?.message);
    assert.equal(engine.status().eventsRetried, 2);
    assert.equal(peers.agentwatch.costs.length, 5);
    assert.equal(new Set(peers.agentwatch.costs.map((c) => c.trace_id)).size, 5, 'no session booked twice');
    assert.ok(lines.some((l) => /503.*retry 1 in/.test(l)), lines.join('\n'));
  });
});

test('a 422 batch is split until the bad item is isolated: it is parked, the rest is delivered', async () => {
  const world = playedWorld();
  await withPeers(world, async (peers, dir) => {
    // 5 events: [5] 422 → [3] 422 → [2] 422 → [1] 422 → parked; [1], [1], [2] delivered.
    peers.agentwatch.fail({ status: 422, times: 4, path: '/api/ingest' });
    const { log, lines } = captureLog('INFO');
    const engine = await engineFor(peers, dir, log, settingsFor(peers));
    const result = await engine.runOnce();
    await engine.stop();
    assert.equal(result.ok, true);
    assert.equal(engine.status().eventsDeadLettered, 1);
    assert.equal(engine.status().eventsDelivered, 4);
    assert.equal(peers.agentwatch.costs.length, 4);
    const parked = (await readFile(join(dir, 'dead-letter.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(parked.length, 1);
    assert.match(parked[0].reason, /422/);
    assert.ok(lines.some((l) => /parked 1 event\(s\) in the dead-letter file/.test(l)));
  });
});

test('AgentWatch down: the poll fails, events stay queued, and the next poll delivers them once', async () => {
  const world = playedWorld();
  await withPeers(world, async (peers, dir) => {
    peers.agentwatch.fail({ kind: 'refuse-reset', times: 1000, path: '/api/ingest' });
    const { log } = captureLog('INFO');
    const settings = settingsFor(peers, { pollIntervalSec: 5, requestTimeoutMs: 1000 });
    const engine = await engineFor(peers, dir, log, settings, { retry: { initialMs: 2000, multiplier: 1.5, maxMs: 3000, jitter: 0 } });
    const first = await engine.runOnce();
    assert.equal(first.ok, false);
    assert.equal(engine.status().outboxDepth, 5);
    assert.equal(peers.agentwatch.costs.length, 0);
    await engine.stop();

    const { log: log2 } = captureLog('INFO');
    const healthy = await startPeers({ sessions: () => world.rows(), usage: () => world.usagePayload() });
    // Same gateway data, a fresh AgentWatch: the queued events replay there exactly once.
    const engine2 = await engineFor({ ...peers, agentwatch: healthy.agentwatch }, dir, log2, settingsFor({ ...peers, agentwatch: healthy.agentwatch }));
    const second = await engine2.runOnce();
    await engine2.stop();
    await healthy.close();
    assert.equal(second.ok, true, second.error?.message);
    assert.equal(healthy.agentwatch.costs.length, 5);
    assert.equal(engine2.status().outboxDepth, 0);
  });
});
