import type { MenuItemConstructorOptions } from 'electron';
import type { SyncStatus } from '../shared/sync-status.js';
import type { ImageLike, TrayLike } from './tray.js';

/**
 * With AGENTWATCH_SYNC_E2E=1 the main process publishes what the tray shows as `globalThis.agentwatchSyncE2E`, for the
 * real-Electron suite (test/e2e/) to read with `electronApp.evaluate`: Electron offers no way to list trays or read a
 * tray's tooltip back. Off by default; it only reads.
 */
export const E2E_ENV = 'AGENTWATCH_SYNC_E2E';

export interface E2eView {
  tooltip(): string | null;
  /** The tray menu's items as last built: id, label, enabled. */
  menu(): Array<{ id: string | undefined; label: string | undefined; enabled: boolean }>;
  /** Clicks a menu item by id, as a user would. */
  click(id: string): void;
  status(): SyncStatus | null;
}

export interface E2eHandle {
  wrapTray<I extends ImageLike>(tray: TrayLike<I>): TrayLike<I>;
  recordMenu(template: MenuItemConstructorOptions[]): void;
  setStatusSource(source: () => SyncStatus): void;
  view: E2eView;
}

export function createE2eHandle(): E2eHandle {
  let tooltip: string | null = null;
  let template: MenuItemConstructorOptions[] = [];
  let status: (() => SyncStatus) | null = null;
  const view: E2eView = {
    tooltip: () => tooltip,
    menu: () => template.map((i) => ({ id: i.id, label: i.label, enabled: i.enabled !== false })),
    click: (id) => {
      const item = template.find((i) => i.id === id);
      if (!item?.click) throw new Error(`no clickable tray menu item "${id}"`);
      (item.click as () => void)();
    },
    status: () => status?.() ?? null,
  };
  return {
    wrapTray: (tray) => ({
      setImage: (image) => tray.setImage(image),
      setToolTip: (text) => {
        tooltip = text;
        tray.setToolTip(text);
      },
      setContextMenu: (menu) => tray.setContextMenu(menu),
      setTitle: (title) => tray.setTitle(title),
      on: (event, listener) => tray.on(event, listener),
      destroy: () => tray.destroy(),
    }),
    recordMenu: (t) => {
      template = t;
    },
    setStatusSource: (source) => {
      status = source;
    },
    view,
  };
}
