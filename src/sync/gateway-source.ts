import type { SessionSource } from './cycle-deps.js';
import type { GatewayClient } from './openclaw/gateway-client.js';
import { fetchUsage } from './openclaw/fetch-usage.js';
import { listSessions } from './openclaw/list-sessions.js';
import { fetchUsageByKey } from './openclaw/usage-by-key.js';
import type { Clock, Logger } from './ports.js';

/**
 * Up to this many usage rows (~2.6 kB each), sessions.usage is asked for while the list pages in. The gateway closes
 * a connection as a "slow consumer" (1008) when a frame is to be sent while more than 50 MB wait in its outbound
 * buffer; a list page answered right behind a usage answer near that size would trip it, so a gateway that big
 * gets its usage asked for after the list, when nothing else is queued behind it.
 */
export const USAGE_WITH_LIST_MAX_ROWS = 15_000;

/** Until the first hello-ok tells it. */
const DEFAULT_TICK_MS = 30_000;

/** The poll's view of the gateway: the session list and the cumulative usage, through one client. */
export function gatewaySource(
  client: GatewayClient,
  log: Logger,
  clock: Clock,
  pageSize: number,
  usageWithListMaxRows = USAGE_WITH_LIST_MAX_ROWS,
): SessionSource {
  let lastUsageRows = 0;
  // The longest outage since the last takeDowntime: from a disconnect to the next handshake. An outage still under
  // way is reported up to now and measured on from there, so no part of it is reported twice.
  let downSince: number | null = null;
  let longestDown = 0;
  client.onDisconnect(() => {
    downSince ??= clock.now();
  });
  const closeOutage = (): void => {
    if (downSince === null) return;
    const back = client.connected ? (client.connectedAt ?? clock.now()) : null;
    longestDown = Math.max(longestDown, (back ?? clock.now()) - downSince);
    downSince = back === null ? clock.now() : null;
  };
  return {
    listSessions: async (activeMinutes, signal) => (await listSessions(client, { activeMinutes, pageSize, signal, log })).rows,
    fetchUsage: async (signal, window) => {
      const usage = await fetchUsage(client, { signal, log, ...(window ? { window } : {}) });
      if (!window) lastUsageRows = usage.byKey.size;
      return usage;
    },
    fetchUsageByKey: (keys, signal) => fetchUsageByKey(client, keys, { signal, log }),
    usageWithList: () => lastUsageRows <= usageWithListMaxRows,
    takeDowntime: () => {
      closeOutage();
      const downMs = longestDown;
      longestDown = 0;
      return { downMs, tickMs: client.hello?.tickIntervalMs ?? DEFAULT_TICK_MS };
    },
  };
}
