// What makes an alert secret unusable, said the same way by the CLI, the tray app's main process and its window.

export const SLACK_URL_PROBLEM = `is not an http(s) URL. Copy it from the Slack app's "Incoming Webhooks" page (https://hooks.slack.com/services/…).`;
export const ROUTING_KEY_PROBLEM = `contains whitespace. Paste only the Integration Key of the service's "Events API v2" integration.`;

/** Why a Slack incoming-webhook URL cannot be used, or null. The message never repeats the URL: it is the secret. */
export function slackUrlProblem(url: string): string | null {
  try {
    const u = new URL(url);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '' ? null : SLACK_URL_PROBLEM;
  } catch {
    return SLACK_URL_PROBLEM;
  }
}

export function routingKeyProblem(key: string): string | null {
  return /\s/.test(key) ? ROUTING_KEY_PROBLEM : null;
}
