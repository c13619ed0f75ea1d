import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Ledger } from '../../src/sync/ledger.js';
import { silentLogger } from '../../src/sync/ports.js';
import { createNodeDurableFs } from '../../src/sync/store/durable-fs.js';
import { SyncState } from '../../src/sync/store/sync-state.js';
import { FakeClock, HOUR, T0, delta, entry, faultyFs, fsError, tempDir } from './store/store-test-kit.js';

// The Ledger contract, through the store that implements it (store/sync-state.ts).
const open = (dir: string, clock = new FakeClock(), fs = createNodeDurableFs()) => SyncState.open({ dir, fs, clock, log: silentLogger, maxOutbox: 100 });

test('a booking replaces the entries it names and leaves the others; a reopened ledger holds the same', async (t) => {
  const dir = await tempDir(t);
  const state = await open(dir);
  const ledger: Ledger = state;
  await ledger.book([delta('a', 's1', 0, 2)], [entry('s1', 2), entry('s2', 7)]);
  await ledger.book([delta('b', 's1', 2, 3)], [entry('s1', 3)]);
  assert.deepEqual([ledger.entry('s1')?.booked.input, ledger.entry('s2')?.booked.input, ledger.entry('s3')], [3, 7, undefined]);
  await state.close();
  const again: Ledger = await open(dir);
  t.after(() => (again as SyncState).close());
  assert.deepEqual([...again.entries()].map((e) => [e.sessionId, e.booked.input]).sort(), [['s1', 3], ['s2', 7]]);
});

test('a booking that cannot be written changes neither the ledger nor the outbox', async (t) => {
  const dir = await tempDir(t);
  let failing = false;
  const fs = faultyFs(createNodeDurableFs(), { append: () => (failing ? { error: fsError('ENOSPC') } : undefined) });
  const state = await open(dir, new FakeClock(), fs);
  t.after(() => state.close());
  await state.book([delta('a', 's1', 0, 2)], [entry('s1', 2)]);
  failing = true;
  await assert.rejects(state.book([delta('b', 's1', 2, 5)], [entry('s1', 5)]));
  assert.equal(state.entry('s1')?.booked.input, 2);
  assert.deepEqual(state.pending(10).map((d) => d.id), ['a']);
});

test('hourly usage sums the booked deltas per hour and agent, from the hour that holds `sinceMs`', async (t) => {
  const dir = await tempDir(t);
  const clock = new FakeClock(T0);
  const state = await open(dir, clock);
  t.after(() => state.close());
  await state.book([delta('a', 's1', 0, 1), delta('b', 's2', 0, 2, 'ops')], [entry('s1', 1), entry('s2', 2, 'ops')]);
  clock.ms += HOUR;
  await state.book([delta('c', 's1', 1, 3)], [entry('s1', 3)]);
  const hours = state.hourly(T0 + 30 * 60_000).map((b) => [b.hour - T0, b.agentId, b.tokens, b.costMicros]);
  // delta(n→m) carries 3 × (m − n) tokens and 10 × (m − n) micro-USD (store-test-kit).
  assert.deepEqual(hours, [[0, 'main', 3, 10], [0, 'ops', 6, 20], [HOUR, 'main', 6, 20]]);
  assert.deepEqual(state.hourly(T0 + HOUR).map((b) => b.agentId), ['main']);
});
