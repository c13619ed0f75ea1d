import type { AlertSettings } from '../../shared/settings.js';
import { SyncError, errorMessage } from '../errors.js';

export const slackWebhookEnvVar = 'AGENTWATCH_SLACK_WEBHOOK_URL';
export const pagerDutyKeyEnvVar = 'AGENTWATCH_PAGERDUTY_ROUTING_KEY';

export interface AlertSecrets {
  slackWebhookUrl?: string;
  pagerdutyRoutingKey?: string;
  /** Where each came from, for the startup log; never the secret itself. */
  sources: string[];
}

export interface AlertSecretSources {
  alerts: Pick<AlertSettings, 'slackWebhookFile' | 'pagerdutyRoutingKeyFile'>;
  env: Record<string, string | undefined>;
  readFile: (path: string) => Promise<string>;
}

async function readSecret(path: string, what: string, readFile: AlertSecretSources['readFile']): Promise<string> {
  let text: string;
  try {
    text = await readFile(path);
  } catch (cause) {
    throw new SyncError('CONFIG', `Cannot read the ${what} file ${path}: ${errorMessage(cause)}. Check the path and its permissions.`, { cause });
  }
  const value = text.trim();
  if (value === '') throw new SyncError('CONFIG', `The ${what} file ${path} is empty. Put the ${what} on its first line.`);
  return value;
}

/** File first, then the environment; either may be absent (that target is then off). */
async function resolveOne(file: string | undefined, envVar: string, what: string, src: AlertSecretSources): Promise<{ value: string; source: string } | undefined> {
  if (file) return { value: await readSecret(file, what, src.readFile), source: `${what} from ${file}` };
  const fromEnv = src.env[envVar]?.trim();
  return fromEnv ? { value: fromEnv, source: `${what} from ${envVar}` } : undefined;
}

function checkWebhookUrl(url: string, source: string): void {
  let ok = false;
  try {
    const u = new URL(url);
    ok = (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '';
  } catch {
    ok = false;
  }
  // The URL is the secret: the message names where it came from, never the value.
  if (!ok) throw new SyncError('CONFIG', `The Slack webhook URL (${source}) is not an http(s) URL. Copy it from the Slack app's "Incoming Webhooks" page (https://hooks.slack.com/services/…).`);
}

/** The Slack webhook URL and the PagerDuty routing key, from their files or env vars. */
export async function resolveAlertSecrets(src: AlertSecretSources): Promise<AlertSecrets> {
  const out: AlertSecrets = { sources: [] };
  const slack = await resolveOne(src.alerts.slackWebhookFile, slackWebhookEnvVar, 'Slack webhook URL', src);
  if (slack) {
    checkWebhookUrl(slack.value, slack.source);
    out.slackWebhookUrl = slack.value;
    out.sources.push(slack.source);
  }
  const pd = await resolveOne(src.alerts.pagerdutyRoutingKeyFile, pagerDutyKeyEnvVar, 'PagerDuty routing key', src);
  if (pd) {
    if (/\s/.test(pd.value)) throw new SyncError('CONFIG', `The PagerDuty routing key (${pd.source}) contains whitespace. Paste only the Integration Key of the service's "Events API v2" integration.`);
    out.pagerdutyRoutingKey = pd.value;
    out.sources.push(pd.source);
  }
  return out;
}
