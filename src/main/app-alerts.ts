import { join } from 'node:path';
import { routingKeyProblem, slackUrlProblem } from '../shared/alert-secret-checks.js';
import type { AlertsView, AlertTestResult } from '../shared/ipc-contract.js';
import type { Settings } from '../shared/settings.js';
import { resolveAlertSecrets } from '../sync/alerts/alert-secrets.js';
import type { AlertSource } from '../sync/alerts/alert-service.js';
import { pagerDutyTarget, slackTarget, type AlertTarget, type AlertTargetKind, type SecretHints } from '../sync/alerts/alert-targets.js';
import { alertsFromSettings } from '../sync/alerts/alerts-from-settings.js';
import { sendTestAlert } from '../sync/alerts/send-test-alert.js';
import { ALERT_REFUSALS_FILE, TargetRefusals } from '../sync/alerts/target-refusals.js';
import { errorMessage } from '../sync/errors.js';
import { gatewayIdOf } from '../sync/ids.js';
import type { Clock, Logger, Sleep } from '../sync/ports.js';
import type { SecretStore } from './secret-store.js';

export const APP_SECRET_HINTS: SecretHints = {
  slack: 'Settings → Alerts → Slack webhook URL',
  pagerduty: 'Settings → Alerts → PagerDuty routing key',
};

export interface AppAlertsDeps {
  settings(): Settings;
  secrets: SecretStore;
  env: Record<string, string | undefined>;
  readFile(path: string): Promise<string>;
  hostname: string;
  stateDir: string;
  log: Logger;
  clock: Clock;
  sleep: Sleep;
  random(): number;
  /** The alert secrets in use, so the logger redacts them. */
  onSecrets(values: string[]): void;
}

export interface AppAlerts {
  /** Runs the CLI's alert service beside `engine`; resolves to its stop. Never throws: a bad secret is a line in the window. */
  attach(engine: AlertSource): Promise<() => Promise<void>>;
  view(): AlertsView;
  /** "Send test alert": the typed secret if given, else the one the service would use. */
  test(kind: AlertTargetKind, draft: string | undefined): Promise<AlertTestResult>;
}

const NAME: Record<AlertTargetKind, string> = { slack: 'Slack webhook URL', pagerduty: 'PagerDuty routing key' };

/** The tray app's webhook alerts: the same service as the CLI, secrets from the app's secret store. */
export function createAppAlerts(d: AppAlertsDeps): AppAlerts {
  // Outlives engine and app restarts: a refused target stays quiet until its setting changes or a test gets through.
  const refusals = TargetRefusals.durable(join(d.stateDir, ALERT_REFUSALS_FILE), d.log);
  let problem: string | undefined;
  const stored = () => ({ slackWebhookUrl: d.secrets.get('slackWebhookUrl'), pagerdutyRoutingKey: d.secrets.get('pagerdutyRoutingKey') });

  const targetFor = (kind: AlertTargetKind, secret: string, s: Settings): AlertTarget =>
    kind === 'slack'
      ? slackTarget(secret, gatewayIdOf(s.openclawUrl), APP_SECRET_HINTS)
      : pagerDutyTarget({ url: s.alerts.pagerdutyUrl, routingKey: secret, gatewayId: gatewayIdOf(s.openclawUrl), source: d.hostname, hints: APP_SECRET_HINTS });

  return {
    async attach(engine) {
      const found: string[] = [];
      problem = undefined;
      try {
        const service = await alertsFromSettings(
          engine,
          d.settings(),
          { env: d.env, readFile: d.readFile, hostname: d.hostname, secrets: found, log: d.log, stateDir: d.stateDir, stored: stored(), hints: APP_SECRET_HINTS, refusals },
          { clock: d.clock, sleep: d.sleep, log: d.log, random: d.random },
        );
        d.onSecrets(found);
        if (!service) refusals.retain([]);
        return async () => {
          await service?.stop();
        };
      } catch (e) {
        d.onSecrets(found);
        problem = `Alerts are off: ${errorMessage(e)}`;
        d.log.error(problem);
        return async () => {};
      }
    },

    view() {
      const state = (kind: AlertTargetKind, has: boolean) => {
        const refused = refusals.line(kind);
        return { stored: has, ...(refused ? { refused } : {}) };
      };
      const s = stored();
      return {
        slack: state('slack', s.slackWebhookUrl !== undefined),
        pagerduty: state('pagerduty', s.pagerdutyRoutingKey !== undefined),
        ...(problem ? { problem } : {}),
      };
    },

    async test(kind, draft) {
      const s = d.settings();
      let secret = draft;
      if (!secret) {
        try {
          const found = await resolveAlertSecrets({ alerts: s.alerts, env: d.env, readFile: d.readFile, stored: stored() });
          secret = kind === 'slack' ? found.slackWebhookUrl : found.pagerdutyRoutingKey;
        } catch (e) {
          return { ok: false, message: errorMessage(e) };
        }
      }
      if (!secret) return { ok: false, message: `No ${NAME[kind]} yet: paste one above, then send the test again.` };
      const bad = kind === 'slack' ? slackUrlProblem(secret) : routingKeyProblem(secret);
      if (bad) return { ok: false, message: `The ${NAME[kind]} ${bad}` };
      const result = await sendTestAlert(targetFor(kind, secret, s), { timeoutMs: Math.min(s.requestTimeoutMs, 30_000), now: () => d.clock.now(), refusals });
      d.log.info(`Test alert: ${result.message}`);
      return result;
    },
  };
}
