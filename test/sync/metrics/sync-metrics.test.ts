import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoWorld, playRound } from '../../../src/sim/demo-world.js';
import type { SessionWorld } from '../../../src/sim/session-world.js';
import { createEngine } from '../../../src/sync/create-engine.js';
import { usdToMicros } from '../../../src/sync/delta.js';
import { serveMetrics } from '../../../src/sync/metrics/metrics-endpoint.js';
import { systemClock } from '../../../src/sync/ports.js';
import { syncConfigOf } from '../../../src/sync/sync-config.js';
import { captureLog, FAST_RETRY, receivedBySession, settingsFor, startPeers, tempDir, type Peers } from '../../support/engine-kit.js';
import { scrape } from './scrape.js';

interface UsageRow {
  key: string;
  agentId: string;
  model: string | null;
  usage: { input: number; output: number; totalCost: number };
}

/** The gateway's own cumulative figures per agent/model, for the sessions the default filter keeps (not cron). */
function expectedByAgentModel(world: SessionWorld): Map<string, { input: number; output: number; costMicros: number }> {
  const out = new Map<string, { input: number; output: number; costMicros: number }>();
  for (const r of (world.usagePayload() as { sessions: UsageRow[] }).sessions) {
    if (r.key.includes(':cron:')) continue;
    const k = `${r.agentId}/${r.model ?? 'unknown'}`;
    const t = out.get(k) ?? { input: 0, output: 0, costMicros: 0 };
    t.input += r.usage.input;
    t.output += r.usage.output;
    t.costMicros += usdToMicros(r.usage.totalCost);
    out.set(k, t);
  }
  return out;
}

async function rig(world: SessionWorld, token?: string) {
  const peers: Peers = await startPeers({ sessions: () => world.rows(), usage: () => world.usagePayload() });
  const dir = await tempDir();
  const { log } = captureLog('INFO', [peers.token]);
  const settings = settingsFor(peers, { live: false });
  const engine = await createEngine(syncConfigOf(settings), { log, stateDir: dir.path, gatewayToken: token ?? peers.token, clientVersion: 'test', retry: FAST_RETRY, random: () => 0.5 });
  const metrics = await serveMetrics(engine, { port: 0, clock: systemClock });
  const close = async () => {
    await metrics.close();
    await engine.stop();
    await peers.close();
    await dir.remove();
  };
  return { peers, engine, metrics, close };
}

test('after two real polls /metrics carries exact tokens and USD per agent/model and the poll and event counters', async () => {
  const world = demoWorld(systemClock);
  playRound(world, 0);
  const { peers, engine, metrics, close } = await rig(world);
  try {
    assert.equal((await engine.runOnce()).ok, true);
    playRound(world, 1);
    const second = await engine.runOnce();
    assert.equal(second.ok, true);
    assert.ok(second.delivered > 0, 'the second round delivered new deltas');

    const m = await scrape(metrics.url);
    const expected = expectedByAgentModel(world);
    assert.equal(m.samples('agentwatch_sync_cost_usd_total').length, expected.size);
    for (const [k, t] of expected) {
      const [agent, model] = k.split('/') as [string, string];
      assert.equal(m.value('agentwatch_sync_tokens_total', { agent, model, direction: 'input' }), t.input, `${k} input`);
      assert.equal(m.value('agentwatch_sync_tokens_total', { agent, model, direction: 'output' }), t.output, `${k} output`);
      assert.equal(m.value('agentwatch_sync_tokens_total', { agent, model, direction: 'cache_read' }), 0);
      assert.equal(m.value('agentwatch_sync_cost_usd_total', { agent, model }), t.costMicros / 1_000_000, `${k} cost`);
    }
    // The same money AgentWatch itself holds.
    const received = [...receivedBySession(peers.agentwatch).values()].reduce((s, t) => s + t.costMicros, 0);
    const exported = m.samples('agentwatch_sync_cost_usd_total').reduce((s, x) => s + Math.round(x.value * 1e6), 0);
    assert.equal(exported, received);

    const s = engine.status();
    assert.equal(m.value('agentwatch_sync_polls_total', { result: 'ok' }), 2);
    assert.equal(m.value('agentwatch_sync_polls_total', { result: 'error' }), 0);
    // The start reconciles (every session's usage); the second poll reads only the sessions round 1 moved.
    assert.equal(m.value('agentwatch_sync_usage_reads_total', { path: 'all' }), 1);
    assert.equal(m.value('agentwatch_sync_usage_reads_total', { path: 'per_key' }), 1);
    assert.equal(m.value('agentwatch_sync_usage_reads_total', { path: 'none' }), 0);
    assert.equal(m.value('agentwatch_sync_usage_requests_total'), peers.gateway.requests.filter((r) => r.method === 'sessions.usage').length);
    assert.equal(m.value('agentwatch_sync_events_total', { outcome: 'delivered' }), s.eventsDelivered);
    assert.equal(m.value('agentwatch_sync_events_total', { outcome: 'delivered' }), peers.agentwatch.costs.length);
    assert.equal(m.value('agentwatch_sync_events_total', { outcome: 'dead_lettered' }), 0);
    assert.equal(m.value('agentwatch_sync_outbox_depth'), 0);
    assert.equal(m.value('agentwatch_sync_sessions_seen'), 6);
    assert.equal(m.value('agentwatch_sync_last_success_timestamp_seconds'), s.lastSuccessAt! / 1000);
    const hist = m.families.find((f) => f.name === 'agentwatch_sync_poll_duration_seconds');
    assert.equal(hist?.type, 'HISTOGRAM');
    assert.equal(Number(hist?.metrics[0]?.count), 2);
    assert.ok(m.families.some((f) => f.name === 'process_resident_memory_bytes' || f.name === 'process_cpu_seconds_total'), 'default process metrics');

    const health = await fetch(`${metrics.url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
  } finally {
    await close();
  }
});

test('a failed poll counts as polls_total{result="error"} and /healthz answers 503 with the reason, never the token', async () => {
  const world = demoWorld(systemClock);
  playRound(world, 0);
  const wrong = 'f00d'.repeat(10);
  const { metrics, engine, close } = await rig(world, wrong);
  try {
    assert.equal((await engine.runOnce()).ok, false);
    const m = await scrape(metrics.url);
    assert.equal(m.value('agentwatch_sync_polls_total', { result: 'error' }), 1);
    assert.equal(m.value('agentwatch_sync_polls_total', { result: 'ok' }), 0);
    assert.equal(m.value('agentwatch_sync_last_success_timestamp_seconds'), 0);
    assert.equal(m.samples('agentwatch_sync_tokens_total').length, 0);
    const res = await fetch(`${metrics.url}/healthz`);
    assert.equal(res.status, 503);
    const text = await res.text();
    const body = JSON.parse(text) as { status: string; reason: string };
    assert.equal(body.status, 'degraded');
    assert.match(body.reason, /^last poll failed: .*token/i);
    assert.ok(!text.includes(wrong));
  } finally {
    await close();
  }
});

test('the metrics server binds loopback by default and answers 404 elsewhere', async () => {
  const world = demoWorld(systemClock);
  const { metrics, close } = await rig(world);
  try {
    assert.match(metrics.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${metrics.url}/nope`);
    assert.equal(res.status, 404);
    assert.match(await res.text(), /\/metrics/);
  } finally {
    await close();
  }
});
