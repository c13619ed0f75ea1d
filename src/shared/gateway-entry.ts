import { z } from 'zod';
import { httpUrl } from './settings.js';

/** A display name: short enough for a menu section and an AgentWatch agent name (`main @ vps`). */
export const GatewayName = z.string().trim().min(1, 'must not be empty').max(40, 'must be at most 40 characters');

/** A gateway as the user lists it (CLI config `gateways: [...]`, later the window): where, which token file, what to call it. */
export const GatewayInput = z.strictObject({
  url: httpUrl('http://127.0.0.1:18789'),
  tokenFile: z.string().min(1).optional(),
  name: GatewayName.optional(),
});
export type GatewayInput = z.infer<typeof GatewayInput>;

/**
 * A gateway entry as the app keeps it. The handshake offers no stable gateway id (boot and connection ids change on
 * every restart), so `id` is a UUID minted when the entry is added; `scope` is the id that AgentWatch agents, traces
 * and delta ids are derived from, fixed at the same moment so editing the URL later re-creates nothing.
 */
export const GatewayEntry = z.object({
  id: z.uuid(),
  url: httpUrl('http://127.0.0.1:18789'),
  name: GatewayName.optional(),
  tokenFile: z.string().min(1).optional(),
  scope: z.string().min(1),
  /** The state dir relative to the app's: `.` for the single-gateway state migrated in place, else `gateways/<id>`. */
  dir: z.string().min(1),
  /** Only the first gateway's agents keep their bare names (AgentWatch cannot rename); later ones get ` @ name`. */
  plainAgentNames: z.boolean(),
});
export type GatewayEntry = z.infer<typeof GatewayEntry>;

/** What a gateway is called in log lines, menus and agent names: its display name, else host:port. */
export function gatewayLabel(entry: Pick<GatewayEntry, 'url' | 'name'>): string {
  if (entry.name) return entry.name;
  const u = new URL(entry.url);
  return u.host;
}

/** The suffix for agent names of this gateway ('' for the first one). */
export function agentSuffixOf(entry: Pick<GatewayEntry, 'url' | 'name' | 'plainAgentNames'>): string {
  return entry.plainAgentNames ? '' : ` @ ${gatewayLabel(entry)}`;
}
