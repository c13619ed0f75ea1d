import { readFile } from 'node:fs/promises';
import JSON5 from 'json5';
import { Settings } from '../shared/settings.js';
import { FLAG_SETTINGS, UsageError } from './cli-args.js';

type Values = Record<string, string | boolean | undefined>;

/** Environment variables for the settings a container or service manager sets (flags win over them). */
export const ENV_SETTINGS: Record<string, string> = {
  AGENTWATCH_SYNC_OPENCLAW_URL: 'openclawUrl',
  AGENTWATCH_SYNC_AGENTWATCH_URL: 'agentwatchUrl',
  AGENTWATCH_SYNC_POLL_INTERVAL: 'pollIntervalSec',
  AGENTWATCH_SYNC_SINK: 'sink',
  AGENTWATCH_SYNC_OTLP_URL: 'otlpUrl',
  AGENTWATCH_SYNC_LOG_LEVEL: 'logLevel',
  AGENTWATCH_SYNC_TOKEN_FILE: 'tokenFile',
  AGENTWATCH_SYNC_API_KEY_FILE: 'apiKeyFile',
  AGENTWATCH_SYNC_METRICS_PORT: 'metricsPort',
  AGENTWATCH_SYNC_METRICS_HOST: 'metricsHost',
  AGENTWATCH_SYNC_SLACK_WEBHOOK_FILE: 'alerts.slackWebhookFile',
  AGENTWATCH_SYNC_PAGERDUTY_KEY_FILE: 'alerts.pagerdutyRoutingKeyFile',
};

const NUMERIC = new Set(['pollIntervalSec', 'batchSize', 'maxErrors', 'filter.activeMinutes', 'filter.minTokens', 'outboxMaxEvents', 'requestTimeoutMs', 'metricsPort', 'alerts.failingMinutes', 'alerts.sessionTokenLimit', 'alerts.sessionUsdLimit', 'alerts.dayTokenLimit', 'alerts.dayUsdLimit']);
const SECRET_KEYS = ['token', 'apiKey', 'gatewayToken', 'password'];
// Under `alerts`: the Slack webhook URL is itself a secret, like the PagerDuty routing key.
const ALERT_SECRET_KEYS = ['slackWebhookUrl', 'webhookUrl', 'pagerdutyRoutingKey', 'routingKey'];

function coerce(setting: string, raw: string): unknown {
  if (setting === 'filter.classes') return raw.split(',').map((c) => c.trim()).filter(Boolean);
  if (NUMERIC.has(setting)) return /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : raw;
  return raw;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const [head, tail] = path.split('.') as [string, string | undefined];
  if (tail === undefined) {
    target[head] = value;
    return;
  }
  const inner = (target[head] ??= {}) as Record<string, unknown>;
  inner[tail] = value;
}

async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`Cannot read the config file ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
  let parsed: unknown;
  try {
    parsed = JSON5.parse(text);
  } catch (e) {
    throw new UsageError(`The config file ${path} is not valid JSON/JSON5: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError(`The config file ${path} must hold one object of settings.`);
  const secret = SECRET_KEYS.find((k) => k in parsed);
  if (secret) throw new UsageError(`The config file ${path} holds "${secret}": config files name a secret file (tokenFile / apiKeyFile), never the secret itself.`);
  const alerts = (parsed as { alerts?: unknown }).alerts;
  const alertSecret = typeof alerts === 'object' && alerts !== null ? ALERT_SECRET_KEYS.find((k) => k in alerts) : undefined;
  if (alertSecret) throw new UsageError(`The config file ${path} holds "alerts.${alertSecret}": name a secret file instead (alerts.slackWebhookFile / alerts.pagerdutyRoutingKeyFile), or set AGENTWATCH_SLACK_WEBHOOK_URL / AGENTWATCH_PAGERDUTY_ROUTING_KEY.`);
  return parsed as Record<string, unknown>;
}

/** Precedence, lowest first: defaults < config file < environment < flags. Invalid values → UsageError (exit 2). */
export async function loadSettings(values: Values, env: Record<string, string | undefined>): Promise<Settings> {
  const configPath = (values.config as string | undefined) ?? env.AGENTWATCH_SYNC_CONFIG;
  const input: Record<string, unknown> = configPath ? await readConfigFile(configPath) : {};
  const origin = new Map<string, string>();
  for (const [name, setting] of Object.entries(ENV_SETTINGS)) {
    const raw = env[name];
    if (raw !== undefined && raw !== '') {
      setPath(input, setting, coerce(setting, raw));
      origin.set(setting, name);
    }
  }
  for (const [flag, setting] of Object.entries(FLAG_SETTINGS)) {
    const raw = values[flag];
    if (typeof raw === 'string') {
      setPath(input, setting, coerce(setting, raw));
      origin.set(setting, `--${flag}`);
    }
  }
  if (values['no-live'] === true) input.live = false;
  const result = Settings.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const setting = issue.path.join('.');
  const from = origin.get(setting) ?? (configPath ? `config ${configPath}` : undefined);
  throw new UsageError(`Invalid setting ${setting}${from ? ` (${from})` : ''}: ${issue.message}`);
}
