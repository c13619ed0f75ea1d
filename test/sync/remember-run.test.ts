import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RUN_IDS_KEPT, rememberRun } from '../../src/sync/booking.js';

test('rememberRun keeps the newest run ids once each, at most RUN_IDS_KEPT, never changing the list it was given', () => {
  let ids: string[] = [];
  for (let i = 1; i <= RUN_IDS_KEPT + 3; i++) {
    const before = [...ids];
    const next = rememberRun(ids, `run-${i}`);
    assert.deepEqual(ids, before, 'the old list is untouched');
    ids = next;
  }
  assert.equal(ids.length, RUN_IDS_KEPT);
  assert.equal(ids.at(-1), `run-${RUN_IDS_KEPT + 3}`);
  assert.equal(ids[0], 'run-4', 'the oldest ones went first');
  assert.deepEqual(rememberRun(ids, 'run-7'), ids, 'a run already remembered is not added again');
  assert.notEqual(rememberRun(ids, 'run-7'), ids, 'a copy, so two ledger entries never share one list');
  assert.deepEqual(rememberRun(undefined, null), []);
  assert.deepEqual(rememberRun(undefined, 'r'), ['r']);
  const tooLong = Array.from({ length: 20 }, (_, i) => `old-${i}`); // written by a version that kept 20
  assert.deepEqual(rememberRun(tooLong, null), tooLong.slice(-RUN_IDS_KEPT));
  assert.deepEqual(rememberRun(tooLong, 'new'), [...tooLong.slice(-(RUN_IDS_KEPT - 1)), 'new']);
});
