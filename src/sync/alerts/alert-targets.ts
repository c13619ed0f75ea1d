import type { Alert } from './alert.js';
import { pagerDutyEvent } from './pagerduty-event.js';
import { slackMessage } from './slack-message.js';

/** Where alerts go: a name for logs, the URL (a secret for Slack) and how to word its body and its refusals. */
export interface AlertTarget {
  readonly name: string;
  readonly url: string;
  body(alert: Alert, at: number): unknown;
  /** The user's next step after an answer that will not be retried. */
  advice(status: number | undefined): string;
}

export function slackTarget(webhookUrl: string, gatewayId: string): AlertTarget {
  return {
    name: 'Slack',
    url: webhookUrl,
    body: (alert, at) => slackMessage(alert, { gatewayId, at }),
    advice: (status) => {
      const where = 'put the new URL in the file named by --slack-webhook-file (or AGENTWATCH_SLACK_WEBHOOK_URL)';
      if (status === 400) return 'Slack could not read the message; this is a bug in agentwatch-sync, please report it with this log';
      if (status === 403) return 'the workspace forbids this webhook from posting; ask a Slack admin';
      if (status === 404) return `the webhook was revoked or its channel deleted: create a new incoming webhook and ${where}`;
      if (status === 410) return `the channel is archived: unarchive it, or create a webhook for another channel and ${where}`;
      return `check the Slack webhook URL (--slack-webhook-file / AGENTWATCH_SLACK_WEBHOOK_URL)`;
    },
  };
}

export interface PagerDutyTargetOptions {
  url: string;
  routingKey: string;
  gatewayId: string;
  source: string;
}

export function pagerDutyTarget(o: PagerDutyTargetOptions): AlertTarget {
  return {
    name: 'PagerDuty',
    url: o.url,
    body: (alert, at) => pagerDutyEvent(alert, { routingKey: o.routingKey, gatewayId: o.gatewayId, source: o.source, at }),
    advice: (status) => {
      const key = 'the routing key (--pagerduty-key-file / AGENTWATCH_PAGERDUTY_ROUTING_KEY) must be the Integration Key of an "Events API v2" integration';
      if (status === 400) return `PagerDuty rejected the event: ${key}`;
      return `check alerts.pagerdutyUrl (${o.url}) and ${key}`;
    },
  };
}
