import type { SyncStatus } from '../shared/sync-status.js';

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export function formatInt(n: number): string {
  return integer.format(n);
}

/** Local wall-clock time, or "never". */
export function formatTime(ms: number | null): string {
  if (ms === null) return 'never';
  return new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function formatCompact(n: number): string {
  if (Math.abs(n) >= 1_000_000) return `${+(n / 1_000_000).toFixed(1)}M`;
  if (Math.abs(n) >= 1_000) return `${+(n / 1_000).toFixed(1)}k`;
  return String(Math.round(n));
}

export type Tone = 'ok' | 'busy' | 'error' | 'paused' | 'idle';

/** One-word state for the pill plus a longer line for the status panel. */
export function describeState(s: SyncStatus): { pill: string; line: string; tone: Tone } {
  const how = s.mode === 'live' ? 'Live' : 'Polling';
  switch (s.phase) {
    case 'paused':
      return { pill: 'Paused', line: 'Paused — no polls until you resume', tone: 'paused' };
    case 'stopped':
      return { pill: 'Stopped', line: 'Stopped', tone: 'error' };
    case 'starting':
      return { pill: 'Starting…', line: 'Starting…', tone: 'idle' };
    case 'polling':
      return { pill: 'Syncing…', line: `${how} · syncing now`, tone: 'busy' };
    case 'idle':
      return s.consecutiveErrors > 0
        ? { pill: 'Error', line: `${how} · ${s.consecutiveErrors} failed poll${s.consecutiveErrors === 1 ? '' : 's'} in a row`, tone: 'error' }
        : { pill: how, line: `${how} · waiting for the next poll`, tone: 'ok' };
  }
}
