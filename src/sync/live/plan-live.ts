import type { FilterRules } from '../../shared/settings.js';
import { buildBooking, rememberRun } from '../booking.js';
import { mapStatus, usdToMicros, ZERO_WATERMARK } from '../delta.js';
import { factsOf, judgeFacts } from '../filter.js';
import type { Plan } from '../plan-bookings.js';
import type { Ledger, LedgerEntry } from '../ledger.js';
import type { FinishedRun } from './finished-run.js';

export interface LivePlanInput {
  gatewayId: string;
  runs: readonly FinishedRun[];
  ledger: Ledger;
  now: number;
  rules: FilterRules;
}

/**
 * Books finished runs from their own figures (the row's last-run tokens and USD), once per run id. The periodic
 * reconciliation against sessions.usage later books what runs do not show (e.g. subagent announce runs).
 */
export function planLiveBookings(input: LivePlanInput): Plan {
  const plan: Plan = { deltas: [], entries: [], decisions: [], waiting: [], backwards: [], corrections: [] };
  const updated = new Map<string, LedgerEntry>();
  const ordered = [...input.runs].sort((a, b) => (a.row.endedAt ?? 0) - (b.row.endedAt ?? 0));
  for (const { row, runId } of ordered) {
    const entry = updated.get(row.sessionId) ?? input.ledger.entry(row.sessionId);
    const skip = (reason: string) => plan.decisions.push({ key: row.key, keep: false, reason });
    if (entry?.runIds?.includes(runId)) {
      skip(`run ${runId} already booked`);
      continue;
    }
    if (entry?.coveredUntil != null && row.endedAt != null && row.endedAt <= entry.coveredUntil) {
      skip(`run ${runId} already in reconciled usage`);
      continue;
    }
    const input_ = row.inputTokens ?? 0;
    const output = row.outputTokens ?? 0;
    // The run just finished, so it is active now; lifetime tokens are what is booked plus this run.
    const facts = factsOf({ row, usage: undefined, tracked: entry !== undefined }, row.endedAt ?? input.now);
    const verdict = judgeFacts({ ...facts, active: 0, tokens: (entry ? entry.booked.input + entry.booked.output : 0) + input_ + output }, input.rules);
    if (!verdict.keep) {
      skip(verdict.reason);
      continue;
    }
    const prev = entry?.booked ?? ZERO_WATERMARK;
    const next = { ...prev, input: prev.input + input_, output: prev.output + output, costMicros: prev.costMicros + usdToMicros(row.estimatedCostUsd ?? 0) };
    // A run the gateway could not price carries no USD figure; the next reconciliation books OpenClaw's own count.
    const unpricedRun = row.estimatedCostUsd == null && input_ + output > 0 ? 1 : 0;
    const prevUnpriced = entry?.bookedUnpriced ?? 0;
    const booking = buildBooking({
      gatewayId: input.gatewayId,
      key: row.key,
      sessionId: row.sessionId,
      row,
      entry,
      prev,
      next,
      unpriced: { prev: prevUnpriced, next: prevUnpriced + unpricedRun },
      status: mapStatus(row.status),
      now: input.now,
      live: { runIds: rememberRun(entry?.runIds, runId), coveredUntil: entry?.coveredUntil ?? null, liveRuns: (entry?.liveRuns ?? 0) + 1, liveUntil: Math.max(entry?.liveUntil ?? 0, row.endedAt ?? input.now) },
    });
    plan.decisions.push({ key: row.key, keep: true, reason: `run ${runId} finished (${row.status})` });
    plan.deltas.push(booking.delta);
    updated.set(row.sessionId, booking.entry);
  }
  plan.entries.push(...updated.values());
  return plan;
}
