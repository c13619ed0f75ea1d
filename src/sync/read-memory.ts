import type { SessionRow, UsageRow } from './openclaw/types.js';
import type { UsageView } from './plan-bookings.js';
import { markOf, type KeyRead, type PendingRead, type RowMark } from './plan-reads.js';
import { coverNeeded } from './usage-trust.js';

/**
 * What incremental polls remember between polls, in memory only: a start always reconciles (reads everything),
 * which rebuilds it. `marks` say what each listed row looked like when its usage was last settled; `pending` holds
 * the keys whose figure was not trustworthy yet, so they are asked again until it is.
 */
export class ReadMemory {
  readonly marks = new Map<string, RowMark>();
  readonly pending = new Map<string, PendingRead>();
  /** The last poll that read all usage (reconciliation, or many changed); null before the first. */
  lastFullAt: number | null = null;
  lastOkAt: number | null = null;
  private requested: string | null = null;
  /** The newest trustworthy figure of every session seen: what unread rows are judged with (the filter's `tokens`). */
  private figures = new Map<string, UsageRow>();

  /** The host asks for the next poll to reconcile (kept until a poll takes it). */
  requestReconcile(reason: string): void {
    this.requested ??= reason;
  }

  takeRequest(): string | null {
    const reason = this.requested;
    this.requested = null;
    return reason;
  }

  /** A trustworthy answer for the key: its row is settled as listed now. */
  settle(read: KeyRead): void {
    if (read.row) this.marks.set(read.key, markOf(read.row));
    this.pending.delete(read.key);
  }

  /** Merges this poll's figures into what is known and returns the whole (this poll's figures win). */
  known(read: UsageView): UsageView {
    for (const [sessionId, row] of read.bySessionId) this.figures.set(sessionId, row);
    return { updatedAt: Math.max(read.updatedAt, this.lastFullAt ?? 0), fresh: true, bySessionId: this.figures };
  }

  /** Not trustworthy yet: asked again next poll. Only failed per-key answers count as attempts. */
  defer(key: string, reason: string, counts: boolean, at: number): void {
    const before = this.pending.get(key);
    const attempts = (before?.attempts ?? 0) + (counts ? 1 : 0);
    this.pending.set(key, { attempts, reason, since: before?.since ?? at });
  }

  /**
   * A full read settles every listed row its figures cover, except those it had to leave waiting. A row whose
   * figure predates its last run was judged on old tokens (the filter may have skipped it for that): pending.
   */
  settleAll(rows: readonly SessionRow[], usage: UsageView, waiting: ReadonlySet<string>, at: number): void {
    this.figures = new Map(usage.bySessionId);
    this.marks.clear();
    this.pending.clear();
    for (const row of rows) {
      if (waiting.has(row.key) || usage.updatedAt < coverNeeded(row)) this.defer(row.key, 'usage figure older than its last run', false, at);
      else this.marks.set(row.key, markOf(row));
    }
    for (const key of waiting) if (!this.pending.has(key)) this.defer(key, 'usage figure older than its last run', false, at);
    this.lastFullAt = at;
  }
}
