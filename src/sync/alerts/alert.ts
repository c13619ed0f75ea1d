import { createHash } from 'node:crypto';

/** PagerDuty's four severities; Slack shows them as an emoji. */
export type AlertSeverity = 'critical' | 'error' | 'warning' | 'info';

export type AlertAction = 'trigger' | 'resolve';

/** One thing to tell a human: opening (trigger) or closing (resolve) the problem named by `key`. */
export interface Alert {
  /** Stable for one problem, e.g. `sync-failing` or `session-failed:<traceId>`; trigger and resolve share it. */
  key: string;
  action: AlertAction;
  severity: AlertSeverity;
  /** One line for people: Slack's fallback text and PagerDuty's summary. */
  summary: string;
  details: Record<string, string | number | null>;
}

/** What the rules watch; a limit left undefined is off. */
export interface AlertRules {
  /** Minutes of consecutive failed polls before `sync-failing` fires; 0 = on the first failure. */
  failingMinutes: number;
  sessionTokenLimit?: number;
  sessionUsdLimit?: number;
  dayTokenLimit?: number;
  dayUsdLimit?: number;
  /** Alert when a delivered session ends in error or timeout. */
  failedSessions: boolean;
}

// PagerDuty caps dedup_key at 255 characters.
const MAX_DEDUP_KEY = 255;

/** The dedup key both targets use: the same problem on the same gateway always maps to the same incident. */
export function dedupKey(gatewayId: string, key: string): string {
  const full = `agentwatch-sync:${gatewayId}:${key}`;
  if (full.length <= MAX_DEDUP_KEY) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 16);
  return `${full.slice(0, MAX_DEDUP_KEY - 17)}~${hash}`;
}

/** The kind of alert (the key up to its first ':'): PagerDuty's `class`. */
export function alertKind(key: string): string {
  return key.split(':')[0] ?? key;
}
