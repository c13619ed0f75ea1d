import type { CycleDeps } from './cycle-deps.js';
import { deliverOutbox, flushAcks, type DeliveryOutcome } from './deliver-outbox.js';
import { PipelinedDelivery } from './pipelined-delivery.js';
import { planBookings, planBookingsInSlices, type Plan, type PlanInput } from './plan-bookings.js';
import { DELIVERY_RETRY, deliveryRetryBudgetMs } from './retry-policy.js';
import type { Sink } from './sinks/sink.js';

/** Below this many rows planning and booking take a few ms together: one booking, then delivery. */
const LARGE_POLL_ROWS = 500;
/** A large poll books and hands to delivery this many sessions at a time (~1.3 MB of journal per part). */
const PART_SESSIONS = 500;

export function drain(d: CycleDeps, sink: Sink, signal: AbortSignal, settleAtEnd = true): Promise<DeliveryOutcome> {
  return deliverOutbox({
    settleAtEnd,
    outbox: d.outbox,
    sink,
    batchSize: d.config.batchSize,
    retry: d.retry ?? DELIVERY_RETRY,
    retryBudgetMs: deliveryRetryBudgetMs(d.config.pollIntervalMs),
    log: d.log,
    clock: d.clock,
    sleep: d.sleep,
    random: d.random,
    signal,
    ...d.hooks,
    ...(d.onMilestone ? { onMilestone: d.onMilestone } : {}),
  });
}

function logPlan(d: CycleDeps, plan: Plan, fresh: boolean): void {
  for (const x of plan.decisions) d.log.debug(`${x.keep ? 'keep' : 'skip'} ${x.unlisted ? 'unlisted ' : ''}${x.key} (${x.reason})`);
  for (const key of plan.waiting) d.log.debug(`wait ${key} (usage figure older than its last run; next poll)`);
  for (const b of plan.backwards) d.log.warn(`Cumulative usage went backwards for ${b}; booking nothing negative`);
  for (const c of plan.corrections) d.log.info(`Reconciled live bookings with OpenClaw's cumulative usage: ${c}`);
  if (!fresh) d.log.info('OpenClaw usage cache is still refreshing; sessions will be booked on the next poll');
}

export interface Booked {
  plan: Plan;
  dropped: number;
  delivery: DeliveryOutcome;
}

/**
 * Plans, books durably and delivers. A delivery that stopped on an error while replaying the outbox is not tried
 * again in the same poll: its outcome stands, the bookings wait in the outbox.
 */
export async function bookAndDeliver(d: CycleDeps, sink: Sink, replay: DeliveryOutcome | null, input: PlanInput, signal: AbortSignal): Promise<Booked> {
  let dropped = 0;
  if (input.rows.length >= LARGE_POLL_ROWS) {
    // Planning and booking 10k sessions take a few hundred ms: each part is booked and handed to delivery as soon
    // as it is planned, so they run while AgentWatch answers the first POSTs (docs/bench.md).
    const pipeline = new PipelinedDelivery((settle) => drain(d, sink, signal, settle));
    let plan: Plan;
    try {
      plan = await planBookingsInSlices(input, PART_SESSIONS, async (deltas, entries) => {
        dropped += (await d.ledger.book(deltas, entries)).dropped;
        if (deltas.length === 0) return;
        d.onMilestone?.('after-book');
        if (!replay?.error) pipeline.kick();
      });
    } catch (e) {
      await pipeline.idle(); // a booking failed: no drain keeps running past this poll
      throw e;
    }
    logPlan(d, plan, input.usage.fresh);
    const delivery = replay?.error ? replay : await pipeline.finish(() => flushAcks({ outbox: d.outbox, log: d.log }));
    return { plan, dropped, delivery };
  }
  const plan = planBookings(input);
  logPlan(d, plan, input.usage.fresh);
  if (plan.entries.length > 0) dropped = (await d.ledger.book(plan.deltas, plan.entries)).dropped;
  if (plan.deltas.length > 0) d.onMilestone?.('after-book');
  const delivery = replay?.error ? replay : await drain(d, sink, signal);
  return { plan, dropped, delivery };
}
