import assert from 'node:assert/strict';
import test from 'node:test';
import { trayState } from '../../src/main/tray-state.js';
import { status } from './fake-engine.js';

const INTERVAL = 30_000;
const NOW = 1_000_000_000;

test('a recent success is ok; a poll in flight is syncing', () => {
  assert.equal(trayState(status({ lastSuccessAt: NOW - 1000 }), NOW, INTERVAL), 'ok');
  assert.equal(trayState(status({ phase: 'polling', lastSuccessAt: NOW - 1000 }), NOW, INTERVAL), 'syncing');
  assert.equal(trayState(status({ phase: 'starting' }), NOW, INTERVAL), 'syncing');
});

test('no success for more than three intervals is stale, exactly three is not', () => {
  assert.equal(trayState(status({ lastSuccessAt: NOW - 3 * INTERVAL }), NOW, INTERVAL), 'ok');
  assert.equal(trayState(status({ lastSuccessAt: NOW - 3 * INTERVAL - 1 }), NOW, INTERVAL), 'stale');
});

test('a failed last poll is error even while fresh; paused wins over everything', () => {
  const failing = status({ lastSuccessAt: NOW - 1000, consecutiveErrors: 1 });
  assert.equal(trayState(failing, NOW, INTERVAL), 'error');
  assert.equal(trayState({ ...failing, phase: 'paused' }, NOW, INTERVAL), 'paused');
  assert.equal(trayState(status({ phase: 'paused', lastSuccessAt: 0 }), NOW, INTERVAL), 'paused');
});
