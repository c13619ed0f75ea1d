import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, type AlertInput } from '../../../src/sync/alerts/alert-rules.js';
import { loadAlertState, saveAlertState } from '../../../src/sync/alerts/alert-state-file.js';
import { INITIAL_ALERT_STATE, type AlertState } from '../../../src/sync/alerts/alert-state.js';
import type { Alert, AlertRules } from '../../../src/sync/alerts/alert.js';
import { initialStatus, type SyncStatus } from '../../../src/shared/sync-status.js';

const MIN = 60_000;
const T0 = new Date(2026, 10, 20, 9, 0, 0).getTime();
const RULES: AlertRules = { failingMinutes: 5, failedSessions: true };

function recordingLog() {
  const lines: string[] = [];
  return { lines, log: { debug() {}, info() {}, warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) } };
}

const status = (patch: Partial<SyncStatus>): AlertInput => ({ kind: 'status', status: { ...initialStatus(), ...patch } });
const failing = (n: number, at: number): AlertInput => status({ consecutiveErrors: n, lastError: { message: 'AgentWatch refused the connection', code: 'network', at } });
const ok = (at: number): AlertInput => status({ consecutiveErrors: 0, lastSuccessAt: at });

/** One run of the app: starts from the file, saves after every change, like the service's onState. */
function runFrom(path: string, inputs: Array<[number, AlertInput]>): string[] {
  let state: AlertState = loadAlertState(path, recordingLog().log);
  const alerts: Alert[] = [];
  for (const [at, input] of inputs) {
    const r = evaluate(state, input, at, RULES);
    if (r.state !== state) saveAlertState(path, r.state);
    state = r.state;
    alerts.push(...r.alerts);
  }
  return alerts.map((a) => `${a.action} ${a.key}`);
}

test('a restart mid-incident neither re-triggers the open incident nor forgets to resolve it', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'alert-state-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'alert-state.json');
  const first = runFrom(path, [[T0, failing(1, T0)], [T0 + 6 * MIN, failing(7, T0 + 6 * MIN)]]);
  assert.deepEqual(first, ['trigger sync-failing']);
  if (process.platform !== 'win32') assert.equal(statSync(path).mode & 0o777, 0o600);
  const second = runFrom(path, [[T0 + 7 * MIN, failing(8, T0 + 7 * MIN)], [T0 + 8 * MIN, ok(T0 + 8 * MIN)]]);
  assert.deepEqual(second, ['resolve sync-failing']);
  const third = runFrom(path, [[T0 + 9 * MIN, ok(T0 + 9 * MIN)]]);
  assert.deepEqual(third, []);
});

test('an unreadable alert state file says so in one line and starts fresh', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'alert-state-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'alert-state.json');
  writeFileSync(path, '{"failingOpen": "yes"');
  const { lines, log } = recordingLog();
  assert.deepEqual(loadAlertState(path, log), INITIAL_ALERT_STATE);
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /alert state .*alert-state\.json is not valid alert state; alerts start fresh/);
  assert.deepEqual(loadAlertState(join(dir, 'missing.json'), log), INITIAL_ALERT_STATE);
  assert.equal(lines.length, 1);
});
