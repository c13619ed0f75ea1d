import type { SyncStatus } from './sync-status.js';

/** The one answer to "is the sync healthy?": the tray, the settings window, /healthz and the CLI all read it. */
export type HealthState = 'ok' | 'syncing' | 'stale' | 'failing' | 'paused' | 'stopped';

export interface HealthVerdict {
  state: HealthState;
  /** One line saying why, for a tooltip, the window or /healthz. */
  reason: string;
}

// Three missed intervals: one late poll is noise, three means the data on the dashboard is really old.
export const STALE_AFTER_INTERVALS = 3;

/**
 * Order matters: a stopped or paused sync is not "stale" (nothing is scheduled, the user or max_errors asked for it),
 * and a failing one says so before it dims. A first poll that never finishes turns stale too (counted from start).
 */
export function healthVerdict(s: SyncStatus, now: number): HealthVerdict {
  if (s.phase === 'stopped') return { state: 'stopped', reason: `sync stopped${s.lastError ? `: ${s.lastError.message}` : ''}` };
  if (s.phase === 'paused') return { state: 'paused', reason: 'paused: no polls until resumed' };
  if (s.consecutiveErrors > 0) {
    const what = s.consecutiveErrors === 1 ? 'last poll failed' : `last ${s.consecutiveErrors} polls failed`;
    return { state: 'failing', reason: `${what}: ${s.lastError?.message ?? 'unknown error'}` };
  }
  const quietSince = s.lastSuccessAt ?? s.startedAt;
  if (quietSince !== null && s.pollIntervalMs !== null && now - quietSince > STALE_AFTER_INTERVALS * s.pollIntervalMs) {
    const seconds = Math.round((now - quietSince) / 1000);
    return { state: 'stale', reason: `no successful poll for ${seconds}s (${STALE_AFTER_INTERVALS} poll intervals)` };
  }
  if (s.lastSuccessAt === null) return { state: 'syncing', reason: 'no successful poll yet' };
  if (s.phase !== 'idle') return { state: 'syncing', reason: 'polling now' };
  return { state: 'ok', reason: 'last poll succeeded' };
}
