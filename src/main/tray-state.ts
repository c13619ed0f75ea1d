import { healthVerdict, type HealthState } from '../shared/health-verdict.js';
import type { SyncStatus } from '../shared/sync-status.js';

/** One icon per state (`assets/tray/tray-<state>.png`); a stopped engine shows the paused icon. */
export type TrayState = 'ok' | 'syncing' | 'stale' | 'error' | 'paused';

const ICON_OF: Record<HealthState, TrayState> = {
  ok: 'ok',
  syncing: 'syncing',
  stale: 'stale',
  failing: 'error',
  paused: 'paused',
  stopped: 'paused',
};

/** The icon's state: the shared health verdict, as the tray draws it. */
export function trayState(s: SyncStatus, now: number): TrayState {
  return ICON_OF[healthVerdict(s, now).state];
}
