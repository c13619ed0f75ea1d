import { healthVerdict } from '../../shared/health-verdict.js';
import type { SyncStatus } from '../../shared/sync-status.js';

export type SyncHealth = { status: 'ok' } | { status: 'degraded'; reason: string };

/** What /healthz answers: the shared verdict, with syncing and a pause (the user asked for it) counted as healthy. */
export function healthOf(s: SyncStatus, now: number): SyncHealth {
  const verdict = healthVerdict(s, now);
  if (verdict.state === 'stopped' || verdict.state === 'failing' || verdict.state === 'stale') return { status: 'degraded', reason: verdict.reason };
  return { status: 'ok' };
}
