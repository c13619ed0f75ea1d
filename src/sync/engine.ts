import type { CycleResult, HourlyUsage, SyncStatus } from '../shared/sync-status.js';

/** What a host (tray app, CLI) drives. */
export interface Engine {
  /** Starts the poll loop (first poll immediately). */
  start(): void;
  /** Stops scheduling, lets an in-flight delivery finish or abandons it safely, closes sockets and files. */
  stop(): Promise<void>;
  pause(): void;
  resume(): void;
  /** One poll now; concurrent callers share the running one. */
  runOnce(): Promise<CycleResult>;
  status(): SyncStatus;
  /** Called on every status change; returns unsubscribe. */
  onStatus(listener: (status: SyncStatus) => void): () => void;
  /** Hourly tokens/USD per agent for the last `hours` hours, from the ledger. */
  usageByHour(hours: number): HourlyUsage[];
}
