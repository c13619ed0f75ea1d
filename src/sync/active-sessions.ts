import { totalTokens } from './delta.js';
import { classOf, lastActiveAt } from './filter.js';
import type { SessionRow } from './openclaw/types.js';
import type { Decision } from './plan-bookings.js';
import type { ActiveSession } from '../shared/sync-status.js';
import type { Ledger } from './ledger.js';

/** The kept sessions that ran within the activity window, with what the ledger booked for them (tray submenu). */
export function activeSessions(
  rows: readonly SessionRow[],
  decisions: readonly Decision[],
  ledger: Ledger,
  now: number,
  windowMs: number,
): ActiveSession[] {
  const kept = new Set(decisions.filter((d) => d.keep && !d.unlisted).map((d) => d.key));
  return rows
    .filter((r) => kept.has(r.key) && (r.hasActiveRun || now - (lastActiveAt(r) ?? 0) <= windowMs))
    .map((r) => {
      const e = ledger.entry(r.sessionId);
      return {
        key: r.key,
        agentId: r.agentId ?? e?.agentId ?? 'unknown',
        model: r.model ?? e?.model ?? null,
        status: e?.status ?? 'running',
        tokens: e ? totalTokens(e.booked) : 0,
        costMicros: e?.booked.costMicros ?? 0,
        contextUsedPct: e?.contextUsedPct ?? null,
        subagent: classOf(r) === 'subagent',
        endedAt: r.hasActiveRun ? null : (r.endedAt ?? null),
      };
    });
}
