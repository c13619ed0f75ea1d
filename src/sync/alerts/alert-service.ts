import type { SessionDelta } from '../delta.js';
import type { SyncStatus } from '../../shared/sync-status.js';
import type { Alert, AlertRules } from './alert.js';
import { AlertDispatcher, type DispatcherOptions } from './alert-dispatcher.js';
import type { LaneDeps, LaneStats } from './alert-lane.js';
import { evaluate, type AlertInput } from './alert-rules.js';
import { INITIAL_ALERT_STATE, type AlertState } from './alert-state.js';
import { pagerDutyTarget, slackTarget, type AlertTarget, type SecretHints } from './alert-targets.js';
import type { TargetRefusals } from './target-refusals.js';

export interface AlertServiceOptions {
  rules: AlertRules;
  gatewayId: string;
  /** PagerDuty's `source`: the machine running the sync. */
  source: string;
  /** A secret: never logged. */
  slackWebhookUrl?: string;
  pagerduty?: { url: string; routingKey: string };
  /** Deadline of one webhook request. */
  timeoutMs: number;
  /** How long stop() lets queued alerts go out (default 5 s). */
  stopDeadlineMs?: number;
  dispatch?: Omit<DispatcherOptions, 'timeoutMs'>;
  /** What the rules remembered at the last run (see alert-state-file.ts); fresh when absent. */
  initialState?: AlertState;
  /** Called with the rules' state whenever it changes, to keep it across a restart. */
  onState?: (state: AlertState) => void;
  /** Where the user changes each secret, for the refusal advice (default: the CLI's flags). */
  hints?: SecretHints;
  /** Targets that refused earlier alerts; the tray app keeps it across engine restarts. */
  refusals?: TargetRefusals;
}

export type AlertServiceDeps = LaneDeps;

export interface AlertService {
  stop(): Promise<void>;
  stats(): Record<string, LaneStats>;
}

/** The slice of the engine alerts watch. */
export interface AlertSource {
  status(): SyncStatus;
  onStatus(listener: (s: SyncStatus) => void): () => void;
  onDelivered(listener: (batch: readonly SessionDelta[]) => void): () => void;
}

export function alertTargets(o: Pick<AlertServiceOptions, 'slackWebhookUrl' | 'pagerduty' | 'gatewayId' | 'source' | 'hints'>): AlertTarget[] {
  const targets: AlertTarget[] = [];
  if (o.slackWebhookUrl) targets.push(slackTarget(o.slackWebhookUrl, o.gatewayId, o.hints));
  if (o.pagerduty) targets.push(pagerDutyTarget({ ...o.pagerduty, gatewayId: o.gatewayId, source: o.source, ...(o.hints ? { hints: o.hints } : {}) }));
  return targets;
}

/**
 * Watches the engine's status and delivered batches; the rules run synchronously in the listener and sending
 * happens in the background, so a slow or hanging webhook never holds a poll.
 */
export function startAlerts(engine: AlertSource, o: AlertServiceOptions, deps: AlertServiceDeps): AlertService {
  const dispatcher = new AlertDispatcher(alertTargets(o), { ...o.dispatch, timeoutMs: o.timeoutMs, ...(o.refusals ? { refusals: o.refusals } : {}) }, deps);
  let state: AlertState = o.initialState ?? INITIAL_ALERT_STATE;
  const handle = (input: AlertInput) => {
    try {
      const result = evaluate(state, input, deps.clock.now(), o.rules);
      if (result.state !== state) o.onState?.(result.state);
      state = result.state;
      for (const alert of result.alerts) fire(alert);
    } catch (e) {
      deps.log.error(`Alert rules failed (alerts may be missing): ${(e as Error).message}`);
    }
  };
  const fire = (alert: Alert) => {
    deps.log.info(`Alert ${alert.action}: ${alert.key} — ${alert.summary}`);
    dispatcher.enqueue(alert);
  };
  handle({ kind: 'status', status: engine.status() });
  const offStatus = engine.onStatus((status) => handle({ kind: 'status', status }));
  const offDelivered = engine.onDelivered((batch) => handle({ kind: 'delivered', batch }));
  let stopping: Promise<void> | undefined;
  return {
    stats: () => dispatcher.stats(),
    stop: () =>
      (stopping ??= (async () => {
        offStatus();
        offDelivered();
        await dispatcher.stop(o.stopDeadlineMs ?? 5_000);
      })()),
  };
}
