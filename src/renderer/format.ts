import { clockFormatter } from '../shared/format-clock.js';
import { healthVerdict } from '../shared/health-verdict.js';
import type { SyncStatus } from '../shared/sync-status.js';

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export function formatInt(n: number): string {
  return integer.format(n);
}

const clock = clockFormatter(navigator.language);

/** Local wall-clock time on the app's locale (the menu uses the same formatter), or "never". */
export function formatTime(ms: number | null): string {
  return ms === null ? 'never' : clock(ms);
}

export function formatCompact(n: number): string {
  if (Math.abs(n) >= 1_000_000) return `${+(n / 1_000_000).toFixed(1)}M`;
  if (Math.abs(n) >= 1_000) return `${+(n / 1_000).toFixed(1)}k`;
  return String(Math.round(n));
}

export type Tone = 'ok' | 'busy' | 'stale' | 'error' | 'paused' | 'idle';

/** One-word state for the pill plus a longer line for the status panel, worded from the shared health verdict. */
export function describeState(s: SyncStatus, now: number): { pill: string; line: string; tone: Tone } {
  const how = s.mode === 'live' ? 'Live' : 'Polling';
  const verdict = healthVerdict(s, now);
  switch (verdict.state) {
    case 'stopped':
      return { pill: 'Stopped', line: 'Stopped', tone: 'error' };
    case 'paused':
      return { pill: 'Paused', line: 'Paused — no polls until you resume', tone: 'paused' };
    case 'failing':
      return { pill: 'Error', line: `${how} · ${s.consecutiveErrors} failed poll${s.consecutiveErrors === 1 ? '' : 's'} in a row`, tone: 'error' };
    case 'stale':
      return { pill: 'Stale', line: `${how} · ${verdict.reason}`, tone: 'stale' };
    case 'syncing':
      if (s.phase === 'starting') return { pill: 'Starting…', line: 'Starting…', tone: 'idle' };
      return { pill: 'Syncing…', line: s.phase === 'polling' ? `${how} · syncing now` : `${how} · waiting for the first poll`, tone: 'busy' };
    case 'ok':
      return { pill: how, line: `${how} · waiting for the next poll`, tone: 'ok' };
  }
}
