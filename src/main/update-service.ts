import { errorMessage } from '../sync/errors.js';
import type { Logger } from '../sync/ports.js';

/** The slice of electron-updater's AppUpdater this service drives; index.ts passes the real `autoUpdater`. */
export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  logger: { info(m?: unknown): void; warn(m?: unknown): void; error(m?: unknown): void; debug?(m: string): void } | null;
  checkForUpdates(): Promise<{ isUpdateAvailable: boolean; updateInfo: { version: string }; downloadPromise?: Promise<unknown> | null } | null>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (e: Error) => void): unknown;
  removeListener(event: 'error', listener: (e: Error) => void): unknown;
}

export interface UpdateServiceDeps {
  updater: UpdaterLike;
  /** The "Check for updates" setting, read at every check. */
  enabled(): boolean;
  log: Logger;
  every(ms: number, fn: () => void): () => void;
  /** A downloaded update waits for a restart: re-render the tray, show the notification. */
  onReady(version: string): void;
}

export type CheckOutcome = 'off' | 'current' | 'downloaded' | 'refused' | 'unreachable';

export interface UpdateService {
  /** Checks now, then every 6 hours. */
  start(): void;
  check(): Promise<CheckOutcome>;
  /** The version downloaded and waiting for a restart, if any. */
  readyVersion(): string | null;
  /**
   * Installs the downloaded update, starts the new version and quits; call once the engine has flushed. False when
   * the install failed at once (logged): nothing quits then, so the caller does.
   */
  installAndRestart(): boolean;
  stop(): void;
}

export const UPDATE_CHECK_INTERVAL_MS = 6 * 60 * 60_000;

/** `ERR_CHECKSUM_MISMATCH` is electron-updater's own sha512 check of the download against the feed. */
function isChecksumMismatch(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'ERR_CHECKSUM_MISMATCH';
}

// electron-updater's messages carry stacks and response headers; the log gets the first line only.
const firstLine = (m: unknown) => String(m instanceof Error ? m.message : m).split('\n')[0]!.slice(0, 300);

/**
 * Checks at start and every 6 h; electron-updater downloads in the background and verifies the sha512 (and on
 * Windows/macOS the code signature) before `update-downloaded`; a downloaded update installs on quit. Failures are
 * one log line each and wait for the next check: an update check never interrupts the user.
 */
export function createUpdateService(d: UpdateServiceDeps): UpdateService {
  const { updater, log } = d;
  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = true;
  updater.logger = {
    info: (m) => log.debug(`updater: ${firstLine(m)}`),
    warn: (m) => log.debug(`updater: ${firstLine(m)}`),
    error: (m) => log.debug(`updater: ${firstLine(m)}`),
  };
  let ready: string | null = null;
  let inFlight: Promise<CheckOutcome> | null = null;
  let stopTimer = () => {};
  updater.on('update-downloaded', (info) => {
    if (ready === info.version) return;
    ready = info.version;
    log.info(`Update ${info.version} downloaded and verified; it installs when AgentWatch Sync quits (or now: tray → Restart to update).`);
    d.onReady(info.version);
  });

  const run = async (): Promise<CheckOutcome> => {
    if (!d.enabled()) return 'off';
    let version: string | null = null;
    try {
      const result = await updater.checkForUpdates();
      if (!result?.isUpdateAvailable) {
        log.debug(`Update check: ${result ? `${result.updateInfo.version} is current` : 'updater inactive'}`);
        return 'current';
      }
      version = result.updateInfo.version;
      // Awaited also when already downloaded: electron-updater re-validates its cached file instead of downloading.
      if (version !== ready) log.info(`Update ${version} available; downloading in the background.`);
      await result.downloadPromise;
      return 'downloaded';
    } catch (e) {
      if (isChecksumMismatch(e)) {
        log.warn(`Update ${version ?? ''} refused: its sha512 does not match the release feed, so nothing was installed; the next check tries again.`);
        return 'refused';
      }
      log.info(`Update check failed (${firstLine(errorMessage(e))}); trying again at the next check in 6 h.`);
      return 'unreachable';
    }
  };

  const check = () => {
    if (inFlight) return inFlight;
    return (inFlight = run().finally(() => (inFlight = null)));
  };

  return {
    start: () => {
      stopTimer = d.every(UPDATE_CHECK_INTERVAL_MS, () => void check());
      void check();
    },
    check,
    readyVersion: () => ready,
    installAndRestart: () => {
      log.info(`Installing update ${ready ?? ''} and restarting.`);
      // electron-updater reports a failed install as an 'error' event, synchronously, and then does not quit.
      let failure: Error | null = null;
      const onError = (e: Error) => void (failure ??= e);
      updater.on('error', onError);
      try {
        updater.quitAndInstall(true, true);
      } finally {
        updater.removeListener('error', onError);
      }
      if (failure) log.warn(`Update ${ready ?? ''} could not be installed (${firstLine(failure)}); quitting without it.`);
      return failure === null;
    },
    stop: () => stopTimer(),
  };
}
