import type { AboutInfo, AboutTarget, AgentWatchTestResult, GatewayTestResult, MetricsState, SettingsView } from '../shared/ipc-contract.js';
import type { Settings } from '../shared/settings.js';
import type { Logger } from '../sync/ports.js';
import type { AppAlerts } from './app-alerts.js';
import { routingKeyProblem, slackUrlProblem } from '../shared/alert-secret-checks.js';
import { buildDiagnostics } from './diagnostics.js';
import { NotificationPrefs } from '../shared/notification-prefs.js';
import type { EngineHost } from './engine-host.js';
import { handle, type IpcMainLike, type SenderCheck } from './ipc.js';
import type { LoginItem } from './login-item.js';
import type { SecretName, SecretStore } from './secret-store.js';
import type { SettingsRepo } from './settings-repo.js';

export type GatewayTest = (input: { url: string; token: string | undefined; timeoutMs: number; clientVersion: string }) => Promise<GatewayTestResult>;
export type AgentWatchTest = (input: { baseUrl: string; apiKey: string | undefined; timeoutMs: number }) => Promise<AgentWatchTestResult>;

export interface IpcHandlerDeps {
  ipc: IpcMainLike;
  trusted: SenderCheck;
  log: Logger;
  repo: SettingsRepo;
  secrets: SecretStore;
  /** The secret the engine would use: the stored one, else the one in tokenFile/apiKeyFile. */
  readSecret(name: Extract<SecretName, 'gatewayToken' | 'apiKey'>): Promise<string | undefined>;
  loginItem: LoginItem;
  engines: Pick<EngineHost, 'current' | 'restart' | 'status'>;
  testGateway: GatewayTest;
  testAgentWatch: AgentWatchTest;
  clipboard: { writeText(text: string): void };
  versions: Record<string, string>;
  clientVersion: string;
  recentProblems(): string[];
  /** The Prometheus endpoint's state, shown in the window; omitted = this host serves no metrics. */
  metricsState?(): MetricsState;
  /** Webhook alerts; omitted = this host sends none. */
  alerts?: Pick<AppAlerts, 'view' | 'test'>;
  /** The About section's facts and how to open its targets ('' = opened, else why not). */
  about: { info: AboutInfo; open(target: AboutTarget): Promise<string> };
  now(): number;
  /** After a successful save (e.g. to apply the log level). */
  onSaved?(settings: Settings): void;
}

const NO_ENCRYPTION = 'This system offers no encryption for secrets, so it cannot be stored. Use a token file (tokenFile / apiKeyFile) instead.';

export function registerIpcHandlers(d: IpcHandlerDeps): void {
  const on = <C extends Parameters<typeof handle>[2]>(channel: C, fn: Parameters<typeof handle<C>>[3]) =>
    handle(d.ipc, d.trusted, channel, fn, d.log);

  const view = (): SettingsView => ({
    settings: d.repo.load(),
    hasToken: d.secrets.get('gatewayToken') !== undefined,
    hasApiKey: d.secrets.get('apiKey') !== undefined,
    secretStorage: d.secrets.storage,
    openAtLogin: d.loginItem.isEnabled(),
    notifications: d.repo.loadNotificationPrefs(),
    ...(d.metricsState ? { metrics: d.metricsState() } : {}),
    ...(d.alerts ? { alerts: d.alerts.view() } : {}),
  });

  on('settings:get', () => view());

  on('settings:save', async (req) => {
    const checked = d.repo.validate(req.settings);
    const errors: Record<string, string> = checked.ok ? {} : { ...checked.errors };
    const prefs = req.notifications === undefined ? null : NotificationPrefs.safeParse(req.notifications);
    if (prefs && !prefs.success) for (const i of prefs.error.issues) errors[['notifications', ...i.path.map(String)].join('.')] = i.message;
    if (d.secrets.storage === 'none') {
      if (req.token) errors.token = NO_ENCRYPTION;
      if (req.apiKey) errors.apiKey = NO_ENCRYPTION;
      if (req.slackWebhookUrl) errors.slackWebhookUrl = NO_ENCRYPTION;
      if (req.pagerdutyRoutingKey) errors.pagerdutyRoutingKey = NO_ENCRYPTION;
    }
    const slackProblem = req.slackWebhookUrl ? slackUrlProblem(req.slackWebhookUrl) : null;
    if (slackProblem) errors.slackWebhookUrl = `The URL ${slackProblem}`;
    const keyProblem = req.pagerdutyRoutingKey ? routingKeyProblem(req.pagerdutyRoutingKey) : null;
    if (keyProblem) errors.pagerdutyRoutingKey = `The key ${keyProblem}`;
    if (!checked.ok || Object.keys(errors).length) return { ok: false as const, errors };

    const before = JSON.stringify(d.repo.load());
    d.repo.save(checked.settings);
    let secretsChanged = false;
    const typed = [['gatewayToken', req.token], ['apiKey', req.apiKey], ['slackWebhookUrl', req.slackWebhookUrl], ['pagerdutyRoutingKey', req.pagerdutyRoutingKey]] as const;
    for (const [name, value] of typed) {
      if (value === undefined || value === (d.secrets.get(name) ?? '')) continue;
      d.secrets.set(name, value === '' ? undefined : value);
      secretsChanged = true;
    }
    if (req.openAtLogin !== undefined && req.openAtLogin !== d.loginItem.isEnabled()) d.loginItem.set(req.openAtLogin);
    if (prefs?.success) d.repo.saveNotificationPrefs(prefs.data); // read by the notifier on every status change
    d.onSaved?.(checked.settings);
    if (secretsChanged || JSON.stringify(checked.settings) !== before) {
      d.log.info('Settings saved; restarting the sync engine with them.');
      await d.engines.restart();
    }
    return { ok: true as const, view: view() };
  });

  on('sync:status', () => d.engines.status());
  on('sync:pause', () => {
    d.engines.current().pause();
    return d.engines.status();
  });
  on('sync:resume', () => {
    d.engines.current().resume();
    return d.engines.status();
  });
  on('sync:run-once', () => d.engines.current().runOnce());

  on('connection:test-gateway', async (req) =>
    d.testGateway({
      url: req.openclawUrl,
      token: req.token || (await d.readSecret('gatewayToken')),
      timeoutMs: d.repo.load().requestTimeoutMs,
      clientVersion: d.clientVersion,
    }),
  );
  on('connection:test-agentwatch', async (req) =>
    d.testAgentWatch({ baseUrl: req.agentwatchUrl, apiKey: req.apiKey || (await d.readSecret('apiKey')), timeoutMs: d.repo.load().requestTimeoutMs }),
  );

  on('alerts:test', async (req) => {
    if (!d.alerts) return { ok: false, message: 'This host sends no webhook alerts.' };
    return d.alerts.test(req.target, req.secret || undefined);
  });

  on('diagnostics:copy', async () => {
    const v = view();
    const secretValues = [await d.readSecret('gatewayToken'), await d.readSecret('apiKey')];
    const text = buildDiagnostics({
      now: d.now(),
      versions: d.versions,
      settings: v.settings,
      secrets: { hasToken: v.hasToken, hasApiKey: v.hasApiKey, storage: v.secretStorage },
      status: d.engines.status(),
      recentProblems: d.recentProblems(),
      secretValues: secretValues.filter((s): s is string => s !== undefined),
    });
    d.clipboard.writeText(text);
    return { text };
  });

  on('usage:hourly', (req) => d.engines.current().usageByHour(req.hours));
  on('filter:preview', (req) => d.engines.current().previewFilter(req.expression));
  on('app:about', () => d.about.info);
  on('app:open', async (req) => ({ error: await d.about.open(req.target) }));
}
