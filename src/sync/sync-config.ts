import type { FilterRules, Settings } from '../shared/settings.js';

/**
 * What the engine reads from the settings. The rest (dashboard link, alerts, log level, metrics, secret files)
 * belongs to the hosts, which map their settings with `syncConfigOf`.
 */
export interface SyncConfig {
  openclawUrl: string;
  /**
   * What agents, traces and delta ids are derived from; default the URL's host:port (gatewayIdOf). A gateway entry
   * fixes it when added, so the ids survive a later edit of its URL.
   */
  gatewayId?: string;
  /** Appended to the names of AgentWatch agents this engine creates (` @ vps`); '' or none for the first gateway. */
  agentSuffix?: string;
  /** Ed25519 device identity: 'auto' = only for non-loopback gateways (they require pairing). */
  deviceIdentity: Settings['deviceIdentity'];
  requestTimeoutMs: number;
  sink: Settings['sink'];
  agentwatchUrl: string;
  /** jsonl sink target: a file path, or "-" for stdout. */
  jsonlPath: string;
  otlpUrl: string;
  pollIntervalMs: number;
  batchSize: number;
  filter: FilterRules;
  /** Book finished runs from the gateway's event stream between polls. */
  live: boolean;
  outboxMaxEvents: number;
  /** Consecutive failed polls before the loop stops itself; 0 = never. */
  maxErrors: number;
  /** A full reconciliation (all usage read) this often; 0 = only at start and after gaps (reconcile-due.ts). */
  reconcileMinutes: number;
}

export function syncConfigOf(s: Settings): SyncConfig {
  return {
    openclawUrl: s.openclawUrl,
    deviceIdentity: s.deviceIdentity,
    requestTimeoutMs: s.requestTimeoutMs,
    sink: s.sink,
    agentwatchUrl: s.agentwatchUrl,
    jsonlPath: s.jsonlPath,
    otlpUrl: s.otlpUrl,
    // The one place the user's seconds become the engine's milliseconds (it travels on in SyncStatus).
    pollIntervalMs: s.pollIntervalSec * 1000,
    batchSize: s.batchSize,
    // The same object, not a copy: the compiled filter is cached per rules object.
    filter: s.filter,
    live: s.live,
    outboxMaxEvents: s.outboxMaxEvents,
    maxErrors: s.maxErrors,
    reconcileMinutes: s.reconcileMinutes,
  };
}
