import type { SessionDelta } from './delta.js';
import type { SinkMemory } from './sinks/sink.js';

/**
 * Booked deltas waiting for delivery, oldest first. Filled only by `Ledger.book` (same durable record as the ledger
 * entries); emptied by acks and dead letters.
 */
export interface Outbox {
  /** Undelivered deltas. */
  readonly depth: number;
  /** Oldest-first pending deltas (at most `limit`). */
  pending(limit: number): SessionDelta[];
  /** Delivered deltas leave; written before this resolves, fsync'd in groups (see `flush`). Unknown ids are ignored. */
  ack(ids: readonly string[]): Promise<void>;
  /** Makes the acks so far power-loss durable; called when a drain ends or waits. */
  flush(): Promise<void>;
  /** Rejected for good: kept in the dead-letter file, removed from the outbox. */
  deadLetter(deltas: readonly SessionDelta[], reason: string): Promise<void>;
  /** What sinks remember across restarts (ids the server made). */
  readonly memory: SinkMemory;
}
