import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeInSlices } from '../../../src/sync/store/encode-in-slices.js';
import { delta, entry } from './store-test-kit.js';

test('encodeInSlices writes exactly what JSON.stringify writes', async () => {
  const deltas = Array.from({ length: 25 }, (_, i) => ({ ...delta(`d${i}`, `s${i}`, i, i + 2), label: i % 2 ? 'grüße "quoted"\n' : null }));
  const samples: object[] = [
    { t: 'book', at: 5, deltas, entries: deltas.map((d) => entry(d.sessionId, 2)), drop: [] },
    { t: 'ack', ids: ['a', 'b'] },
    { version: 1, generation: 3, ledger: [], outbox: deltas, memory: { 'aw:agent:x': 'uuid' }, hourly: [], counters: { dropped: 0 } },
    { skipped: undefined, fn: () => 1, holes: [undefined, 1, () => 2], nested: { a: [1, { b: null }] } },
    {},
  ];
  for (const value of samples) {
    for (const perTurn of [1, 2, 7, 1_000]) assert.equal(await encodeInSlices(value, perTurn), JSON.stringify(value));
  }
});

test('a long list gives the event loop a turn between slices', async () => {
  const list = Array.from({ length: 10 }, (_, i) => ({ i }));
  const immediate = new Promise<void>((resolve) => setImmediate(() => resolve()));
  let ranBeforeDone = false;
  void immediate.then(() => (ranBeforeDone = true));
  const text = await encodeInSlices({ list }, 2);
  assert.equal(text, JSON.stringify({ list }));
  assert.equal(ranBeforeDone, true, 'a setImmediate queued before the encoding ran before it finished');
});
