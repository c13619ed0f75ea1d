import type { Logger } from '../ports.js';
import { encodeInSlices } from './encode-in-slices.js';
import { describeFsError } from './disk-errors.js';
import type { DurableFs } from './durable-fs.js';
import { journalPath, snapshotPath, type LoadedState } from './load-state.js';
import type { StateModel } from './model.js';
import type { JournalRecord } from './records.js';

/** A booking compacts first only when the journal is this many times past the compaction size. */
const BOOKING_COMPACTS_AT = 4;

/**
 * Makes records durable: appends to the current generation's journal, and compacts (snapshot of the model with a
 * new generation, then a fresh journal) when the journal grows too big.
 *
 * After any failed write the journal's tail is unknown (half a record, or a whole one whose fsync failed), and
 * after a failed compaction the snapshot on disk may already name the next generation. Either way nothing more
 * may be appended to the old journal: the next write first compacts into a generation never used before.
 *
 * A record written with `durable: false` is only handed to the kernel (it survives the process being killed); it
 * becomes power-loss durable at the next `flush`, durable write or compaction, which is how acks are grouped.
 */
export class StateWriter {
  private generation: number;
  private lastGeneration: number;
  private journalBytes: number;
  private mustRewrite: boolean;
  private unsynced = 0;

  constructor(
    private readonly fs: DurableFs,
    private readonly dir: string,
    private readonly model: StateModel,
    private readonly log: Logger,
    private readonly compactBytes: number,
    loaded: LoadedState,
  ) {
    this.generation = loaded.generation;
    this.lastGeneration = loaded.generation;
    this.journalBytes = loaded.journalBytes;
    this.mustRewrite = loaded.tornTail;
  }

  /**
   * Resolves once the record is on disk (durable) or with the kernel; throws the file system's error untouched.
   * A journal past its limit is compacted by `settle`, when a drain ends and the outbox is small, not here while
   * a poll books and delivers (the snapshot would hold the whole outbox; docs/bench.md). Only a booking into a
   * journal four times past the limit compacts first: a safety valve for when no drain ends.
   */
  async write(record: JournalRecord, durable = true): Promise<void> {
    const overdue = record.t === 'book' && this.journalBytes >= this.compactBytes * BOOKING_COMPACTS_AT;
    if (this.mustRewrite || overdue) await this.compact();
    const line = `${await encodeInSlices(record)}\n`;
    const path = journalPath(this.dir, this.generation);
    try {
      if (durable) await this.fs.appendDurable(path, line);
      else await this.fs.append(path, line);
    } catch (e) {
      this.mustRewrite = true;
      throw e;
    }
    this.journalBytes += Buffer.byteLength(line);
    // An fsync covers everything appended to the file before it, so a durable write also settles earlier records.
    this.unsynced = durable ? 0 : this.unsynced + 1;
  }

  /** Records appended without fsync since the last fsync or compaction. */
  get unsyncedRecords(): number {
    return this.unsynced;
  }

  /** Fsyncs the records appended without it. After a failed fsync their fate is unknown: the next write compacts. */
  async flush(): Promise<void> {
    if (this.unsynced === 0 || this.mustRewrite) return;
    try {
      await this.fs.sync(journalPath(this.dir, this.generation));
    } catch (e) {
      this.mustRewrite = true;
      throw e;
    }
    this.unsynced = 0;
  }

  /** Everything written so far made power-loss durable: by a compaction when the journal grew too big, else an fsync. */
  async settle(): Promise<void> {
    if (this.mustRewrite || this.journalBytes >= this.compactBytes) return this.compact();
    return this.flush();
  }

  /** Something is in the journal (or memory differs from it) that a snapshot would fold in. */
  get hasChanges(): boolean {
    return this.mustRewrite || this.journalBytes > 0;
  }

  /** Writes the model as a snapshot of a new generation, then removes the journals it supersedes. */
  async compact(): Promise<void> {
    const next = this.lastGeneration + 1;
    this.lastGeneration = next;
    try {
      await this.fs.writeAtomic(snapshotPath(this.dir), await encodeInSlices(this.model.toSnapshot(next)));
    } catch (e) {
      this.mustRewrite = true;
      throw e;
    }
    const superseded = this.generation;
    this.generation = next;
    this.journalBytes = 0;
    this.mustRewrite = false;
    this.unsynced = 0; // the snapshot holds them
    // Generations between `superseded` and `next` belong to failed compactions: nothing was ever appended to them.
    await this.removeJournal(superseded);
  }

  /** Best effort: a leftover journal of an older generation is never read again. */
  async removeJournal(generation: number): Promise<void> {
    const file = journalPath(this.dir, generation);
    try {
      await this.fs.remove(file);
    } catch (e) {
      this.log.warn(`Could not remove the old sync journal ${file} (${describeFsError(e)}); it is unused, delete it.`);
    }
  }
}
