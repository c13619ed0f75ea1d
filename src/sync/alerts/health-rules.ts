import { formatCost, formatUsd } from '../../shared/format-usd.js';
import { MINUTE_MS } from '../../shared/time-units.js';
import { microsToUsd } from '../delta.js';
import type { SyncStatus } from '../../shared/sync-status.js';
import type { Alert, AlertRules } from './alert.js';
import type { AlertState, Evaluation } from './alert-state.js';

const pad = (n: number) => String(n).padStart(2, '0');

/** The local calendar day of `at` (the engine's tokensToday counts from local midnight too). */
export function localDay(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function minutes(ms: number): string {
  const m = Math.round(ms / MINUTE_MS);
  if (m === 0) return 'less than a minute';
  return m === 1 ? '1 minute' : `${m} minutes`;
}

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

/** Sync failing for N minutes (trigger once, resolve on the next success) and each dead-lettered batch. */
export function healthRules(state: AlertState, s: SyncStatus, now: number, rules: AlertRules): Evaluation {
  const alerts: Alert[] = [];
  let next = state;
  if (s.consecutiveErrors > 0) {
    const since = state.failingSince ?? s.lastError?.at ?? now;
    next = { ...next, failingSince: since };
    if (!state.failingOpen && now - since >= rules.failingMinutes * MINUTE_MS) {
      next = { ...next, failingOpen: true };
      alerts.push({
        key: 'sync-failing',
        action: 'trigger',
        severity: 'critical',
        summary: `AgentWatch sync failing for ${minutes(now - since)} (${s.consecutiveErrors} failed polls): ${s.lastError?.message ?? 'unknown error'}`,
        details: {
          consecutiveErrors: s.consecutiveErrors,
          lastError: s.lastError?.message ?? null,
          errorCode: s.lastError?.code ?? null,
          failingSince: iso(since),
          lastSuccessAt: iso(s.lastSuccessAt),
          outboxDepth: s.outboxDepth,
        },
      });
    }
  } else if (state.failingSince !== null && s.lastSuccessAt !== null && s.lastSuccessAt >= state.failingSince) {
    // Only a poll that succeeded after the failure began recovers it: a restarted engine's first status has no
    // errors yet and no success either, and must not close an incident the gateway may still be causing.
    const recoveredAt = s.lastSuccessAt;
    if (state.failingOpen) {
      alerts.push({
        key: 'sync-failing',
        action: 'resolve',
        severity: 'info',
        summary: `AgentWatch sync recovered after ${minutes(recoveredAt - state.failingSince)}`,
        details: { failingSince: iso(state.failingSince), recoveredAt: iso(recoveredAt), outboxDepth: s.outboxDepth },
      });
    }
    next = { ...next, failingSince: null, failingOpen: false };
  }
  if (s.eventsDeadLettered > state.deadLettered) {
    const added = s.eventsDeadLettered - state.deadLettered;
    alerts.push({
      key: `dead-lettered:${s.eventsDeadLettered}`,
      action: 'trigger',
      severity: 'warning',
      summary: `AgentWatch rejected ${added} event(s); they were moved to the dead-letter file in the state dir (${s.eventsDeadLettered} since start). Check the sync log for the reason.`,
      details: { added, totalDeadLettered: s.eventsDeadLettered, lastError: s.lastError?.message ?? null },
    });
    next = { ...next, deadLettered: s.eventsDeadLettered };
  }
  return { state: next, alerts };
}

/** Today's tokens or USD over a limit: once per local day (the key carries the date). */
export function dayRules(state: AlertState, s: SyncStatus, now: number, rules: AlertRules): Evaluation {
  const day = localDay(now);
  let alerted = state.day === day ? state.dayAlerted : [];
  const alerts: Alert[] = [];
  const usd = microsToUsd(s.costMicrosToday);
  const spent = formatCost(s.costMicrosToday, s.unpricedToday);
  const checks = [
    { what: 'tokens', over: rules.dayTokenLimit !== undefined && s.tokensToday >= rules.dayTokenLimit, text: `${s.tokensToday.toLocaleString('en-US')} tokens today (limit ${rules.dayTokenLimit?.toLocaleString('en-US')})` },
    { what: 'usd', over: rules.dayUsdLimit !== undefined && usd >= rules.dayUsdLimit, text: `${spent} spent today (limit ${formatUsd(rules.dayUsdLimit ?? 0)})` },
    // Under the limit on a figure that leaves unpriced runs out is not under the limit: say so, once a day.
    { what: 'usd-unpriced', over: rules.dayUsdLimit !== undefined && usd < rules.dayUsdLimit && s.unpricedToday > 0, text: `${spent} spent today (limit ${formatUsd(rules.dayUsdLimit ?? 0)}); the unpriced runs' cost is unknown, so the limit may already be passed` },
  ];
  for (const c of checks) {
    if (!c.over || alerted.includes(c.what)) continue;
    alerted = [...alerted, c.what];
    alerts.push({
      key: `day-${c.what}:${day}`,
      action: 'trigger',
      severity: 'warning',
      summary: c.what === 'usd-unpriced' ? `OpenClaw cost today may be over the daily limit: ${c.text}` : `OpenClaw usage over the daily limit: ${c.text}`,
      details: { day, tokensToday: s.tokensToday, usdToday: Number(usd.toFixed(6)), unpricedToday: s.unpricedToday, dayTokenLimit: rules.dayTokenLimit ?? null, dayUsdLimit: rules.dayUsdLimit ?? null },
    });
  }
  if (state.day === day && alerted === state.dayAlerted) return { state, alerts };
  return { state: { ...state, day, dayAlerted: alerted }, alerts };
}
