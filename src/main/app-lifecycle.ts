import { errorMessage } from '../sync/errors.js';
import type { Logger } from '../sync/ports.js';

interface PreventableEvent {
  preventDefault(): void;
}

/** The slice of Electron's `app` the lifecycle needs. */
export interface AppLike {
  requestSingleInstanceLock(): boolean;
  quit(): void;
  exit(code?: number): void;
  on(event: 'second-instance', listener: () => void): unknown;
  on(event: 'window-all-closed', listener: () => void): unknown;
  on(event: 'before-quit', listener: (event: PreventableEvent) => void): unknown;
  dock?: { hide(): void } | undefined;
}

export interface LifecycleDeps {
  app: AppLike;
  platform: NodeJS.Platform;
  log: Logger;
  /** Second launch: show the running instance's settings instead. */
  focusSettings(): void;
  /** Stops the engine (flushes the outbox) and releases resources; awaited before the app quits. */
  shutdown(): Promise<void>;
}

/**
 * Returns false when another instance already runs (this one is quitting). A tray app: closing the last
 * window keeps it running, and quitting waits for the engine to flush before the process ends.
 */
export function setupLifecycle(deps: LifecycleDeps): boolean {
  const { app, log } = deps;
  if (!app.requestSingleInstanceLock()) {
    log.info('AgentWatch Sync is already running; showing its settings window instead.');
    app.quit();
    return false;
  }
  app.on('second-instance', () => deps.focusSettings());
  // No dock icon: the app lives in the menu bar.
  if (deps.platform === 'darwin') app.dock?.hide();
  // Registering the listener is what keeps Electron from quitting when the settings window closes.
  app.on('window-all-closed', () => {});

  let state: 'running' | 'stopping' | 'stopped' = 'running';
  app.on('before-quit', (event) => {
    if (state === 'stopped') return;
    event.preventDefault();
    if (state === 'stopping') return;
    state = 'stopping';
    deps
      .shutdown()
      .catch((e) => log.error(`Shutdown did not finish cleanly: ${errorMessage(e)}`))
      .finally(() => {
        state = 'stopped';
        app.quit();
      });
  });
  return true;
}
