import { microsToUsd, totalTokens, type SessionDelta } from '../delta.js';
import type { Alert, AlertRules } from './alert.js';
import type { AlertState, Evaluation } from './alert-state.js';
import { formatCost, formatUsd } from '../../shared/format-usd.js';

// Remembered keys are bounded so a gateway with endless sessions cannot grow the process; the oldest go first.
const MAX_REMEMBERED = 10_000;

const remember = (list: readonly string[], item: string) => [...list, item].slice(-MAX_REMEMBERED);

function describe(d: SessionDelta): Record<string, string | number | null> {
  return {
    sessionKey: d.sessionKey,
    traceId: d.traceId,
    agentId: d.agentId,
    model: d.model,
    status: d.status,
    openclawStatus: d.openclawStatus,
    tokens: totalTokens(d.to),
    usd: Number(microsToUsd(d.to.costMicros).toFixed(6)),
  };
}

/**
 * Session limits fire on the delta that crosses them (from below the limit to at or above it): deltas are
 * delivered once, so a restart does not announce the same session again.
 */
function limitAlerts(d: SessionDelta, rules: AlertRules): Array<{ key: string; alert: Alert }> {
  const out: Array<{ key: string; alert: Alert }> = [];
  const tokens = { from: totalTokens(d.from), to: totalTokens(d.to) };
  const usd = { from: microsToUsd(d.from.costMicros), to: microsToUsd(d.to.costMicros) };
  const crossed = (limit: number | undefined, v: { from: number; to: number }) => limit !== undefined && v.from < limit && v.to >= limit;
  if (crossed(rules.sessionTokenLimit, tokens)) {
    const key = `session-tokens:${d.traceId}`;
    const text = `${tokens.to.toLocaleString('en-US')} tokens (limit ${rules.sessionTokenLimit!.toLocaleString('en-US')})`;
    out.push({ key, alert: { key, action: 'trigger', severity: 'warning', summary: `OpenClaw session ${d.sessionKey} used ${text}`, details: describe(d) } });
  }
  const unpriced = d.unpricedTotal ?? 0;
  const cost = formatCost(d.to.costMicros, unpriced);
  if (crossed(rules.sessionUsdLimit, usd)) {
    const key = `session-usd:${d.traceId}`;
    const text = `${cost} (limit ${formatUsd(rules.sessionUsdLimit!)})`;
    out.push({ key, alert: { key, action: 'trigger', severity: 'warning', summary: `OpenClaw session ${d.sessionKey} cost ${text}`, details: describe(d) } });
  } else if (rules.sessionUsdLimit !== undefined && usd.to < rules.sessionUsdLimit && unpriced > 0) {
    // Under the limit on a lower bound is not under the limit: said once per session, like the crossing.
    const key = `session-usd-unpriced:${d.traceId}`;
    const text = `${cost} (limit ${formatUsd(rules.sessionUsdLimit)}): the unpriced runs' cost is unknown, so the session may be over the limit`;
    out.push({ key, alert: { key, action: 'trigger', severity: 'warning', summary: `OpenClaw session ${d.sessionKey} cost ${text}`, details: describe(d) } });
  }
  return out;
}

/** Per delivered delta: token/USD limits crossed, and failed runs opened and closed per trace. */
export function sessionRules(state: AlertState, batch: readonly SessionDelta[], rules: AlertRules): Evaluation {
  let { sessionsOver, failedOpen } = state;
  const alerts: Alert[] = [];
  for (const d of batch) {
    for (const { key, alert } of limitAlerts(d, rules)) {
      if (sessionsOver.includes(key)) continue;
      sessionsOver = remember(sessionsOver, key);
      alerts.push(alert);
    }
    if (!rules.failedSessions) continue;
    const open = failedOpen.includes(d.traceId);
    if ((d.status === 'error' || d.status === 'timeout') && !open) {
      failedOpen = remember(failedOpen, d.traceId);
      const how = d.status === 'timeout' ? 'timed out' : `failed (${d.openclawStatus ?? 'error'})`;
      alerts.push({ key: `session-failed:${d.traceId}`, action: 'trigger', severity: 'error', summary: `OpenClaw session ${d.sessionKey} (agent ${d.agentId}) ${how}`, details: describe(d) });
    } else if (d.status === 'success' && open) {
      failedOpen = failedOpen.filter((t) => t !== d.traceId);
      alerts.push({ key: `session-failed:${d.traceId}`, action: 'resolve', severity: 'info', summary: `OpenClaw session ${d.sessionKey} (agent ${d.agentId}) succeeded again`, details: describe(d) });
    }
  }
  if (sessionsOver === state.sessionsOver && failedOpen === state.failedOpen) return { state, alerts };
  return { state: { ...state, sessionsOver, failedOpen }, alerts };
}
