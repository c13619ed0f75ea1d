// Every retry the sync makes: what is tried again, how soon, for how long, and what never is (README "Delivery
// guarantees", "Alerts"). Consumers take their numbers from here. The poll cadence after a failed poll (sooner, never
// later than the interval) is next-delay.ts.

export interface RetryPolicy {
  initialMs: number;
  multiplier: number;
  maxMs: number;
  /** 0..1: the delay is drawn from [d·(1-jitter), d·(1+jitter)]. */
  jitter: number;
}

/** A server's Retry-After wins over the backoff, but a broken or hostile one cannot park us for longer. */
export const RETRY_AFTER_MAX_MS = 600_000;

/** Delay before retry number `attempt` (1-based). */
export function retryDelay(policy: RetryPolicy, attempt: number, random: () => number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return Math.min(retryAfterMs, RETRY_AFTER_MAX_MS);
  const base = Math.min(policy.maxMs, policy.initialMs * policy.multiplier ** (attempt - 1));
  const spread = base * policy.jitter;
  return Math.round(base - spread + random() * 2 * spread);
}

// Deliveries: the OpenTelemetry Collector exporter's defaults, jittered so syncers that lost the same server do not
// return in lockstep.
export const DELIVERY_RETRY: RetryPolicy = { initialMs: 5_000, multiplier: 1.5, maxMs: 30_000, jitter: 0.2 };

/** A poll retries for at most one poll interval; what is left stays in the outbox for the next poll. */
export function deliveryRetryBudgetMs(pollIntervalMs: number): number {
  return pollIntervalMs;
}

/** How a delivery failed, and whether the batch is sent again. */
export const RETRIED_FAILURES = {
  network: true, // refused, reset, DNS
  timeout: true, // the server may have accepted: this is the in-flight duplicate bound
  throttled: true, // 429, after Retry-After
  unavailable: true, // 502/503/504
  server: true, // other 5xx, where the protocol retries them
  garbage: true, // a 2xx whose body we cannot read
  rejected: false, // the payload is wrong: the batch is split and the bad event dead-lettered
  unauthorized: false, // the key is wrong: the batch stays queued until the user fixes it
} as const satisfies Record<string, boolean>;

export type DeliveryFailure = keyof typeof RETRIED_FAILURES;

/** Answered HTTP statuses worth another attempt; every other non-2xx is final. */
export interface HttpRetryRules {
  statuses: ReadonlySet<number>;
  /** Every status from 500 up is retried too. */
  serverErrors: boolean;
  /** Where a Retry-After header sets the next delay. */
  retryAfterOn: ReadonlySet<number>;
}

export function isRetriedStatus(rules: HttpRetryRules, status: number): boolean {
  return rules.statuses.has(status) || (rules.serverErrors && status >= 500);
}

const THROTTLED = new Set([429]);
export const AGENTWATCH_HTTP_RETRY: HttpRetryRules = { statuses: THROTTLED, serverErrors: true, retryAfterOn: THROTTLED };

// The OTLP/HTTP spec: only these are retryable, honouring Retry-After; every other status MUST NOT be retried.
const OTLP_RETRYABLE = new Set([429, 502, 503, 504]);
export const OTLP_HTTP_RETRY: HttpRetryRules = { statuses: OTLP_RETRYABLE, serverErrors: false, retryAfterOn: OTLP_RETRYABLE };

// Alert webhooks (Slack, PagerDuty): PagerDuty suggests retrying 429s after a while; Retry-After, when sent, wins.
export const ALERT_RETRY: RetryPolicy = { initialMs: 2_000, multiplier: 2, maxMs: 60_000, jitter: 0.2 };
export const ALERT_MAX_ATTEMPTS = 5;
export const WEBHOOK_HTTP_RETRY: HttpRetryRules = { statuses: THROTTLED, serverErrors: true, retryAfterOn: THROTTLED };

// Gateway connects: 1 s doubling to 30 s, ±20 % so several clients restarted together do not reconnect in lockstep.
const CONNECT_BACKOFF = { firstMs: 1_000, maxMs: 30_000, jitter: 0.2 };

/** Wait before the next connect after `failures` consecutive failed connects. */
export function connectBackoffMs(failures: number, random: () => number): number {
  if (failures <= 0) return 0;
  const base = CONNECT_BACKOFF.firstMs * 2 ** Math.min(failures - 1, 16);
  const jittered = base * (1 - CONNECT_BACKOFF.jitter + 2 * CONNECT_BACKOFF.jitter * random());
  return Math.round(Math.min(CONNECT_BACKOFF.maxMs, jittered));
}

/** A lost sessions.subscribe is tried again from 1 s, doubling to 30 s; polls reconcile meanwhile. */
export const LIVE_RESUBSCRIBE = { firstMs: 1_000, maxMs: 30_000 };

/** A gateway still starting answers the handshake UNAVAILABLE: wait as told (default, capped) within the connect timeout. */
export const GATEWAY_UNAVAILABLE_WAIT = { defaultMs: 1_000, maxMs: 5_000 };

/**
 * sessions.usage is cached for 30 s and then revalidated: a poll asks again every `reaskMs` until it covers the newest
 * finished run, for up to `waitMs`. --once has no later poll to book it on, so it waits ~30 s + a refresh.
 */
export const USAGE_FRESHNESS = { reaskMs: 1_000, waitMs: 10_000, onceWaitMs: 60_000 };
