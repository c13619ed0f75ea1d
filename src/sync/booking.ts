import type { SessionDelta, TraceStatus, Watermark } from './delta.js';
import { deltaIdOf, traceIdOf } from './ids.js';
import type { SessionRow } from './openclaw/types.js';
import type { LedgerEntry } from './ledger.js';
import { classOf } from './filter.js';

export const WATERMARK_KEYS = ['input', 'output', 'cacheRead', 'cacheWrite', 'costMicros'] as const;

/**
 * Run ids remembered per session: enough to absorb repeated and out-of-order events (a run is not announced 8
 * runs late), and few enough that a 10k-session ledger entry stays small in every booking record and snapshot.
 */
export const RUN_IDS_KEPT = 8;

export function rememberRun(runIds: readonly string[] | undefined, runId: string | null | undefined): string[] {
  const list = runIds ?? [];
  if (!runId || list.includes(runId)) return list.length > RUN_IDS_KEPT ? list.slice(-RUN_IDS_KEPT) : [...list];
  const kept = list.length >= RUN_IDS_KEPT ? list.slice(list.length - RUN_IDS_KEPT + 1) : [...list];
  kept.push(runId);
  return kept;
}

export function contextPct(row: SessionRow | undefined): number | null {
  if (!row?.totalTokensFresh || !row.contextTokens || row.totalTokens == null) return null;
  return Math.round((row.totalTokens / row.contextTokens) * 100);
}

export interface BookingInput {
  gatewayId: string;
  key: string;
  sessionId: string;
  row: SessionRow | undefined;
  entry: LedgerEntry | undefined;
  /** Fallbacks when there is no list row (a quiet tracked session): the usage row's facts. */
  usageFacts?: { agentId?: string | null; model?: string | null; modelProvider?: string | null };
  prev: Watermark;
  next: Watermark;
  /** Cumulative unpriced entries (OpenClaw's missingCostEntries) before and after; the delta books the difference. */
  unpriced: { prev: number; next: number };
  status: TraceStatus;
  now: number;
  /** Live-mode bookkeeping to store with the entry. */
  live: Pick<LedgerEntry, 'runIds' | 'coveredUntil' | 'liveRuns' | 'liveUntil'>;
}

/**
 * A delta that only books unpriced entries moves no watermark: its id names the count too, or it would repeat the
 * id of the delta that last reached this watermark with this status (and be dropped as a duplicate). Every other id
 * stays what it always was.
 */
function idOf(b: BookingInput, corrections: number): string {
  const still = WATERMARK_KEYS.every((c) => b.prev[c] === b.next[c]) && b.entry?.status === b.status;
  const status = still && b.unpriced.next > b.unpriced.prev ? `${b.status}|unpriced ${b.unpriced.next}` : b.status;
  return deltaIdOf(b.gatewayId, b.sessionId, b.prev, b.next, status, corrections);
}

/** The delta between two watermarks of one session, and the ledger entry that records it: always written together. */
export function buildBooking(b: BookingInput): { delta: SessionDelta; entry: LedgerEntry } {
  const { row, entry } = b;
  const agentId = row?.agentId ?? entry?.agentId ?? b.usageFacts?.agentId ?? 'unknown';
  const classification = row ? classOf(row) : (entry?.classification ?? 'unknown');
  const kind = row?.kind ?? entry?.kind ?? 'direct';
  const traceId = entry?.traceId ?? traceIdOf(b.gatewayId, b.key, b.sessionId);
  const model = row?.model ?? b.usageFacts?.model ?? entry?.model ?? null;
  const label = row?.label ?? entry?.label ?? null;
  const contextUsedPct = contextPct(row) ?? entry?.contextUsedPct ?? null;
  const corrections = (entry?.corrections ?? 0) + (WATERMARK_KEYS.some((c) => b.next[c] < b.prev[c]) ? 1 : 0);
  const tokens = {
    input: b.next.input - b.prev.input,
    output: b.next.output - b.prev.output,
    cacheRead: b.next.cacheRead - b.prev.cacheRead,
    cacheWrite: b.next.cacheWrite - b.prev.cacheWrite,
  };
  const delta: SessionDelta = {
    id: idOf(b, corrections),
    traceId,
    gatewayId: b.gatewayId,
    sessionKey: b.key,
    sessionId: b.sessionId,
    agentId,
    classification,
    kind,
    label,
    channel: row?.channel ?? null,
    model,
    modelProvider: row?.modelProvider ?? b.usageFacts?.modelProvider ?? null,
    status: b.status,
    openclawStatus: row?.status ?? null,
    tokens,
    costMicros: b.next.costMicros - b.prev.costMicros,
    unpricedEntries: Math.max(0, b.unpriced.next - b.unpriced.prev),
    unpricedTotal: b.unpriced.next,
    from: b.prev,
    to: b.next,
    contextUsedPct,
    observedAt: b.now,
  };
  const newEntry: LedgerEntry = {
    sessionId: b.sessionId,
    sessionKey: b.key,
    agentId,
    classification,
    kind,
    traceId,
    label,
    model,
    booked: b.next,
    bookedUnpriced: b.unpriced.next,
    status: b.status,
    trackedAt: entry?.trackedAt ?? b.now,
    lastBookedAt: b.now,
    contextUsedPct,
    ...b.live,
    ...(corrections > 0 ? { corrections } : {}),
  };
  return { delta, entry: newEntry };
}
