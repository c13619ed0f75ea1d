import type { Logger } from '../ports.js';
import { yieldToLoop } from '../yield-to-loop.js';
import { protocolError, rowKey } from './answer-problems.js';
import type { GatewayClient } from './gateway-client.js';
import type { RawAnswerReader } from './raw-answer.js';
import { cutUsageRow, readUsageRow } from './row-checks.js';
import { SessionsUsagePayload, type UsageRow } from './types.js';
import { readUsageFrame } from './usage-slices.js';

export interface UsageSnapshot {
  updatedAt: number;
  fresh: boolean;
  status: string;
  bySessionId: Map<string, UsageRow>;
  byKey: Map<string, UsageRow>;
  invalid: number;
}

type RequestClient = Pick<GatewayClient, 'request'>;

// sessions.usage has no paging: at 10k sessions it is one 26 MB answer. It is parsed in slices of rows
// (usage-slices.ts) and validated in slices, so the event loop stays responsive (about 10 ms per slice here).
const USAGE_ROWS_PER_TURN = 500;

/** Cumulative per-session usage for all agents and all time (sessions.list only has last-run figures). */
export async function fetchUsage(
  client: RequestClient,
  opts: { signal?: AbortSignal; log: Logger; limit?: number; window?: { startDate: string; endDate: string } },
): Promise<UsageSnapshot> {
  // `range: "all"` for lifetime totals (the default 30-day window shrinks them); a UTC date window for backfill.
  const span = opts.window ? { startDate: opts.window.startDate, endDate: opts.window.endDate, mode: 'utc' } : { range: 'all' };
  const params = { agentScope: 'all', ...span, limit: opts.limit ?? 100_000 };
  // Rows are cut down as their slice is parsed; cutting is idempotent, so the loop below treats them as any row.
  const readRaw: RawAnswerReader = (frame) => readUsageFrame(frame, cutUsageRow, { signal: opts.signal });
  const parsed = SessionsUsagePayload.safeParse(await client.request('sessions.usage', params, { signal: opts.signal, readRaw }));
  if (!parsed.success) throw protocolError('sessions.usage', 'lacks updatedAt or sessions');
  const bySessionId = new Map<string, UsageRow>();
  const byKey = new Map<string, UsageRow>();
  let invalid = 0;
  const rows = parsed.data.sessions;
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && i % USAGE_ROWS_PER_TURN === 0) await yieldToLoop();
    const raw = rows[i];
    const row = readUsageRow(raw);
    if (!row.ok) {
      invalid += 1;
      opts.log.warn(`sessions.usage: skipping row ${rowKey(raw)}: ${row.error.issues[0]?.message ?? 'unexpected shape'}`);
      continue;
    }
    const sessionId = row.row.sessionId ?? (row.row.usage as { sessionId?: unknown } | null | undefined)?.sessionId;
    if (typeof sessionId === 'string' && !bySessionId.has(sessionId)) bySessionId.set(sessionId, row.row);
    if (!byKey.has(row.row.key)) byKey.set(row.row.key, row.row);
  }
  const status = parsed.data.cacheStatus?.status ?? 'unknown';
  return { updatedAt: parsed.data.updatedAt, fresh: status === 'fresh', status, bySessionId, byKey, invalid };
}
