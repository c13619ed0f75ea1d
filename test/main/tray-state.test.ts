import assert from 'node:assert/strict';
import test from 'node:test';
import { trayState } from '../../src/main/tray-state.js';
import type { SyncStatus } from '../../src/shared/sync-status.js';
import { status as fakeStatus } from './fake-engine.js';

const INTERVAL = 30_000;
const NOW = 1_000_000_000;
const status = (patch: Partial<SyncStatus>) => fakeStatus({ pollIntervalMs: INTERVAL, ...patch });

test('a recent success is ok; a poll in flight is syncing', () => {
  assert.equal(trayState(status({ lastSuccessAt: NOW - 1000 }), NOW), 'ok');
  assert.equal(trayState(status({ phase: 'polling', lastSuccessAt: NOW - 1000 }), NOW), 'syncing');
  assert.equal(trayState(status({ phase: 'starting' }), NOW), 'syncing');
});

test('no success for more than three intervals is stale, exactly three is not', () => {
  assert.equal(trayState(status({ lastSuccessAt: NOW - 3 * INTERVAL }), NOW), 'ok');
  assert.equal(trayState(status({ lastSuccessAt: NOW - 3 * INTERVAL - 1 }), NOW), 'stale');
});

test('a failed last poll is error even while fresh; paused wins over everything', () => {
  const failing = status({ lastSuccessAt: NOW - 1000, consecutiveErrors: 1 });
  assert.equal(trayState(failing, NOW), 'error');
  assert.equal(trayState({ ...failing, phase: 'paused' }, NOW), 'paused');
  assert.equal(trayState(status({ phase: 'paused', lastSuccessAt: 0 }), NOW), 'paused');
});
