import type { HourlyUsage } from '../shared/sync-status.js';
import { HOUR_MS } from '../shared/time-units.js';

/** Hourly rows pivoted into aligned columns, one per agent, ready for uPlot. */
export interface UsageSeries {
  /** Bucket starts in epoch seconds (uPlot's time unit). */
  x: number[];
  agents: string[];
  tokens: number[][];
  usd: number[][];
  totalTokens: number;
  totalMicros: number;
  /** Entries OpenClaw could not price in the window: above 0, totalMicros is a lower bound. */
  totalUnpriced: number;
}

/** Buckets rows into the `hours` hour slots that end with the one holding `now`; older or future rows are dropped. */
export function usageSeries(rows: readonly HourlyUsage[], now: number, hours = 24): UsageSeries {
  const first = Math.floor(now / HOUR_MS) * HOUR_MS - (hours - 1) * HOUR_MS;
  const x = Array.from({ length: hours }, (_, i) => (first + i * HOUR_MS) / 1000);
  const inRange = rows.filter((r) => r.hour >= first && r.hour < first + hours * HOUR_MS);
  const agents = [...new Set(inRange.map((r) => r.agentId))].sort();
  const tokens = agents.map(() => new Array<number>(hours).fill(0));
  const usd = agents.map(() => new Array<number>(hours).fill(0));
  let totalTokens = 0;
  let totalMicros = 0;
  let totalUnpriced = 0;
  for (const r of inRange) {
    const a = agents.indexOf(r.agentId);
    const slot = Math.floor((r.hour - first) / HOUR_MS);
    tokens[a]![slot]! += r.tokens;
    usd[a]![slot]! += r.costMicros / 1_000_000;
    totalTokens += r.tokens;
    totalMicros += r.costMicros;
    totalUnpriced += r.unpriced;
  }
  return { x, agents, tokens, usd, totalTokens, totalMicros, totalUnpriced };
}
