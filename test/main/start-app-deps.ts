import * as fs from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineFactory, StartAppDeps } from '../../src/main/start-app.js';
import { createLogger } from '../../src/sync/logger.js';
import { serveMetrics } from '../../src/sync/metrics/metrics-endpoint.js';
import { app, BrowserWindow, clipboard, ipcMain, Menu, nativeImage, Notification, safeStorage, Tray, type FakeNativeImage } from '../support/fake-electron/index.js';
import { FakeEngine } from './fake-engine.js';

/** startApp's dependencies with the fake electron, FakeEngines and the real metrics server; `root` holds the home dir. */
export function startAppDeps(root: string, env: Record<string, string> = {}) {
  const engines: FakeEngine[] = [];
  const engineDeps: Array<Parameters<EngineFactory>[1]> = [];
  const timers = { started: 0, stopped: 0, tick: () => {}, all: [] as Array<{ ms: number; fn: () => void }> };
  const d: StartAppDeps<FakeNativeImage> = {
    app,
    createTray: (image) => new Tray(image),
    buildMenu: Menu.buildFromTemplate,
    imageFromPath: nativeImage.createFromPath,
    ipc: ipcMain,
    createWindow: (o) => new BrowserWindow(o),
    safeStorage,
    clipboard,
    openExternal: async () => {},
    openPath: async () => '',
    showNotification: (n) => new Notification(n).show(),
    notificationsSupported: () => Notification.isSupported(),
    createEngine: async (_settings, deps) => {
      engineDeps.push(deps);
      const e = new FakeEngine({ lastSuccessAt: Date.now() });
      engines.push(e);
      return e;
    },
    serveMetrics,
    createLogger,
    testGateway: async () => ({ ok: true, message: 'ok' }),
    testAgentWatch: async () => ({ ok: true, message: 'ok' }),
    fs: { ...fs, readFile: (p) => readFile(p, 'utf8') },
    platform: 'linux',
    env,
    homeDir: join(root, 'home'),
    hostname: 'test-host',
    execPath: '/opt/agentwatch-sync/agentwatch-sync',
    distDir: '/app/dist',
    assetsDir: '/app/assets/tray',
    versions: { electron: '45.5.0' },
    now: () => Date.now(),
    every: (ms, fn) => {
      timers.started++;
      timers.all.push({ ms, fn });
      // `tick` is the tray's refresh beat; the update service's 6-hourly timer is in `all`.
      if (ms === 15_000) timers.tick = fn;
      return () => void timers.stopped++;
    },
  };
  return { d, engines, engineDeps, timers };
}
