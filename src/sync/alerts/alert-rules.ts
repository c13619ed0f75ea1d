import type { SessionDelta } from '../delta.js';
import type { SyncStatus } from '../status.js';
import type { Alert, AlertRules } from './alert.js';
import { dayRules, healthRules } from './health-rules.js';
import { sessionRules } from './session-rules.js';

export type AlertInput = { kind: 'status'; status: SyncStatus } | { kind: 'delivered'; batch: readonly SessionDelta[] };

/** What the rules remember between inputs, so an open problem is announced once, not on every poll. */
export interface AlertState {
  /** When the current run of failed polls began; null while polls succeed. */
  failingSince: number | null;
  /** `sync-failing` was triggered and not yet resolved. */
  failingOpen: boolean;
  /** eventsDeadLettered last seen: each increase is one alert. */
  deadLettered: number;
  /** Local day (YYYY-MM-DD) the day alerts below belong to. */
  day: string;
  dayAlerted: readonly string[];
  /** Keys of session limit alerts already sent. */
  sessionsOver: readonly string[];
  /** Traces with an open `session-failed` alert. */
  failedOpen: readonly string[];
}

export const INITIAL_ALERT_STATE: AlertState = {
  failingSince: null,
  failingOpen: false,
  deadLettered: 0,
  day: '',
  dayAlerted: [],
  sessionsOver: [],
  failedOpen: [],
};

export interface Evaluation {
  state: AlertState;
  alerts: Alert[];
}

/** Pure: the alerts one status change or delivered batch causes, given what was already announced. */
export function evaluate(state: AlertState, input: AlertInput, now: number, rules: AlertRules): Evaluation {
  if (input.kind === 'delivered') return sessionRules(state, input.batch, rules);
  const health = healthRules(state, input.status, now, rules);
  const day = dayRules(health.state, input.status, now, rules);
  return { state: day.state, alerts: [...health.alerts, ...day.alerts] };
}
