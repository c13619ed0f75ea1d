import { z } from 'zod';

// The status snapshot crosses the IPC boundary, so its schema lives here; the engine imports the types.

export const TraceStatusSchema = z.enum(['running', 'success', 'error', 'timeout']);

export const SyncErrorInfoSchema = z.object({
  /** One line, actionable, never contains a secret. */
  message: z.string(),
  code: z.string(),
  at: z.number(),
  /** Longer text for "copy details" (still redacted). */
  details: z.string().optional(),
});
export type SyncErrorInfo = z.infer<typeof SyncErrorInfoSchema>;

export const ActiveSessionSchema = z.object({
  key: z.string(),
  agentId: z.string(),
  model: z.string().nullable(),
  status: TraceStatusSchema,
  /** Lifetime tokens booked for this session (input + output + cache). */
  tokens: z.number(),
  costMicros: z.number(),
  contextUsedPct: z.number().nullable(),
  /** A sub-agent's session (classification "subagent"): the menu folds it away a while after it finished. */
  subagent: z.boolean().default(false),
  /** When its last run ended (epoch ms); null while running or unknown. */
  endedAt: z.number().nullable().default(null),
});
export type ActiveSession = z.infer<typeof ActiveSessionSchema>;

export const HourlyUsageSchema = z.object({
  /** Start of the hour, epoch ms. */
  hour: z.number(),
  agentId: z.string(),
  tokens: z.number(),
  costMicros: z.number(),
  /** Entries OpenClaw could not price in this hour: above 0, costMicros is a lower bound. */
  unpriced: z.number(),
});
export type HourlyUsage = z.infer<typeof HourlyUsageSchema>;

/** Which usage the last poll read, and why: nothing, a few keys, or every session (a reconciliation). */
export const UsageReadSchema = z.object({
  path: z.enum(['none', 'per-key', 'all']),
  reason: z.string(),
  /** sessions.usage requests the poll made. */
  requests: z.number(),
});
export type UsageRead = z.infer<typeof UsageReadSchema>;

/** One line for the log and the window: `3 changed → 3 per-key reads`, `nothing changed → no usage read`. */
export function describeUsageRead(read: UsageRead): string {
  if (read.path === 'none') return `${read.reason} → no usage read`;
  if (read.path === 'per-key') return `${read.reason} → ${read.requests} per-key read${read.requests === 1 ? '' : 's'}`;
  return `${read.reason} → every session's usage`;
}

export const SyncPhaseSchema = z.enum(['starting', 'idle', 'polling', 'paused', 'stopped']);
export type SyncPhase = z.infer<typeof SyncPhaseSchema>;

/** The one snapshot the tray, the settings window, the CLI log and /metrics read. */
export const SyncStatusSchema = z.object({
  phase: SyncPhaseSchema,
  /** 'live' when sessions.changed events drive deliveries, else 'polling'. */
  mode: z.enum(['live', 'polling']),
  sink: z.string().nullable(),
  gatewayVersion: z.string().nullable(),
  pollCount: z.number(),
  failedPolls: z.number(),
  consecutiveErrors: z.number(),
  lastPollAt: z.number().nullable(),
  lastPollMs: z.number().nullable(),
  lastSuccessAt: z.number().nullable(),
  nextPollAt: z.number().nullable(),
  lastError: SyncErrorInfoSchema.nullable(),
  sessionsSeen: z.number(),
  eventsQueued: z.number(),
  eventsDelivered: z.number(),
  eventsRetried: z.number(),
  eventsDropped: z.number(),
  eventsDeadLettered: z.number(),
  outboxDepth: z.number(),
  activeSessions: z.array(ActiveSessionSchema),
  /** Since local midnight. */
  tokensToday: z.number(),
  costMicrosToday: z.number(),
  /** Entries OpenClaw could not price today: above 0, costMicrosToday leaves their cost out. */
  unpricedToday: z.number(),
  lastUsageRead: UsageReadSchema.nullable(),
  /** sessions.usage requests since start (all-session reads and per-key reads alike). */
  usageRequests: z.number(),
  /** The engine's poll interval; null until an engine runs (the tray's placeholder before it is built). */
  pollIntervalMs: z.number().nullable(),
  /** When the engine was built: before its first success, staleness counts from here. */
  startedAt: z.number().nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatusSchema>;

export const CycleResultSchema = z.object({
  ok: z.boolean(),
  sessions: z.number(),
  events: z.number(),
  delivered: z.number(),
  durationMs: z.number(),
  error: SyncErrorInfoSchema.optional(),
});
export type CycleResult = z.infer<typeof CycleResultSchema>;

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
    unpricedToday: 0,
    lastUsageRead: null,
    usageRequests: 0,
    pollIntervalMs: null,
    startedAt: null,
  };
}

export const FilterPreviewSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), decisions: z.array(z.object({ key: z.string(), keep: z.boolean(), reason: z.string() })) }),
  z.object({ ok: z.literal(false), error: z.string(), column: z.number() }),
]);
export type FilterPreview = z.infer<typeof FilterPreviewSchema>;
