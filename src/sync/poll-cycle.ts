import { bookAndDeliver, drain } from './book-and-deliver.js';
import type { UsageRead } from '../shared/sync-status.js';
import type { CycleDeps, CycleOutcome } from './cycle-deps.js';
import type { DeliveryOutcome } from './deliver-outbox.js';
import type { FinishedRun } from './live/finished-run.js';
import { planLiveBookings } from './live/plan-live.js';
import type { SessionRow } from './openclaw/types.js';
import { planBackfill } from './plan-backfill.js';
import type { UsageView } from './plan-bookings.js';
import { planReads, type KeyRead } from './plan-reads.js';
import { freshUsage } from './read-all-usage.js';
import { readChangedUsage } from './read-changed-usage.js';
import type { ReadMemory } from './read-memory.js';
import { reconcileReason } from './reconcile-due.js';
import { USAGE_FRESHNESS } from './retry-policy.js';
import type { Sink } from './sinks/sink.js';

const NOTHING_READ: UsageView = { updatedAt: 0, fresh: true, bySessionId: new Map() };

/**
 * One poll: replay what is queued, read the usage of what changed (nothing when nothing did; everything on a
 * reconciliation), book deltas durably, deliver.
 */
export async function runCycle(d: CycleDeps, signal: AbortSignal): Promise<CycleOutcome> {
  const sink = await d.sink(signal);
  const replay = d.outbox.depth > 0 ? await drain(d, sink, signal) : null;
  const memory = d.reads;
  const started = d.clock.now();
  const due = memory ? reconcileReason(reconcileInput(d, memory, started)) : 'every poll';
  let outcome: CycleOutcome;
  try {
    outcome = await readFor(d, memory, due, sink, replay, signal);
  } catch (e) {
    if (due !== null) memory?.requestReconcile(due); // still owed after a failed poll
    throw e;
  }
  if (memory) memory.lastOkAt = started;
  return finishCycle(outcome, replay);
}

async function readFor(
  d: CycleDeps, memory: ReadMemory | undefined, due: string | null, sink: Sink, replay: DeliveryOutcome | null, signal: AbortSignal,
): Promise<CycleOutcome> {
  if (due !== null || !memory) return readEverything(d, sink, replay, signal, `reconciliation (${due ?? 'every poll'})`, { minutes: reconcileListMinutes(d, memory) });
  const rows = await d.source.listSessions(d.config.filter.activeMinutes, signal);
  const plan = planReads({
    rows, marks: memory.marks, pending: memory.pending, now: d.clock.now(), rules: d.config.filter, reconcile: null,
    tracked: (sessionId) => d.ledger.entry(sessionId) !== undefined,
  });
  if (plan.path === 'all') return readEverything(d, sink, replay, signal, plan.reason, rows);
  return readChanged(d, memory, sink, replay, signal, rows, plan.path === 'per-key' ? plan.reads : [], plan.reason);
}

function reconcileInput(d: CycleDeps, memory: ReadMemory, now: number) {
  const down = d.source.takeDowntime?.() ?? { downMs: 0, tickMs: 30_000 };
  return {
    now, lastFullAt: memory.lastFullAt, lastOkAt: memory.lastOkAt, everyMs: d.config.reconcileMinutes * 60_000,
    windowMs: d.config.filter.activeMinutes * 60_000, downMs: down.downMs, tickMs: down.tickMs, requested: memory.takeRequest(),
  };
}

/**
 * A reconciliation lists every row that can have changed since the last good poll, not just the filter's window:
 * a run that ended before a longer gap is outside the window, and only a listed row can be held pending until its
 * figure covers the run. At start nothing is known, so everything is listed. The every-poll strategy keeps the window.
 */
function reconcileListMinutes(d: CycleDeps, memory: ReadMemory | undefined): number | undefined {
  const window = d.config.filter.activeMinutes;
  if (!memory) return window;
  if (memory.lastOkAt === null) return undefined;
  return Math.max(window, Math.ceil((d.clock.now() - memory.lastOkAt) / 60_000) + 1);
}

/**
 * sessions.usage for every session, with the rows already listed (a poll where many changed) or listed here over
 * `minutes` (a reconciliation; undefined: every row).
 */
async function readEverything(
  d: CycleDeps, sink: Sink, replay: DeliveryOutcome | null, signal: AbortSignal, reason: string,
  list: SessionRow[] | { minutes: number | undefined },
): Promise<CycleOutcome> {
  // Both answers are needed; asking for usage first lets the gateway work on it while the list pages in (the
  // floor in docs/bench.md does the same). If the list fails, the usage answer is dropped.
  const firstUsage = Array.isArray(list) || d.source.usageWithList?.() === false ? undefined : d.source.fetchUsage(signal);
  firstUsage?.catch(() => undefined);
  const rows = Array.isArray(list) ? list : await d.source.listSessions(list.minutes, signal);
  const asks = { count: 0 };
  const usage = await freshUsage(d, rows, signal, undefined, firstUsage, asks);
  const now = d.clock.now();
  const booked = await bookAndDeliver(d, sink, replay, { gatewayId: d.gatewayId, rows, usage, ledger: d.ledger, now, rules: d.config.filter }, signal);
  if (d.reads && usage.fresh) d.reads.settleAll(rows, usage, new Set(booked.plan.waiting), now);
  else d.reads?.requestReconcile(`${reason.replace(/^reconciliation \((.*)\)$/, '$1')}, usage was still refreshing`);
  const read: UsageRead = { path: 'all', reason, requests: asks.count };
  return { rows, usage, read, ...booked };
}

/** Only the keys whose rows moved (or whose figure was not trustworthy yet), one request each; none at all when none did. */
async function readChanged(
  d: CycleDeps, memory: ReadMemory, sink: Sink, replay: DeliveryOutcome | null, signal: AbortSignal,
  rows: SessionRow[], reads: readonly KeyRead[], reason: string,
): Promise<CycleOutcome> {
  const changed = reads.length === 0
    ? { usage: NOTHING_READ, trusted: [], untrusted: [], requests: 0 }
    : await readChangedUsage(reads, {
        fetchUsageByKey: (keys, s) => d.source.fetchUsageByKey(keys, s),
        clock: d.clock, sleep: d.sleep, waitMs: d.usageWaitMs ?? USAGE_FRESHNESS.waitMs,
        worthWaiting: (read) => read.row !== undefined && hasUnbookedRun(d, read.row),
      }, signal);
  const now = d.clock.now();
  const judgeWith = memory.known(changed.usage);
  const input = { gatewayId: d.gatewayId, rows, usage: changed.usage, judgeWith, ledger: d.ledger, now, rules: d.config.filter };
  const booked = await bookAndDeliver(d, sink, replay, input, signal);
  const waiting = new Set(booked.plan.waiting);
  for (const read of changed.trusted) {
    if (waiting.has(read.key)) memory.defer(read.key, 'usage figure older than its last run', true, now);
    else memory.settle(read);
  }
  for (const { read, reason: why } of changed.untrusted) {
    d.log.debug(`wait ${read.key} (${why}; next poll)`);
    memory.defer(read.key, why, true, now);
  }
  for (const read of changed.trusted) {
    // A reset whose old transcript the gateway does not keep under agent:<id>:<oldSessionId>: only a full read can
    // find the rest of its usage.
    if (read.why === 'retired' && !changed.usage.bySessionId.has(read.key.split(':').slice(2).join(':'))) {
      memory.requestReconcile(`the old transcript ${read.key} has no usage row of its own`);
    }
  }
  const read: UsageRead = reads.length === 0 ? { path: 'none', reason, requests: 0 } : { path: 'per-key', reason, requests: changed.requests };
  return { rows, usage: judgeWith, read, ...booked };
}

/** The row's last run has ended and no booking covers it yet: worth a second ask within this poll. */
function hasUnbookedRun(d: CycleDeps, row: SessionRow): boolean {
  if (row.endedAt == null) return false;
  const runIds = d.ledger.entry(row.sessionId)?.runIds ?? [];
  return row.lastRunId == null || !runIds.includes(row.lastRunId);
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
