import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserWindowConstructorOptions } from 'electron';
import type { SyncStatus } from '../shared/sync-status.js';
import { pushStatus, type WebContentsLike } from './ipc.js';

type PermissionRequestHandler = (wc: unknown, permission: string, callback: (granted: boolean) => void) => void;

/** The slice of BrowserWindow this adapter uses. */
export interface WindowLike {
  readonly webContents: WebContentsLike & {
    readonly id: number;
    readonly session: {
      setPermissionRequestHandler(handler: PermissionRequestHandler | null): void;
      setPermissionCheckHandler(handler: (() => boolean) | null): void;
    };
    setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
    on(event: 'will-navigate', listener: (event: { preventDefault(): void }, url: string) => void): unknown;
  };
  once(event: 'ready-to-show', listener: () => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
  loadFile(path: string): Promise<void>;
  show(): void;
  focus(): void;
  isMinimized(): boolean;
  restore(): void;
  isDestroyed(): boolean;
}

export interface SettingsWindowDeps {
  createWindow(options: BrowserWindowConstructorOptions): WindowLike;
  /** Folder holding `preload/index.cjs` and `renderer/index.html` (the esbuild output). */
  distDir: string;
  onLoadError(error: unknown): void;
}

export interface SettingsWindow {
  open(): void;
  /** Settles when the window `open` made last has loaded its page (rejects when it could not). */
  loaded(): Promise<void>;
  /** The open window's WebContents id, for the IPC sender check; undefined when closed. */
  webContentsId(): number | undefined;
  readonly pageUrl: string;
  pushStatus(status: SyncStatus): void;
}

// Sizes of the page itself (useContentSize): it opens with the whole Status section in view beside the sidebar
// (test/renderer/window-layout.test.ts measures it); at the minimum the sidebar and the Save bar still fit.
export const WINDOW_SIZE = { width: 760, height: 760 };
export const WINDOW_MIN_SIZE = { width: 620, height: 480 };

export function settingsWindowOptions(distDir: string): BrowserWindowConstructorOptions {
  return {
    ...WINDOW_SIZE,
    minWidth: WINDOW_MIN_SIZE.width,
    minHeight: WINDOW_MIN_SIZE.height,
    useContentSize: true,
    show: false,
    title: 'AgentWatch Sync — Settings',
    autoHideMenuBar: true,
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: join(distDir, 'preload', 'index.cjs'),
    },
  };
}

/** One settings window at a time, locked down per Electron's security checklist. */
export function createSettingsWindow(deps: SettingsWindowDeps): SettingsWindow {
  const htmlPath = join(deps.distDir, 'renderer', 'index.html');
  const pageUrl = pathToFileURL(htmlPath).href;
  let win: WindowLike | undefined;
  let loading: Promise<void> = Promise.reject(new Error('the settings window was never opened'));
  loading.catch(() => {});

  const open = () => {
    if (win && !win.isDestroyed()) {
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
      return;
    }
    const w = deps.createWindow(settingsWindowOptions(deps.distDir));
    win = w;
    w.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
    w.webContents.on('will-navigate', (event) => event.preventDefault());
    w.webContents.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    w.webContents.session.setPermissionCheckHandler(() => false);
    w.once('ready-to-show', () => w.show());
    w.on('closed', () => {
      if (win === w) win = undefined;
    });
    loading = w.loadFile(htmlPath);
    loading.catch(deps.onLoadError);
  };

  return {
    open,
    loaded: () => loading,
    pageUrl,
    webContentsId: () => (win && !win.isDestroyed() ? win.webContents.id : undefined),
    pushStatus: (status) => {
      if (win && !win.isDestroyed()) pushStatus(win.webContents, status);
    },
  };
}
