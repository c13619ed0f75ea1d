import type { Settings } from '../shared/settings.js';
import { formatMicros } from '../shared/format-usd.js';
import type { SyncStatus } from '../shared/sync-status.js';

/**
 * The compact figure macOS shows beside the tray icon: `1.5M` tokens or `$4.87` today ('' when off); with runs
 * OpenClaw could not price today the USD reads `≥$4.87`, a lower bound, never a total.
 */
export function trayTitle(s: SyncStatus, mode: Settings['trayTitle']): string {
  if (mode === 'tokens') return compactCount(s.tokensToday);
  if (mode === 'usd') return `${s.unpricedToday > 0 ? '≥' : ''}${formatMicros(s.costMicrosToday)}`;
  return '';
}

// A menu bar has room for a few characters: 12,345 reads 12.3k, 1,482,930 reads 1.5M.
function compactCount(n: number): string {
  if (n >= 1_000_000) return `${+(n / 1_000_000).toFixed(1)}M`;
  if (n >= 1_000) return `${+(n / 1_000).toFixed(1)}k`;
  return String(Math.round(n));
}
