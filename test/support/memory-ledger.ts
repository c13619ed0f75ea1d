import type { SessionDelta } from '../../src/sync/delta.js';
import type { Ledger, LedgerEntry } from '../../src/sync/ledger.js';

/** A Ledger in memory for the pure planners: `book` applies the entries and keeps the deltas it was given. */
export class MemoryLedger implements Ledger {
  readonly map = new Map<string, LedgerEntry>();
  readonly booked: SessionDelta[] = [];

  constructor(entries: readonly LedgerEntry[] = []) {
    for (const e of entries) this.map.set(e.sessionId, e);
  }

  entry(sessionId: string): LedgerEntry | undefined {
    return this.map.get(sessionId);
  }

  entries(): Iterable<LedgerEntry> {
    return this.map.values();
  }

  async book(deltas: readonly SessionDelta[], entries: readonly LedgerEntry[]): Promise<{ dropped: number }> {
    this.booked.push(...deltas);
    for (const e of entries) this.map.set(e.sessionId, e);
    return { dropped: 0 };
  }

  hourly(): [] {
    return [];
  }
}
