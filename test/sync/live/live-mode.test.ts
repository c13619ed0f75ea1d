import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoWorld } from '../../../src/sim/demo-world.js';
import type { SessionWorld } from '../../../src/sim/session-world.js';
import { systemClock } from '../../../src/sync/ports.js';
import { captureLog, engineFor, receivedBySession, settingsFor, startPeers, tempDir, type Peers } from '../../support/engine-kit.js';
import { waitUntil } from '../../sync/sinks/wait-until.js';

function changedEvent(world: SessionWorld, key: string, extra: Record<string, unknown> = {}) {
  const session = world.rows().find((r) => r.key === key)!;
  return { sessionKey: key, agentId: session.agentId, reason: 'agent.input.settled', ts: Date.now(), session, ...extra };
}

function expectedTotals(world: SessionWorld) {
  const usage = world.usagePayload() as { sessions: Array<{ key: string; usage: { input: number; output: number; totalCost: number } }> };
  return new Map(usage.sessions.filter((r) => !r.key.includes(':cron:')).map((r) => [r.key, { input: r.usage.input, output: r.usage.output, costMicros: Math.round(r.usage.totalCost * 1e6) }]));
}

async function liveRig(gatewayExtra: Record<string, unknown> | ((world: SessionWorld) => Record<string, unknown>) = {}) {
  const world = demoWorld(systemClock);
  world.keys().forEach((k, i) => world.finishRun(k, 1_000 + i, 10 + i));
  const extra = typeof gatewayExtra === 'function' ? gatewayExtra(world) : gatewayExtra;
  const peers: Peers = await startPeers({ sessions: () => world.rows(), usage: () => world.usagePayload(), ...extra });
  const dir = await tempDir();
  const { log, lines } = captureLog('DEBUG', [peers.token]);
  // An hour between polls: within the test only live mode can deliver.
  const engine = await engineFor(peers, dir.path, log, settingsFor(peers, { pollIntervalSec: 3600 }), { liveDebounceMs: 20 });
  engine.start();
  await waitUntil(() => engine.status().mode === 'live' && engine.status().pollCount === 1 && engine.status().phase === 'idle', 5000);
  const cleanup = async () => {
    await engine.stop();
    await peers.close();
    await dir.remove();
  };
  return { world, peers, engine, lines, cleanup };
}

test('a finished run reaches AgentWatch from the live event, with the poll an hour away', async () => {
  const { world, peers, engine, lines, cleanup } = await liveRig();
  try {
    const before = peers.agentwatch.costs.length;
    world.finishRun('agent:main:main', 4321, 87);
    peers.gateway.broadcast('sessions.changed', changedEvent(world, 'agent:main:main'));
    await waitUntil(() => peers.agentwatch.costs.length === before + 1 && lines.some((l) => l.includes('Live: ')), 5000);
    const cost = peers.agentwatch.costs.at(-1)!;
    assert.equal(cost.input_tokens, 4321);
    assert.equal(cost.output_tokens, 87);
    assert.equal(engine.status().pollCount, 1, 'no poll ran: the live event delivered it');
    assert.equal(engine.status().mode, 'live');
    assert.ok(lines.some((l) => /Live: 1 finished run → 1 event /.test(l)), lines.join('\n'));
  } finally {
    await cleanup();
  }
});

test('repeated, re-announced and out-of-order events book each run once; reconciliation then equals sessions.usage', async () => {
  const { world, peers, engine, cleanup } = await liveRig();
  try {
    const before = peers.agentwatch.costs.length;
    world.finishRun('agent:ops:main', 500, 20);
    const first = changedEvent(world, 'agent:ops:main');
    world.finishRun('agent:ops:main', 700, 30);
    const second = changedEvent(world, 'agent:ops:main');
    // Announced three times (settled, model, end), and the older run arriving after the newer one.
    for (const e of [second, { ...second, reason: undefined, phase: 'model' }, { ...second, reason: undefined, phase: 'end', runId: (second.session as { lastRunId: string }).lastRunId }, first, first]) {
      peers.gateway.broadcast('sessions.changed', e);
    }
    await waitUntil(() => peers.agentwatch.costs.length >= before + 2, 5000);
    await waitUntil(() => engine.status().outboxDepth === 0, 5000);
    const mine = peers.agentwatch.costs.slice(before).map((c) => [c.input_tokens, c.output_tokens]);
    assert.deepEqual(mine.sort(), [[500, 20], [700, 30]]);
    const result = await engine.runOnce();
    assert.equal(result.ok, true);
    assert.deepEqual(receivedBySession(peers.agentwatch), expectedTotals(world));
  } finally {
    await cleanup();
  }
});

test('a run the live feed never heard of is booked by the next reconciliation, exactly', async () => {
  const { world, peers, engine, cleanup } = await liveRig();
  try {
    world.finishRun('agent:main:telegram:group:-1001234567890', 999, 9); // no event: e.g. missed while disconnected
    await engine.runOnce();
    assert.deepEqual(receivedBySession(peers.agentwatch), expectedTotals(world));
    // A late event for that run must not book it a second time.
    const before = peers.agentwatch.costs.length;
    peers.gateway.broadcast('sessions.changed', changedEvent(world, 'agent:main:telegram:group:-1001234567890'));
    world.finishRun('agent:main:main', 10, 10);
    peers.gateway.broadcast('sessions.changed', changedEvent(world, 'agent:main:main'));
    await waitUntil(() => peers.agentwatch.costs.length === before + 1, 5000);
    await engine.runOnce();
    assert.deepEqual(receivedBySession(peers.agentwatch), expectedTotals(world));
  } finally {
    await cleanup();
  }
});

test('a socket that stops sending ticks is detected: reconnect, resubscribe, reconcile', async () => {
  let ticking = true;
  const { world, peers, engine, lines, cleanup } = await liveRig({ tickIntervalMs: 100, sendTicks: () => ticking });
  try {
    ticking = false;
    world.finishRun('agent:main:discord:channel:998877665544332211', 3333, 33); // its event is lost with the socket
    await waitUntil(() => lines.some((l) => l.includes('No traffic from the gateway')), 5000);
    ticking = true;
    await waitUntil(() => engine.status().pollCount >= 2 && engine.status().mode === 'live' && engine.status().phase === 'idle', 5000);
    assert.ok(peers.gateway.connectRequests.length >= 2, 'a new connection was made');
    assert.deepEqual(receivedBySession(peers.agentwatch), expectedTotals(world));
  } finally {
    await cleanup();
  }
});

test('a poll does not hold live deliveries waiting for sessions.usage to cover a run already booked live', async () => {
  // The real gateway caches sessions.usage for 30 s: right after a run its figure is older than the run's end.
  let frozen: Record<string, unknown> | null = null;
  const { world, peers, engine, lines, cleanup } = await liveRig((w) => ({ usage: () => frozen ?? w.usagePayload() }));
  try {
    const payload = world.usagePayload();
    frozen = { ...payload, updatedAt: (payload.updatedAt as number) - 1_000 };
    world.finishRun('agent:main:main', 4321, 87);
    peers.gateway.broadcast('sessions.changed', changedEvent(world, 'agent:main:main'));
    await waitUntil(() => lines.some((l) => /Live: 1 finished run /.test(l)), 5000);
    const poll = await engine.runOnce();
    assert.ok(poll.ok, JSON.stringify(poll.error));
    assert.ok(poll.durationMs < 5_000, `the poll waited ${poll.durationMs} ms for usage (its 10 s wait is for unbooked runs only)`);
    assert.ok(lines.some((l) => /wait agent:main:main \(usage figure older than its last run/.test(l)), 'reconciled on a later poll');
    frozen = null;
    await engine.runOnce();
    assert.deepEqual(receivedBySession(peers.agentwatch), expectedTotals(world));
  } finally {
    await cleanup();
  }
});
