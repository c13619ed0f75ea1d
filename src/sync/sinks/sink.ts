import type { OnMilestone } from '../milestone.js';
import type { SessionDelta } from '../delta.js';
import { RETRIED_FAILURES, type DeliveryFailure } from '../retry-policy.js';

/**
 * Durable key/value memory a sink may use to remember ids the server made (AgentWatch agent and trace ids).
 * `set` resolves only once the value is on disk.
 */
export interface SinkMemory {
  get(key: string): string | undefined;
  set(key: string, value: string): Promise<void>;
}

export interface DeliveryContext {
  memory: SinkMemory;
  signal?: AbortSignal;
  onMilestone?: OnMilestone;
}

export interface Sink {
  /** 'agentwatch' | 'seed' | 'jsonl' — shown in status and logs. */
  readonly name: string;
  /**
   * Delivers one batch, all or nothing from the caller's view. Throws `DeliveryError` on failure; the caller
   * decides on retry (retryable) or dead-lettering (not retryable).
   */
  deliver(batch: readonly SessionDelta[], ctx: DeliveryContext): Promise<void>;
}

export class DeliveryError extends Error {
  readonly failure: DeliveryFailure;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(
    failure: DeliveryFailure,
    message: string,
    options: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DeliveryError';
    this.failure = failure;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }

  get retryable(): boolean {
    return RETRIED_FAILURES[this.failure];
  }
}
