/**
 * When a poll must read everything (the full list window and `sessions.usage` for all sessions) instead of only
 * what changed. Incremental polls see a change only while its row is in the list window and only through the rows'
 * marks held in memory; a full read books what they cannot see: the usage of sessions that changed while the sync
 * was not watching, and isolated cron runs' retired transcripts.
 */
export interface ReconcileInput {
  now: number;
  /** The last full read that succeeded in this process; null before the first (a start always reconciles). */
  lastFullAt: number | null;
  /** The last poll that succeeded (full or incremental). */
  lastOkAt: number | null;
  /** Scheduled reconciliation period; 0 = only at start and after gaps. */
  everyMs: number;
  /** The list window (activeMinutes): a change older than this is no longer listed. */
  windowMs: number;
  /** The longest the gateway connection was down since the last poll. */
  downMs: number;
  /** The gateway's tick interval (hello-ok policy). */
  tickMs: number;
  /** Asked for by the host (the live feed after it found a dead socket), with its reason. */
  requested: string | null;
}

export function reconcileReason(x: ReconcileInput): string | null {
  if (x.lastFullAt === null) return 'start';
  if (x.requested) return x.requested;
  // The live watchdog treats 2 ticks of silence as a dead socket; a disconnect that long may have hidden anything.
  if (x.downMs > 2 * x.tickMs) return `disconnected for ${Math.round(x.downMs / 1000)}s`;
  // Sessions changed during a gap this long may have dropped out of the list window before a poll saw them.
  if (x.lastOkAt !== null && x.now - x.lastOkAt >= x.windowMs) return `no successful poll for ${Math.round((x.now - x.lastOkAt) / 60_000)} min`;
  if (x.everyMs > 0 && x.now - x.lastFullAt >= x.everyMs) return 'scheduled';
  return null;
}
