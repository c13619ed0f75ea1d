import { join } from 'node:path';
import type { Settings } from '../../shared/settings.js';
import { gatewayIdOf } from '../ids.js';
import type { Logger } from '../ports.js';
import type { AlertRules } from './alert.js';
import type { AlertState } from './alert-state.js';
import { loadAlertState } from './alert-state-file.js';
import { smallStateSaver } from '../store/small-state-file.js';
import { resolveAlertSecrets, type AlertSecretSources } from './alert-secrets.js';
import { CLI_SECRET_HINTS, type SecretHints } from './alert-targets.js';
import type { TargetRefusals } from './target-refusals.js';
import { startAlerts, type AlertService, type AlertServiceDeps, type AlertSource } from './alert-service.js';
import { formatUsd } from '../../shared/format-usd.js';

export interface AlertsHost {
  env: Record<string, string | undefined>;
  readFile: (path: string) => Promise<string>;
  /** This machine's name: PagerDuty's `source`. */
  hostname: string;
  /** Secrets are pushed here as soon as they are read, so the logger redacts them. */
  secrets: string[];
  log: Logger;
  /** The sync's state dir: the rules' memory is kept there so a restart neither re-announces nor forgets. */
  stateDir?: string;
  /** The tray app's secret store; used before the files and env vars. */
  stored?: AlertSecretSources['stored'];
  /** Where the user changes each secret, for the advice after a refusal (default: the CLI's flags). */
  hints?: SecretHints;
  /** Targets that refused an earlier alert (kept by the tray app across engine restarts). */
  refusals?: TargetRefusals;
}

export const ALERT_STATE_FILE = 'alert-state.json';

/**
 * What outlives the process: open incidents, sessions already announced, the day's budget alerts. The dead-letter
 * count is the status's own since-start counter, and a failure window that never opened an incident starts again.
 */
function carriedOver(state: AlertState): AlertState {
  return { ...state, deadLettered: 0, failingSince: state.failingOpen ? state.failingSince : null };
}

/** Load what the rules remembered and save each change; a failed save is said once and alerting goes on. */
function durableState(stateDir: string, log: Logger): { initialState: AlertState; onState: (state: AlertState) => void } {
  const path = join(stateDir, ALERT_STATE_FILE);
  return { initialState: carriedOver(loadAlertState(path, log)), onState: smallStateSaver(path, 'alert state', 'an open problem may be announced again', log) };
}

export function alertRules(s: Settings['alerts']): AlertRules {
  const rules: AlertRules = { failingMinutes: s.failingMinutes, failedSessions: s.failedSessions };
  if (s.sessionTokenLimit !== undefined) rules.sessionTokenLimit = s.sessionTokenLimit;
  if (s.sessionUsdLimit !== undefined) rules.sessionUsdLimit = s.sessionUsdLimit;
  if (s.dayTokenLimit !== undefined) rules.dayTokenLimit = s.dayTokenLimit;
  if (s.dayUsdLimit !== undefined) rules.dayUsdLimit = s.dayUsdLimit;
  return rules;
}

function describeRules(r: AlertRules): string {
  const parts = [`sync failing ${r.failingMinutes} min`, 'dead letters'];
  if (r.failedSessions) parts.push('failed sessions');
  if (r.sessionTokenLimit !== undefined) parts.push(`session > ${r.sessionTokenLimit} tokens`);
  if (r.sessionUsdLimit !== undefined) parts.push(`session > ${formatUsd(r.sessionUsdLimit)}`);
  if (r.dayTokenLimit !== undefined) parts.push(`day > ${r.dayTokenLimit} tokens`);
  if (r.dayUsdLimit !== undefined) parts.push(`day > ${formatUsd(r.dayUsdLimit)}`);
  return parts.join(', ');
}

/** Starts alerts when a Slack webhook or PagerDuty key is configured; null (alerts off) otherwise. */
export async function alertsFromSettings(engine: AlertSource, settings: Settings, host: AlertsHost, deps: AlertServiceDeps): Promise<AlertService | null> {
  const secrets = await resolveAlertSecrets({ alerts: settings.alerts, env: host.env, readFile: host.readFile, ...(host.stored ? { stored: host.stored } : {}) });
  if (secrets.slackWebhookUrl) host.secrets.push(secrets.slackWebhookUrl);
  if (secrets.pagerdutyRoutingKey) host.secrets.push(secrets.pagerdutyRoutingKey);
  const slackUrl = settings.alerts.slackEnabled ? secrets.slackWebhookUrl : undefined;
  const routingKey = settings.alerts.pagerdutyEnabled ? secrets.pagerdutyRoutingKey : undefined;
  if (secrets.slackWebhookUrl && !slackUrl) host.log.info('  Alerts: Slack is turned off (alerts.slackEnabled)');
  if (secrets.pagerdutyRoutingKey && !routingKey) host.log.info('  Alerts: PagerDuty is turned off (alerts.pagerdutyEnabled)');
  const rules = alertRules(settings.alerts);
  if (!slackUrl && !routingKey) {
    const limits = [rules.sessionTokenLimit, rules.sessionUsdLimit, rules.dayTokenLimit, rules.dayUsdLimit].some((l) => l !== undefined);
    const hints = host.hints ?? CLI_SECRET_HINTS;
    if (limits) host.log.warn(`Alert limits are set but no target is: set ${hints.slack} or ${hints.pagerduty} (and turn it on); alerts are off.`);
    return null;
  }
  const sources = secrets.sources.filter((src) => (src.startsWith('Slack') ? slackUrl : routingKey) !== undefined);
  host.log.info(`  Alerts: ${sources.join(', ')} — ${describeRules(rules)}`);
  return startAlerts(
    engine,
    {
      rules,
      gatewayId: gatewayIdOf(settings.openclawUrl),
      source: host.hostname,
      ...(slackUrl ? { slackWebhookUrl: slackUrl } : {}),
      ...(routingKey ? { pagerduty: { url: settings.alerts.pagerdutyUrl, routingKey } } : {}),
      ...(host.hints ? { hints: host.hints } : {}),
      ...(host.refusals ? { refusals: host.refusals } : {}),
      timeoutMs: Math.min(settings.requestTimeoutMs, 30_000),
      ...(host.stateDir !== undefined ? durableState(host.stateDir, host.log) : {}),
    },
    deps,
  );
}
