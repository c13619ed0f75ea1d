import type { FilterRules } from '../shared/settings.js';
import type { SessionRow, UsageRow } from './openclaw/types.js';

export type Verdict = { keep: true; reason: string } | { keep: false; reason: string };

export interface JudgeInput {
  row: SessionRow;
  usage: UsageRow | undefined;
  /** Already in the ledger: stays tracked until fully booked, even when quiet. */
  tracked: boolean;
}

/** The coarse `kind` says "direct" for main, subagent and cron alike; the fine `classification` tells them apart. */
export function classOf(row: SessionRow): string {
  return row.classification ?? (row.kind === 'group' ? 'group' : 'unknown');
}

/** Last real activity; `updatedAt` moves on metadata edits too, so it is only the fallback. */
export function lastActiveAt(row: SessionRow): number | null {
  const times = [row.lastActivityAt, row.lastInteractionAt, row.endedAt, row.startedAt].filter(
    (t): t is number => typeof t === 'number',
  );
  if (times.length > 0) return Math.max(...times);
  return row.updatedAt ?? null;
}

export function lifetimeTokens(usage: UsageRow | undefined): number {
  const u = usage?.usage;
  return u ? u.input + u.output : 0;
}

// Rounded up, so a session just past the window never reads "idle 30m > 30m".
const minutes = (ms: number) => `${Math.ceil(ms / 60_000)}m`;

export function judge(input: JudgeInput, now: number, rules: FilterRules): Verdict {
  const { row, usage, tracked } = input;
  const cls = classOf(row);
  if (!rules.classes.includes(cls)) return { keep: false, reason: `classification=${cls}` };
  if (tracked) return { keep: true, reason: `tracked (classification=${cls})` };

  const active = lastActiveAt(row);
  const windowMs = rules.activeMinutes * 60_000;
  if (!row.hasActiveRun && (active === null || now - active > windowMs)) {
    const age = active === null ? 'no activity' : `idle ${minutes(now - active)}`;
    return { keep: false, reason: `inactive (${age} > ${rules.activeMinutes}m)` };
  }
  if (!usage?.usage) return { keep: false, reason: 'no usage reported yet' };
  const tokens = lifetimeTokens(usage);
  if (tokens < rules.minTokens) return { keep: false, reason: `tokens=${tokens} < ${rules.minTokens}` };
  return { keep: true, reason: `classification=${cls}, tokens=${tokens}` };
}
