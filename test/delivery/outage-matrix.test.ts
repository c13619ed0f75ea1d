import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimAgentWatch, type SimAgentWatch, type SimFault } from '../../src/sim/agentwatch-server.js';
import { SessionWorld } from '../../src/sim/session-world.js';
import { gatewayIdOf } from '../../src/sync/ids.js';
import { systemClock } from '../../src/sync/ports.js';
import type { RetryPolicy } from '../../src/sync/retry-policy.js';
import type { Engine } from '../../src/sync/engine.js';
import { captureLog, engineFor, settingsFor, startPeers, tempDir } from '../support/engine-kit.js';
import { addSessions, costRowTotals, dedupedTotals, duplicateCount, ExpectedDeltas, growWorld, MODEL, receivedEvents, sumOf, TimeWarp, worldTotals } from './delivery-kit.js';

const BATCH = 3;
// Virtual time (TimeWarp): 0.5 s, 1 s, 2 s, 2 s… so four failures in a row outlast one poll's 5 s retry budget
// and the batch stays queued for the next poll; no test waits for real. Every such wait is a multiple of 500 ms;
// the request deadline (333 ms) and the gateway's 15 s handshake timer stay real.
const RETRY: RetryPolicy = { initialMs: 500, multiplier: 2, maxMs: 2_000, jitter: 0 };
const REQUEST_TIMEOUT_MS = 333;
const isRetryWait = (ms: number) => ms % 500 === 0 && ms < 10_000;

interface Case {
  name: string;
  sink: 'agentwatch' | 'seed';
  faults: SimFault[];
  /** The AgentWatch port is closed for the first polls (a real ECONNREFUSED), then it starts. */
  downForPolls?: number;
  /** Batches the server may have accepted without us knowing: each may arrive twice. */
  maxRepeatedBatches: number;
  check?: (r: { warp: TimeWarp; engine: Engine; firstOk: boolean; aw: SimAgentWatch }) => void;
}

const cases: Case[] = [
  {
    name: 'refuses (connection reset) through a whole poll',
    sink: 'agentwatch',
    faults: [{ kind: 'refuse-reset', times: 4, path: '/api/ingest' }],
    maxRepeatedBatches: 0,
    check: ({ firstOk, engine }) => {
      assert.equal(firstOk, false, 'four resets outlast the first poll: it fails and keeps the batch');
      assert.ok(engine.status().eventsRetried >= 3);
    },
  },
  { name: 'is down (connection refused) for two polls', sink: 'agentwatch', faults: [], downForPolls: 2, maxRepeatedBatches: 0, check: ({ firstOk }) => assert.equal(firstOk, false) },
  { name: 'answers 500 on every call for a while', sink: 'agentwatch', faults: [{ status: 500, times: 5, path: '/api/' }], maxRepeatedBatches: 0 },
  { name: 'answers 503', sink: 'agentwatch', faults: [{ status: 503, times: 3, path: '/api/ingest' }], maxRepeatedBatches: 0 },
  {
    name: 'answers 429 with Retry-After',
    sink: 'agentwatch',
    faults: [{ status: 429, retryAfterSec: 2, times: 2, path: '/api/ingest' }],
    maxRepeatedBatches: 0,
    check: ({ warp }) => assert.deepEqual(warp.waits.filter((w) => w === 2_000).length, 2, `Retry-After honoured: ${warp.waits.join(',')}`),
  },
  { name: 'hangs past the request deadline', sink: 'agentwatch', faults: [{ kind: 'hang', times: 2, path: '/api/ingest' }], maxRepeatedBatches: 0 },
  {
    name: 'accepts, then hangs (ingest and trace create)',
    sink: 'agentwatch',
    faults: [
      { kind: 'accept-then-hang', times: 1, path: '/api/traces', method: 'POST' },
      { kind: 'accept-then-hang', times: 2, path: '/api/ingest' },
    ],
    maxRepeatedBatches: 2,
  },
  { name: 'returns garbage after accepting', sink: 'agentwatch', faults: [{ kind: 'garbage', times: 2, path: '/api/ingest' }], maxRepeatedBatches: 2 },
  {
    name: 'answers 401 (wrong key): not retried, kept queued, delivered once the server takes it',
    sink: 'agentwatch',
    faults: [{ status: 401, times: 1, path: '/api/ingest' }],
    maxRepeatedBatches: 0,
    check: ({ firstOk, engine }) => {
      assert.equal(firstOk, false);
      assert.equal(engine.status().eventsRetried, 0, '401 is never retried in a loop');
      assert.equal(engine.status().eventsDeadLettered, 0, '401 parks nothing');
    },
  },
  {
    name: 'answers 400: not retried; the batch is split and nothing is lost',
    sink: 'agentwatch',
    faults: [{ status: 400, times: 1, path: '/api/ingest' }],
    maxRepeatedBatches: 0,
    check: ({ engine, aw }) => {
      assert.equal(engine.status().eventsRetried, 0);
      assert.equal(aw.requests.filter((r) => r.status === 400).length, 1);
    },
  },
  { name: 'refuses (seed sink)', sink: 'seed', faults: [{ kind: 'refuse-reset', times: 4, path: '/api/events/bulk' }], maxRepeatedBatches: 0 },
  { name: 'is down (seed sink)', sink: 'seed', faults: [], downForPolls: 1, maxRepeatedBatches: 0 },
  { name: 'answers 503 (seed sink)', sink: 'seed', faults: [{ status: 503, times: 3, path: '/api/events/bulk' }], maxRepeatedBatches: 0 },
  { name: 'accepts, then hangs (seed sink: repeats carry the same event_id)', sink: 'seed', faults: [{ kind: 'accept-then-hang', times: 1, path: '/api/events/bulk' }], maxRepeatedBatches: 1 },
];

async function runCase(c: Case): Promise<void> {
  const world = new SessionWorld(systemClock);
  addSessions(world, 10);
  world.add({ key: 'agent:main:cron:nightly', agentId: 'main', classification: 'cron', model: MODEL });
  world.finishRun('agent:main:cron:nightly', 500, 50);

  const peers = await startPeers({ sessions: () => world.rows(), usage: () => world.usagePayload() }, { mode: c.sink });
  let aw = peers.agentwatch;
  const port = aw.port;
  if (c.downForPolls) await aw.close();
  for (const f of c.faults) aw.fail(f);
  const dir = await tempDir();
  const { log, lines } = captureLog('INFO', [peers.token]);
  const warp = new TimeWarp(isRetryWait);
  const settings = settingsFor(peers, { sink: c.sink, batchSize: BATCH, requestTimeoutMs: REQUEST_TIMEOUT_MS, pollIntervalSec: 5 });
  const engine = await engineFor(peers, dir.path, log, settings, { clock: warp.clock, sleep: warp.sleep, retry: RETRY });
  const expected = new ExpectedDeltas(gatewayIdOf(peers.gateway.url));
  try {
    let firstOk = true;
    for (let poll = 1; poll <= 3; poll++) {
      if (c.downForPolls && poll === c.downForPolls + 1) aw = await startSimAgentWatch({ port, mode: c.sink });
      const result = await engine.runOnce();
      if (poll === 1) firstOk = result.ok;
      expected.observe(world);
      if (poll < 3) growWorld(world, poll);
    }
    for (let extra = 0; extra < 5 && engine.status().outboxDepth > 0; extra++) await engine.runOnce();

    const received = receivedEvents(aw);
    const s = engine.status();
    assert.equal(s.outboxDepth, 0, lines.join('\n'));
    assert.equal(s.eventsDropped, 0);
    assert.equal(s.eventsDeadLettered, 0);
    assert.ok(expected.ids.size >= 15, 'the scenario books several polls of deltas');
    assert.deepEqual([...new Set(received.map((r) => r.id))].sort(), [...expected.ids].sort(), `0 missing, nothing unexpected\n${lines.join("\n")}`);
    const dups = duplicateCount(received);
    assert.ok(dups <= c.maxRepeatedBatches * BATCH, `${dups} duplicates > ${c.maxRepeatedBatches} batch(es) of ${BATCH}`);
    if (c.maxRepeatedBatches === 0) assert.equal(dups, 0);
    // Every fault that accepts before failing really was retried, so the bound is reached, not just respected.
    else assert.ok(dups > 0, 'the accepted-then-failed batch was sent again');
    // Deduped by sync_event_id, AgentWatch holds exactly the gateway's figures (cron never synced).
    assert.deepEqual(dedupedTotals(received), worldTotals(world));
    if (c.sink === 'agentwatch') {
      assert.deepEqual(costRowTotals(aw), sumOf(received), 'one Cost row per event, same figures');
      const perTrace = new Map<string, number>();
      for (const t of aw.traces) perTrace.set(String(t.attributes?.sync_trace_id), (perTrace.get(String(t.attributes?.sync_trace_id)) ?? 0) + 1);
      assert.deepEqual([...perTrace.values()].filter((n) => n > 1), [], 'one AgentWatch trace per OpenClaw session');
      assert.ok(!aw.traces.some((t) => String(t.session_id).includes(':cron:')), 'the cron session never reaches AgentWatch');
    }
    c.check?.({ warp, engine, firstOk, aw });
    assert.ok(!lines.join('\n').includes(peers.token));
  } finally {
    await engine.stop();
    await peers.gateway.close();
    await aw.close();
    await dir.remove();
  }
}

for (const c of cases) {
  test(`AgentWatch ${c.name}: after recovery the received ids equal the booked ids`, () => runCase(c));
}
