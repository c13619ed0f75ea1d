// "Today" is the user's local day; this zone falls back from EDT to EST on 2026-11-01, a 25-hour day.
process.env.TZ = 'America/New_York';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FilterRules } from '../../src/shared/settings.js';
import { silentLogger } from '../../src/sync/ports.js';
import { SyncState } from '../../src/sync/store/sync-state.js';
import { WindowView } from '../../src/sync/window-view.js';
import { FakeClock, delta, entry, tempDir } from './store/store-test-kit.js';

test("today's totals (the tray title, tooltip and window) reset at local midnight across the autumn DST change", async (t) => {
  const clock = new FakeClock(Date.UTC(2026, 10, 1, 3, 30)); // 23:30 EDT on 31 Oct
  const state = await SyncState.open({ dir: await tempDir(t), clock, log: silentLogger, maxOutbox: 100 });
  t.after(() => state.close());
  const view = new WindowView(state, clock, FilterRules.parse({}));
  await state.book([delta('y', 's1', 0, 1)], [entry('s1', 1)]);
  const yesterday = view.statusPatch().tokensToday;
  assert.ok(yesterday > 0);

  clock.ms = Date.UTC(2026, 10, 1, 5, 30); // 01:30 EDT on 1 Nov: a new day
  assert.equal(view.statusPatch().tokensToday, 0, 'midnight EDT reset the day');
  await state.book([delta('a', 's1', 1, 2)], [entry('s1', 2)]);
  clock.ms = Date.UTC(2026, 10, 2, 4, 30); // 23:30 EST on 1 Nov, 24.5 h after that midnight: still the same day
  await state.book([delta('b', 's1', 2, 3)], [entry('s1', 3)]);
  assert.equal(view.statusPatch().tokensToday, 2 * yesterday, 'both bookings of the 25-hour day count');

  clock.ms = Date.UTC(2026, 10, 2, 5, 15); // 00:15 EST on 2 Nov
  assert.equal(view.statusPatch().tokensToday, 0, 'midnight EST reset the day');
});
