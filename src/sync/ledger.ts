import type { SessionDelta, TraceStatus, Watermark } from './delta.js';
import type { HourlyUsage } from '../shared/sync-status.js';

/** What the ledger remembers about one OpenClaw session: the cumulative usage already booked. */
export interface LedgerEntry {
  sessionId: string;
  sessionKey: string;
  agentId: string;
  classification: string;
  kind: string;
  traceId: string;
  label: string | null;
  model: string | null;
  booked: Watermark;
  /** OpenClaw's cumulative missingCostEntries already booked; absent in entries written before it was read (0). */
  bookedUnpriced?: number;
  status: TraceStatus | null;
  trackedAt: number;
  lastBookedAt: number | null;
  contextUsedPct: number | null;
  /** Live mode: the last run ids booked for this session (repeated or late events must not book them again). */
  runIds?: string[];
  /** Live mode: the sessions.usage time of the last reconciliation; runs that ended before it are in `booked`. */
  coveredUntil?: number | null;
  /** Live mode: runs booked from their own figures since the last reconciliation (bounds rounding corrections). */
  liveRuns?: number;
  /** Live mode: when the last live-booked run ended; a usage figure older than this cannot settle them yet. */
  liveUntil?: number | null;
  /**
   * Bookings that moved a figure down (live runs settled lower by the cumulative figure). Part of every later delta
   * id: after one, the watermark can climb the same step again, and a repeated id is dropped by idempotent sinks.
   */
  corrections?: number;
}

/**
 * What has been booked per OpenClaw session. Token arithmetic happens against it only: a delta is the cumulative
 * figure minus the entry's `booked` watermark. The store behind it (store/sync-state.ts) is also the Outbox, because
 * booking moves both in one durable record.
 */
export interface Ledger {
  entry(sessionId: string): LedgerEntry | undefined;
  entries(): Iterable<LedgerEntry>;
  /**
   * One durable record: the deltas queued in the outbox and the entries replaced, together or not at all (a crash
   * between the two would book usage that is never sent, or send it twice). Resolves once it is on disk.
   */
  book(deltas: readonly SessionDelta[], entries: readonly LedgerEntry[]): Promise<{ dropped: number }>;
  /** Per-hour tokens (input + output + cache) and micro-USD per agent, for hours that end after `sinceMs`. */
  hourly(sinceMs: number): HourlyUsage[];
}
