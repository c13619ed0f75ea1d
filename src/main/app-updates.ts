import type { Logger } from '../sync/ports.js';
import { useTestFeed, type TestFeedTarget } from './test-update-feed.js';
import { updateLabel } from './tray-menu.js';
import { canSelfUpdate, type UpdateContext } from './update-eligibility.js';
import { createUpdateService, type UpdaterLike, type UpdateService } from './update-service.js';

export interface AppUpdatesDeps {
  context: UpdateContext;
  /** electron-updater's updater; built only when `canSelfUpdate` says this copy can update itself. */
  createUpdater?: () => UpdaterLike & TestFeedTarget;
  /** Where a test feed's app-update.yml is written (the app's userData). */
  userData: string;
  writeFileSync(path: string, text: string): void;
  enabled(): boolean;
  log: Logger;
  every(ms: number, fn: () => void): () => void;
  /** A downloaded update waits: re-render the tray. */
  refreshTray(): void;
  notify?: (n: { id: string; title: string; body: string }) => void;
}

/** The tray app's update service, or null (logged with the reason) where this copy does not update itself. */
export function createAppUpdates(d: AppUpdatesDeps): UpdateService | null {
  const verdict = canSelfUpdate(d.context);
  if (!verdict.applies || !d.createUpdater) {
    d.log.info(`Update checks: off (${verdict.applies ? 'no updater in this build' : verdict.reason}).`);
    return null;
  }
  if (verdict.note) d.log.warn(verdict.note);
  const updater = d.createUpdater();
  if (verdict.testFeed !== null) useTestFeed(updater, verdict.testFeed, d.userData, d.writeFileSync);
  return createUpdateService({
    updater,
    log: d.log,
    every: d.every,
    enabled: d.enabled,
    onReady: (version) => {
      d.refreshTray();
      d.notify?.({
        id: `update-${version}`,
        title: updateLabel(version),
        body: `AgentWatch Sync ${version} is downloaded and verified. It installs when you quit, or now from the tray menu.`,
      });
    },
  });
}
