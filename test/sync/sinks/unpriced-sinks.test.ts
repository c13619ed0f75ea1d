import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { startSimAgentWatch, type SimAgentWatch } from '../../../src/sim/agentwatch-server.js';
import { createAgentWatchSink } from '../../../src/sync/sinks/agentwatch-sink.js';
import { createOtlpSink } from '../../../src/sync/sinks/otlp-sink.js';
import { createSeedSink } from '../../../src/sync/sinks/seed-sink.js';
import { startOtlpReceiver } from '../../../src/sim/otlp-receiver.js';
import { MemorySinkMemory } from '../../support/memory-sink-memory.js';
import { deltaFromFixture, nextDelta } from './make-delta.js';

const MAIN = 'agent:main:main';

let sim: SimAgentWatch;
beforeEach(async () => {
  sim = await startSimAgentWatch();
});
afterEach(() => sim.close());

test('AgentWatch gets unpriced_entries on each event; an unpriced-only delta still gets its event, and no Cost row', async () => {
  const memory = new MemorySinkMemory();
  const priced = deltaFromFixture(MAIN);
  const unpriced = nextDelta(priced, { input: 900, output: 30, costMicros: 0 }, { unpricedEntries: 2 });
  const late = nextDelta(unpriced, { input: 0, output: 0, costMicros: 0 }, { id: 'late', unpricedEntries: 1 });
  await createAgentWatchSink({ baseUrl: sim.url, timeoutMs: 2000, gatewayId: 'gw-test' }).deliver([priced, unpriced, late], { memory });

  assert.deepEqual(
    sim.events.map((e) => [e.attributes?.sync_event_id, e.input_tokens, e.attributes?.cost_usd, e.attributes?.unpriced_entries]),
    [[priced.id, 56200, 0.16962, 0], [unpriced.id, 900, 0, 2], ['late', 0, 0, 1]],
  );
  assert.deepEqual(sim.costs.map((c) => [c.amount, c.input_tokens]), [[0.16962, 56200], [0, 900]], 'the unpriced tokens still get their (0 USD) Cost row');
});

test('the seed bulk event carries unpriced_entries in its metadata', async () => {
  const seed = await startSimAgentWatch({ mode: 'seed' });
  try {
    const d = deltaFromFixture(MAIN, { unpricedEntries: 3 });
    await createSeedSink({ baseUrl: seed.url, timeoutMs: 2000 }).deliver([d], { memory: new MemorySinkMemory() });
    assert.deepEqual(seed.bulkEvents.map((e) => (e as { metadata: { unpriced_entries: number } }).metadata.unpriced_entries), [3]);
  } finally {
    await seed.close();
  }
});

test('the OTLP span carries agentwatch.unpriced_entries', async () => {
  const rx = await startOtlpReceiver();
  try {
    await createOtlpSink({ baseUrl: rx.url, timeoutMs: 2000 }).deliver([deltaFromFixture(MAIN, { unpricedEntries: 4 })], { memory: new MemorySinkMemory() });
    assert.deepEqual(rx.problems, []);
    assert.deepEqual(rx.spans.map((s) => s.attributes['agentwatch.unpriced_entries']), [4]);
  } finally {
    await rx.close();
  }
});
