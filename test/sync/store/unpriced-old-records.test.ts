import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../../../src/sync/ports.js';
import { SyncState } from '../../../src/sync/store/sync-state.js';
import { FakeClock, delta, entry, tempDir } from './store-test-kit.js';

test('journal records from before unpriced entries were read load with a count of 0', async (t) => {
  const dir = await tempDir(t);
  const opts = { dir, clock: new FakeClock(), log: silentLogger, maxOutbox: 1000 };
  const state = await SyncState.open(opts);
  // What an older version wrote: no unpricedEntries on the delta, no bookedUnpriced on the entry.
  const { unpricedEntries: _d, ...oldDelta } = delta('old', 's1', 0, 2);
  const { bookedUnpriced: _e, ...oldEntry } = entry('s1', 2);
  await state.book([oldDelta as never], [oldEntry as never]);
  await state.book([{ ...delta('new', 's1', 2, 3), unpricedEntries: 2 }], [{ ...entry('s1', 3), bookedUnpriced: 2 }]);
  await state.close();

  const again = await SyncState.open(opts);
  t.after(() => again.close());
  assert.deepEqual(again.pending(10).map((d) => [d.id, d.unpricedEntries]), [['old', 0], ['new', 2]]);
  assert.equal(again.entry('s1')?.bookedUnpriced, 2);
});
