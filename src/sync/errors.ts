export type SyncErrorCode =
  | 'CONFIG' // a setting or flag is wrong: the user must change it
  | 'AUTH' // the gateway or AgentWatch refused our credentials
  | 'SCOPE' // connected, but without the scope the RPC needs
  | 'PAIRING' // the gateway wants this device approved
  | 'UNAVAILABLE' // the gateway says "later" (startup, rate limit)
  | 'NETWORK' // refused, reset, DNS, socket closed
  | 'TIMEOUT' // no answer before the deadline
  | 'PROTOCOL' // the peer sent something we cannot read
  | 'HTTP' // an HTTP status we do not retry
  | 'STATE' // the state dir cannot be read or written
  | 'LOCKED'; // another instance owns the state dir

export interface SyncErrorOptions {
  retryable?: boolean;
  retryAfterMs?: number;
  cause?: unknown;
  details?: Record<string, unknown>;
}

/** An error whose message tells the user what to do next; `cause` keeps the detail. */
export class SyncError extends Error {
  readonly code: SyncErrorCode;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: SyncErrorCode, message: string, options: SyncErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SyncError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details;
  }
}

export function isSyncError(e: unknown): e is SyncError {
  return e instanceof SyncError;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
