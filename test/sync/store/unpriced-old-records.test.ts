import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { test } from 'node:test';
import { silentLogger } from '../../../src/sync/ports.js';
import { encodeRecord } from '../../../src/sync/store/journal.js';
import { journalPath } from '../../../src/sync/store/load-state.js';
import { SyncState } from '../../../src/sync/store/sync-state.js';
import { FakeClock, T0, delta, entry, tempDir } from './store-test-kit.js';

test('journal records from before unpriced entries were read load with a count of 0, and survive a snapshot', async (t) => {
  const dir = await tempDir(t);
  // What an older version wrote: no unpricedEntries on the delta, no bookedUnpriced on the entry.
  const { unpricedEntries: _d, unpricedTotal: _t, ...oldDelta } = delta('old', 's1', 0, 2);
  const { bookedUnpriced: _e, ...oldEntry } = entry('s1', 2);
  await writeFile(journalPath(dir, 0), encodeRecord({ t: 'book', at: T0, deltas: [oldDelta], entries: [oldEntry], drop: [] }));
  const opts = { dir, clock: new FakeClock(), log: silentLogger, maxOutbox: 1000 };

  const state = await SyncState.open(opts);
  assert.deepEqual(state.pending(10).map((d) => [d.id, d.unpricedEntries]), [['old', 0]]);
  assert.equal(state.entry('s1')?.bookedUnpriced ?? 0, 0);
  await state.book([{ ...delta('new', 's1', 2, 3), unpricedEntries: 2, unpricedTotal: 2 }], [{ ...entry('s1', 3), bookedUnpriced: 2 }]);
  await state.close(); // folds everything into a snapshot

  const again = await SyncState.open(opts);
  t.after(() => again.close());
  assert.deepEqual(again.pending(10).map((d) => [d.id, d.unpricedEntries, d.unpricedTotal]), [['old', 0, undefined], ['new', 2, 2]]);
  assert.equal(again.entry('s1')?.bookedUnpriced, 2);
  assert.deepEqual(again.hourly(0).map((b) => b.unpriced), [2]);
});
