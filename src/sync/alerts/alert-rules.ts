import type { SessionDelta } from '../delta.js';
import type { SyncStatus } from '../../shared/sync-status.js';
import type { AlertRules } from './alert.js';
import { dayRules, healthRules } from './health-rules.js';
import type { AlertState, Evaluation } from './alert-state.js';
import { sessionRules } from './session-rules.js';

export type AlertInput = { kind: 'status'; status: SyncStatus } | { kind: 'delivered'; batch: readonly SessionDelta[] };

/** Pure: the alerts one status change or delivered batch causes, given what was already announced. */
export function evaluate(state: AlertState, input: AlertInput, now: number, rules: AlertRules): Evaluation {
  if (input.kind === 'delivered') return sessionRules(state, input.batch, rules);
  const health = healthRules(state, input.status, now, rules);
  const day = dayRules(health.state, input.status, now, rules);
  return { state: day.state, alerts: [...health.alerts, ...day.alerts] };
}
