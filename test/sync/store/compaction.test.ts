import assert from 'node:assert/strict';
import { copyFile, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../../../src/sync/ports.js';
import { createNodeDurableFs } from '../../../src/sync/store/durable-fs.js';
import { SyncState, type StateOptions } from '../../../src/sync/store/sync-state.js';
import { FakeClock, HOUR, delta, entry, journalFiles, tempDir, view } from './store-test-kit.js';

function options(dir: string, extra: Partial<StateOptions> = {}): StateOptions {
  return { dir, clock: new FakeClock(), log: silentLogger, maxOutbox: 1000, compactBytes: 2048, ...extra };
}

/** 60 bookings over 3 sessions, 2 agents and several hours, with acks and sink memory in between. */
async function churn(state: SyncState, clock: FakeClock): Promise<void> {
  for (let i = 1; i <= 60; i += 1) {
    const session = `s${i % 3}`;
    const agent = i % 2 === 0 ? 'main' : 'ops';
    await state.book([delta(`d${i}`, session, i - 1, i, agent)], [entry(session, i, agent)]);
    if (i % 4 === 0) await state.ack([`d${i - 2}`, `d${i - 3}`]);
    if (i % 10 === 0) await state.memory.set(`trace:${session}`, `uuid-${i}`);
    clock.ms += HOUR / 6;
  }
}

test('compaction under a tiny size limit keeps everything and leaves one journal', async (t) => {
  const dir = await tempDir(t);
  const clock = new FakeClock();
  const fs = createNodeDurableFs();
  const state = await SyncState.open(options(dir, { clock, fs }));
  await churn(state, clock);
  const expected = view(state);
  assert.equal(expected.outbox.length, 60 - 30);
  assert.ok((await journalFiles(dir)).length <= 1, `journals: ${await journalFiles(dir)}`);
  const snapshot = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as { generation: number };
  assert.ok(snapshot.generation > 3, `compacted ${snapshot.generation} times`);
  await fs.close(); // crash: the last generation's journal must be replayed on top of its snapshot

  const afterCrash = await SyncState.open(options(dir));
  assert.deepEqual(view(afterCrash), expected);
  assert.equal(afterCrash.memory.get('trace:s0'), 'uuid-60');
  await afterCrash.close();
  assert.deepEqual(await journalFiles(dir), [], 'close folds the journal into the snapshot');
  const afterClose = await SyncState.open(options(dir));
  t.after(() => afterClose.close());
  assert.deepEqual(view(afterClose), expected);
  assert.deepEqual(
    (await readdir(dir)).filter((f) => f.includes('.tmp')),
    [],
    'no temp files left behind',
  );
});

test('a crash between the snapshot rename and the journal switch loads correctly', async (t) => {
  const dir = await tempDir(t);
  const clock = new FakeClock();
  const state = await SyncState.open(options(dir, { clock, compactBytes: 1 << 30 }));
  await churn(state, clock);
  const expected = view(state);
  // Keep the generation-0 journal as it was just before compaction, then compact (on close).
  await copyFile(join(dir, 'journal-0.log'), join(dir, 'kept.log'));
  await state.close();
  const snapshot = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as { generation: number };
  assert.equal(snapshot.generation, 1);
  // The intermediate state: new snapshot in place, old journal not yet removed (its records are in the snapshot).
  await copyFile(join(dir, 'kept.log'), join(dir, 'journal-0.log'));
  // And a temp file from an interrupted later snapshot write.
  await writeFile(join(dir, `state.json.tmp-999999`), '{"version":1,"gen');

  const again = await SyncState.open(options(dir));
  assert.deepEqual(view(again), expected, 'the old journal is not replayed a second time');
  assert.deepEqual(await journalFiles(dir), [], 'the superseded journal is removed on load');
  await again.book([delta('x', 'sx')], [entry('sx', 1)]);
  await again.close();
  const last = await SyncState.open(options(dir));
  t.after(() => last.close());
  assert.equal(last.depth, expected.outbox.length + 1);
});

test('a drain never compacts under way: acks and sink memory append, the end of the drain compacts', async (t) => {
  const dir = await tempDir(t);
  const clock = new FakeClock();
  const state = await SyncState.open(options(dir, { clock, compactBytes: 4096 }));
  const deltas = Array.from({ length: 20 }, (_, i) => delta(`d${i}`, `s${i}`, i, i + 1));
  await state.book(deltas, deltas.map((d) => entry(d.sessionId, 1)));
  const generation = async () => (JSON.parse(await readFile(join(dir, 'state.json'), 'utf8').catch(() => '{"generation":0}')) as { generation: number }).generation;
  assert.ok((await readFile(join(dir, 'journal-0.log'), 'utf8')).length > 4096, 'the booking alone is past the limit');

  for (let i = 0; i < 20; i += 5) {
    await state.ack(deltas.slice(i, i + 5).map((d) => d.id));
    await state.memory.set(`aw:trace:s${i}`, `uuid-${i}`);
  }
  assert.equal(await generation(), 0, 'no snapshot was written while the outbox was being drained');
  assert.deepEqual(await journalFiles(dir), ['journal-0.log']);
  const expected = view(state);

  await state.flush(); // what deliverOutbox calls when a drain ends
  assert.equal(await generation(), 1, 'the end of the drain compacted');
  assert.deepEqual(await journalFiles(dir), [], 'into a snapshot with an empty outbox');
  const snapshot = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as { outbox: unknown[]; ledger: unknown[] };
  assert.equal(snapshot.outbox.length, 0);
  assert.equal(snapshot.ledger.length, 20);
  await state.close();
  const again = await SyncState.open(options(dir));
  t.after(() => again.close());
  assert.deepEqual(view(again), expected);
  assert.equal(again.memory.get('aw:trace:s15'), 'uuid-15');
});
