import type { DeliveryOptions, DeliveryOutcome } from './deliver-outbox.js';
import type { Ledger } from './ledger.js';
import type { OnMilestone } from './milestone.js';
import type { KeyUsage } from './openclaw/usage-by-key.js';
import type { SessionRow } from './openclaw/types.js';
import type { Outbox } from './outbox.js';
import type { Plan, UsageView } from './plan-bookings.js';
import type { Clock, Logger, Sleep } from './ports.js';
import type { ReadMemory } from './read-memory.js';
import type { RetryPolicy } from './retry-policy.js';
import type { Sink } from './sinks/sink.js';
import type { SyncConfig } from './sync-config.js';
import type { UsageRead } from '../shared/sync-status.js';

/** The gateway as the cycle needs it; create-engine adapts GatewayClient to this. */
export interface SessionSource {
  /** activeMinutes undefined: every session. */
  listSessions(activeMinutes: number | undefined, signal: AbortSignal): Promise<SessionRow[]>;
  /** Lifetime figures of every session; with a window, the usage of the UTC days startDate..endDate (backfill). */
  fetchUsage(signal: AbortSignal, window?: { startDate: string; endDate: string }): Promise<UsageView>;
  /** Lifetime figures of these keys, one `sessions.usage {key}` each, as the gateway labelled them. */
  fetchUsageByKey(keys: readonly string[], signal: AbortSignal): Promise<KeyUsage[]>;
  /** False when sessions.usage must wait for the list (its answer is too big to queue more behind); default true. */
  usageWithList?(): boolean;
  /** The longest the gateway connection was down since the last call, and the gateway's tick interval. */
  takeDowntime?(): { downMs: number; tickMs: number };
}

export type DeliveryHooks = Pick<DeliveryOptions, 'onDelivered' | 'onRetry' | 'onDeadLettered'>;

export interface CycleDeps {
  config: SyncConfig;
  gatewayId: string;
  source: SessionSource;
  /** The ledger and the outbox are one store (a booking writes both in one record), passed as both. */
  ledger: Ledger;
  outbox: Outbox;
  sink: (signal: AbortSignal) => Promise<Sink>;
  clock: Clock;
  sleep: Sleep;
  log: Logger;
  random: () => number;
  retry?: RetryPolicy;
  /** How long to wait for sessions.usage to be fresh and newer than the last finished run. */
  usageWaitMs?: number;
  hooks?: DeliveryHooks;
  onMilestone?: OnMilestone;
  /** What incremental polls remember; without it every poll reads all usage (the previous strategy). */
  reads?: ReadMemory;
}



export interface CycleOutcome {
  rows: SessionRow[];
  /** Polls only: the usage read this poll made. */
  read?: UsageRead;
  /** The usage figures the poll judged with (absent for live and backfill bookings). */
  usage?: UsageView;
  plan: Plan;
  dropped: number;
  delivery: DeliveryOutcome;
}

