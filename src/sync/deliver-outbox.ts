import type { SessionDelta } from './delta.js';
import { errorMessage } from './errors.js';
import type { OnMilestone } from './milestone.js';
import type { Clock, Logger, Sleep } from './ports.js';
import { retryDelay, type RetryPolicy } from './retry-policy.js';
import type { Outbox } from './outbox.js';
import { DeliveryError, type Sink } from './sinks/sink.js';

export interface DeliveryOptions {
  outbox: Outbox;
  sink: Sink;
  batchSize: number;
  retry: RetryPolicy;
  /** Stop retrying in this call after this long; what is left stays in the outbox for the next poll. */
  retryBudgetMs: number;
  log: Logger;
  clock: Clock;
  sleep: Sleep;
  random: () => number;
  /** Aborts waits between retries; an HTTP request already sent is left to finish (or hit its deadline). */
  signal: AbortSignal;
  onDelivered?: (batch: readonly SessionDelta[]) => void;
  onRetry?: (error: DeliveryError, delayMs: number) => void;
  onDeadLettered?: (count: number, reason: string) => void;
  onMilestone?: OnMilestone;
  /** False when more drains follow at once (a poll delivering while it books): the last one settles. Default true. */
  settleAtEnd?: boolean;
}

export interface DeliveryOutcome {
  delivered: number;
  deadLettered: number;
  /** Set when deliveries stopped on a retryable error; the outbox still holds the rest. */
  error: DeliveryError | null;
}

function asDeliveryError(e: unknown): DeliveryError {
  return e instanceof DeliveryError ? e : new DeliveryError('network', errorMessage(e), { cause: e });
}

/** Drains the outbox oldest first. Retryable errors back off; rejected batches are split to isolate the bad item. */
export async function deliverOutbox(o: DeliveryOptions): Promise<DeliveryOutcome> {
  const outcome: DeliveryOutcome = { delivered: 0, deadLettered: 0, error: null };
  const started = o.clock.now();
  let attempt = 0;
  while (!o.signal.aborted) {
    const batch = o.outbox.pending(o.batchSize);
    if (batch.length === 0) break;
    try {
      await deliverOrIsolate(batch, o, outcome);
      attempt = 0;
    } catch (e) {
      const error = asDeliveryError(e);
      if (error.failure === 'unauthorized') {
        // A wrong API key is the user's to fix; parking every batch would bury the data. Keep it queued.
        outcome.error = error;
        break;
      }
      attempt += 1;
      const delay = retryDelay(o.retry, attempt, o.random, error.retryAfterMs);
      if (o.clock.now() + delay - started > o.retryBudgetMs) {
        outcome.error = error;
        break;
      }
      o.onRetry?.(error, delay);
      o.log.warn(`${error.message} — retry ${attempt} in ${(delay / 1000).toFixed(1)}s (${batch.length} events kept in the outbox)`);
      await flushAcks(o);
      try {
        await o.sleep(delay, o.signal);
      } catch {
        break; // stopped or paused: the outbox keeps the batch
      }
    }
  }
  // Not awaited: the acks are already with the kernel, and the store runs its next write (or close) after this
  // fsync, so a poll need not wait for it. A power cut before it lands repeats this last group (README).
  if (o.settleAtEnd !== false) void flushAcks(o);
  return outcome;
}

/** The acks are already with the kernel (a killed process loses none): a failed fsync only risks a power cut. */
export async function flushAcks(o: Pick<DeliveryOptions, 'outbox' | 'log'>): Promise<void> {
  try {
    await o.outbox.flush();
  } catch (e) {
    o.log.warn(`${errorMessage(e)} — after a power cut the events delivered just now could be sent again`);
  }
}

/** Throws retryable and credential errors; rejected payloads end in the dead-letter file, never in a retry loop. */
async function deliverOrIsolate(batch: SessionDelta[], o: DeliveryOptions, outcome: DeliveryOutcome): Promise<void> {
  try {
    o.onMilestone?.('before-post');
    await o.sink.deliver(batch, { memory: o.outbox.memory, signal: o.signal, ...(o.onMilestone ? { onMilestone: o.onMilestone } : {}) });
  } catch (e) {
    const error = asDeliveryError(e);
    if (error.retryable || error.failure === 'unauthorized') throw error;
    if (error.failure === 'rejected' && batch.length > 1) {
      const mid = Math.ceil(batch.length / 2);
      await deliverOrIsolate(batch.slice(0, mid), o, outcome);
      await deliverOrIsolate(batch.slice(mid), o, outcome);
      return;
    }
    await o.outbox.deadLetter(batch, error.message);
    outcome.deadLettered += batch.length;
    o.onDeadLettered?.(batch.length, error.message);
    o.log.error(`${error.message} — parked ${batch.length} event(s) in the dead-letter file; syncing continues`);
    return;
  }
  o.onMilestone?.('after-post');
  await o.outbox.ack(batch.map((d) => d.id));
  o.onMilestone?.('after-ack');
  outcome.delivered += batch.length;
  o.onDelivered?.(batch);
}
