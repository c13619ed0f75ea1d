// The OpenTelemetry Collector exporter's defaults: first retry after 5 s, ×1.5 each time, capped at 30 s, with
// jitter so many syncers that lost the same server do not return in lockstep.
export interface RetryPolicy {
  initialMs: number;
  multiplier: number;
  maxMs: number;
  /** 0..1: the delay is drawn from [d·(1-jitter), d·(1+jitter)]. */
  jitter: number;
}

export const DEFAULT_RETRY: RetryPolicy = { initialMs: 5_000, multiplier: 1.5, maxMs: 30_000, jitter: 0.2 };

/** Delay before retry number `attempt` (1-based). A server's Retry-After wins, within 10 min. */
export function retryDelay(policy: RetryPolicy, attempt: number, random: () => number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return Math.min(retryAfterMs, 600_000);
  const base = Math.min(policy.maxMs, policy.initialMs * policy.multiplier ** (attempt - 1));
  const spread = base * policy.jitter;
  return Math.round(base - spread + random() * 2 * spread);
}
