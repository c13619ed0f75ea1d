import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initialStatus } from '../../src/shared/sync-status.js';
import { nextDelay } from '../../src/sync/next-delay.js';

const after = (consecutiveErrors: number) => ({ ...initialStatus(), consecutiveErrors });

test('healthy: the configured interval', () => {
  assert.equal(nextDelay(after(0), 30_000), 30_000);
});

test('after failures: 5 s doubling, never later than the interval', () => {
  assert.deepEqual([1, 2, 3, 4, 5].map((n) => nextDelay(after(n), 30_000)), [5_000, 10_000, 20_000, 30_000, 30_000]);
  assert.equal(nextDelay(after(1), 2_000), 2_000, 'a short interval is not stretched');
});
