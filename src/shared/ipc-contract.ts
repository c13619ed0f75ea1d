import { z } from 'zod';
import { NotificationPrefs } from './notification-prefs.js';
import { Settings } from './settings.js';
import { CycleResultSchema, FilterPreviewSchema, HourlyUsageSchema, SyncStatusSchema } from './sync-status.js';

// The only place IPC channel names are spelled. Main validates every request with `req`; the renderer may
// validate answers and pushes with `res` / `push`.

const None = z.undefined();

/** The tray app's Prometheus endpoint: off, serving at `url`, or not serving because of `error` (e.g. port in use). */
export const MetricsState = z.discriminatedUnion('state', [
  z.object({ state: z.literal('off') }),
  z.object({ state: z.literal('serving'), url: z.string() }),
  z.object({ state: z.literal('failed'), error: z.string() }),
]);
export type MetricsState = z.infer<typeof MetricsState>;

export const AlertTargetKind = z.enum(['slack', 'pagerduty']);

/** One webhook target as the window shows it: whether its secret is stored, and why it is stopped (a 4xx). */
const AlertTargetState = z.object({ stored: z.boolean(), refused: z.string().optional() });

/** The tray app's webhook alerts; `problem` says why they are off (e.g. an unreadable secret file). */
export const AlertsView = z.object({ slack: AlertTargetState, pagerduty: AlertTargetState, problem: z.string().optional() });
export type AlertsView = z.infer<typeof AlertsView>;

/** What the settings window edits: Settings minus nothing secret. Secrets travel separately, write-only. */
export const SettingsView = z.object({
  settings: Settings,
  hasToken: z.boolean(),
  hasApiKey: z.boolean(),
  /** 'os' = OS keychain via safeStorage; 'basic' = Linux basic_text (weak); 'none' = safeStorage unavailable. */
  secretStorage: z.enum(['os', 'basic', 'none']),
  openAtLogin: z.boolean(),
  /** Which desktop notifications are on, and the optional daily budgets. */
  notifications: NotificationPrefs,
  /** Absent from hosts that do not serve metrics. */
  metrics: MetricsState.optional(),
  /** Absent from hosts without webhook alerts. */
  alerts: AlertsView.optional(),
});
export type SettingsView = z.infer<typeof SettingsView>;

export const SettingsSaveInput = z.object({
  settings: z.unknown(), // validated against Settings in main, so errors can name each field
  /** New gateway token; omitted = keep; '' = forget. */
  token: z.string().max(4096).optional(),
  apiKey: z.string().max(4096).optional(),
  /** Alert secrets, like the token: omitted = keep; '' = forget. */
  slackWebhookUrl: z.string().max(4096).optional(),
  pagerdutyRoutingKey: z.string().max(4096).optional(),
  openAtLogin: z.boolean().optional(),
  /** Validated in main against NotificationPrefs, so errors can name each field (`notifications.dailyUsdBudget`). */
  notifications: z.unknown().optional(),
});
export type SettingsSaveInput = z.infer<typeof SettingsSaveInput>;

export const SaveResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), view: SettingsView }),
  z.object({ ok: z.literal(false), errors: z.record(z.string(), z.string()) }),
]);
export type SaveResult = z.infer<typeof SaveResult>;

export const GatewayTestInput = z.object({
  openclawUrl: z.string().max(2048),
  /** Omitted = use the stored token. */
  token: z.string().max(4096).optional(),
});
export const GatewayTestResult = z.object({
  ok: z.boolean(),
  message: z.string(),
  serverVersion: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  sessions: z.number().optional(),
});
export type GatewayTestResult = z.infer<typeof GatewayTestResult>;

export const AgentWatchTestInput = z.object({
  agentwatchUrl: z.string().max(2048),
  apiKey: z.string().max(4096).optional(),
});
export const AgentWatchTestResult = z.object({
  ok: z.boolean(),
  message: z.string(),
  sink: z.enum(['agentwatch', 'seed']).optional(),
});
export type AgentWatchTestResult = z.infer<typeof AgentWatchTestResult>;

export const AlertTestInput = z.object({
  target: AlertTargetKind,
  /** Typed but not saved yet; omitted = the stored one. */
  secret: z.string().max(4096).optional(),
});
export const AlertTestResult = z.object({ ok: z.boolean(), message: z.string() });
export type AlertTestResult = z.infer<typeof AlertTestResult>;

export const DiagnosticsResult = z.object({ text: z.string() });

/** The About section: what main knows about itself; the gateway's version travels in SyncStatus. */
export const AboutInfo = z.object({
  appVersion: z.string(),
  stateDir: z.string(),
  logFile: z.string(),
  projectUrl: z.string(),
});
export type AboutInfo = z.infer<typeof AboutInfo>;
/** What the About section can open: only these, never a path or URL the page supplies. */
export const AboutTarget = z.enum(['stateDir', 'logFile', 'project']);
export type AboutTarget = z.infer<typeof AboutTarget>;
/** '' = opened; else why not, in one line. */
export const OpenResult = z.object({ error: z.string() });

/** Same cap as the `filter.expression` setting. */
export const FilterPreviewInput = z.object({ expression: z.string().max(2000) });

export const invoke = {
  'settings:get': { req: None, res: SettingsView },
  'settings:save': { req: SettingsSaveInput, res: SaveResult },
  'sync:status': { req: None, res: SyncStatusSchema },
  'sync:pause': { req: None, res: SyncStatusSchema },
  'sync:resume': { req: None, res: SyncStatusSchema },
  'sync:run-once': { req: None, res: CycleResultSchema },
  'connection:test-gateway': { req: GatewayTestInput, res: GatewayTestResult },
  'connection:test-agentwatch': { req: AgentWatchTestInput, res: AgentWatchTestResult },
  /** Sends one test alert to a webhook target and words its answer. */
  'alerts:test': { req: AlertTestInput, res: AlertTestResult },
  /** Main copies the redacted bundle to the clipboard and returns it for display. */
  'diagnostics:copy': { req: None, res: DiagnosticsResult },
  'usage:hourly': { req: z.object({ hours: z.number().int().min(1).max(168) }), res: z.array(HourlyUsageSchema) },
  /** How an expression would judge the sessions of the last poll (nothing is saved). */
  'filter:preview': { req: FilterPreviewInput, res: FilterPreviewSchema },
  'app:about': { req: None, res: AboutInfo },
  'app:open': { req: z.object({ target: AboutTarget }), res: OpenResult },
} as const;

export const push = {
  'sync:status-changed': SyncStatusSchema,
} as const;

export type InvokeChannel = keyof typeof invoke;
export type PushChannel = keyof typeof push;
export type InvokeRequest<C extends InvokeChannel> = z.input<(typeof invoke)[C]['req']>;
export type InvokeResponse<C extends InvokeChannel> = z.infer<(typeof invoke)[C]['res']>;

/** Every invoke answers with this envelope so the renderer can show main's validation errors. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Which invoke channel backs each RendererApi method; the preload reads names from here instead of spelling them. */
export const rendererChannels = {
  getSettings: 'settings:get',
  saveSettings: 'settings:save',
  getStatus: 'sync:status',
  pause: 'sync:pause',
  resume: 'sync:resume',
  runOnce: 'sync:run-once',
  testGateway: 'connection:test-gateway',
  testAgentWatch: 'connection:test-agentwatch',
  testAlert: 'alerts:test',
  copyDiagnostics: 'diagnostics:copy',
  usageByHour: 'usage:hourly',
  previewFilter: 'filter:preview',
  about: 'app:about',
  openAboutTarget: 'app:open',
} as const satisfies Record<string, InvokeChannel>;

/** The push channel behind RendererApi.onStatus. */
export const STATUS_PUSH_CHANNEL = 'sync:status-changed' satisfies PushChannel;
