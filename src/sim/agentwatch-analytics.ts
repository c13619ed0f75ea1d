import { parsePyTimestamp, pyTimestamp, type SimStore } from './agentwatch-store.js';

const DAY_MS = 86_400_000;
const round = (v: number, digits: number): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** GET /api/analytics/summary: last 7 days by default; cost and tokens come from Cost rows only. */
export function analyticsSummary(store: SimStore, now: number, since: number | undefined, agentId: string | undefined): Record<string, unknown> {
  const from = since ?? now - 7 * DAY_MS;
  const traces = store.traces.filter((t) => parsePyTimestamp(t.started_at) >= from && (!agentId || t.agent_id === agentId));
  const agentTraces = new Set(traces.map((t) => t.id));
  const recentCosts = store.costs.filter((c) => parsePyTimestamp(c.timestamp) >= from);
  const cost = recentCosts.filter((c) => !agentId || agentTraces.has(c.trace_id)).reduce((s, c) => s + c.amount, 0);
  const success = traces.filter((t) => t.status === 'success').length;
  const errors = traces.filter((t) => t.status === 'error').length;
  const durations = traces.map((t) => t.duration_ms).filter((d): d is number => d !== null);
  const total = traces.length;
  return {
    total_traces: total,
    success_count: success,
    error_count: errors,
    success_rate: total > 0 ? round((success / total) * 100, 1) : 0,
    error_rate: total > 0 ? round((errors / total) * 100, 1) : 0,
    avg_duration_ms: durations.length > 0 ? Math.round(durations.reduce((s, d) => s + d, 0) / durations.length) : 0,
    total_cost: round(cost, 2),
    // As upstream: the token sums ignore agent_id.
    total_input_tokens: recentCosts.reduce((s, c) => s + (c.input_tokens ?? 0), 0),
    total_output_tokens: recentCosts.reduce((s, c) => s + (c.output_tokens ?? 0), 0),
    period_start: pyTimestamp(from),
  };
}

/** GET /api/costs/summary: last 30 days by default, per category, total rounded to cents. */
export function costSummary(store: SimStore, now: number, since: number | undefined, agentId: string | undefined): Record<string, unknown> {
  const from = since ?? now - 30 * DAY_MS;
  const traceAgent = new Map(store.traces.map((t) => [t.id, t.agent_id]));
  const byCategory = new Map<string, { amount: number; count: number }>();
  for (const c of store.costs) {
    if (parsePyTimestamp(c.timestamp) < from || (agentId && traceAgent.get(c.trace_id) !== agentId)) continue;
    const entry = byCategory.get(c.category) ?? { amount: 0, count: 0 };
    entry.amount += c.amount;
    entry.count += 1;
    byCategory.set(c.category, entry);
  }
  const breakdown = [...byCategory].map(([category, e]) => ({ category, amount: e.amount, count: e.count }));
  const total = breakdown.reduce((s, b) => s + b.amount, 0);
  return { total: round(total, 2), currency: 'USD', since: pyTimestamp(from), breakdown };
}
