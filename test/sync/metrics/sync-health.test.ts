import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialStatus, type SyncStatus } from '../../../src/shared/sync-status.js';
import { healthOf } from '../../../src/sync/metrics/sync-health.js';

const INTERVAL = 30_000;
const T0 = 1_800_000_000_000;

function status(patch: Partial<SyncStatus>): SyncStatus {
  return { ...initialStatus(), phase: 'idle', pollIntervalMs: INTERVAL, startedAt: T0, ...patch };
}

test('a recent success is ok', () => {
  assert.deepEqual(healthOf(status({ lastSuccessAt: T0 }), T0 + INTERVAL), { status: 'ok' });
});

test('no success for three intervals is degraded, counted from start when there never was one', () => {
  assert.deepEqual(healthOf(status({ lastSuccessAt: T0 }), T0 + 3 * INTERVAL), { status: 'ok' });
  const late = healthOf(status({ lastSuccessAt: T0 }), T0 + 3 * INTERVAL + 1000);
  assert.deepEqual(late, { status: 'degraded', reason: 'no successful poll for 91s (3 poll intervals)' });
  assert.equal(healthOf(status({}), T0 + 4 * INTERVAL).status, 'degraded');
});

test('failed polls and a stopped loop are degraded with the error message; a pause is not', () => {
  const lastError = { message: 'AgentWatch is unreachable at http://127.0.0.1:8765. Start it.', code: 'NETWORK', at: T0 };
  assert.deepEqual(healthOf(status({ lastSuccessAt: T0, consecutiveErrors: 2, lastError }), T0), {
    status: 'degraded',
    reason: `last 2 polls failed: ${lastError.message}`,
  });
  assert.deepEqual(healthOf(status({ phase: 'stopped', lastError }), T0), { status: 'degraded', reason: `sync stopped: ${lastError.message}` });
  assert.deepEqual(healthOf(status({ phase: 'paused', lastSuccessAt: T0 }), T0 + 10 * INTERVAL), { status: 'ok' });
});
