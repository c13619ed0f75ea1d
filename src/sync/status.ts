import type { TraceStatus } from './delta.js';

export type SyncPhase = 'starting' | 'idle' | 'polling' | 'paused' | 'stopped';

export interface SyncErrorInfo {
  /** One line, actionable, never contains a secret. */
  message: string;
  code: string;
  at: number;
  /** Longer text for "copy details" (still redacted). */
  details?: string;
}

export interface ActiveSession {
  key: string;
  agentId: string;
  model: string | null;
  status: TraceStatus;
  /** Lifetime tokens booked for this session (input + output + cache). */
  tokens: number;
  costMicros: number;
  contextUsedPct: number | null;
}

export interface HourlyUsage {
  /** Start of the hour, epoch ms. */
  hour: number;
  agentId: string;
  tokens: number;
  costMicros: number;
}

/** The one snapshot the tray, the settings window, the CLI log and /metrics read. */
export interface SyncStatus {
  phase: SyncPhase;
  /** 'live' when sessions.changed events drive deliveries, else 'polling'. */
  mode: 'live' | 'polling';
  sink: string | null;
  gatewayVersion: string | null;
  pollCount: number;
  failedPolls: number;
  consecutiveErrors: number;
  lastPollAt: number | null;
  lastPollMs: number | null;
  lastSuccessAt: number | null;
  nextPollAt: number | null;
  lastError: SyncErrorInfo | null;
  sessionsSeen: number;
  eventsQueued: number;
  eventsDelivered: number;
  eventsRetried: number;
  eventsDropped: number;
  eventsDeadLettered: number;
  outboxDepth: number;
  activeSessions: ActiveSession[];
  /** Since local midnight. */
  tokensToday: number;
  costMicrosToday: number;
}

export interface CycleResult {
  ok: boolean;
  sessions: number;
  events: number;
  delivered: number;
  durationMs: number;
  error?: SyncErrorInfo;
}

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

export function initialStatus(): SyncStatus {
  return {
    phase: 'starting',
    mode: 'polling',
    sink: null,
    gatewayVersion: null,
    pollCount: 0,
    failedPolls: 0,
    consecutiveErrors: 0,
    lastPollAt: null,
    lastPollMs: null,
    lastSuccessAt: null,
    nextPollAt: null,
    lastError: null,
    sessionsSeen: 0,
    eventsQueued: 0,
    eventsDelivered: 0,
    eventsRetried: 0,
    eventsDropped: 0,
    eventsDeadLettered: 0,
    outboxDepth: 0,
    activeSessions: [],
    tokensToday: 0,
    costMicrosToday: 0,
  };
}
