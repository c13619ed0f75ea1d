import assert from 'node:assert/strict';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { isSyncError } from '../../../src/sync/errors.js';
import { silentLogger } from '../../../src/sync/ports.js';
import { encodeRecord, parseJournal, type Validation } from '../../../src/sync/store/journal.js';
import { createNodeDurableFs } from '../../../src/sync/store/durable-fs.js';
import { SyncState, type StateOptions } from '../../../src/sync/store/sync-state.js';
import { FakeClock, delta, entry, journalFiles, recordingLogger, tempDir, view } from './store-test-kit.js';

const numbers = (v: unknown): Validation<number> =>
  typeof v === 'number' ? { ok: true, value: v } : { ok: false, reason: 'not a number' };

test('parseJournal reads complete lines and only tolerates a broken last one', () => {
  assert.deepEqual(parseJournal('', 'j', numbers), { records: [], tornTail: false });
  assert.deepEqual(parseJournal('1\n2\n', 'j', numbers), { records: [1, 2], tornTail: false });
  assert.deepEqual(parseJournal('1\n2\n{"t":', 'j', numbers), { records: [1, 2], tornTail: true });
  assert.deepEqual(parseJournal('1\n"x"\n', 'j', numbers), { records: [1], tornTail: true });
  // Complete but without its newline: kept, yet the next write must not glue onto it.
  assert.deepEqual(parseJournal('1\n2', 'j', numbers), { records: [1, 2], tornTail: true });
  assert.throws(
    () => parseJournal('1\n{oops\n3\n', '/s/journal-0.log', numbers),
    (e) => isSyncError(e) && e.code === 'STATE' && /journal-0\.log is damaged at line 2/.test(e.message),
  );
  assert.equal(encodeRecord({ s: 'a\nb' }).split('\n').length, 2, 'a newline inside a value stays escaped');
});

function options(dir: string, extra: Partial<StateOptions> = {}): StateOptions {
  return { dir, clock: new FakeClock(), log: silentLogger, maxOutbox: 100, ...extra };
}

async function crashedStateWithTwoBookings(dir: string) {
  const fs = createNodeDurableFs();
  const state = await SyncState.open(options(dir, { fs }));
  await state.book([delta('a')], [entry('s1', 1)]);
  await state.book([delta('b', 's1', 1, 2)], [entry('s1', 2)]);
  const before = view(state);
  await fs.close();
  return before;
}

for (const [name, tail, expectedOutbox] of [
  ['half a record', '{"t":"book","at":1,"deltas":[{"id":"c"', ['a', 'b']],
  ['zero bytes left by a power loss', '\0\0\0\0', ['a', 'b']],
  // Complete but without its newline: the record made it, only the next write must not glue onto it.
  ['a complete record without its newline', encodeRecord({ t: 'ack', ids: ['a'] }).trim(), ['b']],
] as const) {
  test(`a torn last line (${name}) is not applied half, the next write works and leaves a clean journal`, async (t) => {
    const dir = await tempDir(t);
    const before = await crashedStateWithTwoBookings(dir);
    await appendFile(join(dir, 'journal-0.log'), tail);

    const log = recordingLogger();
    const state = await SyncState.open(options(dir, { log }));
    assert.deepEqual(view(state).ledger, before.ledger);
    assert.deepEqual(state.pending(10).map((d) => d.id), expectedOutbox);
    assert.match(log.lines.find((l) => l.level === 'warn')?.message ?? '', /unfinished write/);
    await state.book([delta('c', 's1', 2, 3)], [entry('s1', 3)]);
    const after = view(state);

    for (const file of await journalFiles(dir)) {
      const text = await readFile(join(dir, file), 'utf8');
      assert.ok(text.endsWith('\n'), `${file} ends with a complete line`);
      for (const line of text.trim().split('\n')) assert.doesNotThrow(() => JSON.parse(line), `${file}: ${line}`);
    }
    const again = await SyncState.open(options(dir));
    t.after(() => again.close());
    assert.deepEqual(view(again), after);
    assert.deepEqual(again.pending(10).map((d) => d.id), [...expectedOutbox, 'c']);
    await state.close();
  });
}

test('a damaged line in the middle of the journal is a STATE error naming the file and line', async (t) => {
  const dir = await tempDir(t);
  await crashedStateWithTwoBookings(dir);
  const file = join(dir, 'journal-0.log');
  const lines = (await readFile(file, 'utf8')).split('\n');
  lines[0] = `${lines[0]?.slice(0, 40)}#garbage`;
  await writeFile(file, lines.join('\n'));
  await assert.rejects(SyncState.open(options(dir)), (e) => {
    assert.ok(isSyncError(e));
    assert.equal(e.code, 'STATE');
    assert.ok(e.message.includes(file), e.message);
    assert.match(e.message, /line 1 of 2/);
    assert.match(e.message, /delete line 1/);
    return true;
  });
  assert.match(await readFile(file, 'utf8'), /#garbage/, 'the damaged journal is left as it was for inspection');
});

test('a damaged snapshot is a STATE error naming the file', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'state.json'), '{"version":1,"generation":');
  await assert.rejects(
    SyncState.open(options(dir)),
    (e) => isSyncError(e) && e.code === 'STATE' && e.message.includes(join(dir, 'state.json')),
  );
  await writeFile(join(dir, 'state.json'), JSON.stringify({ version: 2, generation: 1 }));
  await assert.rejects(SyncState.open(options(dir)), (e) => isSyncError(e) && /newer AgentWatch Sync/.test(e.message));
});
