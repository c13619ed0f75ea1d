import { setTimeout as delay } from 'node:timers/promises';
import type { RpcClient } from './rpc.js';

// The gateway's own view, read directly: what the product's output is compared against.

export interface ListedSession {
  key: string;
  sessionId?: string;
  kind?: string;
  classification?: string;
  agentId?: string;
  model?: string;
  inputTokens?: number;
  outputTokens?: number;
  [field: string]: unknown;
}

export interface UsageFigures {
  input: number;
  output: number;
  totalTokens: number;
  totalCost: number;
  [field: string]: unknown;
}

export interface UsageSession {
  key: string;
  sessionId?: string;
  agentId?: string;
  model?: string;
  usage: UsageFigures;
  [field: string]: unknown;
}

export interface UsagePayload {
  updatedAt: number;
  sessions: UsageSession[];
  totals: UsageFigures;
  cacheStatus: { status: string; [field: string]: unknown };
  [field: string]: unknown;
}

export interface UsageSnapshot extends UsagePayload {
  /** How many sessions.usage calls it took to get a fresh answer, and how long. */
  polls: number;
  waitedMs: number;
}

/** Every `sessions.list` row, following `nextOffset` while `hasMore`. */
export async function listAllSessions(rpc: RpcClient, params: Record<string, unknown> = {}): Promise<ListedSession[]> {
  const rows: ListedSession[] = [];
  let offset = 0;
  for (;;) {
    const page = await rpc.request<{ sessions: ListedSession[]; hasMore?: boolean; nextOffset?: number | null }>(
      'sessions.list',
      { ...params, limit: 100, offset },
    );
    rows.push(...page.sessions);
    if (!page.hasMore || page.nextOffset == null) return rows;
    offset = page.nextOffset;
  }
}

/**
 * `sessions.usage {agentScope:'all', range:'all'}` polled until the cache is fresh and computed after `since`
 * (default: now), because the gateway serves zeros while cold and stale values while revalidating.
 */
export async function readFreshUsage(
  rpc: RpcClient,
  opts: { since?: number; timeoutMs?: number; pollMs?: number } = {},
): Promise<UsageSnapshot> {
  const since = opts.since ?? Date.now();
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const started = Date.now();
  for (let polls = 1; ; polls++) {
    const payload = await rpc.request<UsagePayload>('sessions.usage', {
      agentScope: 'all',
      range: 'all',
      limit: 1000,
    });
    const waitedMs = Date.now() - started;
    if (payload.cacheStatus?.status === 'fresh' && payload.updatedAt >= since) return { ...payload, polls, waitedMs };
    if (waitedMs > timeoutMs) {
      throw new Error(`sessions.usage not fresh after ${waitedMs} ms (${polls} polls, cache ${payload.cacheStatus?.status})`);
    }
    await delay(opts.pollMs ?? 500);
  }
}
