import { healthVerdict, type HealthState, type HealthVerdict } from './health-verdict.js';
import type { SyncStatus } from './sync-status.js';

/** One gateway's place in the aggregate: who it is and its own verdict. */
export interface GatewayHealth {
  id: string;
  label: string;
  verdict: HealthVerdict;
}

/** What the tray shows for several gateways: the worst state for the icon, the gateways in trouble for the tooltip. */
export interface GatewaysStatus {
  state: HealthState;
  /** One line: the gateways in the worst state and why, or that all are fine. */
  reason: string;
  gateways: GatewayHealth[];
  /** The gateways whose state is the aggregate's (none when all are ok). */
  trouble: GatewayHealth[];
}

// Worst first. Failing and stopped need the user; stale means old numbers on the dashboard; paused is the user's own
// choice but still leaves a gateway unsynced, so it outranks the normal states (syncing is a poll in progress).
const SEVERITY: readonly HealthState[] = ['failing', 'stopped', 'stale', 'paused', 'syncing', 'ok'];

/** The worst state across gateways; ties are reported together, in list order. */
export function gatewaysStatus(list: ReadonlyArray<{ id: string; label: string; status: SyncStatus }>, now: number): GatewaysStatus {
  const gateways = list.map((g) => ({ id: g.id, label: g.label, verdict: healthVerdict(g.status, now) }));
  if (gateways.length === 0) return { state: 'stopped', reason: 'no gateway is set up', gateways, trouble: [] };
  const rank = (g: GatewayHealth) => SEVERITY.indexOf(g.verdict.state);
  const state = SEVERITY[Math.min(...gateways.map(rank))]!;
  if (state === 'ok') return { state, reason: gateways.length === 1 ? 'last poll succeeded' : `all ${gateways.length} gateways ok`, gateways, trouble: [] };
  const trouble = gateways.filter((g) => g.verdict.state === state);
  const reason = trouble.map((g) => `${g.label}: ${g.verdict.reason}`).join('; ');
  return { state, reason, gateways, trouble };
}
