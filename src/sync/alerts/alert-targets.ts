import { createHash } from 'node:crypto';
import type { Alert } from './alert.js';
import { pagerDutyEvent } from './pagerduty-event.js';
import { slackMessage } from './slack-message.js';

export type AlertTargetKind = 'slack' | 'pagerduty';

/** Where alerts go: a name for logs, the URL (a secret for Slack) and how to word its body and its refusals. */
export interface AlertTarget {
  readonly kind: AlertTargetKind;
  readonly name: string;
  /** Changes whenever the target's setting (URL, routing key) changes; secret-free, so it may be kept in memory. */
  readonly fingerprint: string;
  readonly url: string;
  body(alert: Alert, at: number): unknown;
  /** The user's next step after an answer that will not be retried. */
  advice(status: number | undefined): string;
}

/** Where the user changes each target's secret; the CLI names its flags, the tray app its window. */
export interface SecretHints {
  slack: string;
  pagerduty: string;
}

export const CLI_SECRET_HINTS: SecretHints = {
  slack: 'the file named by --slack-webhook-file (or AGENTWATCH_SLACK_WEBHOOK_URL)',
  pagerduty: '--pagerduty-key-file / AGENTWATCH_PAGERDUTY_ROUTING_KEY',
};

const fingerprintOf = (...parts: string[]) => createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);

export function slackTarget(webhookUrl: string, gatewayId: string, hints: SecretHints = CLI_SECRET_HINTS): AlertTarget {
  return {
    kind: 'slack',
    name: 'Slack',
    fingerprint: fingerprintOf('slack', webhookUrl),
    url: webhookUrl,
    body: (alert, at) => slackMessage(alert, { gatewayId, at }),
    advice: (status) => {
      const where = `put the new URL in ${hints.slack}`;
      if (status === 400) return 'Slack could not read the message; this is a bug in agentwatch-sync, please report it with this log';
      if (status === 403) return 'the workspace forbids this webhook from posting; ask a Slack admin';
      if (status === 404) return `the webhook was revoked or its channel deleted: create a new incoming webhook and ${where}`;
      if (status === 410) return `the channel is archived: unarchive it, or create a webhook for another channel and ${where}`;
      return `check the Slack webhook URL (${hints.slack})`;
    },
  };
}

export interface PagerDutyTargetOptions {
  url: string;
  routingKey: string;
  gatewayId: string;
  source: string;
  hints?: SecretHints;
}

export function pagerDutyTarget(o: PagerDutyTargetOptions): AlertTarget {
  const hints = o.hints ?? CLI_SECRET_HINTS;
  return {
    kind: 'pagerduty',
    name: 'PagerDuty',
    fingerprint: fingerprintOf('pagerduty', o.url, o.routingKey),
    url: o.url,
    body: (alert, at) => pagerDutyEvent(alert, { routingKey: o.routingKey, gatewayId: o.gatewayId, source: o.source, at }),
    advice: (status) => {
      const key = `the routing key (${hints.pagerduty}) must be the Integration Key of an "Events API v2" integration`;
      if (status === 400) return `PagerDuty rejected the event: ${key}`;
      return `check alerts.pagerdutyUrl (${o.url}) and ${key}`;
    },
  };
}
