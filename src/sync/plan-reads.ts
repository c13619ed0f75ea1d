import type { FilterRules } from '../shared/settings.js';
import { judgeBeforeUsage } from './filter.js';
import type { SessionRow } from './openclaw/types.js';

/**
 * Per-key reads win over one all-sessions read only for a few keys: on openclaw 2026.9.6 every uncached usage call
 * loads the whole store (~70 ms of gateway CPU per key at 2k sessions, ~190 ms at 10k), while an all-sessions
 * recompute costs 2.2 s (2k) and 10.7 s (10k); break-even ≈ 50 keys at 2k and 60–80 at 10k (PROTOCOL.md,
 * "What reads cost the gateway"). The smaller figure, so per-key never costs more than the read it replaces.
 */
export const PER_KEY_READS_MAX = 50;

/**
 * When at least this many keys changed and they are more than half of the sessions the engine knows, one
 * all-sessions read is used instead: the gateway loads the whole store once instead of once per key, and the client
 * makes one request instead of dozens (bench, 50 sessions all changed: 50 per-key reads 17 ms vs one read 9 ms).
 */
export const PER_KEY_SHARE_MIN = 10;

/**
 * After this many untrustworthy per-key answers in a row for one key, and no sooner than PER_KEY_PATIENCE_MS after
 * the first, the poll reads everything instead.
 */
export const PER_KEY_ATTEMPTS_MAX = 3;

/**
 * The gateway caches each per-key answer for 30 s and then serves it once more while it recomputes (PROTOCOL.md):
 * a key read while its run was still going answers that old figure for up to ~30 s after the run ends, whatever the
 * poll interval. Counting attempts alone gave up after 15 s at a 5 s interval and read every session for one turn.
 */
export const PER_KEY_PATIENCE_MS = 45_000;

/** What a row looked like when its usage was last settled. */
export interface RowMark {
  sessionId: string;
  /** updatedAt, endedAt and status: usage can have changed only if one of them moved. */
  signature: string;
}

export function markOf(row: SessionRow): RowMark {
  return { sessionId: row.sessionId, signature: `${row.updatedAt ?? ''}|${row.endedAt ?? ''}|${row.status ?? ''}` };
}

/** A key whose figure was not trustworthy yet: asked again next poll, never forgotten. */
export interface PendingRead {
  attempts: number;
  reason: string;
  /** When the key was first found untrustworthy in this run of answers. */
  since: number;
}

export interface KeyRead {
  key: string;
  /** The listed row; absent for a pending key that left the list window and for a retired transcript. */
  row: SessionRow | undefined;
  why: 'new' | 'changed' | 'pending' | 'reset' | 'retired';
}

export type ReadPlan =
  | { path: 'none'; reason: string }
  | { path: 'per-key'; reason: string; reads: KeyRead[] }
  | { path: 'all'; reason: string };

export interface ReadPlanInput {
  /** The listed rows (the activeMinutes window). */
  rows: readonly SessionRow[];
  marks: ReadonlyMap<string, RowMark>;
  pending: ReadonlyMap<string, PendingRead>;
  tracked: (sessionId: string) => boolean;
  now: number;
  rules: FilterRules;
  /** A full reconciliation is due, and why (reconcile-due.ts); null for an incremental poll. */
  reconcile: string | null;
  perKeyMax?: number;
}

/** A reset's old transcript: the gateway keeps its usage under agent:<agentId>:<oldSessionId> (PROTOCOL.md). */
export function retiredKeyOf(row: SessionRow, oldSessionId: string): string {
  const agentId = row.agentId ?? row.key.split(':')[1] ?? 'main';
  return `agent:${agentId}:${oldSessionId}`;
}

/**
 * Which usage a poll needs: none when no listed row moved and nothing is pending; per key for a few changed rows;
 * everything for a reconciliation or when many changed. Rows the filter skips whatever their usage are not read.
 */
export function planReads(input: ReadPlanInput): ReadPlan {
  if (input.reconcile !== null) return { path: 'all', reason: `reconciliation (${input.reconcile})` };
  const reads = new Map<string, KeyRead>();
  const add = (read: KeyRead) => {
    if (!reads.has(read.key)) reads.set(read.key, read);
  };
  for (const row of input.rows) {
    const mark = input.marks.get(row.key);
    if (input.pending.has(row.key)) {
      add({ key: row.key, row, why: 'pending' });
      continue;
    }
    if (mark && mark.sessionId === row.sessionId && mark.signature === markOf(row).signature) continue;
    if (judgeBeforeUsage({ row, tracked: input.tracked(row.sessionId) }, input.now, input.rules) === 'skip') continue;
    if (mark && mark.sessionId !== row.sessionId) {
      add({ key: row.key, row, why: 'reset' });
      add({ key: retiredKeyOf(row, mark.sessionId), row: undefined, why: 'retired' });
    } else {
      add({ key: row.key, row, why: mark ? 'changed' : 'new' });
    }
  }
  for (const [key, p] of input.pending) {
    if (p.attempts >= PER_KEY_ATTEMPTS_MAX && input.now - p.since >= PER_KEY_PATIENCE_MS) return { path: 'all', reason: `${key}: per-key usage unusable ${p.attempts} times (${p.reason})` };
    add({ key, row: undefined, why: 'pending' });
  }
  const max = input.perKeyMax ?? PER_KEY_READS_MAX;
  if (reads.size === 0) return { path: 'none', reason: 'nothing changed' };
  if (reads.size > max) return { path: 'all', reason: `${reads.size} changed (more than ${max} per-key reads)` };
  const known = input.marks.size + [...reads.values()].filter((r) => r.why === 'new').length;
  if (reads.size >= PER_KEY_SHARE_MIN && reads.size * 2 > known) return { path: 'all', reason: `${reads.size} of ${known} sessions changed (one read costs less)` };
  return { path: 'per-key', reason: `${reads.size} changed`, reads: [...reads.values()] };
}
