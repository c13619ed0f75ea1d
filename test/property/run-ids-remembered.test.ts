import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RUN_IDS_KEPT, rememberRun } from '../../src/sync/booking.js';

// Live events repeat and arrive out of order; the per-session run-id list is what keeps a replayed run from being
// booked twice. Checked against a plain model: the last RUN_IDS_KEPT distinct ids, in first-seen order.
test('rememberRun matches the model for any sequence of repeated, out-of-order run ids', () => {
  fc.assert(
    fc.property(fc.array(fc.option(fc.constantFrom(...Array.from({ length: 14 }, (_, i) => `run-${i}`)), { nil: null }), { maxLength: 60 }), (events) => {
      let ids: string[] = [];
      const model: string[] = [];
      for (const runId of events) {
        const wasKnown = runId !== null && ids.includes(runId);
        ids = rememberRun(ids, runId);
        if (runId !== null && !model.includes(runId)) {
          model.push(runId);
          if (model.length > RUN_IDS_KEPT) model.shift();
        }
        assert.deepEqual(ids, model);
        assert.equal(new Set(ids).size, ids.length, 'each run id once');
        if (wasKnown) assert.ok(ids.includes(runId!), 'a replayed run stays known, so it is not booked again');
      }
    }),
    { numRuns: 1000 },
  );
});
