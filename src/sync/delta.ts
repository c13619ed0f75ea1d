/** What AgentWatch shows for a session: OpenClaw's run states folded into AgentWatch's trace states. */
export type TraceStatus = 'running' | 'success' | 'error' | 'timeout';

export interface TokenCounts {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/** Cumulative figures of one session; money is integer micro-USD so sums stay exact. */
export interface Watermark extends TokenCounts {
  costMicros: number;
}

/**
 * One unit of delivery: what changed in one OpenClaw session (key + sessionId) since the last booking.
 * Tokens and cost are deltas; `from`/`to` are the cumulative watermarks around them, which makes `id` stable.
 */
export interface SessionDelta {
  id: string;
  traceId: string;
  gatewayId: string;
  sessionKey: string;
  sessionId: string;
  agentId: string;
  classification: string;
  kind: string;
  label: string | null;
  channel: string | null;
  model: string | null;
  modelProvider: string | null;
  status: TraceStatus;
  openclawStatus: string | null;
  tokens: TokenCounts;
  costMicros: number;
  /**
   * Entries in this delta that OpenClaw could not price: `costMicros` leaves their cost out, so it is a lower bound
   * when this is above 0. Beside the watermarks, not in them, so delta ids stay what they were.
   */
  unpricedEntries: number;
  /** The session's unpriced entries after this delta (its cost is a lower bound when above 0); absent in old records. */
  unpricedTotal?: number;
  from: Watermark;
  to: Watermark;
  contextUsedPct: number | null;
  /** When the sync computed this delta (ms); AgentWatch stamps its own arrival time anyway. */
  observedAt: number;
}

export const ZERO_WATERMARK: Watermark = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, costMicros: 0 };

export function totalTokens(t: TokenCounts): number {
  return t.input + t.output + t.cacheRead + t.cacheWrite;
}

export function usdToMicros(usd: number): number {
  return Math.round(usd * 1_000_000);
}

export function microsToUsd(micros: number): number {
  return micros / 1_000_000;
}

export function mapStatus(openclawStatus: string | null | undefined): TraceStatus {
  switch (openclawStatus) {
    case 'done':
      return 'success';
    case 'failed':
    case 'killed':
      return 'error';
    case 'timeout':
      return 'timeout';
    default:
      return 'running';
  }
}
