import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimGateway, type SimGateway } from '../../src/sim/gateway-server.js';
import { answerSessionsList } from '../../src/sim/gateway-sessions.js';
import { SessionWorld } from '../../src/sim/session-world.js';
import { gatewayIdOf } from '../../src/sync/ids.js';
import { systemClock } from '../../src/sync/ports.js';
import type { Engine } from '../../src/sync/engine.js';
import { captureLog, engineFor, receivedBySession, settingsFor, startPeers, tempDir, type Peers } from '../support/engine-kit.js';
import { waitUntil } from '../sync/sinks/wait-until.js';
import { addSessions, dedupedTotals, duplicateCount, ExpectedDeltas, growWorld, MODEL, receivedEvents, TimeWarp, worldTotals } from './delivery-kit.js';

// Reconnect backoffs (up to 2 s here) pass in virtual time; the request deadline (777 ms) and the 15 s handshake
// timer stay real.
const REQUEST_TIMEOUT_MS = 777;
const isBackoff = (ms: number) => ms <= 2_000 && ms !== REQUEST_TIMEOUT_MS;

interface Rig {
  world: SessionWorld;
  peers: Peers;
  engine: Engine;
  lines: string[];
  expected: ExpectedDeltas;
  /** One poll; the world it read is recorded as booked when it succeeded. */
  poll(): Promise<boolean>;
}

async function withRig(
  world: SessionWorld,
  fn: (rig: Rig) => Promise<void>,
  gateway: Partial<Parameters<typeof startPeers>[0]> = {},
): Promise<void> {
  const peers = await startPeers({ sessions: () => world.rows(), usage: () => world.usagePayload(), ...gateway });
  const dir = await tempDir();
  const { log, lines } = captureLog('DEBUG', [peers.token]);
  const warp = new TimeWarp(isBackoff);
  const settings = settingsFor(peers, { sink: 'agentwatch', batchSize: 4, requestTimeoutMs: REQUEST_TIMEOUT_MS });
  const engine = await engineFor(peers, dir.path, log, settings, { clock: warp.clock, sleep: warp.sleep });
  const expected = new ExpectedDeltas(gatewayIdOf(peers.gateway.url));
  const rig: Rig = {
    world,
    peers,
    engine,
    lines,
    expected,
    poll: async () => {
      const r = await engine.runOnce();
      if (r.ok) expected.observe(world);
      return r.ok;
    },
  };
  try {
    await fn(rig);
    assert.ok(!lines.join('\n').includes(peers.token), 'the token never reaches the log');
  } finally {
    await engine.stop();
    await rig.peers.close();
    await dir.remove();
  }
}

function assertExact(rig: Rig, aw = rig.peers.agentwatch): void {
  const received = receivedEvents(aw);
  assert.equal(duplicateCount(received), 0, 'no event arrives twice');
  assert.deepEqual([...new Set(received.map((r) => r.id))].sort(), [...rig.expected.ids].sort(), 'the booked ids, all of them, nothing else');
  assert.deepEqual(dedupedTotals(received), worldTotals(rig.world), 'AgentWatch holds exactly the gateway figures');
  assert.equal(rig.engine.status().outboxDepth, 0);
}

function world(count = 6): SessionWorld {
  const w = new SessionWorld(systemClock);
  addSessions(w, count);
  return w;
}

test('a gateway restart mid-poll: that poll fails, the engine reconnects to the new process, totals exact', async () => {
  const w = world();
  let restarting: (() => void) | undefined;
  await withRig(
    w,
    async (rig) => {
      assert.equal(await rig.poll(), true);
      growWorld(w, 1);
      // The gateway goes away while it is answering sessions.usage.
      const usageAsked = new Promise<void>((resolve) => (restarting = resolve));
      const failed = rig.poll();
      await usageAsked;
      const port = rig.peers.gateway.port;
      await rig.peers.gateway.close();
      assert.equal(await failed, false, 'the poll that lost its gateway fails');
      assert.equal(await rig.poll(), false, 'nobody listens while the gateway is down');
      const fresh: SimGateway = await startSimGateway({ token: rig.peers.token, port, sessions: () => w.rows(), usage: () => w.usagePayload() });
      rig.peers = { ...rig.peers, gateway: fresh, close: async () => { await fresh.close(); await rig.peers.agentwatch.close(); } };
      assert.equal(await rig.poll(), true, rig.lines.slice(-5).join('\n'));
      growWorld(w, 2);
      assert.equal(await rig.poll(), true);
      assertExact(rig);
      assert.equal(rig.engine.status().consecutiveErrors, 0);
    },
    {
      methods: {
        'sessions.usage': () => {
          if (restarting) {
            restarting();
            restarting = undefined;
            return new Promise(() => undefined); // never answered: the process is going away
          }
          return w.usagePayload();
        },
      },
    },
  );
});

test('a socket dropped between polls and one dropped during a request: the next poll reconnects, nothing lost or doubled', async () => {
  const w = world();
  let dropNext = false;
  let peersRef: Peers | undefined;
  await withRig(
    w,
    async (rig) => {
      peersRef = rig.peers;
      assert.equal(await rig.poll(), true);
      rig.peers.gateway.dropConnections();
      // Between polls (30 s apart in real life) the client hears the close before it asks again.
      await waitUntil(() => rig.lines.some((l) => l.includes('gateway: disconnected')));
      growWorld(w, 1);
      assert.equal(await rig.poll(), true, `a socket closed while idle is reopened by the next request\n${rig.lines.join("\n")}`);
      growWorld(w, 2);
      dropNext = true;
      assert.equal(await rig.poll(), false, 'a socket dropped during sessions.list fails that poll');
      assert.equal(rig.lines.filter((l) => l.includes('gateway: disconnected')).length, 2);
      assert.equal(await rig.poll(), true);
      assertExact(rig);
      assert.ok(rig.peers.gateway.connectRequests.length >= 3, 'it reconnected twice');
    },
    {
      methods: {
        'sessions.list': (params) => {
          if (dropNext) {
            dropNext = false;
            peersRef?.gateway.dropConnections();
            return new Promise(() => undefined);
          }
          return answerSessionsList(params, w.rows(), Date.now());
        },
      },
    },
  );
});

test('UNAVAILABLE while the gateway starts: the connect is retried and the first poll succeeds', async () => {
  const w = world();
  await withRig(
    w,
    async (rig) => {
      assert.equal(await rig.poll(), true, rig.lines.join('\n'));
      assert.equal(rig.peers.gateway.connectRequests.length, 3);
      assert.equal(rig.lines.filter((l) => /gateway: not ready yet, retrying connect in 40 ms/.test(l)).length, 2);
      assertExact(rig);
    },
    { unavailableConnects: 2, unavailableRetryAfterMs: 40 },
  );
});

test('a session reset: the old transcript is booked exactly once more, the new sessionId becomes a new trace', async () => {
  const w = world(3);
  const key = 'agent:main:subagent:s1';
  await withRig(w, async (rig) => {
    assert.equal(await rig.poll(), true);
    const oldSessionId = w.sessionIdOf(key);
    w.finishRun(key, 700, 70); // the last run of the old transcript, never seen by a poll before the reset
    w.reset(key);
    assert.notEqual(w.sessionIdOf(key), oldSessionId);
    assert.equal(await rig.poll(), true);
    w.finishRun(key, 300, 30);
    assert.equal(await rig.poll(), true);
    assert.equal(await rig.poll(), true);
    assertExact(rig);
    const aw = rig.peers.agentwatch;
    const traces = aw.traces.filter((t) => t.session_id === key);
    assert.deepEqual(traces.map((t) => t.attributes?.openclaw_session_id).sort(), [oldSessionId, w.sessionIdOf(key)].sort(), 'one trace per sessionId');
    const usage = (w.usagePayload() as { sessions: Array<{ sessionId: string; usage: { input: number } }> }).sessions;
    const both = usage.filter((u) => u.sessionId === oldSessionId || u.sessionId === w.sessionIdOf(key)).reduce((t, u) => t + u.usage.input, 0);
    assert.equal(receivedBySession(aw).get(key)?.input, both, 'the key totals both transcripts');
  });
});

test('isolated cron runs (a new sessionId each run) are filtered and never delivered', async () => {
  const w = world(2);
  const cron = 'agent:main:cron:nightly';
  w.add({ key: cron, agentId: 'main', classification: 'cron', label: 'Automation: nightly', model: MODEL, createdVia: 'cron' });
  await withRig(w, async (rig) => {
    const cronSessionIds: string[] = [];
    for (let run = 0; run < 3; run++) {
      w.finishRun(cron, 900 + run, 90);
      cronSessionIds.push(w.sessionIdOf(cron));
      assert.equal(await rig.poll(), true);
      w.reset(cron);
    }
    const aw = rig.peers.agentwatch;
    assert.ok(!aw.traces.some((t) => cronSessionIds.includes(String(t.attributes?.openclaw_session_id))), 'no cron run reached AgentWatch');
    assert.ok(rig.lines.some((l) => l.includes(`skip ${cron} (classification=cron)`)));
    assert.deepEqual(dedupedTotals(receivedEvents(aw)), worldTotals(w, (k) => !k.startsWith('agent:main:subagent:')));
  });
});

test('a cumulative figure that goes backwards once: WARN, nothing negative, later growth booked only above the high-water mark', async () => {
  const w = world(3);
  const key = 'agent:main:subagent:s2';
  let lowerOnce = false;
  await withRig(
    w,
    async (rig) => {
      assert.equal(await rig.poll(), true);
      const before = receivedBySession(rig.peers.agentwatch).get(key)!;
      lowerOnce = true;
      growWorld(w, 1, 1); // every session moves; s2 is served lower than what poll 1 booked
      assert.equal(await rig.poll(), true);
      assert.ok(rig.lines.some((l) => l.includes(`[WARNING] - Cumulative usage went backwards for ${key}: input`)), rig.lines.join('\n'));
      assert.deepEqual(receivedBySession(rig.peers.agentwatch).get(key), before, 'nothing booked for the session that went down');
      w.finishRun(key, 40, 4);
      assert.equal(await rig.poll(), true);
      const received = receivedEvents(rig.peers.agentwatch);
      assert.ok(received.every((r) => r.input >= 0 && r.output >= 0 && r.costMicros >= 0), 'nothing negative');
      assert.equal(duplicateCount(received), 0);
      assert.deepEqual(dedupedTotals(received), worldTotals(w), 'growth above the old high-water mark only: totals exact');
    },
    {
      usage: (params) => {
        const payload = w.usagePayload() as { sessions: Array<{ key: string; usage: { input: number; output: number; totalCost: number } }> };
        // Once, in the answer that carries the session: the all-sessions read, or that key's own read.
        if (lowerOnce && (params.key === undefined || params.key === key)) {
          lowerOnce = false;
          const row = payload.sessions.find((s) => s.key === key)!;
          row.usage.input -= 400; // below what poll 1 booked, even with this round's growth
          row.usage.output = 0;
          row.usage.totalCost = 0;
        }
        return payload;
      },
    },
  );
});

test('per-run numbers in sessions.list going down is not a reset: same trace, exact growth, no warning', async () => {
  const w = world(2);
  const key = 'agent:main:subagent:s0';
  await withRig(w, async (rig) => {
    w.finishRun(key, 5_000, 500);
    assert.equal(await rig.poll(), true);
    w.finishRun(key, 120, 12); // the row's inputTokens fall from 5000 to 120
    const row = w.rows().find((r) => r.key === key)!;
    assert.equal(row.inputTokens, 120);
    assert.equal(await rig.poll(), true);
    assert.ok(!rig.lines.some((l) => /went backwards/.test(l)));
    assert.equal(rig.peers.agentwatch.traces.filter((t) => t.session_id === key).length, 1);
    assertExact(rig);
  });
});
