import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoWorld } from '../../../src/sim/demo-world.js';
import type { SessionWorld } from '../../../src/sim/session-world.js';
import { cachedUsage } from '../../../src/sim/usage-cache.js';
import { usdToMicros } from '../../../src/sync/delta.js';
import type { RunningSync } from '../../../src/sync/create-engine.js';
import { waitUntil } from '../sinks/wait-until.js';
import { captureLog, engineFor, receivedBySession, settingsFor, startPeers, tempDir, type Peers } from '../../support/engine-kit.js';

// The engine against the gateway simulator behind the real gateway's usage cache (30 s, stale-while-revalidate,
// `refreshing` right after a run), on one manual clock: what each poll asks the gateway for, and that AgentWatch
// still ends with exactly the gateway's figures.

const T0 = Date.UTC(2026, 11, 7, 9, 0, 0);
const SYNCED = (key: string) => !key.includes(':cron:');

interface Rig {
  world: SessionWorld;
  peers: Peers;
  engine: RunningSync;
  clock: { ms: number; now(): number };
  lines: string[];
  /** sessions.usage params asked for since the last call. */
  usageAsks(): Array<Record<string, unknown>>;
  poll(): Promise<void>;
  stop(): Promise<void>;
}

async function rig(o: { reconcileMinutes?: number; usageWaitMs?: number; activeMinutes?: number } = {}): Promise<Rig> {
  // Real time moved on by hand: sockets and timeouts run as usual, while a test can jump past the gateway's cache.
  const clock = { ms: T0, now: () => Date.now() + clock.ms - started };
  const started = Date.now();
  const world = demoWorld(clock);
  world.keys().forEach((key, i) => world.finishRun(key, 1_000 + i * 100, 50 + i));
  clock.ms += 60_000;
  const peers = await startPeers({ sessions: () => world.rows(), usage: cachedUsage((p) => world.usagePayload(p), { clock }), now: clock.now });
  const dir = await tempDir();
  const { log, lines } = captureLog('DEBUG');
  const settings = settingsFor(peers, { live: false, reconcileMinutes: o.reconcileMinutes ?? 360, filter: { activeMinutes: o.activeMinutes ?? 30 } });
  const engine = await engineFor(peers, dir.path, log, settings, {
    clock,
    ...(o.usageWaitMs !== undefined ? { usageWaitMs: o.usageWaitMs } : {}),
  });
  let seen = 0;
  return {
    world, peers, engine, clock, lines,
    usageAsks: () => {
      const asks = peers.gateway.requests.slice(seen);
      seen = peers.gateway.requests.length;
      return asks.filter((r) => r.method === 'sessions.usage').map((r) => (r.params ?? {}) as Record<string, unknown>);
    },
    poll: async () => {
      const r = await engine.runOnce();
      assert.ok(r.ok, JSON.stringify(r.error));
    },
    stop: async () => {
      await engine.stop();
      await peers.close();
      await dir.remove();
    },
  };
}

/** The gateway's own lifetime figures summed over the synced sessions (retired transcripts included). */
function gatewayTotal(world: SessionWorld, keys: (key: string) => boolean = SYNCED): { input: number; output: number; costMicros: number } {
  const rows = (world.usagePayload().sessions as Array<{ key: string; usage: { input: number; output: number; totalCost: number } }>).filter((r) => keys(r.key));
  return rows.reduce((t, r) => ({ input: t.input + r.usage.input, output: t.output + r.usage.output, costMicros: t.costMicros + usdToMicros(r.usage.totalCost) }), { input: 0, output: 0, costMicros: 0 });
}

function agentWatchTotal(r: Rig): { input: number; output: number; costMicros: number } {
  return [...receivedBySession(r.peers.agentwatch).values()].reduce((t, x) => ({ input: t.input + x.input, output: t.output + x.output, costMicros: t.costMicros + x.costMicros }), { input: 0, output: 0, costMicros: 0 });
}

test('an idle gateway costs list pages only: after the start reconciliation no poll asks sessions.usage', async () => {
  const r = await rig();
  try {
    await r.poll();
    assert.deepEqual(r.usageAsks().map((p) => p.agentScope), ['all'], 'the first poll reconciles: one all-sessions read');
    assert.deepEqual(agentWatchTotal(r), gatewayTotal(r.world));
    for (let i = 0; i < 5; i++) {
      r.clock.ms += 30_000;
      await r.poll();
    }
    assert.deepEqual(r.usageAsks(), [], 'five quiet polls, no usage request');
    assert.ok(r.lines.some((l) => l.includes('Poll #6 usage: nothing changed → no usage read')), r.lines.slice(-5).join('\n'));
    assert.equal(r.engine.status().lastUsageRead?.path, 'none');
    assert.equal(r.engine.status().usageRequests, 1);
  } finally {
    await r.stop();
  }
});

test('a turn in one session reads that key alone, asks again past the stale cached figure, and books it exactly', async () => {
  const r = await rig();
  try {
    await r.poll();
    r.usageAsks();
    r.clock.ms += 10_000;
    r.world.finishRun('agent:ops:main', 7_000, 300); // the cached per-key answers predate this run
    r.clock.ms += 5_000;
    await r.poll();
    const asks = r.usageAsks();
    assert.ok(asks.length >= 1 && asks.every((p) => p.key === 'agent:ops:main' && p.range === 'all' && p.agentScope === undefined), JSON.stringify(asks));
    assert.deepEqual(receivedBySession(r.peers.agentwatch).get('agent:ops:main')?.input, gatewayTotal(r.world, (k) => k === 'agent:ops:main').input);
    assert.deepEqual(agentWatchTotal(r), gatewayTotal(r.world));
    assert.match(r.lines.find((l) => l.includes('Poll #2 usage:')) ?? '', /1 changed → \d+ per-key reads?/);
  } finally {
    await r.stop();
  }
});

test('a key read while its run was going waits out the cached figure at a 5 s interval instead of reading every session', async () => {
  const r = await rig({ usageWaitMs: 0 }); // no re-ask inside a poll, as when the live path has booked the run already
  try {
    await r.poll();
    r.usageAsks();
    r.clock.ms += 10_000;
    r.world.startRun('agent:ops:main');
    r.clock.ms += 2_000;
    await r.poll(); // the running row moved: read, and the gateway caches that answer for 30 s
    r.clock.ms += 1_000;
    r.world.finishRun('agent:ops:main', 7_000, 300);
    const asked: Array<Record<string, unknown>> = [...r.usageAsks()];
    for (let i = 0; i < 9; i++) {
      r.clock.ms += 5_000;
      await r.poll();
      asked.push(...r.usageAsks());
    }
    assert.deepEqual(asked.filter((p) => p.agentScope !== undefined), [], 'no all-sessions read for one turn');
    assert.ok(asked.length >= 4 && asked.every((p) => p.key === 'agent:ops:main'), JSON.stringify(asked));
    assert.deepEqual(agentWatchTotal(r), gatewayTotal(r.world), 'the run is booked once the cached figure expires');
    r.clock.ms += 5_000;
    await r.poll();
    assert.deepEqual(r.usageAsks(), [], 'settled: not asked again');
  } finally {
    await r.stop();
  }
});

test('a figure that is not trustworthy (refreshing right after the run) is never booked and never forgotten', async () => {
  const r = await rig({ usageWaitMs: 0 }); // no re-ask within the poll: the key must survive to the next one
  try {
    await r.poll();
    r.usageAsks();
    r.clock.ms += 30_000;
    r.world.finishRun('agent:main:main', 2_500, 40); // polled at once: the gateway still answers refreshing / null
    const before = receivedBySession(r.peers.agentwatch).get('agent:main:main');
    await r.poll();
    assert.deepEqual(r.usageAsks().map((p) => p.key), ['agent:main:main']);
    assert.deepEqual(receivedBySession(r.peers.agentwatch).get('agent:main:main'), before, 'nothing booked from an unknown figure');
    assert.ok(r.lines.some((l) => l.includes('wait agent:main:main (usage cache refreshing; next poll)')), r.lines.slice(-6).join('\n'));
    r.clock.ms += 30_000; // the row does not change again: only the pending mark brings the key back
    await r.poll();
    assert.deepEqual(r.usageAsks().map((p) => p.key), ['agent:main:main']);
    assert.deepEqual(agentWatchTotal(r), gatewayTotal(r.world));
    r.clock.ms += 30_000;
    await r.poll();
    assert.deepEqual(r.usageAsks(), [], 'settled: not asked again');
  } finally {
    await r.stop();
  }
});

test('a reset reads the key and its old transcript (agent:<id>:<oldSessionId>): nothing of the old run is lost', async () => {
  const r = await rig();
  try {
    await r.poll();
    r.usageAsks();
    r.clock.ms += 10_000;
    const oldSessionId = r.world.sessionIdOf('agent:main:main');
    r.world.finishRun('agent:main:main', 3_000, 30); // a last run, then a reset before any poll saw it
    r.world.reset('agent:main:main');
    r.clock.ms += 1_000;
    r.world.finishRun('agent:main:main', 900, 9);
    r.clock.ms += 40_000;
    await r.poll();
    const keys = r.usageAsks().map((p) => p.key);
    assert.deepEqual([...new Set(keys)].sort(), ['agent:main:main', `agent:main:${oldSessionId}`].sort(), JSON.stringify(keys));
    assert.deepEqual(agentWatchTotal(r), gatewayTotal(r.world));
  } finally {
    await r.stop();
  }
});

test('reconciliation: a gap as long as the list window, a long disconnect, and the schedule each read everything once', async () => {
  const r = await rig({ reconcileMinutes: 60, activeMinutes: 120 });
  try {
    await r.poll();
    r.usageAsks();
    r.clock.ms += 121 * 60_000; // no poll for longer than activeMinutes: changes may have left the window
    await r.poll();
    assert.deepEqual(r.usageAsks().map((p) => p.agentScope), ['all']);
    assert.ok(r.lines.some((l) => /Poll #2 usage: reconciliation \(no successful poll for 121 min\)/.test(l)));
    r.clock.ms += 30_000;
    await r.poll();
    assert.deepEqual(r.usageAsks(), []);
    r.peers.gateway.dropConnections();
    await waitUntil(() => r.lines.some((l) => l.includes('gateway: disconnected')));
    r.clock.ms += 61_000; // down for more than two 30 s ticks before the next connect
    await r.poll();
    assert.deepEqual(r.usageAsks().map((p) => p.agentScope), ['all']);
    assert.ok(r.lines.some((l) => /Poll #4 usage: reconciliation \(disconnected for \d+s\)/.test(l)), r.lines.filter((l) => l.includes('usage:')).join('\n'));
    r.clock.ms += 60 * 60_000 - 60_000;
    await r.poll();
    assert.deepEqual(r.usageAsks(), [], r.lines.filter((l) => l.includes("usage:") || l.includes("gateway:")).join("\n"));
    r.clock.ms += 61_000;
    r.world.finishRun('agent:main:telegram:group:-1001234567890', 100, 1);
    await r.poll();
    assert.ok(r.lines.some((l) => /Poll #6 usage: reconciliation \(scheduled\)/.test(l)));
    assert.deepEqual(agentWatchTotal(r), gatewayTotal(r.world));
  } finally {
    await r.stop();
  }
});
