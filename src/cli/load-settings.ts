import { readFile } from 'node:fs/promises';
import JSON5 from 'json5';
import { Settings } from '../shared/settings.js';
import { SETTING_DESCRIPTORS, settingEntries } from '../shared/setting-descriptors.js';
import { writeSetting, type SettingPath } from '../shared/setting-path.js';
import { UsageError } from './cli-args.js';
import { cliOptions } from './cli-options.js';

type Values = Record<string, string | boolean | undefined>;

/** Environment variables for the settings a container or service manager sets (flags win over them). */
export const ENV_SETTINGS: Record<string, SettingPath> = Object.fromEntries(
  settingEntries().flatMap(([path, d]) => (d.env ? [[d.env, path]] : [])),
);

const SECRET_KEYS = ['token', 'apiKey', 'gatewayToken', 'password'];
// Under `alerts`: the Slack webhook URL is itself a secret, like the PagerDuty routing key.
const ALERT_SECRET_KEYS = ['slackWebhookUrl', 'webhookUrl', 'pagerdutyRoutingKey', 'routingKey'];

function coerce(setting: SettingPath, raw: string): unknown {
  const { kind } = SETTING_DESCRIPTORS[setting];
  if (kind === 'list') return raw.split(',').map((c) => c.trim()).filter(Boolean);
  if (kind === 'number') return /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : raw;
  return raw;
}

export async function readConfigFile(path: string): Promise<Record<string, unknown>> {
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

/** The config file loadSettings and loadGateways read: --config, else $AGENTWATCH_SYNC_CONFIG. */
export const configPathOf = (values: Values, env: Record<string, string | undefined>): string | undefined => (values.config as string | undefined) ?? env.AGENTWATCH_SYNC_CONFIG;

/** Precedence, lowest first: defaults < config file < environment < flags. Invalid values → UsageError (exit 2). */
export async function loadSettings(values: Values, env: Record<string, string | undefined>): Promise<Settings> {
  const configPath = configPathOf(values, env);
  const input: Record<string, unknown> = configPath ? await readConfigFile(configPath) : {};
  const origin = new Map<string, string>();
  for (const [name, setting] of Object.entries(ENV_SETTINGS)) {
    const raw = env[name];
    if (raw !== undefined && raw !== '') {
      writeSetting(input, setting, coerce(setting, raw));
      origin.set(setting, name);
    }
  }
  for (const { name, setting, sets } of cliOptions()) {
    const raw = values[name];
    if (setting === undefined || raw === undefined) continue;
    if (typeof raw === 'string') {
      writeSetting(input, setting, coerce(setting, raw));
      origin.set(setting, `--${name}`);
    } else if (raw === true && sets !== undefined) writeSetting(input, setting, sets);
  }
  const result = Settings.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const setting = issue.path.join('.');
  const from = origin.get(setting) ?? (configPath ? `config ${configPath}` : undefined);
  throw new UsageError(`Invalid setting ${setting}${from ? ` (${from})` : ''}: ${issue.message}`);
}
