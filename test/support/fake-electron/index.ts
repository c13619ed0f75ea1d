// A hand-written stand-in for the `electron` module (the real one downloads a binary). The resolve hook in
// hooks.mjs maps `electron` here for every test, so electron-store and src/main adapters load it too. Tests
// import `__test` (and the classes) from this file to drive and inspect it.
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeBrowserWindow, FakeWebContents, session } from './browser-window.js';
import { FakeMenu } from './menu.js';
import { autoUpdater, FakePartition, net, netRequests } from './net.js';
import { Notification, notifications } from './notification.js';

export { FakeMenu as Menu, findMenuItem } from './menu.js';
export { FakeBrowserWindow as BrowserWindow, FakeWebContents, session } from './browser-window.js';
export { Notification } from './notification.js';
export { autoUpdater, net } from './net.js';

const state = {
  paths: {} as Record<string, string>,
  singleInstanceLock: true,
  loginItem: { openAtLogin: false } as { openAtLogin: boolean; openAsHidden?: boolean },
  encryptionAvailable: true,
  storageBackend: 'gnome_libsecret' as string,
  clipboard: '',
  openedExternal: [] as string[],
  openedPaths: [] as string[],
  quitCalls: 0,
  hasQuit: false,
  exitCode: null as number | null,
  dockHidden: false,
};

class FakeApp extends EventEmitter {
  isPackaged = false;
  relaunches = 0;
  dock: { hide(): void; show(): Promise<void> } | undefined = {
    hide: () => void (state.dockHidden = true),
    show: async () => void (state.dockHidden = false),
  };
  getPath(name: string): string {
    state.paths[name] ??= mkdtempSync(join(tmpdir(), `fake-electron-${name}-`));
    return state.paths[name];
  }
  getVersion(): string {
    return '0.1.0';
  }
  getLocale(): string {
    return 'en-US';
  }
  getName(): string {
    return 'AgentWatch Sync';
  }
  getAppPath(): string {
    return process.cwd();
  }
  isReady(): boolean {
    return true;
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  requestSingleInstanceLock(): boolean {
    return state.singleInstanceLock;
  }
  setLoginItemSettings(settings: { openAtLogin?: boolean; openAsHidden?: boolean }): void {
    state.loginItem = { ...state.loginItem, ...settings, openAtLogin: settings.openAtLogin ?? false };
  }
  getLoginItemSettings(): { openAtLogin: boolean } {
    return { ...state.loginItem };
  }
  /** Like Electron: before-quit (preventable), will-quit (preventable), then quit. */
  quit(): void {
    state.quitCalls++;
    const before = preventable();
    this.emit('before-quit', before);
    if (before.defaultPrevented) return;
    const will = preventable();
    this.emit('will-quit', will);
    if (will.defaultPrevented) return;
    state.hasQuit = true;
    this.emit('quit', preventable(), 0);
  }
  relaunch(): void {
    this.relaunches++;
  }
  exit(code = 0): void {
    state.hasQuit = true;
    state.exitCode = code;
  }
}

function preventable() {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

export const app = new FakeApp();

export class Tray extends EventEmitter {
  images: FakeNativeImage[] = [];
  tooltips: string[] = [];
  titles: string[] = [];
  menus: FakeMenu[] = [];
  destroyed = false;
  constructor(image: FakeNativeImage | string) {
    super();
    this.images.push(typeof image === 'string' ? nativeImage.createFromPath(image) : image);
    trays.push(this);
  }
  setImage(image: FakeNativeImage | string): void {
    this.images.push(typeof image === 'string' ? nativeImage.createFromPath(image) : image);
  }
  setToolTip(text: string): void {
    this.tooltips.push(text);
  }
  setTitle(title: string): void {
    this.titles.push(title);
  }
  setContextMenu(menu: FakeMenu | null): void {
    if (menu) this.menus.push(menu);
  }
  destroy(): void {
    this.destroyed = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class FakeNativeImage {
  template = false;
  constructor(readonly path: string) {}
  isEmpty(): boolean {
    return this.path === '';
  }
  setTemplateImage(on: boolean): void {
    this.template = on;
  }
}

export const nativeImage = {
  createFromPath: (path: string) => new FakeNativeImage(path),
  createEmpty: () => new FakeNativeImage(''),
};

type IpcHandler = (event: { sender: { id: number }; senderFrame: { url: string } | null }, ...args: unknown[]) => unknown;
const handlers = new Map<string, IpcHandler>();

class FakeIpcMain extends EventEmitter {
  handle(channel: string, fn: IpcHandler): void {
    if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    handlers.set(channel, fn);
  }
  removeHandler(channel: string): void {
    handlers.delete(channel);
  }
}
export const ipcMain = new FakeIpcMain();

const ENCRYPTED_PREFIX = 'fake-safe-storage:';
export const safeStorage = {
  isEncryptionAvailable: () => state.encryptionAvailable,
  getSelectedStorageBackend: () => state.storageBackend,
  encryptString(text: string): Buffer {
    if (!state.encryptionAvailable) throw new Error('Encryption is not available.');
    // Reversible but not readable: the file on disk must not contain the plain text.
    return Buffer.from(ENCRYPTED_PREFIX + Buffer.from(text, 'utf8').reverse().toString('base64'), 'utf8');
  },
  decryptString(data: Buffer): string {
    const s = data.toString('utf8');
    if (!s.startsWith(ENCRYPTED_PREFIX)) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(s.slice(ENCRYPTED_PREFIX.length), 'base64').reverse().toString('utf8');
  },
};

export const clipboard = {
  writeText: (text: string) => void (state.clipboard = text),
  readText: () => state.clipboard,
};

export const shell = {
  openExternal: async (url: string) => void state.openedExternal.push(url),
  openPath: async (path: string) => {
    state.openedPaths.push(path);
    return '';
  },
};

const trays: Tray[] = [];

/** The test-side handle: inspect what the code under test did, drive events, reset between tests. */
export const __test = {
  state,
  trays,
  handlers,
  notifications,
  netRequests,
  windows: FakeBrowserWindow.all,
  session,
  /** Calls the handler registered for `channel` the way Electron would for a renderer's ipcRenderer.invoke. */
  // `any`: the answer is whatever the channel's envelope holds; tests assert on its shape.
  async invoke(channel: string, payload: unknown, sender: { webContents: FakeWebContents | { id: number }; frameUrl: string }): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const fn = handlers.get(channel);
    if (!fn) throw new Error(`No handler registered for '${channel}'`);
    const event = { sender: sender.webContents, senderFrame: { url: sender.frameUrl }, processId: 1, frameId: 1 };
    // Structured clone both ways, as the real IPC does: a function or class instance in an answer fails here too.
    return structuredClone(await fn(event, ...(payload === undefined ? [] : [structuredClone(payload)])));
  },
  reset(paths: Record<string, string> = {}): void {
    state.paths = { ...paths };
    state.singleInstanceLock = true;
    state.loginItem = { openAtLogin: false };
    state.encryptionAvailable = true;
    state.storageBackend = 'gnome_libsecret';
    state.clipboard = '';
    state.openedExternal = [];
    state.openedPaths = [];
    state.quitCalls = 0;
    state.hasQuit = false;
    state.exitCode = null;
    state.dockHidden = false;
    trays.length = 0;
    handlers.clear();
    notifications.length = 0;
    netRequests.length = 0;
    app.isPackaged = false;
    autoUpdater.removeAllListeners();
    FakeBrowserWindow.all.length = 0;
    session.defaultSession.permissionRequestHandler = null;
    session.defaultSession.permissionCheckHandler = null;
    app.removeAllListeners();
    ipcMain.removeAllListeners();
  },
};

// electron-updater asks for its own partition; requests through it go to the fake net.
const sessionWithPartitions = Object.assign(session, { fromPartition: (name: string) => new FakePartition(name) });

const electron = {
  app,
  autoUpdater,
  net,
  BrowserWindow: FakeBrowserWindow,
  Menu: FakeMenu,
  Notification,
  Tray,
  clipboard,
  ipcMain,
  nativeImage,
  safeStorage,
  session: sessionWithPartitions,
  shell,
};
// The CommonJS entry (electron.cjs) re-exports this very instance.
Object.assign(globalThis, { __agentwatchFakeElectron: electron });
export default electron;
