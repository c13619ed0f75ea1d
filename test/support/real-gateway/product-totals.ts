import { setTimeout as delay } from 'node:timers/promises';
import type { SimAgentWatch } from '../../../src/sim/agentwatch-server.js';
import { usdToMicros } from '../../../src/sync/delta.js';
import { receivedBySession } from '../engine-kit.js';
import { expectedUsage } from './expected-usage.js';
import type { FakeLlmCall } from './fake-llm.js';
import type { UsageSnapshot } from './ground-truth.js';

// Per-session totals in AgentWatch's units (tokens, integer micro-USD), from three independent sources: the gateway's
// own sessions.usage, what AgentWatch recorded, and what the fake LLM answered.

export interface Totals {
  input: number;
  output: number;
  costMicros: number;
}

export type TotalsByKey = Record<string, Totals>;

/** The gateway's cumulative figures for `keys` (USD converted like any exact amount: rounded to micro-USD). */
export function gatewayTotals(usage: UsageSnapshot, keys: readonly string[]): TotalsByKey {
  const out: TotalsByKey = {};
  for (const row of usage.sessions) {
    if (keys.includes(row.key)) out[row.key] = { input: row.usage.input, output: row.usage.output, costMicros: usdToMicros(row.usage.totalCost) };
  }
  return out;
}

/** Everything AgentWatch holds, per OpenClaw session key (traces' session_id), sorted by key. */
export function agentWatchTotals(aw: SimAgentWatch): TotalsByKey {
  return Object.fromEntries([...receivedBySession(aw)].sort(([a], [b]) => a.localeCompare(b)));
}

export function sortedByKey(totals: TotalsByKey): TotalsByKey {
  return Object.fromEntries(Object.entries(totals).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * What the fake LLM answered per session, with the USD unrounded (in micro-USD): a price of 0.5 USD per 1M tokens
 * makes half micro-USD amounts, which the gateway and AgentWatch round.
 */
export function llmTotals(calls: readonly FakeLlmCall[], keys: readonly string[]): Record<string, { input: number; output: number; micros: number }> {
  const out: Record<string, { input: number; output: number; micros: number }> = {};
  for (const [key, u] of expectedUsage(calls).bySession) {
    if (keys.includes(key)) out[key] = { input: u.input, output: u.output, micros: u.totalCost * 1e6 };
  }
  return out;
}

export function difference(after: TotalsByKey, before: TotalsByKey): TotalsByKey {
  const out: TotalsByKey = {};
  for (const [key, a] of Object.entries(after)) {
    const b = before[key] ?? { input: 0, output: 0, costMicros: 0 };
    out[key] = { input: a.input - b.input, output: a.output - b.output, costMicros: a.costMicros - b.costMicros };
  }
  return out;
}

/** Bounded poll on AgentWatch's records until they equal `want`; returns what it held last and how long it took. */
export async function waitForAgentWatch(aw: SimAgentWatch, want: TotalsByKey, timeoutMs: number): Promise<{ got: TotalsByKey; waitedMs: number; matched: boolean }> {
  const started = Date.now();
  const wanted = JSON.stringify(sortedByKey(want));
  for (;;) {
    const got = agentWatchTotals(aw);
    const waitedMs = Date.now() - started;
    if (JSON.stringify(got) === wanted) return { got, waitedMs, matched: true };
    if (waitedMs > timeoutMs) return { got, waitedMs, matched: false };
    await delay(100);
  }
}
