import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimAgentWatch, type SimAgentWatch } from '../../src/sim/agentwatch-server.js';
import { SessionWorld } from '../../src/sim/session-world.js';
import { gatewayIdOf } from '../../src/sync/ids.js';
import { systemClock } from '../../src/sync/ports.js';
import { captureLog, engineFor, settingsFor, startPeers, tempDir } from '../support/engine-kit.js';
import { waitUntil } from '../sync/sinks/wait-until.js';
import { addSessions, dedupedTotals, duplicateCount, ExpectedDeltas, growWorld, receivedEvents, TimeWarp, worldTotals } from './delivery-kit.js';
import { startSlowProxy } from './slow-proxy.js';

async function rig(world: SessionWorld, settings: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  const peers = await startPeers({ sessions: () => world.rows(), usage: () => world.usagePayload() });
  const proxy = await startSlowProxy(peers.agentwatch.url, '/api/ingest');
  const dir = await tempDir();
  const { log, lines } = captureLog('INFO', [peers.token]);
  const s = settingsFor(peers, { sink: 'agentwatch', agentwatchUrl: proxy.url, requestTimeoutMs: 4_321, ...settings });
  const engine = await engineFor(peers, dir.path, log, s, extra);
  const close = async () => {
    await engine.stop();
    await proxy.close();
    await peers.close();
    await dir.remove();
  };
  return { peers, proxy, engine, lines, close };
}

test('pause while AgentWatch holds an accepted batch: the request is not cut, the batch is acked, no duplicate later', async () => {
  const world = new SessionWorld(systemClock);
  addSessions(world, 6);
  const r = await rig(world, { batchSize: 50 });
  try {
    const poll = r.engine.runOnce();
    await r.proxy.nextHeld();
    r.engine.pause();
    r.proxy.release();
    const result = await poll;
    assert.equal(result.ok, true, result.error?.message);
    assert.equal(result.delivered, 6, 'the accepted batch counts as delivered');
    assert.equal(r.engine.status().outboxDepth, 0, 'and leaves the outbox');
    r.engine.resume();
    await r.engine.runOnce();
    const received = receivedEvents(r.peers.agentwatch);
    assert.equal(duplicateCount(received), 0);
    assert.deepEqual(dedupedTotals(received), worldTotals(world));
  } finally {
    await r.close();
  }
});

test('a slow delivery never overlaps the next poll: concurrent run-once calls share the one in flight', async () => {
  const world = new SessionWorld(systemClock);
  addSessions(world, 4);
  const r = await rig(world);
  try {
    const first = r.engine.runOnce();
    await r.proxy.nextHeld();
    const second = r.engine.runOnce();
    r.engine.start(); // the loop's first poll joins the running one too
    assert.equal(second, first, 'the same promise');
    const lists = r.peers.gateway.requests.filter((q) => q.method === 'sessions.list').length;
    r.proxy.release();
    await first;
    assert.equal(r.peers.gateway.requests.filter((q) => q.method === 'sessions.list').length, lists, 'no second poll started meanwhile');
    assert.equal(duplicateCount(receivedEvents(r.peers.agentwatch)), 0);
  } finally {
    await r.close();
  }
});

test('max_errors counts failed polls, not retried deliveries: a poll whose delivery retried then succeeded resets the count', async () => {
  const world = new SessionWorld(systemClock);
  addSessions(world, 4);
  const r = await rig(world, {}, { maxErrors: 1 });
  try {
    r.peers.agentwatch.fail({ status: 503, times: 2, path: '/api/ingest' });
    r.proxy.release();
    r.engine.start();
    await waitUntil(() => r.engine.status().pollCount >= 1 && r.engine.status().phase === 'idle', 10_000);
    const s = r.engine.status();
    assert.equal(s.eventsRetried, 2, 'the delivery was retried twice');
    assert.equal(s.consecutiveErrors, 0);
    assert.equal(s.failedPolls, 0);
    assert.notEqual(s.phase, 'stopped', 'max_errors=1 did not stop the loop');
    assert.deepEqual(dedupedTotals(receivedEvents(r.peers.agentwatch)), worldTotals(world));
  } finally {
    await r.close();
  }
});

test('a bounded outbox: AgentWatch down for three polls drops the oldest, counts and warns; the rest arrive after recovery', async () => {
  const world = new SessionWorld(systemClock);
  addSessions(world, 8);
  const warp = new TimeWarp((ms) => ms % 500 === 0 && ms < 10_000);
  const retry = { initialMs: 1_000, multiplier: 2, maxMs: 4_000, jitter: 0 };
  const r = await rig(world, { outboxMaxEvents: 10, batchSize: 4, pollIntervalSec: 5 }, { clock: warp.clock, sleep: warp.sleep, retry });
  const expected = new ExpectedDeltas(gatewayIdOf(r.peers.gateway.url));
  let aw: SimAgentWatch | undefined;
  try {
    r.proxy.release();
    const port = r.peers.agentwatch.port;
    await r.peers.agentwatch.close();
    const perPoll: string[][] = [];
    for (let poll = 1; poll <= 3; poll++) {
      if (poll > 1) growWorld(world, poll, 1);
      const result = await r.engine.runOnce();
      assert.equal(result.ok, false);
      assert.equal(result.events, 8, `${result.error?.message}\n${r.lines.join("\n")}`);
      const seen = new Set(expected.ids);
      expected.observe(world);
      perPoll.push([...expected.ids].filter((id) => !seen.has(id)));
    }
    const s = r.engine.status();
    assert.equal(s.outboxDepth, 10, 'never more than outboxMaxEvents');
    assert.equal(s.eventsDropped, 14, '8 + 8 + 8 booked, 10 kept');
    assert.ok(r.lines.some((l) => /\[WARNING\] - The outbox is full \(10 undelivered deltas\): dropped the 6 oldest/.test(l)), r.lines.join('\n'));
    assert.ok(r.lines.some((l) => /\[WARNING\] - Outbox full: dropped the 8 oldest events \(outboxMaxEvents=10\)/.test(l)));

    aw = await startSimAgentWatch({ port });
    const result = await r.engine.runOnce();
    assert.equal(result.ok, true, result.error?.message);
    const received = receivedEvents(aw).map((e) => e.id);
    assert.equal(received.length, 10, 'exactly the 10 kept deltas arrive, once each');
    assert.equal(new Set(received).size, 10);
    assert.equal(r.engine.status().outboxDepth, 0);
    const [poll1, poll2, poll3] = perPoll as [string[], string[], string[]];
    assert.deepEqual(poll3.filter((id) => !received.includes(id)), [], 'the newest poll is complete');
    assert.equal(poll2.filter((id) => received.includes(id)).length, 2, 'the two newest of poll 2 survived');
    assert.deepEqual(poll1.filter((id) => received.includes(id)), [], 'the oldest poll was dropped');
  } finally {
    await r.close();
    await aw?.close();
  }
});
