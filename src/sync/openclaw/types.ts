import { z } from 'zod';

// Lenient views of the gateway's rows: the real schemas allow extra properties and most fields are optional,
// so we name only what the sync reads and let the rest pass through.
const ms = z.number().nullish();
const str = z.string().nullish();

export const SessionRow = z
  .object({
    key: z.string().min(1),
    sessionId: z.string().min(1),
    kind: str,
    classification: str,
    agentId: str,
    isBackground: z.boolean().nullish(),
    status: str,
    label: str,
    displayName: str,
    channel: str,
    model: str,
    modelProvider: str,
    contextTokens: z.number().nullish(),
    totalTokens: z.number().nullish(),
    totalTokensFresh: z.boolean().nullish(),
    inputTokens: z.number().nullish(),
    outputTokens: z.number().nullish(),
    estimatedCostUsd: z.number().nullish(),
    updatedAt: ms,
    lastActivityAt: ms,
    lastInteractionAt: ms,
    startedAt: ms,
    endedAt: ms,
    hasActiveRun: z.boolean().nullish(),
    lastRunId: str,
  })
  .passthrough();
export type SessionRow = z.infer<typeof SessionRow>;

export const SessionsListPage = z
  .object({
    ts: z.number().optional(),
    count: z.number().optional(),
    totalCount: z.number().optional(),
    nextOffset: z.number().nullish(),
    hasMore: z.boolean().optional(),
    sessions: z.array(z.unknown()),
  })
  .passthrough();
export type SessionsListPage = z.infer<typeof SessionsListPage>;

export const UsageFigures = z
  .object({
    input: z.number().default(0),
    output: z.number().default(0),
    cacheRead: z.number().default(0),
    cacheWrite: z.number().default(0),
    totalTokens: z.number().default(0),
    totalCost: z.number().default(0),
    /** Entries OpenClaw could not price (no `cost` for the model): their tokens are in the counts, not in totalCost. */
    missingCostEntries: z.number().default(0),
    firstActivity: ms,
    lastActivity: ms,
  })
  .passthrough();
export type UsageFigures = z.infer<typeof UsageFigures>;

export const UsageRow = z
  .object({
    key: z.string().min(1),
    sessionId: z.string().nullish(),
    agentId: str,
    label: str,
    model: str,
    modelProvider: str,
    updatedAt: ms,
    usage: UsageFigures.nullish(),
  })
  .passthrough();
export type UsageRow = z.infer<typeof UsageRow>;

export const SessionsUsagePayload = z
  .object({
    updatedAt: z.number(),
    startDate: z.string().optional(),
    endDate: z.string().optional(),
    sessions: z.array(z.unknown()),
    cacheStatus: z
      .object({ status: z.string(), refreshedAt: ms })
      .passthrough()
      .optional(),
  })
  .passthrough();
export type SessionsUsagePayload = z.infer<typeof SessionsUsagePayload>;
