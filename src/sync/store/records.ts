import { z } from 'zod';
import type { SessionDelta } from '../delta.js';
import type { LedgerEntry } from '../ledger.js';
import type { HourlyUsage } from '../../shared/sync-status.js';
import type { Validation } from './journal.js';

export interface StateCounters {
  dropped: number;
  deadLettered: number;
  delivered: number;
}

// Loose objects keep fields added to SessionDelta later instead of silently stripping them on reload.
const tokens = { input: z.number(), output: z.number(), cacheRead: z.number(), cacheWrite: z.number() };
const WatermarkSchema = z.looseObject({ ...tokens, costMicros: z.number() });
const TraceStatusSchema = z.enum(['running', 'success', 'error', 'timeout']);

const SessionDeltaSchema: z.ZodType<SessionDelta> = z.looseObject({
  id: z.string(),
  traceId: z.string(),
  gatewayId: z.string(),
  sessionKey: z.string(),
  sessionId: z.string(),
  agentId: z.string(),
  classification: z.string(),
  kind: z.string(),
  label: z.string().nullable(),
  channel: z.string().nullable(),
  model: z.string().nullable(),
  modelProvider: z.string().nullable(),
  status: TraceStatusSchema,
  openclawStatus: z.string().nullable(),
  tokens: z.looseObject(tokens),
  costMicros: z.number(),
  // Deltas journaled before unpriced entries were read carry none.
  unpricedEntries: z.number().int().min(0).default(0),
  unpricedTotal: z.number().int().min(0).optional(),
  from: WatermarkSchema,
  to: WatermarkSchema,
  contextUsedPct: z.number().nullable(),
  observedAt: z.number(),
});

const LedgerEntrySchema: z.ZodType<LedgerEntry> = z.looseObject({
  sessionId: z.string(),
  sessionKey: z.string(),
  agentId: z.string(),
  classification: z.string(),
  kind: z.string(),
  traceId: z.string(),
  label: z.string().nullable(),
  model: z.string().nullable(),
  booked: WatermarkSchema,
  bookedUnpriced: z.number().int().min(0).optional(),
  status: TraceStatusSchema.nullable(),
  trackedAt: z.number(),
  lastBookedAt: z.number().nullable(),
  contextUsedPct: z.number().nullable(),
  runIds: z.array(z.string()).optional(),
  coveredUntil: z.number().nullable().optional(),
  liveRuns: z.number().int().min(0).optional(),
  liveUntil: z.number().nullable().optional(),
  corrections: z.number().int().min(0).optional(),
});

const ids = z.array(z.string());

export const JournalRecordSchema = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('book'),
    at: z.number(),
    deltas: z.array(SessionDeltaSchema),
    entries: z.array(LedgerEntrySchema),
    /** Outbox ids dropped by this booking because the outbox was full (oldest first). */
    drop: ids,
  }),
  z.object({ t: z.literal('ack'), ids }),
  z.object({ t: z.literal('dead'), ids }),
  z.object({ t: z.literal('mem'), key: z.string(), value: z.string() }),
]);
export type JournalRecord = z.infer<typeof JournalRecordSchema>;

const HourlySchema: z.ZodType<HourlyUsage> = z.object({
  hour: z.number(),
  agentId: z.string(),
  tokens: z.number(),
  costMicros: z.number(),
  // Buckets written before unpriced entries were counted hold none.
  unpriced: z.number().default(0),
});

export const SnapshotSchema = z.object({
  version: z.literal(1),
  generation: z.number().int().min(0),
  ledger: z.array(LedgerEntrySchema),
  outbox: z.array(SessionDeltaSchema),
  memory: z.record(z.string(), z.string()),
  hourly: z.array(HourlySchema),
  counters: z.object({ dropped: z.number(), deadLettered: z.number(), delivered: z.number() }),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;

export function validateRecord(value: unknown): Validation<JournalRecord> {
  const result = JournalRecordSchema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  return { ok: false, reason: issue ? `${issue.path.join('.') || 'record'}: ${issue.message}` : 'invalid record' };
}
