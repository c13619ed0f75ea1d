import type { Logger } from './ports.js';
import type { GatewayClient } from './openclaw/gateway-client.js';
import { fetchUsage, listSessions } from './openclaw/session-source.js';
import type { SessionSource } from './poll-cycle.js';

/**
 * Up to this many usage rows (~2.6 kB each), sessions.usage is asked for while the list pages in. The gateway closes
 * a connection as a "slow consumer" (1008) when a frame is to be sent while more than 50 MB wait in its outbound
 * buffer; a list page answered right behind a usage answer near that size would trip it, so a gateway that big
 * gets its usage asked for after the list, when nothing else is queued behind it.
 */
export const USAGE_WITH_LIST_MAX_ROWS = 15_000;

/** The poll's view of the gateway: the session list and the cumulative usage, through one client. */
export function gatewaySource(client: GatewayClient, log: Logger, pageSize: number, usageWithListMaxRows = USAGE_WITH_LIST_MAX_ROWS): SessionSource {
  let lastUsageRows = 0;
  return {
    listSessions: async (activeMinutes, signal) => (await listSessions(client, { activeMinutes, pageSize, signal, log })).rows,
    fetchUsage: async (signal, window) => {
      const usage = await fetchUsage(client, { signal, log, ...(window ? { window } : {}) });
      if (!window) lastUsageRows = usage.byKey.size;
      return usage;
    },
    usageWithList: () => lastUsageRows <= usageWithListMaxRows,
  };
}
