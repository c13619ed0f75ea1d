import assert from 'node:assert/strict';
import { DeliveryError } from '../../../src/sync/sinks/sink.js';

/** The DeliveryError `p` rejects with; fails the test if it resolves or rejects with anything else. */
export async function deliveryError(p: Promise<unknown>): Promise<DeliveryError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DeliveryError, `expected DeliveryError, got ${String(e)}`);
    return e;
  }
  assert.fail('delivery unexpectedly succeeded');
}
