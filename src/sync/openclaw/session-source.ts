import { SyncError } from '../errors.js';
import type { Logger } from '../ports.js';
import type { GatewayClient } from './gateway-client.js';
import { SessionRow, SessionsListPage, SessionsUsagePayload, UsageRow } from './types.js';

export interface SessionList {
  rows: SessionRow[];
  /** Rows that did not match SessionRow (logged at WARN and skipped). */
  invalid: number;
  /** The gateway's sampling time of the first page (row snapshotAt, else the page ts). */
  snapshotAt: number | null;
}

export interface UsageSnapshot {
  updatedAt: number;
  fresh: boolean;
  status: string;
  bySessionId: Map<string, UsageRow>;
  byKey: Map<string, UsageRow>;
  invalid: number;
}

type RequestClient = Pick<GatewayClient, 'request'>;

function rowKey(row: unknown): string {
  const key = (row as { key?: unknown } | null)?.key;
  return typeof key === 'string' ? key.slice(0, 120) : '(no key)';
}

function protocolError(method: string, what: string): SyncError {
  return new SyncError('PROTOCOL', `The gateway's ${method} answer ${what}. Check that the gateway is OpenClaw 2026.9 or newer.`);
}

/** Every page of sessions.list: follows hasMore/nextOffset, never stops silently at the first page. */
export async function listSessions(
  client: RequestClient,
  opts: { activeMinutes?: number; pageSize?: number; signal?: AbortSignal; log: Logger },
): Promise<SessionList> {
  const limit = opts.pageSize ?? 100;
  const byKey = new Map<string, SessionRow>();
  let invalid = 0;
  let snapshotAt: number | null = null;
  for (let offset = 0, page = 0; ; page++) {
    const params: Record<string, unknown> = { limit, offset };
    if (opts.activeMinutes !== undefined) params.activeMinutes = opts.activeMinutes;
    const parsed = SessionsListPage.safeParse(await client.request('sessions.list', params, { signal: opts.signal }));
    if (!parsed.success) throw protocolError('sessions.list', 'has no sessions array');
    const { sessions, hasMore, nextOffset, ts } = parsed.data;
    for (const raw of sessions) {
      const row = SessionRow.safeParse(raw);
      if (!row.success) {
        invalid += 1;
        opts.log.warn(`sessions.list: skipping row ${rowKey(raw)}: ${row.error.issues[0]?.path.join('.') ?? '?'} ${row.error.issues[0]?.message ?? ''}`);
        continue;
      }
      if (page === 0 && snapshotAt === null) snapshotAt = typeof row.data.snapshotAt === 'number' ? row.data.snapshotAt : null;
      // A row updated while we page moves to the front and can show up twice; keep its first copy.
      if (!byKey.has(row.data.key)) byKey.set(row.data.key, row.data);
    }
    if (page === 0 && snapshotAt === null) snapshotAt = ts ?? null;
    if (hasMore !== true) break;
    const next = nextOffset ?? offset + sessions.length;
    if (next <= offset) throw protocolError('sessions.list', `says hasMore but nextOffset ${String(nextOffset)} does not advance past ${offset}`);
    offset = next;
  }
  return { rows: [...byKey.values()], invalid, snapshotAt };
}

/** Cumulative per-session usage for all agents and all time (sessions.list only has last-run figures). */
export async function fetchUsage(
  client: RequestClient,
  opts: { signal?: AbortSignal; log: Logger; limit?: number; window?: { startDate: string; endDate: string } },
): Promise<UsageSnapshot> {
  // `range: "all"` for lifetime totals (the default 30-day window shrinks them); a UTC date window for backfill.
  const span = opts.window ? { startDate: opts.window.startDate, endDate: opts.window.endDate, mode: 'utc' } : { range: 'all' };
  const params = { agentScope: 'all', ...span, limit: opts.limit ?? 100_000 };
  const parsed = SessionsUsagePayload.safeParse(await client.request('sessions.usage', params, { signal: opts.signal }));
  if (!parsed.success) throw protocolError('sessions.usage', 'lacks updatedAt or sessions');
  const bySessionId = new Map<string, UsageRow>();
  const byKey = new Map<string, UsageRow>();
  let invalid = 0;
  for (const raw of parsed.data.sessions) {
    const row = UsageRow.safeParse(raw);
    if (!row.success) {
      invalid += 1;
      opts.log.warn(`sessions.usage: skipping row ${rowKey(raw)}: ${row.error.issues[0]?.message ?? 'unexpected shape'}`);
      continue;
    }
    const sessionId = row.data.sessionId ?? (row.data.usage as { sessionId?: unknown } | null | undefined)?.sessionId;
    if (typeof sessionId === 'string' && !bySessionId.has(sessionId)) bySessionId.set(sessionId, row.data);
    if (!byKey.has(row.data.key)) byKey.set(row.data.key, row.data);
  }
  const status = parsed.data.cacheStatus?.status ?? 'unknown';
  return { updatedAt: parsed.data.updatedAt, fresh: status === 'fresh', status, bySessionId, byKey, invalid };
}
