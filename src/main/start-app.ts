import { join } from 'node:path';
import type { BrowserWindowConstructorOptions, MenuItemConstructorOptions } from 'electron';
import { PROJECT_URL } from '../shared/about.js';
import { clockFormatter } from '../shared/format-clock.js';
import { errorMessage } from '../sync/errors.js';
import type { ClosableLogger, LoggerOptions } from '../sync/logger.js';
import { realSleep, silentLogger, type Logger } from '../sync/ports.js';
import { syncConfigOf, type SyncConfig } from '../sync/sync-config.js';
import { createAppAlerts } from './app-alerts.js';
import { createAppMetrics, type ServeMetrics } from './app-metrics.js';
import { setupLifecycle, type AppLike } from './app-lifecycle.js';
import { readAppSecret, resolveAppApiKey, resolveAppGatewayToken, type SecretSourceDeps } from './app-secrets.js';
import { EngineHost, type HostedEngine } from './engine-host.js';
import { trustedSender, type IpcMainLike } from './ipc.js';
import { registerIpcHandlers, type AgentWatchTest, type GatewayTest } from './ipc-handlers.js';
import { openJsonStore } from './json-store.js';
import { appLoggerOptions, logFilePath } from './log-path.js';
import { createLoginItem, type LoginItemDeps } from './login-item.js';
import { createNotifier, type AppNotification } from './notifications.js';
import { durableNotifierMemory } from './notifier-memory.js';
import { createRecentLog } from './recent-log.js';
import { createSecretStore, type SafeStorageLike } from './secret-store.js';
import { createSettingsRepo } from './settings-repo.js';
import { createSettingsWindow, type WindowLike } from './settings-window.js';
import { runSmokeTest, SMOKE_TEST_FLAG } from './smoke-test.js';
import { createTray, type ImageLike, type TrayLike } from './tray.js';
import { createAppUpdates, type AppUpdatesDeps } from './app-updates.js';
import type { UpdateService } from './update-service.js';

export type EngineFactory = (
  config: SyncConfig,
  deps: { log: Logger; stateDir: string; gatewayToken: string; apiKey?: string; clientVersion: string; maxErrors?: number },
) => Promise<HostedEngine>;

/** Everything the app needs from Electron and the outside world; index.ts passes the real ones, tests the fakes. */
export interface StartAppDeps<I extends ImageLike> {
  app: AppLike &
    LoginItemDeps['app'] & { getPath(name: 'userData' | 'logs'): string; getVersion(): string; getLocale(): string; whenReady(): Promise<unknown>; isPackaged: boolean };
  createTray(image: I): TrayLike<I>;
  buildMenu(template: MenuItemConstructorOptions[]): unknown;
  imageFromPath(path: string): I;
  ipc: IpcMainLike;
  createWindow(options: BrowserWindowConstructorOptions): WindowLike;
  safeStorage: SafeStorageLike;
  clipboard: { writeText(text: string): void };
  openExternal(url: string): Promise<void>;
  /** Resolves to an error message, '' on success (Electron's shell.openPath). */
  openPath(path: string): Promise<string>;
  showNotification(n: AppNotification): void;
  notificationsSupported(): boolean;
  createEngine: EngineFactory;
  /** Serves /metrics and /healthz for an engine while `metricsPort` is set. */
  serveMetrics: ServeMetrics;
  createLogger(options: LoggerOptions): ClosableLogger;
  testGateway: GatewayTest;
  testAgentWatch: AgentWatchTest;
  fs: LoginItemDeps['fs'] & { readFile(path: string): Promise<string> };
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  homeDir: string;
  /** This machine's name: PagerDuty's `source`. */
  hostname: string;
  execPath: string;
  distDir: string;
  assetsDir: string;
  versions: Record<string, string>;
  now(): number;
  /** Starts a repeating timer; returns its stop function. */
  every(ms: number, fn: () => void): () => void;
  console?: NodeJS.WritableStream | null;
  /** The process arguments; `--smoke-test` starts, opens the window and quits (see smoke-test.ts). */
  argv?: readonly string[];
  createUpdater?: AppUpdatesDeps['createUpdater'];
  /** What electron-builder left in resources/: see UpdateContext. */
  install?: { packageType: string | null; hasFeedConfig: boolean };
}

export interface RunningApp {
  engines: EngineHost;
  /** null where updates do not apply (see canSelfUpdate). */
  updates: UpdateService | null;
  openSettings(): void;
  logPath: string;
}

// The tray re-renders on this beat even without a status change, so "stale" and "x min ago" stay true.
const TRAY_REFRESH_MS = 15_000;

/** Wires the tray app. Resolves null when another instance already runs (this one then quits). */
export async function startApp<I extends ImageLike>(d: StartAppDeps<I>): Promise<RunningApp | null> {
  let shutdown = async () => {};
  let openSettings = () => {};
  // The lifecycle starts before the logger exists (the lock must be taken first); it logs through this.
  let log: Logger = silentLogger;
  const primary = setupLifecycle({
    app: d.app,
    platform: d.platform,
    log: { debug: (m) => log.debug(m), info: (m) => log.info(m), warn: (m) => log.warn(m), error: (m) => log.error(m) },
    focusSettings: () => openSettings(),
    shutdown: () => shutdown(),
  });
  if (!primary) return null;
  await d.app.whenReady();

  const userData = d.app.getPath('userData');
  const logPath = logFilePath(d.app);
  let knownSecrets: string[] = [];
  let alertSecrets: string[] = [];
  const fileLog = d.createLogger(appLoggerOptions(logPath, 'INFO', () => [...knownSecrets, ...alertSecrets], d.console ?? null));
  const recent = createRecentLog(fileLog, 20, d.now);
  log = recent.log;
  const clientVersion = d.app.getVersion();
  log.info(`AgentWatch Sync ${clientVersion} starting (Electron ${d.versions.electron ?? '?'}, ${d.platform})`);

  const repo = createSettingsRepo(openJsonStore(userData, 'settings', log), log);
  fileLog.setLevel(repo.load().logLevel);
  const secrets = createSecretStore(d.safeStorage, openJsonStore(userData, 'secrets', log), log, d.platform);
  const sources: SecretSourceDeps = { secrets, settings: () => repo.load(), env: d.env, homeDir: d.homeDir, readFile: d.fs.readFile };
  const loginItem = createLoginItem({ platform: d.platform, app: d.app, fs: d.fs, env: d.env, homeDir: d.homeDir, execPath: d.execPath });
  // An AppImage update renames the file (the version is in its name): the autostart entry follows the running copy.
  if (d.platform === 'linux' && loginItem.isEnabled()) loginItem.set(true);

  const metrics = createAppMetrics({ serve: d.serveMetrics, settings: () => repo.load(), log, clock: { now: d.now } });
  const stateDir = join(userData, 'state');
  const alerts = createAppAlerts({
    settings: () => repo.load(), secrets, env: d.env, readFile: d.fs.readFile, hostname: d.hostname, stateDir, log,
    clock: { now: d.now }, sleep: realSleep, random: Math.random, onSecrets: (values) => (alertSecrets = values),
  });
  const engines = new EngineHost(async () => {
    const settings = repo.load();
    const gatewayToken = await resolveAppGatewayToken(sources);
    const apiKey = await resolveAppApiKey(sources);
    knownSecrets = [gatewayToken, ...(apiKey ? [apiKey] : [])];
    // maxErrors 0: the tray keeps retrying and shows the error; only the CLI gives up.
    return d.createEngine(syncConfigOf(settings), { log, stateDir, gatewayToken, apiKey, clientVersion, maxErrors: 0 });
  }, log, { now: d.now }, async (engine) => {
    const [stopMetrics, stopAlerts] = [await metrics.attach(engine), await alerts.attach(engine)];
    return async () => {
      await stopAlerts();
      await stopMetrics();
    };
  });

  const window = createSettingsWindow({
    createWindow: d.createWindow,
    distDir: d.distDir,
    onLoadError: (e) => log.error(`Settings window failed to load: ${errorMessage(e)}. Rebuild with npm run build.`),
  });
  openSettings = () => window.open();

  let updates: UpdateService | null = null;
  let stopWork = async () => {};
  const formatTime = clockFormatter(d.app.getLocale());
  const menuOptions = () => {
    const settings = repo.load();
    return {
      dashboardUrl: settings.dashboardUrl, formatTime, finishedGraceMs: settings.finishedSubagentGraceMin * 60_000, trayTitle: settings.trayTitle,
      updateVersion: updates?.readyVersion() ?? null,
    };
  };
  const tray = createTray(
    { createTray: d.createTray, buildMenu: d.buildMenu, imageFromPath: d.imageFromPath, platform: d.platform, assetsDir: d.assetsDir, now: d.now },
    {
      pause: () => engines.current().pause(),
      resume: () => engines.current().resume(),
      runOnce: () => void engines.current().runOnce().catch((e) => log.error(`Run once failed: ${errorMessage(e)}`)),
      openSettings,
      openExternal: (url) => void d.openExternal(url).catch((e) => log.warn(`Could not open ${url}: ${errorMessage(e)}`)),
      openLogFile: () => void d.openPath(logPath).then((err) => err && log.warn(`Could not open the log file ${logPath}: ${err}`)),
      copyText: (text) => d.clipboard.writeText(text),
      // The engine flushes first; then electron-updater installs and quits (which runs the rest of the shutdown).
      restartToUpdate: () => void stopWork().then(() => updates?.installAndRestart() || d.app.quit()),
      quit: () => d.app.quit(),
    },
    menuOptions,
    engines.status(),
  );

  const notify = createNotifier(
    { show: d.showNotification, isSupported: d.notificationsSupported, prefs: () => repo.loadNotificationPrefs(), now: d.now, log, memory: durableNotifierMemory(stateDir, log) },
    engines.status(),
  );
  engines.onStatus((s) => {
    tray.update(s);
    window.pushStatus(s);
    notify(s);
  });
  const stopTimer = d.every(TRAY_REFRESH_MS, () => tray.update(engines.status()));

  updates = createAppUpdates({
    context: {
      isPackaged: d.app.isPackaged, platform: d.platform, env: d.env, smokeTest: d.argv?.includes(SMOKE_TEST_FLAG) ?? false,
      packageType: d.install?.packageType ?? null, hasFeedConfig: d.install?.hasFeedConfig ?? false,
    },
    createUpdater: d.createUpdater, userData, writeFileSync: (path, text) => d.fs.writeFileSync(path, text),
    enabled: () => repo.load().checkForUpdates, log, every: d.every,
    refreshTray: () => tray.update(engines.status()),
    notify: (n) => d.notificationsSupported() && d.showNotification(n),
  });
  let updatesOn = repo.load().checkForUpdates;

  registerIpcHandlers({
    ipc: d.ipc,
    trusted: trustedSender(() => window.webContentsId(), window.pageUrl),
    log,
    repo,
    secrets,
    readSecret: (name) => readAppSecret(sources, name),
    loginItem,
    engines,
    testGateway: d.testGateway,
    testAgentWatch: d.testAgentWatch,
    clipboard: d.clipboard,
    versions: { app: clientVersion, ...d.versions, os: `${d.platform}` },
    about: {
      info: { appVersion: clientVersion, stateDir, logFile: logPath, projectUrl: PROJECT_URL },
      open: async (target) => {
        if (target === 'project') return d.openExternal(PROJECT_URL).then(() => '', (e: unknown) => `Could not open ${PROJECT_URL}: ${errorMessage(e)}`);
        const path = target === 'stateDir' ? stateDir : logPath;
        const error = await d.openPath(path);
        return error && `Could not open ${path}: ${error}`;
      },
    },
    clientVersion,
    recentProblems: recent.recent,
    metricsState: metrics.state,
    alerts,
    now: d.now,
    onSaved: (s) => {
      fileLog.setLevel(s.logLevel);
      // Turned on in the window: check now rather than in up to 6 h.
      if (s.checkForUpdates && !updatesOn) void updates?.check();
      updatesOn = s.checkForUpdates;
    },
  });

  let stopping: Promise<void> | null = null;
  // Once, whether a quit or "Restart to update" asks first. Stopping the engine also closes its metrics server.
  stopWork = () =>
    (stopping ??= (async () => {
      log.info('Quitting: stopping the sync engine (the outbox is flushed first).');
      stopTimer();
      updates?.stop();
      await engines.stop();
      tray.destroy();
    })());
  shutdown = async () => {
    await stopWork();
    await fileLog.close();
  };

  await engines.start();
  updates?.start();
  if (d.argv?.includes(SMOKE_TEST_FLAG)) {
    void runSmokeTest({ openSettings, windowLoaded: () => window.loaded(), quit: () => d.app.quit(), exit: (code) => d.app.exit(code), log });
  } else if ((await readAppSecret(sources, 'gatewayToken')) === undefined) {
    // First run: without a token there is nothing to sync, so show where to paste it.
    openSettings();
  }
  return { engines, updates, openSettings, logPath };
}
