import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reconcileReason, type ReconcileInput } from '../../src/sync/reconcile-due.js';

const T0 = 1_800_000_000_000;
const base: ReconcileInput = { now: T0, lastFullAt: T0 - 60_000, lastOkAt: T0 - 30_000, everyMs: 6 * 3_600_000, windowMs: 30 * 60_000, downMs: 0, tickMs: 30_000, requested: null };

test('a start reconciles; an ordinary poll does not', () => {
  assert.equal(reconcileReason({ ...base, lastFullAt: null }), 'start');
  assert.equal(reconcileReason(base), null);
});

test('a disconnect longer than two ticks reconciles; a shorter one does not', () => {
  assert.equal(reconcileReason({ ...base, downMs: 60_000 }), null);
  assert.equal(reconcileReason({ ...base, downMs: 60_001 }), 'disconnected for 60s');
});

test('a gap of polls as long as the list window reconciles (changes may have left the window)', () => {
  assert.equal(reconcileReason({ ...base, lastOkAt: T0 - 29 * 60_000 }), null);
  assert.equal(reconcileReason({ ...base, lastOkAt: T0 - 30 * 60_000 }), 'no successful poll for 30 min');
});

test('the schedule reconciles every everyMs; 0 turns the schedule off; a request names its reason', () => {
  assert.equal(reconcileReason({ ...base, lastFullAt: T0 - 6 * 3_600_000 }), 'scheduled');
  assert.equal(reconcileReason({ ...base, lastFullAt: T0 - 6 * 3_600_000 + 1 }), null);
  assert.equal(reconcileReason({ ...base, lastFullAt: T0 - 100 * 3_600_000, everyMs: 0 }), null);
  assert.equal(reconcileReason({ ...base, requested: 'live feed reconnected' }), 'live feed reconnected');
});
