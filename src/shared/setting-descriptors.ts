import type { FormField, SettingDescriptor, SettingKind } from './setting-descriptor.js';
import type { SettingPath } from './setting-path.js';

// Keyed by schema path, so the compiler refuses a setting without a descriptor (or one for no setting).
// The order is the order of --help.
export const SETTING_DESCRIPTORS = {
  openclawUrl: {
    kind: 'string',
    flag: { name: 'openclaw-url', arg: 'URL', help: ['OpenClaw gateway (default http://127.0.0.1:18789; http→ws, https→wss)'] },
    env: 'AGENTWATCH_SYNC_OPENCLAW_URL',
    form: { id: 'openclawUrl', label: 'Gateway URL', control: 'url' },
  },
  agentwatchUrl: {
    kind: 'string',
    flag: { name: 'agentwatch-url', arg: 'URL', help: ['AgentWatch API (default http://localhost:8765)'] },
    env: 'AGENTWATCH_SYNC_AGENTWATCH_URL',
    form: { id: 'agentwatchUrl', label: 'AgentWatch URL', control: 'url' },
  },
  dashboardUrl: { kind: 'string' },
  pollIntervalSec: {
    kind: 'number',
    flag: { name: 'poll-interval', arg: 'SEC', help: ['seconds between polls, 5..86400 (default 30)'] },
    env: 'AGENTWATCH_SYNC_POLL_INTERVAL',
    form: { id: 'pollIntervalSec', label: 'Poll interval (s)', control: 'number' },
  },
  logLevel: {
    kind: 'string',
    flag: { name: 'log-level', arg: 'LEVEL', help: ['DEBUG | INFO | WARNING | ERROR (default INFO); DEBUG prints every filter decision'] },
    env: 'AGENTWATCH_SYNC_LOG_LEVEL',
  },
  sink: {
    kind: 'string',
    flag: { name: 'sink', arg: 'KIND', help: ['auto | agentwatch | seed | jsonl | otlp (default auto: read /openapi.json)'] },
    env: 'AGENTWATCH_SYNC_SINK',
    form: {
      id: 'sink',
      label: 'Sink',
      control: 'select',
      options: { auto: 'Auto-detect', agentwatch: 'AgentWatch API', seed: 'Seed endpoint', jsonl: 'JSON lines file', otlp: 'OpenTelemetry (OTLP)' },
    },
  },
  jsonlPath: { kind: 'string', flag: { name: 'output', arg: 'PATH', help: ['jsonl sink target file, or - for stdout (default -)'] } },
  otlpUrl: {
    kind: 'string',
    flag: { name: 'otlp-url', arg: 'URL', help: ['otlp sink: OTLP/HTTP collector; spans go to URL/v1/traces (default http://127.0.0.1:4318)'] },
    env: 'AGENTWATCH_SYNC_OTLP_URL',
    form: { id: 'otlpUrl', label: 'OTLP collector URL (sink "OpenTelemetry")', control: 'url' },
  },
  tokenFile: {
    kind: 'string',
    flag: { name: 'token-file', arg: 'PATH', help: ['file holding the gateway token'] },
    env: 'AGENTWATCH_SYNC_TOKEN_FILE',
  },
  apiKeyFile: {
    kind: 'string',
    flag: { name: 'api-key-file', arg: 'PATH', help: ['optional AgentWatch API key (sent as Authorization: Bearer); or AGENTWATCH_API_KEY'] },
    env: 'AGENTWATCH_SYNC_API_KEY_FILE',
  },
  batchSize: { kind: 'number', flag: { name: 'batch-size', arg: 'N', help: ['most events per request (default 50)'] } },
  reconcileMinutes: {
    kind: 'number',
    flag: { name: 'reconcile-minutes', arg: 'MIN', help: ["read every session's usage this often, 0 = only at start and after gaps (default 360)"] },
  },
  maxErrors: { kind: 'number', flag: { name: 'max-errors', arg: 'N', help: ['stop after N consecutive failed polls, 0 = never (default 10)'] } },
  'filter.activeMinutes': {
    kind: 'number',
    flag: { name: 'active-minutes', arg: 'N', help: ['pick up sessions active in the last N minutes (default 30)'] },
    form: { id: 'activeMinutes', label: 'Active within (min)', control: 'number' },
  },
  'filter.minTokens': {
    kind: 'number',
    flag: { name: 'min-tokens', arg: 'N', help: ['skip sessions with fewer lifetime input+output tokens (default 10)'] },
    form: { id: 'minTokens', label: 'Min tokens', control: 'number' },
  },
  'filter.classes': {
    kind: 'list',
    flag: { name: 'classes', arg: 'LIST', help: ['session classes to sync (default main,subagent,group,channel,thread)'] },
    form: { id: 'classes', label: 'Session classes', control: 'text', hint: 'Comma-separated, e.g. main, subagent, group' },
  },
  'filter.expression': {
    kind: 'string',
    flag: {
      name: 'filter',
      arg: 'EXPR',
      help: ['filter expression replacing the three rules above, e.g.', `'classification in (main, subagent) and not agentId = "ops" and tokens >= 10 and active < 30m'`],
    },
    form: {
      id: 'filterExpression',
      label: 'Filter expression (optional)',
      control: 'textarea',
      hint: 'Empty = the rules above, shown greyed in the field. Combine clauses with and, or, not, e.g. ',
      hintCode: 'agentId != "ops" and tokens >= 100',
      blankClears: true,
      caret: true,
    },
  },
  outboxMaxEvents: {
    kind: 'number',
    flag: { name: 'outbox-max', arg: 'N', help: ['most undelivered events kept; beyond it the oldest are dropped and counted (default 100000)'] },
  },
  requestTimeoutMs: { kind: 'number', flag: { name: 'request-timeout', arg: 'MS', help: ['deadline for every request (default 15000)'] } },
  metricsPort: {
    kind: 'number',
    flag: { name: 'metrics-port', arg: 'PORT', help: ['serve /metrics and /healthz on 127.0.0.1:PORT, 0 = a free port (default off)'] },
    env: 'AGENTWATCH_SYNC_METRICS_PORT',
    form: {
      id: 'metricsPort',
      label: 'Prometheus metrics port',
      control: 'port',
      hint: 'Empty = off. Serves /metrics and /healthz on 127.0.0.1, e.g. 9464.',
      blankClears: true,
      notANumber: 'Enter a port number such as 9464, or leave it empty to turn metrics off',
      state: true,
    },
  },
  metricsHost: {
    kind: 'string',
    flag: { name: 'metrics-host', arg: 'ADDR', help: ['address the metrics server binds (default 127.0.0.1; 0.0.0.0 in containers)'] },
    env: 'AGENTWATCH_SYNC_METRICS_HOST',
  },
  deviceIdentity: {
    kind: 'string',
    flag: { name: 'device-identity', arg: 'MODE', help: ['auto (default: only for non-loopback gateways, which need pairing) | always | never'] },
  },
  live: {
    kind: 'boolean',
    flag: { name: 'no-live', sets: false, help: ['poll only; by default finished runs arrive live via sessions.subscribe'] },
    form: { id: 'live', label: 'Live updates (push from the gateway between polls)', control: 'checkbox' },
  },
  finishedSubagentGraceMin: {
    kind: 'number',
    form: {
      id: 'finishedSubagentGraceMin',
      label: 'Finished sub-agents listed for (min)',
      control: 'number',
      hint: 'Then the tray menu counts them as "+N finished". 0 = at once.',
    },
  },
  trayTitle: {
    kind: 'string',
    form: {
      id: 'trayTitle',
      label: 'Menu bar figure (macOS)',
      control: 'select',
      options: { off: 'Off', tokens: "Today's tokens", usd: "Today's USD" },
      hint: 'Today, from local midnight. Other systems show no text there.',
    },
  },
  'alerts.slackWebhookFile': {
    kind: 'string',
    flag: { name: 'slack-webhook-file', arg: 'PATH', help: ['alerts to Slack: file holding an incoming-webhook URL; or AGENTWATCH_SLACK_WEBHOOK_URL'] },
    env: 'AGENTWATCH_SYNC_SLACK_WEBHOOK_FILE',
  },
  'alerts.pagerdutyRoutingKeyFile': {
    kind: 'string',
    flag: {
      name: 'pagerduty-key-file',
      arg: 'PATH',
      help: ['alerts to PagerDuty (Events API v2): file holding the integration (routing) key;', 'or AGENTWATCH_PAGERDUTY_ROUTING_KEY'],
    },
    env: 'AGENTWATCH_SYNC_PAGERDUTY_KEY_FILE',
  },
  'alerts.slackEnabled': { kind: 'boolean', form: { id: 'alertSlackEnabled', label: 'Send alerts to Slack', control: 'checkbox' } },
  'alerts.pagerdutyEnabled': { kind: 'boolean', form: { id: 'alertPagerdutyEnabled', label: 'Send alerts to PagerDuty', control: 'checkbox' } },
  'alerts.pagerdutyUrl': { kind: 'string' },
  'alerts.failingMinutes': {
    kind: 'number',
    flag: { name: 'alert-failing-minutes', arg: 'N', help: ['alert when polls keep failing this long, 0 = at once (default 5); resolved on success'] },
    form: { id: 'alertFailingMinutes', label: 'Alert after failing for (min)', control: 'number', hint: '0 = on the first failed poll; resolved when a poll succeeds again.' },
  },
  'alerts.sessionTokenLimit': {
    kind: 'number',
    flag: { name: 'alert-session-tokens', arg: 'N', help: ["alert once when a session's lifetime tokens cross N (default off)"] },
    form: { id: 'alertSessionTokens', label: 'Alert when a session passes (tokens)', control: 'port', blankClears: true, notANumber: 'Enter a whole number of tokens, or leave it empty (off)' },
  },
  'alerts.sessionUsdLimit': {
    kind: 'number',
    flag: { name: 'alert-session-usd', arg: 'USD', help: ["alert once when a session's cost crosses USD (default off)"] },
    form: { id: 'alertSessionUsd', label: 'Alert when a session passes (USD)', control: 'port', blankClears: true, notANumber: 'Enter an amount in USD such as 5, or leave it empty (off)' },
  },
  'alerts.dayTokenLimit': {
    kind: 'number',
    flag: { name: 'alert-day-tokens', arg: 'N', help: ["alert once a day when today's tokens reach N (default off)"] },
    form: { id: 'alertDayTokens', label: 'Alert when today passes (tokens)', control: 'port', blankClears: true, notANumber: 'Enter a whole number of tokens, or leave it empty (off)' },
  },
  'alerts.dayUsdLimit': {
    kind: 'number',
    flag: { name: 'alert-day-usd', arg: 'USD', help: ["alert once a day when today's cost reaches USD (default off)"] },
    form: { id: 'alertDayUsd', label: 'Alert when today passes (USD)', control: 'port', blankClears: true, notANumber: 'Enter an amount in USD such as 50, or leave it empty (off)' },
  },
  'alerts.failedSessions': { kind: 'boolean', form: { id: 'alertFailedSessions', label: 'Alert when a session ends in error or timeout', control: 'checkbox' } },
  // Tray app only (no flag, no env): the CLI never updates itself.
  checkForUpdates: { kind: 'boolean', form: { id: 'checkForUpdates', label: 'Check for updates (GitHub Releases, at start and every 6 h)', control: 'checkbox' } },
} as const satisfies { [P in SettingPath]: SettingDescriptor };

export type SettingDescriptors = typeof SETTING_DESCRIPTORS;

/** The table as entries, for code that walks every setting. */
export function settingEntries(): Array<[SettingPath, SettingDescriptor]> {
  return Object.entries(SETTING_DESCRIPTORS) as Array<[SettingPath, SettingDescriptor]>;
}

/** A setting the settings window edits. */
export interface FormSetting {
  path: SettingPath;
  kind: SettingKind;
  form: FormField;
}

export function formSettings(): FormSetting[] {
  return settingEntries().flatMap(([path, d]) => (d.form ? [{ path, kind: d.kind, form: d.form }] : []));
}
