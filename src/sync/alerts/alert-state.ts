import type { Alert } from './alert.js';

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
