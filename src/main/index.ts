// Composition root of the tray app: the only file that builds real dependencies (Electron, the engine, the
// logger, the connection tests). Everything it wires lives in small modules that take these as parameters.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { autoUpdater } from 'electron-updater';
import { type NativeImage, BrowserWindow, Menu, Notification, Tray, app, clipboard, ipcMain, nativeImage, safeStorage, shell } from 'electron';
import { testAgentWatchConnection } from '../sync/sinks/connection-test-agentwatch.js';
import { testGatewayConnection } from '../sync/openclaw/connection-test-gateway.js';
import { createEngine } from '../sync/create-engine.js';
import { errorMessage } from '../sync/errors.js';
import { createLogger } from '../sync/logger.js';
import { serveMetrics } from '../sync/metrics/metrics-endpoint.js';
import { loadOrCreateDeviceIdentity } from '../sync/openclaw/device-identity.js';
import { isLoopbackUrl } from '../sync/openclaw/gateway-url.js';
import { realSleep, silentLogger, systemClock } from '../sync/ports.js';
import { createE2eHandle, E2E_ENV } from './e2e-handle.js';
import { startApp } from './start-app.js';

// The app folder (package.json, dist/, assets/): the repo in development, resources/app.asar when packaged.
const root = app.getAppPath();
const stateDir = join(app.getPath('userData'), 'state');
const e2e = process.env[E2E_ENV] === '1' ? createE2eHandle() : null;
// electron-builder writes package-type into deb/rpm/pacman packages and app-update.yml (the feed) into every build
// with a publish target; an unpacked run has neither.
const resources = app.isPackaged ? process.resourcesPath : null;
const packageType = resources && existsSync(join(resources, 'package-type')) ? readFileSync(join(resources, 'package-type'), 'utf8').trim() : null;
if (e2e) Object.assign(globalThis, { agentwatchSyncE2E: e2e.view });

startApp<NativeImage>({
  app,
  createTray: (image) => (e2e ? e2e.wrapTray<NativeImage>(new Tray(image)) : new Tray(image)),
  buildMenu: (template) => {
    e2e?.recordMenu(template);
    return Menu.buildFromTemplate(template);
  },
  imageFromPath: (path) => nativeImage.createFromPath(path),
  ipc: ipcMain,
  createWindow: (options) => new BrowserWindow(options),
  safeStorage,
  clipboard,
  // Electronegativity flags openExternal: only the dashboard URL reaches it, and it must be http(s) (the Settings
  // schema already insists; this re-check keeps a future caller from opening file: or custom-scheme URLs).
  openExternal: (url) => (/^https?:\/\//i.test(url) ? shell.openExternal(url) : Promise.reject(new Error(`refusing to open a non-http(s) URL: ${url}`))),
  openPath: (path) => shell.openPath(path),
  showNotification: (n) => new Notification({ title: n.title, body: n.body }).show(),
  notificationsSupported: () => Notification.isSupported(),
  createEngine,
  serveMetrics,
  createLogger,
  testGateway: async (input) =>
    testGatewayConnection(
      { ...input, token: input.token ?? '', device: isLoopbackUrl(input.url) ? null : await loadOrCreateDeviceIdentity(stateDir) },
      { log: silentLogger, clock: systemClock, sleep: realSleep },
    ),
  testAgentWatch: (input) => testAgentWatchConnection({ baseUrl: input.baseUrl, timeoutMs: input.timeoutMs, ...(input.apiKey ? { apiKey: input.apiKey } : {}) }),
  fs: { existsSync, mkdirSync, writeFileSync, rmSync, readFile: (path) => readFile(path, 'utf8') },
  platform: process.platform,
  env: process.env,
  homeDir: homedir(),
  hostname: hostname(),
  execPath: process.env.APPIMAGE ?? process.execPath,
  distDir: join(root, 'dist'),
  assetsDir: join(root, 'assets', 'tray'),
  versions: { electron: process.versions.electron ?? '?', chrome: process.versions.chrome ?? '?', node: process.versions.node },
  now: () => Date.now(),
  every: (ms, fn) => {
    const timer = setInterval(fn, ms);
    return () => clearInterval(timer);
  },
  console: app.isPackaged ? null : process.stderr,
  argv: process.argv,
  // A lazy getter in electron-updater: the platform's updater is built on first access, i.e. only when asked for.
  createUpdater: () => autoUpdater,
  install: { packageType, hasFeedConfig: resources !== null && existsSync(join(resources, 'app-update.yml')) },
}).then((running) => {
  if (running) e2e?.setStatusSource(() => running.engines.status());
}, (e: unknown) => {
  // Nothing is wired yet, so stderr is the only place left to say why.
  process.stderr.write(`AgentWatch Sync failed to start: ${errorMessage(e)}\n`);
  app.exit(1);
});
