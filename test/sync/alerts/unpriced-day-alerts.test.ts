import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate, type AlertInput } from '../../../src/sync/alerts/alert-rules.js';
import { INITIAL_ALERT_STATE, type AlertState } from '../../../src/sync/alerts/alert-state.js';
import type { Alert, AlertRules } from '../../../src/sync/alerts/alert.js';
import { localDay } from '../../../src/sync/alerts/health-rules.js';
import { initialStatus, type SyncStatus } from '../../../src/shared/sync-status.js';

const MIN = 60_000;
const T0 = new Date(2026, 10, 20, 9, 0, 0).getTime();
const RULES: AlertRules = { failingMinutes: 5, failedSessions: true, dayUsdLimit: 2 };
const status = (patch: Partial<SyncStatus>): AlertInput => ({ kind: 'status', status: { ...initialStatus(), ...patch } });

function run(inputs: Array<[number, AlertInput]>, rules = RULES): Alert[] {
  let state: AlertState = INITIAL_ALERT_STATE;
  const alerts: Alert[] = [];
  for (const [at, input] of inputs) {
    const r = evaluate(state, input, at, rules);
    state = r.state;
    alerts.push(...r.alerts);
  }
  return alerts;
}

test('under the USD limit with unpriced runs: one warning a day that the limit may be passed, never silence', () => {
  const alerts = run([
    [T0, status({ costMicrosToday: 500_000 })],
    [T0 + MIN, status({ costMicrosToday: 600_000, unpricedToday: 2 })],
    [T0 + 2 * MIN, status({ costMicrosToday: 700_000, unpricedToday: 3 })],
  ]);
  const day = localDay(T0);
  assert.deepEqual(alerts.map((a) => [a.action, a.key]), [['trigger', `day-usd-unpriced:${day}`]]);
  assert.equal(alerts[0]!.summary, "OpenClaw cost today may be over the daily limit: ≥ $0.60 (2 runs unpriced) spent today (limit $2.00); the unpriced runs' cost is unknown, so the limit may already be passed");
  assert.equal(alerts[0]!.details.unpricedToday, 2);
});

test('over the USD limit with unpriced runs: the figure reads as a lower bound', () => {
  const alerts = run([[T0, status({ costMicrosToday: 2_500_000, unpricedToday: 1 })]]);
  assert.deepEqual(alerts.map((a) => a.key), [`day-usd:${localDay(T0)}`]);
  assert.match(alerts[0]!.summary, /≥ \$2\.50 \(1 run unpriced\) spent today \(limit \$2\.00\)/);
});

test('without a USD limit, unpriced runs raise no alert', () => {
  assert.deepEqual(run([[T0, status({ costMicrosToday: 100, unpricedToday: 5 })]], { failingMinutes: 5, failedSessions: true }), []);
});
