import { SessionRow } from '../openclaw/types.js';

export interface FinishedRun {
  row: SessionRow;
  runId: string;
}

const TERMINAL = new Set(['done', 'failed', 'killed', 'timeout']);

/**
 * A `sessions.changed` payload that announces a finished run, or null. At `send`, `start` and `model` the row
 * still carries the previous run's numbers, so only a terminal status with the run's id counts.
 */
export function finishedRunOf(payload: unknown): FinishedRun | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const p = payload as { session?: unknown; runId?: unknown; phase?: unknown };
  const parsed = SessionRow.safeParse(p.session);
  if (!parsed.success) return null;
  const row = parsed.data;
  if (!row.status || !TERMINAL.has(row.status)) return null;
  const runId = row.lastRunId ?? (p.phase === 'end' && typeof p.runId === 'string' ? p.runId : null);
  if (!runId) return null;
  if (p.phase === 'end' && typeof p.runId === 'string' && p.runId !== runId) return null;
  return { row, runId };
}
