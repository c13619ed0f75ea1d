import type { SyncStatus } from '../shared/sync-status.js';
import type { Logger } from '../sync/ports.js';
import { formatCost, formatMicros } from '../shared/format-usd.js';
import { formatCount } from './format-status.js';
import type { NotificationPrefs } from '../shared/notification-prefs.js';

export interface AppNotification {
  /** Budget ids carry the day (`budget-tokens:2026-11-03`), so "already shown" means "shown today". */
  id: string;
  title: string;
  body: string;
}

export interface NotificationPolicyOptions {
  prefs: NotificationPrefs;
  /** Local calendar day of `next`, `YYYY-MM-DD`. */
  day: string;
  /** Ids of day-scoped notifications already shown. */
  shown: ReadonlySet<string>;
}

/**
 * Which notifications a status change deserves. Edge-triggered: a failure is announced when the error count
 * leaves 0, not on every failing poll; recovery only after a real success.
 */
export function notificationsFor(prev: SyncStatus, next: SyncStatus, opts: NotificationPolicyOptions): AppNotification[] {
  const out: AppNotification[] = [];
  const { prefs } = opts;
  if (prefs.failure && prev.consecutiveErrors === 0 && next.consecutiveErrors > 0) {
    out.push({ id: 'failure', title: 'AgentWatch Sync stopped syncing', body: next.lastError?.message ?? 'The last poll failed; see the log.' });
  }
  const recovered = next.lastSuccessAt !== null && next.lastSuccessAt !== prev.lastSuccessAt;
  if (prefs.recovery && prev.consecutiveErrors > 0 && next.consecutiveErrors === 0 && recovered) {
    out.push({ id: 'recovery', title: 'AgentWatch Sync is syncing again', body: 'The last poll succeeded.' });
  }
  const parked = next.eventsDeadLettered - prev.eventsDeadLettered;
  if (prefs.deadLetter && parked > 0) {
    out.push({
      id: 'dead-letter',
      title: `${formatCount(parked)} event${parked === 1 ? '' : 's'} could not be delivered`,
      body: 'AgentWatch kept refusing them, so they were parked. Open the log file for the reason.',
    });
  }
  const tokenId = `budget-tokens:${opts.day}`;
  if (prefs.dailyTokenBudget !== null && next.tokensToday >= prefs.dailyTokenBudget && !opts.shown.has(tokenId)) {
    out.push({ id: tokenId, title: 'Daily token budget reached', body: `${formatCount(next.tokensToday)} tokens today (budget ${formatCount(prefs.dailyTokenBudget)}).` });
  }
  const usdId = `budget-usd:${opts.day}`;
  const usdBudgetMicros = prefs.dailyUsdBudget === null ? null : prefs.dailyUsdBudget * 1_000_000;
  const today = formatCost(next.costMicrosToday, next.unpricedToday);
  if (usdBudgetMicros !== null && next.costMicrosToday >= usdBudgetMicros && !opts.shown.has(usdId)) {
    out.push({ id: usdId, title: 'Daily cost budget reached', body: `${today} today (budget ${formatMicros(usdBudgetMicros)}).` });
  }
  // Under the budget on a figure that leaves runs out is not under the budget: say so, once a day.
  const unknownId = `budget-usd-unpriced:${opts.day}`;
  if (usdBudgetMicros !== null && next.costMicrosToday < usdBudgetMicros && next.unpricedToday > 0 && !opts.shown.has(unknownId)) {
    out.push({
      id: unknownId,
      title: 'Daily cost budget: cost incomplete',
      body: `${today} today (budget ${formatMicros(usdBudgetMicros)}): the unpriced runs' cost is unknown, so the budget may already be reached.`,
    });
  }
  return out;
}

export function localDay(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** What the notifier must remember across a restart: today's shown budget ids, and whether a failure is open. */
export interface NotifierMemory {
  day: string;
  shown: string[];
  failing: boolean;
}

export const FRESH_NOTIFIER_MEMORY: NotifierMemory = { day: '', shown: [], failing: false };

export interface NotifierDeps {
  show(n: AppNotification): void;
  isSupported(): boolean;
  prefs(): NotificationPrefs;
  now(): number;
  log: Logger;
  /** Where the memory lives between runs (the app: a file in the state dir); in memory only when absent. */
  memory?: { initial: NotifierMemory; save(m: NotifierMemory): void };
}

/**
 * Feeds each status into the policy and shows what it returns. It keeps the previous status and, durably when
 * given a place, whether a failure was announced and not yet recovered and which budgets were shown today. A
 * failure carried over from the last run is not announced again; it ends with a success (shown as recovery) or when
 * an engine restarts within this run (a settings change), after which a failure is news again.
 */
export function createNotifier(deps: NotifierDeps, initial: SyncStatus): (next: SyncStatus) => void {
  let prev = initial;
  const start = deps.memory?.initial ?? FRESH_NOTIFIER_MEMORY;
  let carried = start.failing;
  let failing = start.failing;
  const shown = new Set(start.shown);
  let day = start.day;
  const remember = () => deps.memory?.save({ day, shown: [...shown], failing });
  return (next) => {
    const today = localDay(deps.now());
    let changed = today !== day;
    day = today;
    for (const id of shown) if (!id.endsWith(day)) shown.delete(id);
    const seen = carried ? { ...prev, consecutiveErrors: Math.max(prev.consecutiveErrors, 1) } : prev;
    const list = notificationsFor(seen, next, { prefs: deps.prefs(), day, shown });
    const succeeded = next.lastSuccessAt !== null && next.lastSuccessAt !== prev.lastSuccessAt;
    if (carried && next.consecutiveErrors === 0 && (succeeded || prev.consecutiveErrors > 0)) carried = false;
    const nowFailing = carried || next.consecutiveErrors > 0;
    if (nowFailing !== failing) {
      failing = nowFailing;
      changed = true;
    }
    prev = next;
    for (const n of list) {
      if (n.id.includes(':')) {
        shown.add(n.id);
        changed = true;
      }
      deps.log.info(`Notification: ${n.title} — ${n.body}`);
      if (deps.isSupported()) deps.show(n);
    }
    if (changed) remember();
  };
}
