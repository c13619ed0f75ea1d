import { getMaxListeners, setMaxListeners } from 'node:events';
import type { Logger } from '../ports.js';
import { protocolError } from './answer-problems.js';
import type { GatewayClient } from './gateway-client.js';
import { readUsageRow } from './row-checks.js';
import { SessionsUsagePayload, type UsageRow } from './types.js';

/** One `sessions.usage {key}` answer: the session's lifetime figures as the gateway labelled them. */
export interface KeyUsage {
  key: string;
  /** The session's usage row; null when the gateway has none for the key (no run has been recorded yet). */
  row: UsageRow | null;
  /** The answer's `updatedAt`: when the gateway computed (or cached) the figure. */
  updatedAt: number;
  /** `cacheStatus.status`: only `fresh` can be trusted, and even then only when newer than the row (usage-trust.ts). */
  status: string;
  /** The gateway sent a row for the key that does not read as a usage row (logged); the answer cannot be used. */
  invalid: boolean;
}

type RequestClient = Pick<GatewayClient, 'request'>;

/**
 * Lifetime usage of each key, one `sessions.usage {key, range:"all"}` per key, all sent at once on the one
 * connection (the gateway answers them in turn; a key costs it ~70 ms of CPU at 2k sessions, so the caller asks for
 * few keys: see PER_KEY_READS_MAX). `agentScope` must not be sent with `key` (the gateway rejects the pair).
 */
export async function fetchUsageByKey(
  client: RequestClient,
  keys: readonly string[],
  opts: { signal?: AbortSignal; log: Logger },
): Promise<KeyUsage[]> {
  // Each pending request listens on the poll's signal: more than Node's default 10 would print a leak warning.
  if (opts.signal && getMaxListeners(opts.signal) < keys.length + 10) setMaxListeners(keys.length + 10, opts.signal);
  return Promise.all(
    keys.map(async (key): Promise<KeyUsage> => {
      const answer = await client.request('sessions.usage', { key, range: 'all' }, { signal: opts.signal });
      const parsed = SessionsUsagePayload.safeParse(answer);
      if (!parsed.success) {
        throw protocolError('sessions.usage', 'lacks updatedAt or sessions');
      }
      let row: UsageRow | null = null;
      let invalid = false;
      for (const raw of parsed.data.sessions) {
        const read = readUsageRow(raw);
        if (!read.ok) {
          invalid = true;
          opts.log.warn(`sessions.usage: skipping row for ${key.slice(0, 120)}: ${read.error.issues[0]?.message ?? 'unexpected shape'}`);
          continue;
        }
        if (read.row.key === key) {
          row = read.row;
          break;
        }
      }
      return { key, row, updatedAt: parsed.data.updatedAt, status: parsed.data.cacheStatus?.status ?? 'unknown', invalid: invalid && row === null };
    }),
  );
}
