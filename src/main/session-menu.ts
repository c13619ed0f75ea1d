import type { MenuItemConstructorOptions } from 'electron';
import type { ActiveSession, SyncStatus } from '../shared/sync-status.js';
import { formatCount } from './format-status.js';

// The Active sessions submenu: running sessions first, finished sub-agents folded into one "+N finished" line once
// their grace period is over, and a cap so a gateway with hundreds of sessions still gives a menu that fits a screen.

export const MAX_SESSION_ITEMS = 20;
const CONTEXT_CELLS = 5;

/** `▰▰▱▱▱`: how full the context window is, readable at a glance in a plain-text menu. */
export function contextMarker(pct: number): string {
  const filled = Math.min(CONTEXT_CELLS, Math.max(0, Math.round((pct / 100) * CONTEXT_CELLS)));
  return '▰'.repeat(filled) + '▱'.repeat(CONTEXT_CELLS - filled);
}

export function sessionLabel(a: ActiveSession): string {
  const parts = [a.agentId, a.model ?? 'unknown model', `${formatCount(a.tokens)} tokens`];
  if (a.contextUsedPct !== null) parts.push(`${Math.round(a.contextUsedPct)}% context ${contextMarker(a.contextUsedPct)}`);
  return parts.join(' · ');
}

/** A sub-agent that finished more than `graceMs` ago: done work the user need not see line by line. */
export function isFoldedAway(a: ActiveSession, now: number, graceMs: number): boolean {
  return a.subagent && a.status !== 'running' && a.endedAt !== null && now - a.endedAt >= graceMs;
}

export function sessionsItem(s: SyncStatus, now: number, graceMs: number): MenuItemConstructorOptions {
  const listed = s.activeSessions.filter((a) => !isFoldedAway(a, now, graceMs));
  const finished = s.activeSessions.length - listed.length;
  // Stable otherwise, so the cap never hides one that is still working.
  const ordered = [...listed].sort((a, b) => Number(b.status === 'running') - Number(a.status === 'running'));
  const shown = ordered.slice(0, MAX_SESSION_ITEMS);
  const submenu: MenuItemConstructorOptions[] = shown.map((a) => ({ id: `session:${a.key}`, label: sessionLabel(a), enabled: false }));
  if (!shown.length && !finished) submenu.push({ id: 'session:none', label: 'No active sessions', enabled: false });
  const more = listed.length - shown.length;
  if (more > 0) submenu.push({ id: 'session:more', label: `… and ${formatCount(more)} more`, enabled: false });
  if (finished > 0) submenu.push({ id: 'session:finished', label: `+${formatCount(finished)} finished`, enabled: false });
  return { id: 'sessions', label: `Active sessions (${formatCount(listed.length)})`, submenu };
}
