// Run by crash.test.ts: books in a loop until SIGKILLed, printing the index of each booking once it resolved.
import { silentLogger, systemClock } from '../../../src/sync/ports.js';
import { SyncState } from '../../../src/sync/store/sync-state.js';
import { delta, entry } from './store-test-kit.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: crash-child.ts <state-dir>');

const state = await SyncState.open({
  dir,
  clock: systemClock,
  log: silentLogger,
  maxOutbox: 1_000_000,
  compactBytes: 8192, // compact every few bookings, so kills also land in compactions
});
for (let i = (state.entry('all')?.booked.input ?? 0) + 1; ; i += 1) {
  const session = `s${i % 3}`;
  await state.book(
    [delta(`d${i}-0`, session, i - 1, i), delta(`d${i}-1`, session, i - 1, i)],
    [entry(session, i), entry('all', i)],
  );
  process.stdout.write(`${i}\n`);
  const delivered = state.pending(50).filter((d) => Number(d.id.slice(1, d.id.indexOf('-'))) <= i - 5);
  await state.ack(delivered.map((d) => d.id));
  if (i % 7 === 0) await state.memory.set('last-seventh', String(i));
}
