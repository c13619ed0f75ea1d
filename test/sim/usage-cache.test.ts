import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cachedUsage } from '../../src/sim/usage-cache.js';

type Payload = Record<string, unknown>;

function world(clock: { now(): number }) {
  let input = 100;
  let changedAt = 0;
  return {
    run(tokens: number) {
      input += tokens;
      changedAt = clock.now();
    },
    payload: (): Payload => ({
      updatedAt: clock.now(),
      sessions: [
        { key: 'a', sessionId: 'sa', updatedAt: changedAt, usage: { input } },
        { key: 'b', sessionId: 'sb', updatedAt: 0, usage: { input: 7 } },
      ],
      cacheStatus: { status: 'fresh' },
    }),
  };
}

const status = (p: Payload) => (p.cacheStatus as { status: string }).status;
const inputOf = (p: Payload, key: string) => ((p.sessions as Payload[]).find((r) => r.key === key)?.usage as { input: number } | null)?.input ?? null;

test('answers are cached 30 s, then served once more stale (labelled fresh) while the recompute lands', () => {
  let now = 10_000;
  const clock = { now: () => now };
  const w = world(clock);
  const usage = cachedUsage(w.payload, { clock });
  assert.equal(inputOf(usage({}), 'a'), 100);
  now += 5_000;
  w.run(50);
  now += 2_000;
  assert.equal(inputOf(usage({}), 'a'), 100, 'a cache hit within 30 s');
  now += 30_000;
  const stale = usage({});
  assert.equal(inputOf(stale, 'a'), 100, 'expired: the old figure once more');
  assert.equal(status(stale), 'fresh', 'still labelled fresh');
  assert.equal(stale.updatedAt, 10_000, 'its updatedAt gives it away');
  assert.equal(inputOf(usage({}), 'a'), 150, 'then the recomputed figure');
});

test('right after a change the session is usage:null and the answer refreshing (not cached); other keys are unaffected', () => {
  let now = 10_000;
  const clock = { now: () => now };
  const w = world(clock);
  const usage = cachedUsage(w.payload, { clock });
  w.run(1);
  now += 500;
  const settling = usage({});
  assert.equal(status(settling), 'refreshing');
  assert.equal(inputOf(settling, 'a'), null);
  assert.equal(inputOf(settling, 'b'), 7);
  assert.equal(status(usage({ key: 'b' })), 'fresh', 'a per-key read sees only its own session');
  now += 700;
  assert.equal(inputOf(usage({}), 'a'), 101, 'not cached: the next ask is fresh');
});
