import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { SessionWorld } from '../../../src/sim/session-world.js';
import { systemClock } from '../../../src/sync/ports.js';
import { captureLog, engineFor, expectedFromUsage, receivedBySession, settingsFor, startPeers, tempDir } from '../../support/engine-kit.js';

const MODEL = { provider: 'fakellm', model: 'fake-model-1', input: 3, output: 15, contextTokens: 128_000 };
const SESSIONS = 1_234; // three parts of a large poll: 500, 500, 234

function bigWorld(): SessionWorld {
  const world = new SessionWorld(systemClock);
  for (let i = 0; i < SESSIONS; i++) world.add({ key: `agent:${i % 3 ? 'main' : 'ops'}:s${i}`, agentId: i % 3 ? 'main' : 'ops', classification: 'main', model: MODEL });
  return world;
}

type Totals = Map<string, { input: number; output: number; costMicros: number }>;

/** The sessions whose totals differ (a short list to read, instead of two 1,234-entry maps). */
function mismatches(got: Totals, want: Totals): string[] {
  const keys = new Set([...got.keys(), ...want.keys()]);
  return [...keys].filter((k) => JSON.stringify(got.get(k)) !== JSON.stringify(want.get(k))).slice(0, 5).map((k) => `${k}: got ${JSON.stringify(got.get(k))}, want ${JSON.stringify(want.get(k))}`);
}

function finishAll(world: SessionWorld, round: number): void {
  world.keys().forEach((key, i) => world.finishRun(key, 1_000 + ((i * 37 + round * 11) % 5_000), 10 + ((i + round) % 300)));
}

// That delivery overlaps the booking is timing-dependent; test/sync/pipelined-delivery.test.ts pins the hand-over itself.
test('a large poll, booked in parts with its first ingests retried, gives AgentWatch exactly OpenClaw\'s figures, once', async () => {
  const world = bigWorld();
  finishAll(world, 1);
  const peers = await startPeers({ sessions: () => world.rows(), usage: (params) => world.usagePayload(params) });
  const dir = await tempDir();
  try {
    // The first three ingest requests answer 503: the drains retry while later parts may still be being booked.
    peers.agentwatch.fail({ path: '/api/ingest', method: 'POST', status: 503, times: 3 });
    const { log } = captureLog('INFO');
    const engine = await engineFor(peers, dir.path, log, settingsFor(peers));
    const first = await engine.runOnce();
    assert.equal(first.ok, true, first.error?.message);
    assert.equal(first.delivered, SESSIONS);
    assert.equal(engine.status().outboxDepth, 0);

    finishAll(world, 2);
    const second = await engine.runOnce();
    assert.equal(second.delivered, SESSIONS);
    await engine.stop();

    const expected = expectedFromUsage(world.usagePayload() as never, world.keys());
    assert.deepEqual(mismatches(receivedBySession(peers.agentwatch), expected), [], 'every session\'s tokens and cost, nothing doubled');
    const journal = await readFile(join(dir.path, 'journal-0.log'), 'utf8').catch(() => '');
    const books = journal.split('\n').filter((l) => l.startsWith('{"t":"book"')).length;
    const state = JSON.parse(await readFile(join(dir.path, 'state.json'), 'utf8')) as { ledger: unknown[]; outbox: unknown[] };
    assert.equal(state.ledger.length, SESSIONS, 'stop folded every part into the snapshot');
    assert.equal(state.outbox.length, 0);
    assert.equal(books, 0, 'nothing left in the journal after stop');
    assert.equal(peers.frameViolations.length, 0);
  } finally {
    await peers.close();
    await dir.remove();
  }
});

test('a large poll whose AgentWatch stays down keeps every part booked; the next poll delivers it all, once', async () => {
  const world = bigWorld();
  finishAll(world, 1);
  const peers = await startPeers({ sessions: () => world.rows(), usage: (params) => world.usagePayload(params) });
  const dir = await tempDir();
  let healthy: Awaited<ReturnType<typeof startPeers>> | undefined;
  try {
    peers.agentwatch.fail({ path: '/api/', status: 503, times: 1_000_000 }); // down: no agent, trace or ingest gets in
    const { log, lines } = captureLog('INFO');
    const engine = await engineFor(peers, dir.path, log, settingsFor(peers, { pollIntervalSec: 5 }), { retry: { initialMs: 2_000, multiplier: 1.5, maxMs: 3_000, jitter: 0 } }); // one retry, then the budget is spent
    const down = await engine.runOnce();
    await engine.stop();
    assert.equal(down.ok, false);
    assert.equal(down.delivered, 0);
    assert.equal(engine.status().outboxDepth, SESSIONS, 'every part was booked although delivery had stopped');
    assert.equal(peers.agentwatch.costs.length, 0);
    assert.ok(lines.some((l) => l.includes('503')), 'the failures were logged');

    // Same gateway, a healthy AgentWatch; one more run each before the next poll.
    healthy = await startPeers({ sessions: () => world.rows(), usage: (params) => world.usagePayload(params) });
    finishAll(world, 2);
    const up = { ...peers, agentwatch: healthy.agentwatch };
    const engine2 = await engineFor(up, dir.path, captureLog('INFO').log, settingsFor(up));
    const back = await engine2.runOnce();
    await engine2.stop();
    assert.equal(back.ok, true, back.error?.message);
    assert.equal(engine2.status().outboxDepth, 0);
    const expected = expectedFromUsage(world.usagePayload() as never, world.keys());
    assert.deepEqual(mismatches(receivedBySession(healthy.agentwatch), expected), [], 'the queued parts and the new runs, each once');
  } finally {
    await healthy?.close();
    await peers.close();
    await dir.remove();
  }
});
