import assert from 'node:assert/strict';
import test from 'node:test';
import { healthVerdict, STALE_AFTER_INTERVALS } from '../../src/shared/health-verdict.js';
import { initialStatus, type SyncStatus } from '../../src/shared/sync-status.js';

const INTERVAL = 30_000;
const T0 = 1_800_000_000_000;
const STALE_MS = STALE_AFTER_INTERVALS * INTERVAL;
const lastError = { code: 'NETWORK', message: 'AgentWatch at http://127.0.0.1:8765 did not answer. Start it.', at: T0 };

function status(patch: Partial<SyncStatus> = {}): SyncStatus {
  return { ...initialStatus(), phase: 'idle', pollIntervalMs: INTERVAL, startedAt: T0 - 60_000, ...patch };
}

const stateOf = (s: SyncStatus, now: number) => healthVerdict(s, now).state;

test('a recent success while idle is ok', () => {
  assert.deepEqual(healthVerdict(status({ lastSuccessAt: T0 }), T0 + INTERVAL), { state: 'ok', reason: 'last poll succeeded' });
});

test('a poll in flight, a starting engine and one that has not succeeded yet are syncing', () => {
  assert.deepEqual(healthVerdict(status({ phase: 'polling', lastSuccessAt: T0 }), T0), { state: 'syncing', reason: 'polling now' });
  assert.deepEqual(healthVerdict(status({ phase: 'starting', startedAt: T0 }), T0), { state: 'syncing', reason: 'no successful poll yet' });
  assert.equal(stateOf(status({ startedAt: T0 }), T0 + INTERVAL), 'syncing');
});

test('stale after more than three intervals without a success: exactly three is still ok', () => {
  assert.equal(stateOf(status({ lastSuccessAt: T0 }), T0 + STALE_MS), 'ok');
  assert.deepEqual(healthVerdict(status({ lastSuccessAt: T0 }), T0 + STALE_MS + 1), { state: 'stale', reason: 'no successful poll for 90s (3 poll intervals)' });
  assert.equal(stateOf(status({ phase: 'polling', lastSuccessAt: T0 }), T0 + STALE_MS + 1), 'stale', 'a poll that hangs does not hide it');
});

test('before the first success staleness counts from the start; with no interval or start known it never turns stale', () => {
  assert.equal(stateOf(status({ phase: 'polling', startedAt: T0 }), T0 + STALE_MS), 'syncing');
  assert.equal(stateOf(status({ phase: 'polling', startedAt: T0 }), T0 + STALE_MS + 1), 'stale');
  assert.equal(stateOf(status({ lastSuccessAt: T0, pollIntervalMs: null }), T0 + 100 * INTERVAL), 'ok');
  assert.equal(stateOf(status({ phase: 'starting', startedAt: null }), T0 + 100 * INTERVAL), 'syncing');
});

test('the interval is read from the status: a 5 s engine is stale after 15 s', () => {
  assert.equal(stateOf(status({ lastSuccessAt: T0, pollIntervalMs: 5_000 }), T0 + 15_000), 'ok');
  assert.equal(stateOf(status({ lastSuccessAt: T0, pollIntervalMs: 5_000 }), T0 + 15_001), 'stale');
});

test('a failed last poll is failing, even while fresh, with the count and the message', () => {
  assert.deepEqual(healthVerdict(status({ lastSuccessAt: T0, consecutiveErrors: 1, lastError }), T0), { state: 'failing', reason: `last poll failed: ${lastError.message}` });
  assert.deepEqual(healthVerdict(status({ phase: 'polling', consecutiveErrors: 3, lastError }), T0 + STALE_MS * 10), { state: 'failing', reason: `last 3 polls failed: ${lastError.message}` });
  assert.equal(healthVerdict(status({ consecutiveErrors: 1 }), T0).reason, 'last poll failed: unknown error');
});

test('paused wins over failing and stale; stopped wins over everything', () => {
  assert.equal(stateOf(status({ phase: 'paused', lastSuccessAt: T0, consecutiveErrors: 2, lastError }), T0 + STALE_MS * 10), 'paused');
  assert.deepEqual(healthVerdict(status({ phase: 'stopped', consecutiveErrors: 5, lastError }), T0), { state: 'stopped', reason: `sync stopped: ${lastError.message}` });
  assert.deepEqual(healthVerdict(status({ phase: 'stopped' }), T0), { state: 'stopped', reason: 'sync stopped' });
});
