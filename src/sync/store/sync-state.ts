import type { SessionDelta } from '../delta.js';
import { SyncError } from '../errors.js';
import type { Clock, Logger } from '../ports.js';
import type { SinkMemory } from '../sinks/sink.js';
import type { HourlyUsage } from '../../shared/sync-status.js';
import { encodeRecord } from './journal.js';
import { describeFsError, stateOpenError, stateWriteError } from './disk-errors.js';
import { createNodeDurableFs, type DurableFs } from './durable-fs.js';
import { deadLetterPath, loadState } from './load-state.js';
import { hourOf, type StateModel } from './model.js';
import { checkBooking } from './check-booking.js';
import type { Ledger, LedgerEntry } from '../ledger.js';
import type { Outbox } from '../outbox.js';
import type { JournalRecord, StateCounters } from './records.js';
import { StateWriter } from './writer.js';

export type { LedgerEntry } from '../ledger.js';
export type { StateCounters } from './records.js';

export interface StateOptions {
  dir: string;
  fs?: DurableFs;
  clock: Clock;
  log: Logger;
  /** Undelivered deltas kept at most; beyond it the oldest are dropped (and counted). */
  maxOutbox: number;
  /** Journal size that triggers a compaction into a new snapshot. */
  compactBytes?: number;
  /** When acks written without fsync are fsync'd together (also at every `flush` and durable write). */
  ackGroup?: AckGroup;
}

export interface AckGroup {
  /** Fsync once this many acks are waiting for it. */
  maxAcks: number;
  /** Fsync at the first ack this long (by the injected clock) after the group's first one. */
  maxDelayMs: number;
}

export const DEFAULT_COMPACT_BYTES = 8 * 1024 * 1024;
export const DEFAULT_ACK_GROUP: AckGroup = { maxAcks: 20, maxDelayMs: 250 };

/**
 * The sync engine's durable state: the ledger (cumulative usage already booked per session), the outbox (deltas
 * not yet delivered), the sinks' memory, hourly usage and counters. Every change is one journal record, written
 * one at a time and fsync'd before the call resolves, except acks: each is written before `ack` resolves (so a
 * killed process repeats at most the batch in flight) and fsync'd in groups (see AckGroup and `flush`), so an OS
 * crash or power cut can also repeat the batches of the last group.
 */
export class SyncState implements Ledger, Outbox {
  readonly memory: SinkMemory;
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;
  private closing: Promise<void> | undefined;
  private deadLetterTorn = false;
  private groupStartedAt = 0;

  private constructor(
    private readonly options: StateOptions,
    private readonly fs: DurableFs,
    private readonly model: StateModel,
    private readonly writer: StateWriter,
  ) {
    this.memory = {
      get: (key) => this.model.memory.get(key),
      set: (key, value) => this.setMemory(key, value),
    };
  }

  /** Creates the dir if needed and loads the snapshot plus its journal. */
  static async open(options: StateOptions): Promise<SyncState> {
    const fs = options.fs ?? createNodeDurableFs();
    try {
      await fs.mkdirp(options.dir);
    } catch (e) {
      await fs.close();
      throw stateOpenError(options.dir, e);
    }
    try {
      const loaded = await loadState(fs, options.dir, options.log);
      const compactBytes = options.compactBytes ?? DEFAULT_COMPACT_BYTES;
      const writer = new StateWriter(fs, options.dir, loaded.model, options.log, compactBytes, loaded);
      // A crash between writing a snapshot and removing the journal it superseded leaves that journal behind.
      if (loaded.generation > 0) await writer.removeJournal(loaded.generation - 1);
      return new SyncState(options, fs, loaded.model, writer);
    } catch (e) {
      await fs.close();
      throw e;
    }
  }

  entry(sessionId: string): LedgerEntry | undefined {
    return this.model.ledger.get(sessionId);
  }

  entries(): IterableIterator<LedgerEntry> {
    return this.model.ledger.values();
  }

  /**
   * One durable record: new deltas appended to the outbox and ledger entries replaced, together or not at all.
   * Deltas already in the outbox are not added twice. When the outbox would exceed maxOutbox, the oldest deltas
   * are dropped in the same record, counted and logged. If the write fails nothing changes in memory.
   */
  book(deltas: readonly SessionDelta[], entries: readonly LedgerEntry[]): Promise<{ dropped: number }> {
    return this.serial(async () => {
      const fresh = new Map<string, SessionDelta>();
      for (const delta of deltas) {
        if (!this.model.outbox.has(delta.id) && !fresh.has(delta.id)) fresh.set(delta.id, delta);
      }
      if (fresh.size === 0 && entries.length === 0) return { dropped: 0 };
      const excess = this.model.outbox.size + fresh.size - this.options.maxOutbox;
      const drop = excess > 0 ? takeFirst([this.model.outbox.keys(), fresh.keys()], excess) : [];
      const record: Extract<JournalRecord, { t: 'book' }> = {
        t: 'book',
        at: this.options.clock.now(),
        deltas: [...fresh.values()],
        entries: [...entries],
        drop,
      };
      assertValid(record);
      await this.persist(record, false);
      if (drop.length > 0) {
        this.options.log.warn(
          `The outbox is full (${this.options.maxOutbox} undelivered deltas): dropped the ${drop.length} oldest, ` +
            'so AgentWatch will not receive that usage. Check that AgentWatch is reachable, or raise outboxMaxEvents.',
        );
      }
      return { dropped: drop.length };
    });
  }

  /** Oldest-first pending deltas (at most `limit`). */
  pending(limit: number): SessionDelta[] {
    const out: SessionDelta[] = [];
    if (limit <= 0) return out;
    for (const delta of this.model.outbox.values()) {
      out.push(delta);
      if (out.length >= limit) break;
    }
    return out;
  }

  get depth(): number {
    return this.model.outbox.size;
  }

  /**
   * Delivered deltas leave the outbox; the record is written before this resolves and fsync'd with its group.
   * Unknown ids are ignored, so acking twice is harmless.
   */
  ack(ids: readonly string[]): Promise<void> {
    return this.serial(async () => {
      const known = [...new Set(ids)].filter((id) => this.model.outbox.has(id));
      if (known.length === 0) return;
      await this.persist({ t: 'ack', ids: known }, true, false);
      const group = this.options.ackGroup ?? DEFAULT_ACK_GROUP;
      const now = this.options.clock.now();
      if (this.writer.unsyncedRecords === 1) this.groupStartedAt = now;
      if (this.writer.unsyncedRecords >= group.maxAcks || now - this.groupStartedAt >= group.maxDelayMs) {
        await this.flushWriter();
      }
    });
  }

  /**
   * Fsyncs the acks written since the last fsync (call it when a drain ends or pauses), or compacts when the
   * journal has grown past its limit: after a drain the outbox is small, so is the snapshot.
   */
  flush(): Promise<void> {
    return this.serial(async () => {
      if (this.closed) return; // close has already compacted (or flushed) everything
      try {
        await this.writer.settle();
      } catch (e) {
        throw stateWriteError(this.options.dir, e);
      }
    }, true);
  }

  /** Rejected for good: appended to `<dir>/dead-letter.jsonl` ({at, reason, delta}), then removed from the outbox. */
  deadLetter(deltas: readonly SessionDelta[], reason: string): Promise<void> {
    return this.serial(async () => {
      const unique = [...new Map(deltas.map((d) => [d.id, d])).values()];
      if (unique.length === 0) return;
      const at = this.options.clock.now();
      const lines = unique.map((delta) => encodeRecord({ at, reason, delta })).join('');
      // A failed append may have left half a line: start on a fresh line so the next entry stays readable.
      const text = this.deadLetterTorn ? `\n${lines}` : lines;
      try {
        await this.fs.appendDurable(deadLetterPath(this.options.dir), text);
      } catch (e) {
        this.deadLetterTorn = true;
        throw stateWriteError(this.options.dir, e);
      }
      this.deadLetterTorn = false;
      await this.persist({ t: 'dead', ids: unique.map((d) => d.id) }, true);
    });
  }

  /** Per-hour tokens (input + output + cache) and micro-USD per agent, for hours that end after `sinceMs`. */
  hourly(sinceMs: number): HourlyUsage[] {
    const first = hourOf(sinceMs);
    return [...this.model.hourly.values()]
      .filter((b) => b.hour >= first)
      .map((b) => ({ ...b }))
      .sort((a, b) => a.hour - b.hour || a.agentId.localeCompare(b.agentId));
  }

  get counters(): Readonly<StateCounters> {
    return { ...this.model.counters };
  }

  /** Waits for pending writes, folds the journal into a snapshot and closes the files. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.serial(async () => {
      this.closed = true;
      try {
        if (this.writer.hasChanges) await this.writer.compact();
      } catch (e) {
        this.options.log.warn(
          `Could not compact the sync state in ${this.options.dir} on close (${describeFsError(e)}); ` +
            'the journal still holds it and is replayed on the next start.',
        );
        await this.writer.flush().catch(() => undefined); // best effort: the warning above already says what failed
      } finally {
        await this.fs.close();
      }
    }, true);
    return this.closing;
  }

  private setMemory(key: string, value: string): Promise<void> {
    return this.serial(async () => {
      if (this.model.memory.get(key) !== value) await this.persist({ t: 'mem', key, value }, true);
    });
  }

  /**
   * A booking changes memory only once it is on disk. Acks, dead letters and sink memory record facts that
   * already happened elsewhere (AgentWatch has the data, or made the id): forgetting them because the disk
   * failed would send the data again, so they apply anyway and the writer rewrites the whole state next time.
   */
  private async persist(record: JournalRecord, applyEvenIfWriteFails: boolean, durable = true): Promise<void> {
    try {
      await this.writer.write(record, durable);
    } catch (e) {
      if (applyEvenIfWriteFails) this.model.apply(record);
      throw stateWriteError(this.options.dir, e);
    }
    this.model.apply(record);
  }

  private async flushWriter(): Promise<void> {
    try {
      await this.writer.flush();
    } catch (e) {
      throw stateWriteError(this.options.dir, e);
    }
  }

  /** Writes run one at a time, in call order, so records never interleave. */
  private serial<T>(work: () => Promise<T>, evenIfClosed = false): Promise<T> {
    const run = this.chain.then(() => {
      if (this.closed && !evenIfClosed) {
        const message = `The sync state in ${this.options.dir} is closed; restart the sync to write again.`;
        throw new SyncError('STATE', message);
      }
      return work();
    });
    // The chain must survive a failed step; the caller sees the failure through `run`.
    this.chain = run.catch(() => undefined);
    return run;
  }
}

function takeFirst(sources: Iterable<string>[], count: number): string[] {
  const out: string[] = [];
  for (const source of sources) {
    for (const id of source) {
      if (out.length >= count) return out;
      out.push(id);
    }
  }
  return out;
}

// A record that would not load again (NaN, undefined instead of null…) must never reach the journal.
function assertValid(record: Extract<JournalRecord, { t: 'book' }>): void {
  const result = checkBooking(record);
  if (!result.ok) {
    throw new SyncError('STATE', `Refusing to book invalid data (${result.reason}). This is a bug: please report it.`, {
      retryable: false,
    });
  }
}
