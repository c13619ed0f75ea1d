import type { SyncStatus } from '../shared/sync-status.js';

export type TrayState = 'ok' | 'syncing' | 'stale' | 'error' | 'paused';

// Three missed intervals: one late poll is noise, three means the data on the dashboard is really old.
export const STALE_AFTER_INTERVALS = 3;

/** The icon's state. Order matters: a paused engine is not "stale", and a failing one says so before it dims. */
export function trayState(s: SyncStatus, now: number, intervalMs: number): TrayState {
  if (s.phase === 'paused' || s.phase === 'stopped') return 'paused';
  if (s.consecutiveErrors > 0) return 'error';
  const staleSince = s.lastSuccessAt ?? null;
  if (staleSince !== null && now - staleSince > STALE_AFTER_INTERVALS * intervalMs) return 'stale';
  if (s.phase === 'polling' || s.phase === 'starting' || staleSince === null) return 'syncing';
  return 'ok';
}
