import type { SyncStatus } from '../../shared/sync-status.js';

export type SyncHealth = { status: 'ok' } | { status: 'degraded'; reason: string };

/** How many poll intervals may pass without a successful poll before /healthz says degraded. */
export const STALE_INTERVALS = 3;

/**
 * What /healthz answers. `since` is when monitoring started: before the first success, staleness counts from it.
 * A paused sync is healthy (the user asked for it); a stopped one is not.
 */
export function healthOf(s: SyncStatus, now: number, intervalMs: number, since: number): SyncHealth {
  if (s.phase === 'stopped') return { status: 'degraded', reason: `sync stopped${s.lastError ? `: ${s.lastError.message}` : ''}` };
  if (s.consecutiveErrors > 0) {
    const what = s.consecutiveErrors === 1 ? 'last poll failed' : `last ${s.consecutiveErrors} polls failed`;
    return { status: 'degraded', reason: `${what}: ${s.lastError?.message ?? 'unknown error'}` };
  }
  if (s.phase === 'paused') return { status: 'ok' };
  const quietMs = now - (s.lastSuccessAt ?? since);
  if (quietMs > STALE_INTERVALS * intervalMs) {
    const seconds = Math.round(quietMs / 1000);
    return { status: 'degraded', reason: `no successful poll for ${seconds}s (${STALE_INTERVALS} poll intervals)` };
  }
  return { status: 'ok' };
}
