import { z } from 'zod';
import { checkFilter } from './filter-dsl/parse-filter.js';

/** An http(s) URL setting whose message shows its own default as the example. */
export function httpUrl(example: string) {
  return z
    .string()
    .trim()
    .refine((v) => {
      try {
        const u = new URL(v);
        return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
      } catch {
        return false;
      }
    }, `must be an http:// or https:// URL, e.g. ${example}`)
    .default(example);
}

export const SinkKind = z.enum(['auto', 'agentwatch', 'seed', 'jsonl', 'otlp']);
export type SinkKind = z.infer<typeof SinkKind>;

export const LogLevel = z
  .string()
  .transform((v) => v.toUpperCase())
  .pipe(z.enum(['DEBUG', 'INFO', 'WARNING', 'ERROR']));
export type LogLevel = z.infer<typeof LogLevel>;

// The seed's rules: main, subagent and group sessions (channel/thread rows are group-kind), active in the last
// 30 minutes, at least 10 lifetime tokens. Everything else (cron, heartbeat, hook, system…) stays out.
export const DEFAULT_CLASSES = ['main', 'subagent', 'group', 'channel', 'thread'] as const;

export const FilterRules = z.object({
  classes: z.array(z.string().trim().min(1)).min(1).default([...DEFAULT_CLASSES]),
  activeMinutes: z.number().int().min(1).max(525_600).default(30),
  minTokens: z.number().int().min(0).default(10),
  /** A filter expression that replaces the three rules above, e.g. `classification in (main) and tokens >= 100`. */
  expression: z
    .string()
    .trim()
    .min(1)
    .max(2000)
    .superRefine((v, ctx) => {
      const problem = checkFilter(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem.message });
    })
    .optional(),
});
export type FilterRules = z.infer<typeof FilterRules>;

/** Webhook alerts. Secrets live in files (or env vars), never here: a Slack webhook URL is itself a secret. */
export const AlertSettings = z.object({
  slackWebhookFile: z.string().min(1).optional(),
  pagerdutyRoutingKeyFile: z.string().min(1).optional(),
  /** Off switches: the secret stays where it is, nothing is sent to that target. */
  slackEnabled: z.boolean().default(true),
  pagerdutyEnabled: z.boolean().default(true),
  pagerdutyUrl: httpUrl('https://events.pagerduty.com/v2/enqueue'),
  /** Minutes of failed polls before "sync failing" fires; 0 = on the first failed poll. */
  failingMinutes: z.number().int().min(0).max(10_080).default(5),
  sessionTokenLimit: z.number().int().min(1).optional(),
  sessionUsdLimit: z.number().positive().optional(),
  dayTokenLimit: z.number().int().min(1).optional(),
  dayUsdLimit: z.number().positive().optional(),
  /** Alert when a session ends in error or timeout (resolved when it succeeds again). */
  failedSessions: z.boolean().default(true),
});
export type AlertSettings = z.infer<typeof AlertSettings>;

export const Settings = z.object({
  openclawUrl: httpUrl('http://127.0.0.1:18789'),
  agentwatchUrl: httpUrl('http://localhost:8765'),
  /** Dashboard link shown by the tray ("Open AgentWatch dashboard"). */
  dashboardUrl: httpUrl('http://localhost:8766'),
  pollIntervalSec: z.number().int().min(5).max(86_400).default(30),
  /** A full reconciliation (every session's usage read) this often; 0 = only at start and after gaps. */
  reconcileMinutes: z.number().int().min(0).max(525_600).default(360),
  sink: SinkKind.default('auto'),
  /** jsonl sink target: a file path, or "-" for stdout. */
  jsonlPath: z.string().min(1).default('-'),
  /** otlp sink: an OTLP/HTTP collector base URL; spans go to `{otlpUrl}/v1/traces`. */
  otlpUrl: httpUrl('http://127.0.0.1:4318'),
  batchSize: z.number().int().min(1).max(1000).default(50),
  /** Consecutive failed polls before the CLI stops; 0 = never stop. */
  maxErrors: z.number().int().min(0).max(1_000_000).default(10),
  filter: FilterRules.default(FilterRules.parse({})),
  live: z.boolean().default(true),
  /** Tray menu: a finished sub-agent session leaves the Active sessions list this many minutes after it ended. */
  finishedSubagentGraceMin: z.number().int().min(0).max(1440).default(10),
  /** macOS menu bar: today's tokens or USD beside the tray icon (Tray.setTitle has no Linux or Windows form). */
  trayTitle: z.enum(['off', 'tokens', 'usd']).default('off'),
  /** Ed25519 device identity: 'auto' = only for non-loopback gateways (they require pairing); 'always'; 'never'. */
  deviceIdentity: z.enum(['auto', 'always', 'never']).default('auto'),
  outboxMaxEvents: z.number().int().min(10).max(10_000_000).default(100_000),
  requestTimeoutMs: z.number().int().min(100).max(600_000).default(15_000),
  logLevel: LogLevel.default('INFO'),
  /** Files holding secrets; settings never hold a secret itself. */
  tokenFile: z.string().min(1).optional(),
  apiKeyFile: z.string().min(1).optional(),
  metricsPort: z.number().int().min(0).max(65_535).optional(),
  /** Address the metrics server binds (default 127.0.0.1); containers set 0.0.0.0 so probes and scrapes reach it. */
  metricsHost: z.string().trim().min(1).optional(),
  alerts: AlertSettings.default(AlertSettings.parse({})),
  /** Tray app only: ask the release feed for a new version at start and every 6 h (where the install can update itself). */
  checkForUpdates: z.boolean().default(true),
});
export type Settings = z.infer<typeof Settings>;
export type SettingsInput = z.input<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = Settings.parse({});

/** One line per problem, naming the setting: `pollIntervalSec: Too small: expected number to be >=5`. */
export function describeSettingsError(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}
