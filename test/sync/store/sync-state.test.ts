import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { isSyncError } from '../../../src/sync/errors.js';
import { silentLogger } from '../../../src/sync/ports.js';
import { createNodeDurableFs } from '../../../src/sync/store/durable-fs.js';
import { SyncState, type StateOptions } from '../../../src/sync/store/sync-state.js';
import { FakeClock, HOUR, T0, delta, entry, recordingLogger, tempDir, view } from './store-test-kit.js';

function options(dir: string, extra: Partial<StateOptions> = {}): StateOptions {
  return { dir, clock: new FakeClock(), log: silentLogger, maxOutbox: 1000, ...extra };
}

test('book, close, reopen: the same ledger, outbox order, memory and hourly usage', async (t) => {
  const dir = await tempDir(t);
  const clock = new FakeClock(T0 + 5 * 60_000);
  const state = await SyncState.open(options(dir, { clock }));
  await state.book([delta('a', 's1', 0, 2), delta('b', 's2', 0, 1, 'ops')], [entry('s1', 2), entry('s2', 1, 'ops')]);
  clock.ms += HOUR;
  await state.book([delta('c', 's1', 2, 5)], [entry('s1', 5)]);
  await state.memory.set('agent:main', 'uuid-1');
  const before = view(state);
  await state.close();

  const again = await SyncState.open(options(dir));
  t.after(() => again.close());
  assert.deepEqual(view(again), before);
  assert.deepEqual(again.pending(10).map((d) => d.id), ['a', 'b', 'c']);
  assert.equal(again.entry('s1')?.booked.input, 5);
  assert.equal(again.memory.get('agent:main'), 'uuid-1');
  assert.deepEqual(again.hourly(T0), [
    { hour: T0, agentId: 'main', tokens: 6, costMicros: 20, unpriced: 0 },
    { hour: T0, agentId: 'ops', tokens: 3, costMicros: 10, unpriced: 0 },
    { hour: T0 + HOUR, agentId: 'main', tokens: 9, costMicros: 30, unpriced: 0 },
  ]);
  assert.deepEqual(again.hourly(T0 + HOUR + 1).map((b) => b.hour), [T0 + HOUR]);
});

test('a crash without close loses nothing: the journal is the truth', async (t) => {
  const dir = await tempDir(t);
  const fs = createNodeDurableFs();
  const state = await SyncState.open(options(dir, { fs }));
  await state.book([delta('a'), delta('b', 's2')], [entry('s1', 1), entry('s2', 1)]);
  await state.ack(['a']);
  await state.memory.set('k', 'v');
  const before = view(state);
  await fs.close(); // the process dies here: no compaction, no snapshot

  const again = await SyncState.open(options(dir));
  t.after(() => again.close());
  assert.deepEqual(view(again), before);
  assert.equal(again.memory.get('k'), 'v');
  assert.deepEqual(again.counters, { dropped: 0, deadLettered: 0, delivered: 1 });
});

test('booking a delta already in the outbox does not queue it twice', async (t) => {
  const dir = await tempDir(t);
  const state = await SyncState.open(options(dir));
  t.after(() => state.close());
  await state.book([delta('a')], [entry('s1', 1)]);
  await state.book([delta('a'), delta('b', 's1', 1, 2), delta('b', 's1', 1, 2)], [entry('s1', 2)]);
  assert.deepEqual(state.pending(10).map((d) => d.id), ['a', 'b']);
  assert.equal(state.hourly(0)[0]?.tokens, 6, 'a duplicate adds no usage either');
});

test('ack removes durably, is idempotent and ignores unknown ids', async (t) => {
  const dir = await tempDir(t);
  const state = await SyncState.open(options(dir));
  await state.book([delta('a'), delta('b'), delta('c')], [entry('s1', 3)]);
  await state.ack(['b', 'nope']);
  await state.ack(['b']);
  assert.deepEqual(state.pending(10).map((d) => d.id), ['a', 'c']);
  assert.equal(state.depth, 2);
  assert.equal(state.counters.delivered, 1);
  await state.close();
  const again = await SyncState.open(options(dir));
  t.after(() => again.close());
  assert.deepEqual(again.pending(1).map((d) => d.id), ['a']);
  assert.equal(again.counters.delivered, 1);
});

test('deadLetter writes each delta with its reason, removes it, and the counter survives a restart', async (t) => {
  const dir = await tempDir(t);
  const clock = new FakeClock(T0 + 42);
  const state = await SyncState.open(options(dir, { clock }));
  await state.book([delta('a'), delta('b')], [entry('s1', 2)]);
  await state.deadLetter([delta('a')], '422: model is required');
  assert.deepEqual(state.pending(10).map((d) => d.id), ['b']);
  await state.close();

  const lines = (await readFile(join(dir, 'dead-letter.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines, [{ at: T0 + 42, reason: '422: model is required', delta: delta('a') }]);
  const again = await SyncState.open(options(dir));
  t.after(() => again.close());
  assert.deepEqual(again.counters, { dropped: 0, deadLettered: 1, delivered: 0 });
  assert.equal(again.depth, 1);
});

test('a full outbox keeps the newest deltas, counts the dropped ones and warns once', async (t) => {
  const dir = await tempDir(t);
  const log = recordingLogger();
  const state = await SyncState.open(options(dir, { maxOutbox: 5, log }));
  await state.book([delta('d1'), delta('d2'), delta('d3')], [entry('s1', 3)]);
  const result = await state.book([delta('d4'), delta('d5'), delta('d6'), delta('d7'), delta('d8')], [entry('s1', 8)]);
  assert.equal(result.dropped, 3);
  assert.deepEqual(state.pending(10).map((d) => d.id), ['d4', 'd5', 'd6', 'd7', 'd8']);
  const warnings = log.lines.filter((l) => l.level === 'warn');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]?.message ?? '', /dropped the 3 oldest/);
  await state.close();
  const again = await SyncState.open(options(dir, { maxOutbox: 5 }));
  t.after(() => again.close());
  assert.equal(again.counters.dropped, 3);
  assert.deepEqual(again.pending(10).map((d) => d.id), ['d4', 'd5', 'd6', 'd7', 'd8']);
  assert.equal(again.entry('s1')?.booked.input, 8);
});

test('concurrent calls are written one at a time, in call order', async (t) => {
  const dir = await tempDir(t);
  const state = await SyncState.open(options(dir));
  await Promise.all([
    state.book([delta('a')], [entry('s1', 1)]),
    state.ack(['a']),
    state.book([delta('b', 's1', 1, 2)], [entry('s1', 2)]),
    state.memory.set('k', '1'),
    state.memory.set('k', '2'),
  ]);
  const before = view(state);
  assert.deepEqual(before.outbox.map((d) => d.id), ['b']);
  await state.close();
  const again = await SyncState.open(options(dir));
  t.after(() => again.close());
  assert.deepEqual(view(again), before);
  assert.equal(again.memory.get('k'), '2');
});

test('hourly buckets older than 48 hours are pruned', async (t) => {
  const dir = await tempDir(t);
  const clock = new FakeClock(T0);
  const state = await SyncState.open(options(dir, { clock }));
  t.after(() => state.close());
  await state.book([delta('a')], [entry('s1', 1)]);
  clock.ms = T0 + 49 * HOUR;
  await state.book([delta('b', 's1', 1, 2)], [entry('s1', 2)]);
  assert.deepEqual(state.hourly(0).map((b) => b.hour), [T0 + 49 * HOUR]);
});

test('invalid data is refused before it reaches the journal', async (t) => {
  const dir = await tempDir(t);
  const state = await SyncState.open(options(dir));
  t.after(() => state.close());
  const bad = { ...delta('a'), costMicros: Number.NaN };
  await assert.rejects(state.book([bad], [entry('s1', 1)]), (e) => isSyncError(e) && /costMicros/.test(e.message));
  assert.equal(state.depth, 0);
  await state.book([delta('b')], [entry('s1', 1)]);
  assert.equal(state.depth, 1);
});

test('close is idempotent and later writes fail clearly', async (t) => {
  const dir = await tempDir(t);
  const state = await SyncState.open(options(dir));
  await Promise.all([state.close(), state.close()]);
  await assert.rejects(state.book([delta('a')], [entry('s1', 1)]), (e) => isSyncError(e) && e.code === 'STATE');
});
