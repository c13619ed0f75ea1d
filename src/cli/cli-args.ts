import { parseArgs } from 'node:util';

/** Every flag, with the setting it feeds (for error messages that name both). */
export const FLAG_SETTINGS: Record<string, string> = {
  'openclaw-url': 'openclawUrl',
  'agentwatch-url': 'agentwatchUrl',
  'poll-interval': 'pollIntervalSec',
  'log-level': 'logLevel',
  sink: 'sink',
  output: 'jsonlPath',
  'otlp-url': 'otlpUrl',
  'batch-size': 'batchSize',
  'max-errors': 'maxErrors',
  'active-minutes': 'filter.activeMinutes',
  'min-tokens': 'filter.minTokens',
  classes: 'filter.classes',
  filter: 'filter.expression',
  'device-identity': 'deviceIdentity',
  'outbox-max': 'outboxMaxEvents',
  'request-timeout': 'requestTimeoutMs',
  'token-file': 'tokenFile',
  'api-key-file': 'apiKeyFile',
  'metrics-port': 'metricsPort',
  'metrics-host': 'metricsHost',
  'slack-webhook-file': 'alerts.slackWebhookFile',
  'pagerduty-key-file': 'alerts.pagerdutyRoutingKeyFile',
  'alert-failing-minutes': 'alerts.failingMinutes',
  'alert-session-tokens': 'alerts.sessionTokenLimit',
  'alert-session-usd': 'alerts.sessionUsdLimit',
  'alert-day-tokens': 'alerts.dayTokenLimit',
  'alert-day-usd': 'alerts.dayUsdLimit',
};

const options = {
  'openclaw-url': { type: 'string' },
  'agentwatch-url': { type: 'string' },
  'poll-interval': { type: 'string' },
  'log-level': { type: 'string' },
  sink: { type: 'string' },
  output: { type: 'string' },
  'otlp-url': { type: 'string' },
  'batch-size': { type: 'string' },
  'max-errors': { type: 'string' },
  'active-minutes': { type: 'string' },
  'min-tokens': { type: 'string' },
  classes: { type: 'string' },
  filter: { type: 'string' },
  'device-identity': { type: 'string' },
  'outbox-max': { type: 'string' },
  'request-timeout': { type: 'string' },
  'metrics-port': { type: 'string' },
  'metrics-host': { type: 'string' },
  'slack-webhook-file': { type: 'string' },
  'pagerduty-key-file': { type: 'string' },
  'alert-failing-minutes': { type: 'string' },
  'alert-session-tokens': { type: 'string' },
  'alert-session-usd': { type: 'string' },
  'alert-day-tokens': { type: 'string' },
  'alert-day-usd': { type: 'string' },
  token: { type: 'string' },
  'token-file': { type: 'string' },
  'api-key-file': { type: 'string' },
  'state-dir': { type: 'string' },
  config: { type: 'string' },
  'log-file': { type: 'string' },
  once: { type: 'boolean' },
  'no-live': { type: 'boolean' },
  polls: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export interface CliArgs {
  command: 'sync' | 'demo' | 'backfill';
  values: Partial<Record<keyof typeof options, string | boolean>>;
}

export class UsageError extends Error {}

export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}. See --help.`);
  }
  const [command = 'sync', ...rest] = parsed.positionals;
  if (command !== 'sync' && command !== 'demo' && command !== 'backfill') throw new UsageError(`Unknown command "${command}". Commands: sync (default), demo, backfill. See --help.`);
  if (rest.length > 0) throw new UsageError(`Unexpected argument "${rest[0]}". See --help.`);
  return { command, values: parsed.values };
}
