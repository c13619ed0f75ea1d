import type { Logger } from '../ports.js';
import { protocolError, rowKey } from './answer-problems.js';
import type { GatewayClient } from './gateway-client.js';
import { readSessionRow } from './row-checks.js';
import { SessionsListPage, type SessionRow } from './types.js';

export interface SessionList {
  rows: SessionRow[];
  /** Rows that did not match SessionRow (logged at WARN and skipped). */
  invalid: number;
  /** The gateway's sampling time of the first page (row snapshotAt, else the page ts). */
  snapshotAt: number | null;
}

type RequestClient = Pick<GatewayClient, 'request'>;

// Pages of ~50 rows (~115 kB) stay under the size where a WebSocket frame lands in freshly allocated memory and
// decodes ~30× slower; several requests in flight hide the round trips. Measured in docs/bench.md.
export const DEFAULT_PAGE_SIZE = 50;
export const DEFAULT_PAGES_IN_FLIGHT = 4;

/**
 * Every page of sessions.list: follows hasMore/nextOffset, never stops silently at the first page. When the first
 * page tells the total, the remaining pages are requested `inFlight` at a time and read in offset order.
 */
export async function listSessions(
  client: RequestClient,
  opts: { activeMinutes?: number; pageSize?: number; inFlight?: number; signal?: AbortSignal; log: Logger },
): Promise<SessionList> {
  const limit = opts.pageSize ?? DEFAULT_PAGE_SIZE;
  const byKey = new Map<string, SessionRow>();
  let invalid = 0;
  let snapshotAt: number | null = null;

  const fetchPage = async (offset: number): Promise<SessionsListPage> => {
    const params: Record<string, unknown> = { limit, offset };
    if (opts.activeMinutes !== undefined) params.activeMinutes = opts.activeMinutes;
    const parsed = SessionsListPage.safeParse(await client.request('sessions.list', params, { signal: opts.signal }));
    if (!parsed.success) throw protocolError('sessions.list', 'has no sessions array');
    return parsed.data;
  };
  const take = (page: SessionsListPage, first: boolean): void => {
    for (const raw of page.sessions) {
      const row = readSessionRow(raw);
      if (!row.ok) {
        invalid += 1;
        opts.log.warn(`sessions.list: skipping row ${rowKey(raw)}: ${row.error.issues[0]?.path.join('.') ?? '?'} ${row.error.issues[0]?.message ?? ''}`);
        continue;
      }
      if (first && snapshotAt === null) snapshotAt = typeof row.row.snapshotAt === 'number' ? row.row.snapshotAt : null;
      // A row updated while we page moves to the front and can show up twice; keep its first copy.
      if (!byKey.has(row.row.key)) byKey.set(row.row.key, row.row);
    }
    if (first && snapshotAt === null) snapshotAt = page.ts ?? null;
  };
  const nextOffsetOf = (page: SessionsListPage, offset: number): number | null => {
    if (page.hasMore !== true) return null;
    const next = page.nextOffset ?? offset + page.sessions.length;
    if (next <= offset) throw protocolError('sessions.list', `says hasMore but nextOffset ${String(page.nextOffset)} does not advance past ${offset}`);
    return next;
  };

  const first = await fetchPage(0);
  take(first, true);
  let offset = 0;
  let next = nextOffsetOf(first, 0);
  const inFlight = Math.max(1, opts.inFlight ?? DEFAULT_PAGES_IN_FLIGHT);
  if (next !== null && typeof first.totalCount === 'number' && inFlight > 1) {
    // Step by what the first page really held, in case the gateway caps `limit`.
    const step = next;
    const offsets: number[] = [];
    for (let o = next; o < first.totalCount; o += step) offsets.push(o);
    const ready = new Map<number, SessionsListPage>();
    let asked = 0;
    let done = 0;
    const worker = async (): Promise<void> => {
      while (asked < offsets.length) {
        const i = asked++;
        ready.set(i, await fetchPage(offsets[i] as number));
        // Read pages in offset order as soon as they are contiguous, so parsed frames do not pile up.
        for (let page = ready.get(done); page; page = ready.get(done)) {
          ready.delete(done);
          take(page, false);
          offset = offsets[done] as number;
          next = nextOffsetOf(page, offset);
          done += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(inFlight, offsets.length) }, worker));
  }
  // Without a total (or when rows arrived while paging), one page at a time.
  while (next !== null) {
    offset = next;
    const page = await fetchPage(offset);
    take(page, false);
    next = nextOffsetOf(page, offset);
  }
  return { rows: [...byKey.values()], invalid, snapshotAt };
}
