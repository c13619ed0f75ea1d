import type { KeyUsage } from './openclaw/usage-by-key.js';
import type { UsageRow } from './openclaw/types.js';
import type { KeyRead } from './plan-reads.js';
import type { UsageView } from './plan-bookings.js';
import type { Clock, Sleep } from './ports.js';
import { USAGE_FRESHNESS } from './retry-policy.js';
import { trustKeyUsage } from './usage-trust.js';

export interface ChangedUsage {
  usage: UsageView;
  /** Keys whose answer was trustworthy (booked from, or nothing to book). */
  trusted: KeyRead[];
  /** Keys still untrustworthy at the end of the wait, with why. */
  untrusted: Array<{ read: KeyRead; reason: string }>;
  /** Every sessions.usage request made, re-asks included. */
  requests: number;
}

export interface ChangedUsageDeps {
  fetchUsageByKey(keys: readonly string[], signal: AbortSignal): Promise<KeyUsage[]>;
  clock: Clock;
  sleep: Sleep;
  /** Keys worth waiting for within this poll (a run not booked yet); others are simply asked again next poll. */
  worthWaiting: (read: KeyRead) => boolean;
  waitMs: number;
}

/**
 * Reads the usage of the changed keys, one request each, and keeps only the answers the gateway's freshness rules
 * allow (usage-trust.ts). Untrustworthy answers for runs not booked yet are asked again after a second (the
 * gateway's background recompute lands meanwhile), up to `waitMs`, like the all-sessions read.
 */
export async function readChangedUsage(reads: readonly KeyRead[], deps: ChangedUsageDeps, signal: AbortSignal): Promise<ChangedUsage> {
  const bySessionId = new Map<string, UsageRow>();
  const asOf = new Map<string, number>();
  const trusted: KeyRead[] = [];
  let open = [...reads];
  let untrusted: ChangedUsage['untrusted'] = [];
  let requests = 0;
  const deadline = deps.clock.now() + deps.waitMs;
  for (;;) {
    const answers = await deps.fetchUsageByKey(open.map((r) => r.key), signal);
    requests += open.length;
    untrusted = [];
    const now = deps.clock.now();
    open.forEach((read, i) => {
      const answer = answers[i] as KeyUsage;
      const trust = trustKeyUsage(answer, read.row, now);
      const moved = read.row && answer.row?.sessionId && answer.row.sessionId !== read.row.sessionId;
      if (!trust.trusted || moved) {
        untrusted.push({ read, reason: trust.trusted ? 'the session was reset while reading' : trust.reason });
        return;
      }
      trusted.push(read);
      const sessionId = answer.row?.sessionId ?? read.row?.sessionId;
      if (answer.row && sessionId) {
        bySessionId.set(sessionId, answer.row);
        asOf.set(sessionId, answer.updatedAt);
      }
    });
    open = untrusted.filter((u) => deps.worthWaiting(u.read)).map((u) => u.read);
    if (open.length === 0 || deps.clock.now() + USAGE_FRESHNESS.reaskMs > deadline) break;
    await deps.sleep(USAGE_FRESHNESS.reaskMs, signal);
    untrusted = untrusted.filter((u) => !open.includes(u.read));
  }
  const newest = Math.max(0, ...asOf.values());
  return { usage: { updatedAt: newest, fresh: true, bySessionId, asOf }, trusted, untrusted, requests };
}
