import type { KeyUsage } from './openclaw/usage-by-key.js';
import type { SessionRow, UsageRow } from './openclaw/types.js';

/**
 * The real gateway's freshness rules (PROTOCOL.md, "Freshness traps"), in one place. Its usage cache serves
 * stale-while-revalidate: an expired answer is served once more with its old figure still labelled `fresh`, and for
 * about a second after a run ends it answers `refreshing` with `usage: null`, which means unknown, not zero.
 */
export type Trust = { trusted: true } | { trusted: false; reason: string };

/**
 * The time a usage figure must be computed at or after to include the row's last run. Usage changes only when a run
 * ends, so `endedAt` is the mark; `updatedAt` also moves on metadata edits and is only the fallback.
 */
export function coverNeeded(row: Pick<SessionRow, 'endedAt' | 'updatedAt'> | undefined): number {
  return row?.endedAt ?? row?.updatedAt ?? 0;
}

/**
 * A per-key answer counts only when fresh, readable, not `usage: null`, computed after the row's last run and
 * counting that run (`lacksLastRun`).
 */
export function trustKeyUsage(answer: KeyUsage, row: SessionRow | undefined, now: number): Trust {
  const coverFrom = coverNeeded(row);
  if (answer.status !== 'fresh') return { trusted: false, reason: `usage cache ${answer.status}` };
  if (answer.invalid) return { trusted: false, reason: 'unreadable usage row' };
  if (answer.row !== null && (answer.row.usage === null || answer.row.usage === undefined)) {
    return { trusted: false, reason: 'usage not known yet (null)' };
  }
  if (answer.updatedAt < coverFrom) {
    return { trusted: false, reason: `usage figure older than its last run (${answer.updatedAt} < ${coverFrom})` };
  }
  if (lacksLastRun(answer.row, row, now)) return { trusted: false, reason: 'usage figure lacks its last run (its last activity is before the run began)' };
  return { trusted: true };
}

/** The all-sessions answer likewise: fresh, and computed after the newest run not booked yet. */
export function coversAll(usage: { fresh: boolean; updatedAt: number }, neededFrom: number): boolean {
  return usage.fresh && usage.updatedAt >= neededFrom;
}

/**
 * How long after a run ends a figure that lacks it is taken for lag rather than for a run that used no model (an
 * aborted or failed call, a command answered without one): the gateway's figures have lagged a finished run by
 * several seconds while saying fresh. Shorter than PER_KEY_PATIENCE_MS, so such a run never costs an all-sessions read.
 */
export const RUN_LAG_GRACE_MS = 30_000;

/**
 * A figure labelled fresh and computed after the run can still be the one from before it (PROTOCOL.md, "Freshness
 * traps"). Its own last activity tells: a figure that counts the row's last run has activity at or after that run's
 * start (on the real gateway it falls between the run's start and end). Only for a run that ended in the last
 * RUN_LAG_GRACE_MS, so a run that produced no usage waits half a minute at most.
 */
export function lacksLastRun(figure: UsageRow | null | undefined, row: SessionRow | undefined, now: number): boolean {
  const last = figure?.usage?.lastActivity;
  if (last == null || !row || row.startedAt == null || row.endedAt == null) return false;
  if (row.endedAt < row.startedAt || row.abortedLastRun === true || now - row.endedAt > RUN_LAG_GRACE_MS) return false;
  return last < row.startedAt;
}
