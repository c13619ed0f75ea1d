import { apiKeyEnvVar, gatewayTokenEnvVar } from '../sync/openclaw/token.js';
import { pagerDutyKeyEnvVar, slackWebhookEnvVar } from '../sync/alerts/alert-secrets.js';
import { cliOptions, type CliOption } from './cli-options.js';

const USAGE = `agentwatch-sync — sync OpenClaw gateway sessions into the AgentWatch dashboard

Usage:
  agentwatch-sync [sync] [options]     poll the gateway every --poll-interval seconds and deliver to AgentWatch
  agentwatch-sync --once [options]     one poll, then exit (0 = delivered, 1 = failed)
  agentwatch-sync demo [--polls N]     simulated gateway + local AgentWatch on loopback, the real engine between
  agentwatch-sync backfill --since DAY [--until DAY]
                                       deliver past usage of those UTC days once (ledger-aware: a rerun sends nothing new)

Options (flags > environment > --config file > defaults):
`;
const EXIT_CODES = 'Exit codes: 0 ok · 1 sync failed (e.g. --max-errors reached) · 2 bad flag, setting or config.\n';
// Alert flags are longer, so their descriptions start in a column of their own.
const FLAG_COLUMN = 25;
const ALERT_FLAG_COLUMN = 29;
const WIDTH = 121;

function optionLines(o: CliOption): string[] {
  const column = o.setting?.startsWith('alerts.') ? ALERT_FLAG_COLUMN : FLAG_COLUMN;
  const name = `${o.short ? `-${o.short}, ` : ''}--${o.name}${o.arg ? ` ${o.arg}` : ''}`;
  const [first = '', ...more] = o.help;
  return [`  ${name.padEnd(column)}${first}`, ...more.map((line) => `${' '.repeat(column + 2)}${line}`)];
}

function wrap(prefix: string, words: readonly string[]): string[] {
  const lines = [prefix.trimEnd()];
  for (const word of words) {
    const last = lines.length - 1;
    if (`${lines[last]} ${word}`.length > WIDTH) lines.push(`  ${word}`);
    else lines[last] = `${lines[last]} ${word}`;
  }
  return lines;
}

/** The --help text, from the option table (and so from the settings' descriptors). */
export function helpText(): string {
  const options = cliOptions();
  const env = [...options.flatMap((o) => (o.env ? [o.env] : [])), gatewayTokenEnvVar, apiKeyEnvVar, slackWebhookEnvVar, pagerDutyKeyEnvVar];
  const envWords = env.map((name, i) => (i === env.length - 1 ? `${name}.` : `${name},`));
  const lines = [...options.filter((o) => o.help.length > 0).flatMap(optionLines), '', ...wrap('Environment:', envWords)];
  return `${USAGE}${lines.join('\n')}\n${EXIT_CODES}`;
}
