import type { CycleDeps } from './cycle-deps.js';
import { isKeptAfterRun } from './filter.js';
import type { SessionRow } from './openclaw/types.js';
import type { UsageView } from './plan-bookings.js';
import { USAGE_FRESHNESS } from './retry-policy.js';
import { coversAll } from './usage-trust.js';

/**
 * sessions.usage is cached with stale-while-revalidate: ask again briefly until it covers the newest finished run
 * not booked yet. A run already booked (live, or by an earlier poll) needs no wait: a later poll reconciles it, and
 * waiting here would hold live deliveries (they take turns with polls) for up to `usageWaitMs`. `first` is an
 * answer already asked for (a poll asks for usage while the session list is still paging in).
 */
export async function freshUsage(
  d: CycleDeps,
  rows: readonly SessionRow[],
  signal: AbortSignal,
  window?: { startDate: string; endDate: string },
  first?: Promise<UsageView>,
  asks = { count: 0 },
): Promise<UsageView> {
  const deadline = d.clock.now() + (d.usageWaitMs ?? USAGE_FRESHNESS.waitMs);
  for (let ask = first; ; ask = undefined) {
    asks.count += 1;
    const usage = await (ask ?? d.source.fetchUsage(signal, window));
    if (coversAll(usage, newestUnbookedRun(d, rows, usage))) return usage;
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

