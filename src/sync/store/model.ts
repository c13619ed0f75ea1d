import { HOUR_MS } from '../../shared/time-units.js';
import { totalTokens, type SessionDelta } from '../delta.js';
import type { HourlyUsage } from '../../shared/sync-status.js';
import type { LedgerEntry } from '../ledger.js';
import type { JournalRecord, Snapshot, StateCounters } from './records.js';

/** Hourly buckets older than this are pruned: the charts show at most the last day, plus a day of margin. */
export const HOURLY_KEEP_MS = 48 * HOUR_MS;

export function hourOf(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

/**
 * The sync state in memory. Changes only through `apply`, the same function that replays the journal on load,
 * so what runs and what is reloaded after a crash cannot drift apart.
 */
export class StateModel {
  readonly ledger = new Map<string, LedgerEntry>();
  /** Insertion-ordered: iteration is oldest first, which is the delivery order. */
  readonly outbox = new Map<string, SessionDelta>();
  readonly memory = new Map<string, string>();
  readonly hourly = new Map<string, HourlyUsage>();
  readonly counters: StateCounters = { dropped: 0, deadLettered: 0, delivered: 0 };

  static fromSnapshot(snapshot: Snapshot): StateModel {
    const model = new StateModel();
    for (const entry of snapshot.ledger) model.ledger.set(entry.sessionId, entry);
    for (const delta of snapshot.outbox) model.outbox.set(delta.id, delta);
    for (const [key, value] of Object.entries(snapshot.memory)) model.memory.set(key, value);
    for (const bucket of snapshot.hourly) model.hourly.set(`${bucket.hour}|${bucket.agentId}`, { ...bucket });
    Object.assign(model.counters, snapshot.counters);
    return model;
  }

  toSnapshot(generation: number): Snapshot {
    return {
      version: 1,
      generation,
      ledger: [...this.ledger.values()],
      outbox: [...this.outbox.values()],
      memory: Object.fromEntries(this.memory),
      hourly: [...this.hourly.values()],
      counters: { ...this.counters },
    };
  }

  apply(record: JournalRecord): void {
    switch (record.t) {
      case 'book':
        for (const delta of record.deltas) {
          if (!this.outbox.has(delta.id)) this.outbox.set(delta.id, delta);
          this.addHourly(record.at, delta);
        }
        for (const id of record.drop) this.outbox.delete(id);
        this.counters.dropped += record.drop.length;
        for (const entry of record.entries) this.ledger.set(entry.sessionId, entry);
        this.pruneHourly(record.at);
        return;
      case 'ack':
        for (const id of record.ids) if (this.outbox.delete(id)) this.counters.delivered += 1;
        return;
      case 'dead':
        for (const id of record.ids) this.outbox.delete(id);
        this.counters.deadLettered += record.ids.length;
        return;
      case 'mem':
        this.memory.set(record.key, record.value);
        return;
    }
  }

  private addHourly(at: number, delta: SessionDelta): void {
    const hour = hourOf(at);
    const key = `${hour}|${delta.agentId}`;
    const bucket = this.hourly.get(key) ?? { hour, agentId: delta.agentId, tokens: 0, costMicros: 0, unpriced: 0 };
    bucket.tokens += totalTokens(delta.tokens);
    bucket.costMicros += delta.costMicros;
    bucket.unpriced += delta.unpricedEntries;
    this.hourly.set(key, bucket);
  }

  private pruneHourly(at: number): void {
    const oldest = hourOf(at) - HOURLY_KEEP_MS;
    for (const [key, bucket] of this.hourly) if (bucket.hour < oldest) this.hourly.delete(key);
  }
}
