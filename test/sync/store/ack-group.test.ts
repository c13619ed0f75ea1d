import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deliverOutbox } from '../../../src/sync/deliver-outbox.js';
import { isSyncError } from '../../../src/sync/errors.js';
import { silentLogger, type Logger } from '../../../src/sync/ports.js';
import { DELIVERY_RETRY } from '../../../src/sync/retry-policy.js';
import type { Sink } from '../../../src/sync/sinks/sink.js';
import { createNodeDurableFs, type DurableFs } from '../../../src/sync/store/durable-fs.js';
import { SyncState, type StateOptions } from '../../../src/sync/store/sync-state.js';
import { FakeClock, delta, entry, faultyFs, fsError, journalFiles, recordingLogger, tempDir } from './store-test-kit.js';

/** The node DurableFs, counting what reaches the disk: fsyncs (durable appends, syncs) and plain appends. */
function countingFs(inner: DurableFs = createNodeDurableFs()) {
  const counts = { fsyncs: 0, appends: 0 };
  const fs: DurableFs = {
    ...inner,
    appendDurable: (p, text) => ((counts.fsyncs += 1), inner.appendDurable(p, text)),
    append: (p, text) => ((counts.appends += 1), inner.append(p, text)),
    sync: (p) => ((counts.fsyncs += 1), inner.sync(p)),
  };
  return { fs, counts };
}

function options(dir: string, fs: DurableFs | undefined, clock = new FakeClock()): StateOptions {
  return { dir, fs, clock, log: silentLogger, maxOutbox: 100_000 };
}

/** One drain of the outbox through `sink`, with no waits between retries. */
function drain(state: SyncState, sink: Sink, log: Logger = silentLogger) {
  return deliverOutbox({
    outbox: state,
    sink,
    batchSize: 50,
    retry: DELIVERY_RETRY,
    retryBudgetMs: 30_000,
    log,
    clock: new FakeClock(),
    sleep: async () => undefined,
    random: () => 0.5,
    signal: new AbortController().signal,
  });
}

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

test('an ack is written without fsync before it resolves: a second reader of the file sees it at once', async (t) => {
  const dir = await tempDir(t);
  const { fs, counts } = countingFs();
  const state = await SyncState.open(options(dir, fs));
  t.after(() => state.close());
  await state.book([delta('a'), delta('b')], [entry('s1', 2)]);
  const fsyncsAfterBooking = counts.fsyncs;
  assert.equal(fsyncsAfterBooking, 1, 'the booking itself is fsync\'d before it resolves');

  await state.ack(['a']);
  assert.equal(counts.fsyncs, fsyncsAfterBooking, 'one ack alone is not fsync\'d');
  assert.equal(counts.appends, 1);

  // What a restarted process would read after this one was SIGKILLed: the file as the kernel holds it.
  const reader = createNodeDurableFs();
  const again = await SyncState.open(options(dir, reader));
  assert.deepEqual(again.pending(10).map((d) => d.id), ['b']);
  assert.equal(again.counters.delivered, 1);
  await reader.close();

  await state.flush();
  assert.equal(counts.fsyncs, fsyncsAfterBooking + 1, 'flush fsyncs the waiting acks');
  await state.flush();
  assert.equal(counts.fsyncs, fsyncsAfterBooking + 1, 'nothing waiting: no fsync');
});

test('acks are fsync\'d every maxAcks acks and once the group is maxDelayMs old', async (t) => {
  const dir = await tempDir(t);
  const { fs, counts } = countingFs();
  const clock = new FakeClock();
  const state = await SyncState.open({ ...options(dir, fs, clock), ackGroup: { maxAcks: 5, maxDelayMs: 250 } });
  t.after(() => state.close());
  const all = ids('d', 20);
  await state.book(all.map((id) => delta(id)), [entry('s1', 20)]);
  const base = counts.fsyncs;

  for (const id of all.slice(0, 10)) await state.ack([id]);
  assert.equal(counts.fsyncs - base, 2, 'a fixed clock: one fsync per 5 acks');

  for (const id of all.slice(10, 13)) {
    clock.ms += 100; // acks at +100, +200, +300 ms: the third is 200 ms after the group's first
    await state.ack([id]);
  }
  assert.equal(counts.fsyncs - base, 2, 'the group is 200 ms old: still waiting');
  clock.ms += 60;
  await state.ack([all[13]!]);
  assert.equal(counts.fsyncs - base, 3, 'the group reached 250 ms: fsync\'d');

  await state.book([delta('x')], [entry('s2', 1)]);
  const afterBooking = counts.fsyncs;
  await state.ack(['x']);
  await state.flush();
  assert.equal(counts.fsyncs, afterBooking + 1, 'a durable booking settled the acks before it; flush covers the new one');
});

test('a drain of 100 batches fsyncs a bounded number of times, and all acks survive a reopen', async (t) => {
  const dir = await tempDir(t);
  const { fs, counts } = countingFs();
  const state = await SyncState.open(options(dir, fs));
  t.after(() => state.close());
  const all = ids('d', 5_000);
  await state.book(all.map((id) => delta(id)), [entry('s1', 5_000)]);
  const base = counts.fsyncs;

  const posted: string[] = [];
  const sink: Sink = {
    name: 'recording',
    async deliver(batch) {
      posted.push(...batch.map((d) => d.id));
    },
  };
  const outcome = await drain(state, sink);
  assert.equal(outcome.delivered, 5_000);
  assert.deepEqual(posted, all);
  assert.equal(counts.appends, 100, 'one ack record per batch, each written before the next batch is sent');
  assert.equal(counts.fsyncs - base, 100 / 20, 'one fsync per 20 acks; the final flush finds nothing waiting');

  const reader = createNodeDurableFs();
  const again = await SyncState.open(options(dir, reader));
  assert.equal(again.depth, 0);
  assert.equal(again.counters.delivered, 5_000);
  await reader.close();
});

test('a failed fsync of acks is a STATE error; the next write compacts, and nothing is lost', async (t) => {
  const dir = await tempDir(t);
  let failSync = false;
  const fs = faultyFs(createNodeDurableFs(), { sync: () => (failSync ? fsError('EIO') : undefined) });
  const state = await SyncState.open(options(dir, fs));
  await state.book([delta('a'), delta('b')], [entry('s1', 2)]);
  const [journalBefore] = await journalFiles(dir);

  failSync = true;
  await state.ack(['a']);
  await assert.rejects(state.flush(), (e) => isSyncError(e) && e.code === 'STATE');
  assert.deepEqual(state.pending(10).map((d) => d.id), ['b'], 'the delivery happened: memory keeps the ack');

  failSync = false;
  await state.memory.set('k', 'v');
  const [journalAfter] = await journalFiles(dir);
  assert.notEqual(journalAfter, journalBefore, 'the write after a failed fsync starts a new generation');
  await fs.close(); // crash
  const again = await SyncState.open(options(dir, undefined));
  t.after(() => again.close());
  assert.deepEqual(again.pending(10).map((d) => d.id), ['b']);
  assert.equal(again.memory.get('k'), 'v');
});

test('a drain whose final fsync fails (in the background) still reports its deliveries, and warns', async (t) => {
  const dir = await tempDir(t);
  const fs = faultyFs(createNodeDurableFs(), { sync: () => fsError('EIO') });
  const state = await SyncState.open(options(dir, fs));
  await state.book([delta('a')], [entry('s1', 1)]);
  const log = recordingLogger();
  const sink: Sink = { name: 'ok', deliver: async () => undefined };
  const outcome = await drain(state, sink, log);
  assert.equal(outcome.delivered, 1);
  assert.equal(outcome.error, null);
  await state.close(); // runs after the drain's fsync, which the drain does not wait for
  const warnings = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /EIO[\s\S]*after a power cut the events delivered just now could be sent again/);
});

test('when a drain ends, its last group is fsync\'d without the drain waiting for it', async (t) => {
  const dir = await tempDir(t);
  const { fs, counts } = countingFs();
  const state = await SyncState.open(options(dir, fs));
  t.after(() => state.close());
  await state.book(ids('d', 120).map((id) => delta(id)), [entry('s1', 120)]);
  const base = counts.fsyncs;
  const sink: Sink = { name: 'ok', deliver: async () => undefined };
  const outcome = await drain(state, sink);
  assert.equal(outcome.delivered, 120);
  assert.equal(counts.appends, 3);
  await state.ack([]); // queued behind the drain's fsync
  assert.equal(counts.fsyncs - base, 1, 'three acks, one fsync');
});
