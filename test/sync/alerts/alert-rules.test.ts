import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, type AlertInput } from '../../../src/sync/alerts/alert-rules.js';
import { INITIAL_ALERT_STATE, type AlertState } from '../../../src/sync/alerts/alert-state.js';
import type { Alert, AlertRules } from '../../../src/sync/alerts/alert.js';
import { localDay } from '../../../src/sync/alerts/health-rules.js';
import { initialStatus, type SyncStatus } from '../../../src/shared/sync-status.js';
import type { SessionDelta, TraceStatus, Watermark } from '../../../src/sync/delta.js';

const MIN = 60_000;
const T0 = new Date(2026, 10, 20, 9, 0, 0).getTime(); // 09:00 local
const RULES: AlertRules = { failingMinutes: 5, failedSessions: true };

/** Feeds inputs in order (each with its time) and collects every alert, like the service does. */
function run(inputs: Array<[number, AlertInput]>, rules: AlertRules = RULES, start: AlertState = INITIAL_ALERT_STATE): { alerts: Alert[]; state: AlertState } {
  let state = start;
  const alerts: Alert[] = [];
  for (const [at, input] of inputs) {
    const r = evaluate(state, input, at, rules);
    state = r.state;
    alerts.push(...r.alerts);
  }
  return { alerts, state };
}

const status = (patch: Partial<SyncStatus>): AlertInput => ({ kind: 'status', status: { ...initialStatus(), ...patch } });
const failing = (n: number, at: number): AlertInput => status({ consecutiveErrors: n, lastError: { message: 'AgentWatch at http://127.0.0.1:8765 refused the connection — is it running?', code: 'network', at } });
const ok = (at: number): AlertInput => status({ consecutiveErrors: 0, lastSuccessAt: at });
const brief = (a: Alert) => `${a.action} ${a.key}`;

const mark = (tokens: number, usd: number): Watermark => ({ input: tokens, output: 0, cacheRead: 0, cacheWrite: 0, costMicros: Math.round(usd * 1e6) });

function delta(traceId: string, from: [number, number], to: [number, number], status: TraceStatus = 'success'): SessionDelta {
  return {
    id: `${traceId}-${to[0]}`, traceId, gatewayId: '127.0.0.1:18789', sessionKey: `agent:main:${traceId}`, sessionId: `sid-${traceId}`, agentId: 'main',
    classification: 'main', kind: 'direct', label: null, channel: null, model: 'claude-sonnet-4-5', modelProvider: 'anthropic', status,
    openclawStatus: status === 'error' ? 'failed' : status === 'timeout' ? 'timeout' : 'done',
    tokens: { input: to[0] - from[0], output: 0, cacheRead: 0, cacheWrite: 0 }, costMicros: Math.round((to[1] - from[1]) * 1e6), unpricedEntries: 0,
    from: mark(...from), to: mark(...to), contextUsedPct: null, observedAt: T0,
  };
}
const delivered = (...batch: SessionDelta[]): AlertInput => ({ kind: 'delivered', batch });

test('sync failing: nothing before N minutes, one critical trigger after, none on later polls, one resolve on success', () => {
  const { alerts } = run([
    [T0, failing(1, T0)],
    [T0 + 2 * MIN, failing(2, T0 + 2 * MIN)],
    [T0 + 4 * MIN + 59_999, failing(3, T0 + 4 * MIN)],
    [T0 + 5 * MIN, failing(4, T0 + 5 * MIN)],
    [T0 + 6 * MIN, failing(5, T0 + 6 * MIN)],
    [T0 + 7 * MIN, failing(6, T0 + 7 * MIN)],
    [T0 + 8 * MIN, ok(T0 + 8 * MIN)],
    [T0 + 9 * MIN, ok(T0 + 9 * MIN)],
  ]);
  assert.deepEqual(alerts.map(brief), ['trigger sync-failing', 'resolve sync-failing']);
  const [trigger, resolve] = alerts as [Alert, Alert];
  assert.equal(trigger.severity, 'critical');
  assert.match(trigger.summary, /failing for 5 minutes \(4 failed polls\): AgentWatch at .* refused the connection/);
  assert.equal(trigger.details.consecutiveErrors, 4);
  assert.equal(trigger.details.failingSince, new Date(T0).toISOString());
  assert.match(resolve.summary, /recovered after 8 minutes/);
});

test('an open incident carried over a restart is not resolved by the new engine\'s first status, only by a later success', () => {
  const first = run([
    [T0, failing(1, T0)],
    [T0 + 6 * MIN, failing(2, T0 + 6 * MIN)],
  ]);
  assert.deepEqual(first.alerts.map(brief), ['trigger sync-failing']);
  const second = run(
    [
      [T0 + 7 * MIN, status({ consecutiveErrors: 0, lastSuccessAt: null })],
      [T0 + 8 * MIN, failing(1, T0 + 8 * MIN)],
      [T0 + 9 * MIN, ok(T0 + 9 * MIN)],
    ],
    RULES,
    first.state,
  );
  assert.deepEqual(second.alerts.map(brief), ['resolve sync-failing'], 'no resolve at start, no second trigger, one resolve on success');
  assert.match(second.alerts[0]!.summary, /recovered after 9 minutes/);
});

test('a short outage that heals inside the window sends nothing; the next outage starts a new window', () => {
  const { alerts } = run([
    [T0, failing(1, T0)],
    [T0 + 3 * MIN, ok(T0 + 3 * MIN)],
    [T0 + 4 * MIN, failing(1, T0 + 4 * MIN)],
    [T0 + 8 * MIN, failing(2, T0 + 8 * MIN)],
    [T0 + 9 * MIN, failing(3, T0 + 9 * MIN)],
  ]);
  assert.deepEqual(alerts.map(brief), ['trigger sync-failing']);
  assert.equal(alerts[0]!.details.failingSince, new Date(T0 + 4 * MIN).toISOString());
});

test('failingMinutes 0 fires on the first failed poll', () => {
  const { alerts } = run([[T0, failing(1, T0)]], { ...RULES, failingMinutes: 0 });
  assert.deepEqual(alerts.map(brief), ['trigger sync-failing']);
  assert.match(alerts[0]!.summary, /less than a minute/);
});

test('each increase of eventsDeadLettered is one warning; an unchanged count is silent', () => {
  const { alerts } = run([
    [T0, status({ eventsDeadLettered: 0 })],
    [T0 + 1, status({ eventsDeadLettered: 3 })],
    [T0 + 2, status({ eventsDeadLettered: 3 })],
    [T0 + 3, status({ eventsDeadLettered: 5 })],
  ]);
  assert.deepEqual(alerts.map(brief), ['trigger dead-lettered:3', 'trigger dead-lettered:5']);
  assert.deepEqual(alerts.map((a) => [a.severity, a.details.added]), [['warning', 3], ['warning', 2]]);
  assert.match(alerts[0]!.summary, /dead-letter file/);
});

test('day limits fire once per local day, with the date in the key, and again the next day', () => {
  const rules: AlertRules = { ...RULES, dayTokenLimit: 1_000, dayUsdLimit: 2 };
  const tomorrow = T0 + 24 * 60 * MIN;
  const { alerts } = run(
    [
      [T0, status({ tokensToday: 900, costMicrosToday: 1_000_000 })],
      [T0 + MIN, status({ tokensToday: 1_000, costMicrosToday: 1_500_000 })],
      [T0 + 2 * MIN, status({ tokensToday: 5_000, costMicrosToday: 2_500_000 })],
      [T0 + 3 * MIN, status({ tokensToday: 9_000, costMicrosToday: 9_000_000 })],
      [tomorrow, status({ tokensToday: 10, costMicrosToday: 0 })],
      [tomorrow + MIN, status({ tokensToday: 2_000, costMicrosToday: 0 })],
    ],
    rules,
  );
  const today = localDay(T0);
  const next = localDay(tomorrow);
  assert.deepEqual(alerts.map(brief), [`trigger day-tokens:${today}`, `trigger day-usd:${today}`, `trigger day-tokens:${next}`]);
  assert.match(alerts[1]!.summary, /\$2\.50 spent today \(limit \$2\.00\)/);
  assert.equal(alerts[0]!.details.day, today);
});

test('day limits are off by default', () => {
  assert.deepEqual(run([[T0, status({ tokensToday: 10 ** 12, costMicrosToday: 10 ** 15 })]]).alerts, []);
});

test('a session crossing its token or USD limit alerts once, on the delta that crosses', () => {
  const rules: AlertRules = { ...RULES, sessionTokenLimit: 1_000, sessionUsdLimit: 1 };
  const { alerts } = run(
    [
      [T0, delivered(delta('a', [0, 0], [600, 0.2]), delta('b', [0, 0], [100, 0.01]))],
      [T0 + 1, delivered(delta('a', [600, 0.2], [1_200, 0.5]))],
      [T0 + 2, delivered(delta('a', [1_200, 0.5], [2_000, 1.5]))],
      [T0 + 3, delivered(delta('a', [2_000, 1.5], [9_000, 9]), delta('b', [100, 0.01], [200, 0.02]))],
    ],
    rules,
  );
  assert.deepEqual(alerts.map(brief), ['trigger session-tokens:a', 'trigger session-usd:a']);
  assert.match(alerts[0]!.summary, /agent:main:a used 1,200 tokens \(limit 1,000\)/);
  assert.equal(alerts[1]!.details.usd, 1.5);
});

test('a session with unpriced runs: under the USD limit it warns once that it may be over; crossing it reads as a lower bound', () => {
  const rules: AlertRules = { ...RULES, sessionUsdLimit: 1 };
  const unpriced = (d: SessionDelta, total: number): SessionDelta => ({ ...d, unpricedEntries: 1, unpricedTotal: total });
  const { alerts } = run(
    [
      [T0, delivered(unpriced(delta('a', [0, 0], [600, 0.2]), 1), delta('b', [0, 0], [100, 0.01]))],
      [T0 + 1, delivered(unpriced(delta('a', [600, 0.2], [900, 0.4]), 2))],
      [T0 + 2, delivered(unpriced(delta('c', [0, 0], [900, 0.4]), 1))],
      [T0 + 3, delivered(unpriced(delta('c', [900, 0.4], [1_900, 1.4]), 2))],
    ],
    rules,
  );
  assert.deepEqual(alerts.map(brief), ['trigger session-usd-unpriced:a', 'trigger session-usd-unpriced:c', 'trigger session-usd:c']);
  assert.equal(alerts[0]!.summary, "OpenClaw session agent:main:a cost ≥ $0.20 (1 run unpriced) (limit $1.00): the unpriced runs' cost is unknown, so the session may be over the limit");
  assert.match(alerts[2]!.summary, /agent:main:c cost ≥ \$1\.40 \(2 runs unpriced\) \(limit \$1\.00\)$/);
});

test('a session already over the limit when first seen by a delta (a restart) is not announced again', () => {
  const { alerts } = run([[T0, delivered(delta('a', [5_000, 0], [6_000, 0]))]], { ...RULES, sessionTokenLimit: 1_000 });
  assert.deepEqual(alerts, []);
});

test('a failed or timed-out session triggers once per trace and resolves when that trace succeeds again', () => {
  const { alerts, state } = run([
    [T0, delivered(delta('x', [0, 0], [10, 0]), delta('y', [0, 0], [10, 0], 'timeout'))],
    [T0 + 1, delivered(delta('x', [10, 0], [20, 0], 'error'))],
    [T0 + 2, delivered(delta('x', [20, 0], [30, 0], 'error'), delta('x', [30, 0], [35, 0], 'running'))],
    [T0 + 3, delivered(delta('x', [35, 0], [40, 0], 'success'))],
    [T0 + 4, delivered(delta('x', [40, 0], [50, 0], 'success'))],
  ]);
  assert.deepEqual(alerts.map(brief), ['trigger session-failed:y', 'trigger session-failed:x', 'resolve session-failed:x']);
  assert.deepEqual(alerts.map((a) => a.severity), ['error', 'error', 'info']);
  assert.match(alerts[0]!.summary, /timed out/);
  assert.match(alerts[1]!.summary, /failed \(failed\)/);
  assert.deepEqual(state.failedOpen, ['y']);
});

test('failedSessions: false turns the failed-session rule off', () => {
  assert.deepEqual(run([[T0, delivered(delta('x', [0, 0], [10, 0], 'error'))]], { ...RULES, failedSessions: false }).alerts, []);
});

test('evaluate is pure: the input state is not changed', () => {
  const before = structuredClone(INITIAL_ALERT_STATE);
  evaluate(INITIAL_ALERT_STATE, failing(3, T0), T0 + 10 * MIN, RULES);
  evaluate(INITIAL_ALERT_STATE, delivered(delta('x', [0, 0], [10, 0], 'error')), T0, RULES);
  assert.deepEqual(INITIAL_ALERT_STATE, before);
});
