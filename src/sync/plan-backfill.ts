import type { FilterRules } from '../shared/settings.js';
import { buildBooking, WATERMARK_KEYS } from './booking.js';
import { usdToMicros, ZERO_WATERMARK, type Watermark } from './delta.js';
import { judgeFacts } from './filter.js';
import { traceIdOf } from './ids.js';
import type { UsageRow } from './openclaw/types.js';
import type { Ledger } from './ledger.js';
import type { Plan, UsageView } from './plan-bookings.js';

export interface BackfillInput {
  gatewayId: string;
  /** sessions.usage for the backfill window (per-session usage since the start date). */
  window: UsageView;
  /** sessions.usage lifetime figures (range "all"), the ledger's unit. */
  lifetime: UsageView;
  ledger: Ledger;
  now: number;
  rules: FilterRules;
}

/** Old sessions have no list row: their class comes from the key's shape (`agent:<id>:subagent:…`). */
export function classFromKey(key: string): string {
  const parts = key.split(':');
  if (parts.length === 3 && parts[2] === 'main') return 'main';
  for (const cls of ['subagent', 'cron', 'group', 'channel', 'thread']) if (parts.includes(cls)) return cls;
  return 'unknown';
}

function watermarkOf(u: UsageRow | undefined): Watermark {
  const f = u?.usage;
  return f ? { input: f.input, output: f.output, cacheRead: f.cacheRead, cacheWrite: f.cacheWrite, costMicros: usdToMicros(f.totalCost) } : ZERO_WATERMARK;
}

/**
 * Past usage since a date, once. A session the ledger already tracks is reconciled as usual; a new one books only
 * the window's usage: everything before it is recorded as already accounted for, so it is never sent later either.
 */
export function planBackfill(input: BackfillInput): Plan {
  const plan: Plan = { deltas: [], entries: [], decisions: [], waiting: [], backwards: [], corrections: [] };
  if (!input.window.fresh || !input.lifetime.fresh) {
    plan.waiting.push('(usage cache still refreshing)');
    return plan;
  }
  for (const [sessionId, inWindow] of input.window.bySessionId) {
    const key = inWindow.key;
    const entry = input.ledger.entry(sessionId);
    const lifetime = input.lifetime.bySessionId.get(sessionId);
    const classification = entry?.classification ?? classFromKey(key);
    const windowFigure = watermarkOf(inWindow);
    const verdict = judgeFacts(
      { classification, kind: 'direct', agentId: inWindow.agentId ?? '', key, channel: '', label: inWindow.label ?? '', model: inWindow.model ?? '', status: '', tokens: windowFigure.input + windowFigure.output, active: 0, running: false, tracked: entry !== undefined },
      input.rules,
    );
    plan.decisions.push({ key, keep: verdict.keep, reason: verdict.reason });
    if (!verdict.keep || !lifetime) continue;
    const next = watermarkOf(lifetime);
    const prev = entry?.booked ?? (Object.fromEntries(WATERMARK_KEYS.map((c) => [c, Math.max(0, next[c] - windowFigure[c])])) as unknown as Watermark);
    if (WATERMARK_KEYS.some((c) => next[c] < prev[c]) || WATERMARK_KEYS.every((c) => next[c] === prev[c])) continue;
    // Like the tokens: a new session's unpriced entries before the window count as already accounted for.
    const seenUnpriced = lifetime.usage?.missingCostEntries ?? 0;
    const prevUnpriced = entry?.bookedUnpriced ?? Math.max(0, seenUnpriced - (inWindow.usage?.missingCostEntries ?? 0));
    const booking = buildBooking({
      gatewayId: input.gatewayId,
      key,
      sessionId,
      row: undefined,
      entry: entry ?? { sessionId, sessionKey: key, agentId: inWindow.agentId ?? 'unknown', classification, kind: classification === 'group' || classification === 'channel' ? 'group' : 'direct', traceId: traceIdOf(input.gatewayId, key, sessionId), label: inWindow.label ?? null, model: inWindow.model ?? null, booked: prev, status: null, trackedAt: input.now, lastBookedAt: null, contextUsedPct: null },
      usageFacts: { agentId: inWindow.agentId, model: inWindow.model, modelProvider: inWindow.modelProvider },
      prev,
      next,
      unpriced: { prev: prevUnpriced, next: Math.max(prevUnpriced, seenUnpriced) },
      status: entry?.status ?? 'success',
      now: input.now,
      live: { runIds: entry?.runIds ?? [], coveredUntil: input.lifetime.updatedAt, liveRuns: 0 },
    });
    plan.deltas.push(booking.delta);
    plan.entries.push(booking.entry);
  }
  return plan;
}
