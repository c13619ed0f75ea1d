import { deliverOutbox, flushAcks, type DeliveryOutcome } from './deliver-outbox.js';
import { PipelinedDelivery } from './pipelined-delivery.js';
import { isKeptAfterRun } from './filter.js';
import type { SessionRow } from './openclaw/types.js';
import type { Ledger } from './ledger.js';
import type { Outbox } from './outbox.js';
import { planBookings, planBookingsInSlices, type Plan, type UsageView } from './plan-bookings.js';
import type { OnMilestone } from './milestone.js';
import type { Clock, Logger, Sleep } from './ports.js';
import { DELIVERY_RETRY, deliveryRetryBudgetMs, USAGE_FRESHNESS, type RetryPolicy } from './retry-policy.js';
import type { Sink } from './sinks/sink.js';
import type { SyncConfig } from './sync-config.js';
import type { FinishedRun } from './live/finished-run.js';
import { planLiveBookings } from './live/plan-live.js';
import { planBackfill } from './plan-backfill.js';

/** The gateway as the cycle needs it; create-engine adapts GatewayClient to this. */
export interface SessionSource {
  listSessions(activeMinutes: number, signal: AbortSignal): Promise<SessionRow[]>;
  /** Lifetime figures of every session; with a window, the usage of the UTC days startDate..endDate (backfill). */
  fetchUsage(signal: AbortSignal, window?: { startDate: string; endDate: string }): Promise<UsageView>;
  /** Lifetime figures of these keys, one `sessions.usage {key}` each, as the gateway labelled them. */
  fetchUsageByKey(keys: readonly string[], signal: AbortSignal): Promise<KeyUsage[]>;
  /** False when sessions.usage must wait for the list (its answer is too big to queue more behind); default true. */
  usageWithList?(): boolean;
  /** The longest the gateway connection was down since the last call, and the gateway's tick interval. */
  takeDowntime?(): { downMs: number; tickMs: number };
}

export interface CycleDeps {
  config: SyncConfig;
  gatewayId: string;
  source: SessionSource;
  /** The ledger and the outbox are one store (a booking writes both in one record), passed as both. */
  ledger: Ledger;
  outbox: Outbox;
  sink: (signal: AbortSignal) => Promise<Sink>;
  clock: Clock;
  sleep: Sleep;
  log: Logger;
  random: () => number;
  retry?: RetryPolicy;
  /** How long to wait for sessions.usage to be fresh and newer than the last finished run. */
  usageWaitMs?: number;
  hooks?: DeliveryHooks;
  onMilestone?: OnMilestone;
  /** What incremental polls remember; without it every poll reads all usage (the previous strategy). */
  reads?: ReadMemory;
}

export type DeliveryHooks = Pick<Parameters<typeof deliverOutbox>[0], 'onDelivered' | 'onRetry' | 'onDeadLettered'>;

/** Which usage a poll read, and why (status, /metrics and the DEBUG log show it). */
export interface UsageRead {
  path: 'none' | 'per-key' | 'all';
  reason: string;
  /** sessions.usage requests made (per-key re-asks included). */
  requests: number;
}

export interface CycleOutcome {
  rows: SessionRow[];
  /** Polls only: the usage read this poll made. */
  read?: UsageRead;
  /** The usage figures the poll judged with (absent for live and backfill bookings). */
  usage?: UsageView;
  plan: Plan;
  dropped: number;
  delivery: DeliveryOutcome;
}

/** Below this many rows planning and booking take a few ms together: one booking, then delivery. */
const LARGE_POLL_ROWS = 500;
/** A large poll books and hands to delivery this many sessions at a time (~1.3 MB of journal per part). */
const PART_SESSIONS = 500;

/**
 * sessions.usage is cached with stale-while-revalidate: ask again briefly until it covers the newest finished run
 * not booked yet. A run already booked (live, or by an earlier poll) needs no wait: a later poll reconciles it, and
 * waiting here would hold live deliveries (they take turns with polls) for up to `usageWaitMs`. `first` is an
 * answer already asked for (a poll asks for usage while the session list is still paging in).
 */
async function freshUsage(
  d: CycleDeps,
  rows: readonly SessionRow[],
  signal: AbortSignal,
  window?: { startDate: string; endDate: string },
  first?: Promise<UsageView>,
): Promise<UsageView> {
  const deadline = d.clock.now() + (d.usageWaitMs ?? USAGE_FRESHNESS.waitMs);
  for (let ask = first; ; ask = undefined) {
    const usage = await (ask ?? d.source.fetchUsage(signal, window));
    if (usage.fresh && usage.updatedAt >= newestUnbookedRun(d, rows, usage)) return usage;
    if (d.clock.now() + USAGE_FRESHNESS.reaskMs > deadline) return usage;
    await d.sleep(USAGE_FRESHNESS.reaskMs, signal);
  }
}

/** When the newest finished run ended that the filter would book and no booking covers yet (0: none). */
function newestUnbookedRun(d: CycleDeps, rows: readonly SessionRow[], usage: UsageView): number {
  let needed = 0;
  const now = d.clock.now();
  for (const row of rows) {
    const endedAt = row.endedAt ?? 0;
    if (endedAt <= needed || endedAt <= usage.updatedAt) continue;
    const entry = d.ledger.entry(row.sessionId);
    if (row.lastRunId != null && (entry?.runIds ?? []).includes(row.lastRunId)) continue;
    if (isKeptAfterRun(row, entry !== undefined, usage.bySessionId.get(row.sessionId), now, d.config.filter)) needed = endedAt;
  }
  return needed;
}

export function drain(d: CycleDeps, sink: Sink, signal: AbortSignal, settleAtEnd = true): Promise<DeliveryOutcome> {
  return deliverOutbox({
    settleAtEnd,
    outbox: d.outbox,
    sink,
    batchSize: d.config.batchSize,
    retry: d.retry ?? DELIVERY_RETRY,
    retryBudgetMs: deliveryRetryBudgetMs(d.config.pollIntervalSec),
    log: d.log,
    clock: d.clock,
    sleep: d.sleep,
    random: d.random,
    signal,
    ...d.hooks,
    ...(d.onMilestone ? { onMilestone: d.onMilestone } : {}),
  });
}

function logPlan(d: CycleDeps, plan: Plan, usage: UsageView): void {
  for (const x of plan.decisions) d.log.debug(`${x.keep ? 'keep' : 'skip'} ${x.unlisted ? 'unlisted ' : ''}${x.key} (${x.reason})`);
  for (const key of plan.waiting) d.log.debug(`wait ${key} (usage figure older than its last run; next poll)`);
  for (const b of plan.backwards) d.log.warn(`Cumulative usage went backwards for ${b}; booking nothing negative`);
  for (const c of plan.corrections) d.log.info(`Reconciled live bookings with OpenClaw's cumulative usage: ${c}`);
  if (!usage.fresh) d.log.info('OpenClaw usage cache is still refreshing; sessions will be booked on the next poll');
}

/** One poll: replay what is queued, read the gateway, book deltas durably, deliver. */
export async function runCycle(d: CycleDeps, signal: AbortSignal): Promise<CycleOutcome> {
  const sink = await d.sink(signal);
  const replay = d.outbox.depth > 0 ? await drain(d, sink, signal) : null;

  // Both answers are needed; asking for usage first lets the gateway work on it while the list pages in (the
  // floor in docs/bench.md does the same). If the list fails, the usage answer is dropped.
  const firstUsage = d.source.usageWithList?.() === false ? undefined : d.source.fetchUsage(signal);
  firstUsage?.catch(() => undefined);
  const rows = await d.source.listSessions(d.config.filter.activeMinutes, signal);
  const usage = await freshUsage(d, rows, signal, undefined, firstUsage);
  const planInput = { gatewayId: d.gatewayId, rows, usage, ledger: d.ledger, now: d.clock.now(), rules: d.config.filter };
  const large = rows.length >= LARGE_POLL_ROWS;
  let dropped = 0;
  let delivery: DeliveryOutcome;
  if (large) {
    // Planning and booking 10k sessions take a few hundred ms: each part is booked and handed to delivery as soon
    // as it is planned, so they run while AgentWatch answers the first POSTs (docs/bench.md).
    const pipeline = new PipelinedDelivery((settle) => drain(d, sink, signal, settle));
    let plan: Plan;
    try {
      plan = await planBookingsInSlices(planInput, PART_SESSIONS, async (deltas, entries) => {
        dropped += (await d.ledger.book(deltas, entries)).dropped;
        if (deltas.length === 0) return;
        d.onMilestone?.('after-book');
        if (!replay?.error) pipeline.kick();
      });
    } catch (e) {
      await pipeline.idle(); // a booking failed: no drain keeps running past this poll
      throw e;
    }
    logPlan(d, plan, usage);
    delivery = replay?.error ? replay : await pipeline.finish(() => flushAcks({ outbox: d.outbox, log: d.log }));
    return finishCycle({ rows, usage, plan, dropped, delivery }, replay);
  }
  const plan = planBookings(planInput);
  logPlan(d, plan, usage);
  if (plan.entries.length > 0) dropped = (await d.ledger.book(plan.deltas, plan.entries)).dropped;
  if (plan.deltas.length > 0) d.onMilestone?.('after-book');
  delivery = replay?.error ? replay : await drain(d, sink, signal);
  return finishCycle({ rows, usage, plan, dropped, delivery }, replay);
}

/** The poll's outcome counts what its opening replay of the outbox delivered too. */
function finishCycle(outcome: CycleOutcome, replay: DeliveryOutcome | null): CycleOutcome {
  const { delivery } = outcome;
  if (replay && delivery !== replay) {
    delivery.delivered += replay.delivered;
    delivery.deadLettered += replay.deadLettered;
  }
  return outcome;
}

/** Live mode: book finished runs from their own figures and deliver at once. */
export async function runLive(d: CycleDeps, runs: readonly FinishedRun[], signal: AbortSignal): Promise<CycleOutcome> {
  const sink = await d.sink(signal);
  const plan = planLiveBookings({ gatewayId: d.gatewayId, runs, ledger: d.ledger, now: d.clock.now(), rules: d.config.filter });
  for (const x of plan.decisions) d.log.debug(`live: ${x.keep ? 'book' : 'skip'} ${x.key} (${x.reason})`);
  const { dropped } = plan.entries.length > 0 ? await d.ledger.book(plan.deltas, plan.entries) : { dropped: 0 };
  const delivery = await drain(d, sink, signal);
  return { rows: runs.map((r) => r.row), plan, dropped, delivery };
}

/** Backfill: past usage since `startDate` (UTC), once, through the same ledger and outbox. */
export async function runBackfill(d: CycleDeps, startDate: string, endDate: string, signal: AbortSignal): Promise<CycleOutcome> {
  const sink = await d.sink(signal);
  const window = await freshUsage(d, [], signal, { startDate, endDate });
  const lifetime = await freshUsage(d, [], signal);
  const plan = planBackfill({ gatewayId: d.gatewayId, window, lifetime, ledger: d.ledger, now: d.clock.now(), rules: d.config.filter });
  for (const x of plan.decisions) d.log.debug(`backfill: ${x.keep ? 'keep' : 'skip'} ${x.key} (${x.reason})`);
  const { dropped } = plan.entries.length > 0 ? await d.ledger.book(plan.deltas, plan.entries) : { dropped: 0 };
  const delivery = await drain(d, sink, signal);
  return { rows: [], plan, dropped, delivery };
}
