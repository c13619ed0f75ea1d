import type { Clock } from '../sync/ports.js';

type Payload = Record<string, unknown>;
type Row = Record<string, unknown>;

export interface UsageCacheOptions {
  clock: Clock;
  /** Result cache lifetime (the real gateway keeps answers 30 s). */
  ttlMs?: number;
  /** How long after a session's last change its figure is unknown (`usage: null`, status refreshing): ~1.1 s. */
  refreshingMs?: number;
}

/**
 * The real gateway's usage cache in front of a simulated usage payload (PROTOCOL.md, "How sessions.usage answers"):
 * answers are cached per parameter set for 30 s; an expired answer is served once more, labelled as it was, while
 * the recompute runs (stale-while-revalidate); a session changed in the last ~1.1 s comes back as `usage: null`
 * with the answer `refreshing`, and such answers are not cached. Tests use it to meet the traps a poll must survive.
 */
export function cachedUsage(compute: (params: Payload) => Payload, o: UsageCacheOptions): (params: Payload) => Payload {
  const ttlMs = o.ttlMs ?? 30_000;
  const refreshingMs = o.refreshingMs ?? 1_100;
  const cache = new Map<string, { at: number; answer: Payload }>();
  const fresh = (params: Payload): Payload => {
    const whole = compute(params);
    const now = o.clock.now();
    const all = Array.isArray(whole.sessions) ? (whole.sessions as Row[]) : [];
    // With `key` the gateway reads that one session's rollup: only its own state can make the answer refreshing.
    const rows = typeof params.key === 'string' ? all.filter((r) => r.key === params.key) : all;
    const answer: Payload = { ...whole, sessions: rows };
    const settling = rows.some((r) => typeof r.updatedAt === 'number' && now - r.updatedAt < refreshingMs);
    if (!settling) return answer;
    const sessions = rows.map((r) => (typeof r.updatedAt === 'number' && now - r.updatedAt < refreshingMs ? { ...r, usage: null } : r));
    const cacheStatus = { ...(answer.cacheStatus as Payload | undefined), status: 'refreshing' };
    return { ...answer, sessions, cacheStatus };
  };
  const isFresh = (answer: Payload) => (answer.cacheStatus as { status?: unknown } | undefined)?.status === 'fresh';
  return (params) => {
    const id = JSON.stringify(params, Object.keys(params).sort());
    const now = o.clock.now();
    const hit = cache.get(id);
    if (hit && now - hit.at < ttlMs) return hit.answer;
    const next = fresh(params);
    if (isFresh(next)) cache.set(id, { at: now, answer: next });
    else cache.delete(id);
    return hit ? hit.answer : next; // an expired entry is served once more while the recompute lands
  };
}
