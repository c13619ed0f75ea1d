import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import type { SyncStatus } from '../shared/sync-status.js';
import { buildMenu, trayTooltip, type MenuOptions, type TrayActions } from './tray-menu.js';
import { trayState, type TrayState } from './tray-state.js';
import { trayTitle } from './tray-title.js';

/** The slice of Electron's Tray/Menu/nativeImage this adapter uses; index.ts passes the real ones. */
export interface ImageLike {
  setTemplateImage(on: boolean): void;
}
export interface TrayLike<I extends ImageLike> {
  setImage(image: I): void;
  setToolTip(text: string): void;
  /** macOS only (Electron's Tray.setTitle); never called elsewhere. */
  setTitle(title: string): void;
  setContextMenu(menu: unknown): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}
export interface TrayDeps<I extends ImageLike> {
  createTray(image: I): TrayLike<I>;
  buildMenu(template: MenuItemConstructorOptions[]): unknown;
  imageFromPath(path: string): I;
  platform: NodeJS.Platform;
  assetsDir: string;
  now(): number;
}

/**
 * `tray-<state>.png` (Electron picks up the `@2x` sibling itself); on macOS the `Template` variant, which the
 * menu bar recolours for light/dark mode.
 */
export function trayIconPath(state: TrayState, platform: NodeJS.Platform, assetsDir: string): string {
  return join(assetsDir, platform === 'darwin' ? `tray-${state}Template.png` : `tray-${state}.png`);
}

export interface TrayController {
  /** Rebuilds icon, tooltip and menu; also called on a timer so "stale" appears without a status change. */
  update(status: SyncStatus): void;
  destroy(): void;
}

export function createTray<I extends ImageLike>(deps: TrayDeps<I>, actions: TrayActions, options: () => MenuOptions, initial: SyncStatus): TrayController {
  let iconPath = '';
  const icon = (s: SyncStatus) => trayIconPath(trayState(s, deps.now()), deps.platform, deps.assetsDir);
  const image = (path: string) => {
    const img = deps.imageFromPath(path);
    if (deps.platform === 'darwin') img.setTemplateImage(true);
    return img;
  };
  iconPath = icon(initial);
  const tray = deps.createTray(image(iconPath));
  // Windows users expect a left click to open the app; macOS and Linux show the menu instead.
  if (deps.platform === 'win32') tray.on('click', actions.openSettings);

  const update = (s: SyncStatus) => {
    const now = deps.now();
    const next = icon(s);
    if (next !== iconPath) tray.setImage(image((iconPath = next)));
    const opts = options();
    tray.setToolTip(trayTooltip(s, now, opts));
    if (deps.platform === 'darwin') tray.setTitle(trayTitle(s, opts.trayTitle));
    // Linux (AppIndicator) only picks up a changed menu when it is set again.
    tray.setContextMenu(deps.buildMenu(buildMenu(s, now, actions, opts)));
  };
  update(initial);
  return { update, destroy: () => tray.destroy() };
}
