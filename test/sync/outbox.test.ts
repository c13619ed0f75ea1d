import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Outbox } from '../../src/sync/outbox.js';
import { silentLogger } from '../../src/sync/ports.js';
import { SyncState } from '../../src/sync/store/sync-state.js';
import { FakeClock, delta, entry, tempDir } from './store/store-test-kit.js';

// The Outbox contract, through the store that implements it (store/sync-state.ts).
const open = (dir: string) => SyncState.open({ dir, clock: new FakeClock(), log: silentLogger, maxOutbox: 100 });

test('pending is oldest first and bounded by its limit; depth counts what is undelivered', async (t) => {
  const state = await open(await tempDir(t));
  t.after(() => state.close());
  await state.book([delta('a', 's1'), delta('b', 's2')], [entry('s1', 1), entry('s2', 1)]);
  await state.book([delta('c', 's3'), delta('a', 's1')], [entry('s3', 1)]);
  const outbox: Outbox = state;
  assert.deepEqual(outbox.pending(2).map((d) => d.id), ['a', 'b']);
  assert.deepEqual(outbox.pending(10).map((d) => d.id), ['a', 'b', 'c'], 'a delta already queued is not queued twice');
  assert.deepEqual(outbox.pending(0), []);
  assert.equal(outbox.depth, 3);
});

test('acked deltas leave for good (also after a restart); unknown or repeated ids are harmless', async (t) => {
  const dir = await tempDir(t);
  const state = await open(dir);
  await state.book([delta('a', 's1'), delta('b', 's2')], [entry('s1', 1), entry('s2', 1)]);
  await state.ack(['a', 'nope']);
  await state.ack(['a']);
  await state.flush();
  assert.deepEqual([state.depth, state.counters.delivered], [1, 1]);
  await state.close();
  const again = await open(dir);
  t.after(() => again.close());
  assert.deepEqual(again.pending(10).map((d) => d.id), ['b']);
});

test('a dead letter leaves the outbox and lands in dead-letter.jsonl with its reason', async (t) => {
  const dir = await tempDir(t);
  const state = await open(dir);
  t.after(() => state.close());
  await state.book([delta('a', 's1'), delta('b', 's2')], [entry('s1', 1), entry('s2', 1)]);
  await state.deadLetter([delta('a', 's1')], '422: rejected');
  assert.deepEqual(state.pending(10).map((d) => d.id), ['b']);
  const lines = (await readFile(join(dir, 'dead-letter.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { reason: string; delta: { id: string } });
  assert.deepEqual(lines.map((l) => [l.delta.id, l.reason]), [['a', '422: rejected']]);
});

test('sink memory survives a restart', async (t) => {
  const dir = await tempDir(t);
  const state = await open(dir);
  await state.memory.set('aw:agent:gw:main', 'uuid-1');
  await state.close();
  const again = await open(dir);
  t.after(() => again.close());
  assert.equal(again.memory.get('aw:agent:gw:main'), 'uuid-1');
});
