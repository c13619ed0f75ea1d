import { alertKind, dedupKey, type Alert, type AlertSeverity } from './alert.js';

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

// Events API v2: payload.summary is capped at 1024 characters.
const SUMMARY_MAX = 1024;

export interface PagerDutyContext {
  routingKey: string;
  gatewayId: string;
  /** The machine running the sync (PagerDuty's `source`: where the problem is observed). */
  source: string;
  at: number;
}

export interface PagerDutyTrigger {
  routing_key: string;
  event_action: 'trigger';
  dedup_key: string;
  payload: {
    summary: string;
    source: string;
    severity: AlertSeverity;
    timestamp: string;
    component: string;
    group: string;
    class: string;
    custom_details: Record<string, string | number | null>;
  };
}

export interface PagerDutyResolve {
  routing_key: string;
  event_action: 'resolve';
  dedup_key: string;
}

export type PagerDutyEvent = PagerDutyTrigger | PagerDutyResolve;

/** An Events API v2 alert event; a resolve carries only the routing key, the action and the trigger's dedup key. */
export function pagerDutyEvent(alert: Alert, ctx: PagerDutyContext): PagerDutyEvent {
  const dedup_key = dedupKey(ctx.gatewayId, alert.key);
  if (alert.action === 'resolve') return { routing_key: ctx.routingKey, event_action: 'resolve', dedup_key };
  const summary = alert.summary.length <= SUMMARY_MAX ? alert.summary : `${alert.summary.slice(0, SUMMARY_MAX - 1)}…`;
  return {
    routing_key: ctx.routingKey,
    event_action: 'trigger',
    dedup_key,
    payload: {
      summary,
      source: ctx.source,
      severity: alert.severity,
      timestamp: new Date(ctx.at).toISOString(),
      component: 'agentwatch-sync',
      group: ctx.gatewayId,
      class: alertKind(alert.key),
      custom_details: { ...alert.details, gateway: ctx.gatewayId, alertKey: alert.key },
    },
  };
}
