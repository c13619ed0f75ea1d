import type { SyncStatus } from '../shared/sync-status.js';

/** Pure cadence: the configured interval; after a failure, try sooner (5 s doubling) but never later than it. */
export function nextDelay(status: SyncStatus, intervalMs: number): number {
  if (status.consecutiveErrors === 0) return intervalMs;
  return Math.min(intervalMs, 5_000 * 2 ** (status.consecutiveErrors - 1));
}
