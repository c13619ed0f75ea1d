import type { AlertSettings } from '../../shared/settings.js';
import { routingKeyProblem, slackUrlProblem } from '../../shared/alert-secret-checks.js';
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
  /** Saved in the tray app's secret store: used before the file and the environment. */
  stored?: { slackWebhookUrl?: string | undefined; pagerdutyRoutingKey?: string | undefined };
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

/** The secret store first, then the file, then the environment; all may be absent (that target is then off). */
async function resolveOne(stored: string | undefined, file: string | undefined, envVar: string, what: string, src: AlertSecretSources): Promise<{ value: string; source: string } | undefined> {
  if (stored) return { value: stored, source: `${what} from Settings` };
  if (file) return { value: await readSecret(file, what, src.readFile), source: `${what} from ${file}` };
  const fromEnv = src.env[envVar]?.trim();
  return fromEnv ? { value: fromEnv, source: `${what} from ${envVar}` } : undefined;
}

/** The Slack webhook URL and the PagerDuty routing key, from their files or env vars. */
export async function resolveAlertSecrets(src: AlertSecretSources): Promise<AlertSecrets> {
  const out: AlertSecrets = { sources: [] };
  const slack = await resolveOne(src.stored?.slackWebhookUrl, src.alerts.slackWebhookFile, slackWebhookEnvVar, 'Slack webhook URL', src);
  if (slack) {
    const problem = slackUrlProblem(slack.value);
    if (problem) throw new SyncError('CONFIG', `The Slack webhook URL (${slack.source}) ${problem}`);
    out.slackWebhookUrl = slack.value;
    out.sources.push(slack.source);
  }
  const pd = await resolveOne(src.stored?.pagerdutyRoutingKey, src.alerts.pagerdutyRoutingKeyFile, pagerDutyKeyEnvVar, 'PagerDuty routing key', src);
  if (pd) {
    const problem = routingKeyProblem(pd.value);
    if (problem) throw new SyncError('CONFIG', `The PagerDuty routing key (${pd.source}) ${problem}`);
    out.pagerdutyRoutingKey = pd.value;
    out.sources.push(pd.source);
  }
  return out;
}
