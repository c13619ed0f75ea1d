import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { isSyncError, type SyncError } from '../../../src/sync/errors.js';
import { silentLogger } from '../../../src/sync/ports.js';
import { createNodeDurableFs, type DurableFs } from '../../../src/sync/store/durable-fs.js';
import { SyncState, type StateOptions } from '../../../src/sync/store/sync-state.js';
import { FakeClock, delta, entry, faultyFs, fsError, tempDir, view } from './store-test-kit.js';

function options(dir: string, fs?: DurableFs): StateOptions {
  return { dir, fs, clock: new FakeClock(), log: silentLogger, maxOutbox: 100 };
}

function isDiskFull(dir: string) {
  return (e: unknown) => {
    assert.ok(isSyncError(e), String(e));
    const error = e as SyncError;
    assert.equal(error.code, 'STATE');
    assert.equal(error.retryable, true);
    assert.equal(
      error.message,
      `Cannot write the sync state in ${dir} (ENOSPC: disk full). Free space or choose another --state-dir; ` +
        'nothing was lost: the last poll will be retried.',
    );
    return true;
  };
}

for (const partial of [0, 25]) {
  const name = `disk full${partial ? ' after half a record' : ''}`;
  test(`${name}: STATE error, memory unchanged, disk keeps the previous state`, async (t) => {
    const dir = await tempDir(t);
    let full = false;
    const fs = faultyFs(createNodeDurableFs(), {
      append: () => (full ? { error: fsError('ENOSPC'), partial } : undefined),
      writeAtomic: () => (full ? fsError('ENOSPC') : undefined),
    });
    const state = await SyncState.open(options(dir, fs));
    await state.book([delta('a')], [entry('s1', 1)]);
    const before = view(state);

    full = true;
    await assert.rejects(state.book([delta('b', 's1', 1, 2)], [entry('s1', 2)]), isDiskFull(dir));
    assert.deepEqual(view(state), before, 'in memory nothing moved');
    await assert.rejects(state.book([delta('b', 's1', 1, 2)], [entry('s1', 2)]), isDiskFull(dir));
    const onDisk = await SyncState.open(options(dir));
    assert.deepEqual(view(onDisk), before, 'on disk nothing moved');
    await onDisk.close();

    full = false;
    await state.book([delta('b', 's1', 1, 2)], [entry('s1', 2)]);
    const after = view(state);
    assert.deepEqual(after.outbox.map((d) => d.id), ['a', 'b']);
    await fs.close(); // crash
    const again = await SyncState.open(options(dir));
    t.after(() => again.close());
    assert.deepEqual(view(again), after, 'the retried booking is durable; a half record did not break the journal');
  });
}

test('an ack that cannot be written still takes effect in memory, and the next write makes it durable', async (t) => {
  const dir = await tempDir(t);
  let full = false;
  const fs = faultyFs(createNodeDurableFs(), {
    append: () => (full ? { error: fsError('ENOSPC'), partial: 3 } : undefined),
  });
  const state = await SyncState.open(options(dir, fs));
  await state.book([delta('a'), delta('b')], [entry('s1', 2)]);
  full = true;
  await assert.rejects(state.ack(['a']), isDiskFull(dir));
  assert.deepEqual(state.pending(10).map((d) => d.id), ['b'], 'delivered data is never sent twice by this process');
  full = false;
  await state.memory.set('k', 'v');
  await fs.close();
  const again = await SyncState.open(options(dir));
  t.after(() => again.close());
  assert.deepEqual(again.pending(10).map((d) => d.id), ['b']);
  assert.equal(again.counters.delivered, 1);
});

test('a state dir under a regular file is a clear STATE error', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'not-a-dir'), 'x');
  const stateDir = join(dir, 'not-a-dir', 'state');
  await assert.rejects(SyncState.open(options(stateDir)), (e) => {
    assert.ok(isSyncError(e));
    assert.equal(e.code, 'STATE');
    assert.equal(
      e.message,
      `Cannot open the sync state in ${stateDir} (ENOTDIR: part of the path is a file, not a folder). ` +
        'Move the file that is in the way or choose another --state-dir.',
    );
    return true;
  });
});

test('a real ENOSPC from /dev/full is reported as disk full', { skip: !existsSync('/dev/full') }, async (t) => {
  const dir = await tempDir(t);
  const real = createNodeDurableFs();
  const fs: DurableFs = {
    ...real,
    appendDurable: (p, text) => real.appendDurable(p.endsWith('.log') ? '/dev/full' : p, text),
    append: (p, text) => real.append(p.endsWith('.log') ? '/dev/full' : p, text),
  };
  const state = await SyncState.open(options(dir, fs));
  t.after(() => state.close());
  await assert.rejects(state.book([delta('a')], [entry('s1', 1)]), isDiskFull(dir));
  assert.equal(state.depth, 0);
  assert.equal(state.entry('s1'), undefined);
});
