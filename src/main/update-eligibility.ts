import { isLoopbackUrl } from '../sync/openclaw/gateway-url.js';

/**
 * Points an unpacked (test) run at a plain-HTTP loopback feed. Packaged builds ignore it: they read only the
 * HTTPS feed electron-builder wrote into resources/app-update.yml.
 */
export const TEST_UPDATE_FEED_ENV = 'AGENTWATCH_SYNC_TEST_UPDATE_FEED';

export interface UpdateContext {
  isPackaged: boolean;
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  /** resources/package-type, which electron-builder writes into deb/rpm/pacman packages only; null when absent. */
  packageType: string | null;
  /** Whether resources/app-update.yml exists (electron-builder writes it when the build had a publish target). */
  hasFeedConfig: boolean;
  /** `--smoke-test` runs start, open the window and quit: they contact nothing. */
  smokeTest: boolean;
}

export type UpdateVerdict =
  | { applies: true; /** The loopback feed of a test run; null = the release feed. */ testFeed: string | null; note?: string }
  | { applies: false; reason: string };

const PACKAGE_MANAGERS: Record<string, string> = { deb: 'apt (or your package manager)', rpm: 'dnf/zypper', pacman: 'pacman' };

/**
 * The one decision whether this running copy can update itself. AppImage, the NSIS installer (Windows) and the macOS
 * app can; a deb/rpm is updated by the package manager that installed it; an unpacked or `npm start` run by its
 * developer. The "Check for updates" setting is the user's choice on top of this, read at every check.
 */
export function canSelfUpdate(ctx: UpdateContext): UpdateVerdict {
  if (ctx.smokeTest) return { applies: false, reason: 'smoke test run' };
  const testFeed = ctx.env[TEST_UPDATE_FEED_ENV]?.trim() || null;
  if (!ctx.isPackaged) {
    if (testFeed === null) return { applies: false, reason: 'development run (not packaged): updates come from git' };
    if (!/^https?:\/\//i.test(testFeed) || !isLoopbackUrl(testFeed)) {
      return { applies: false, reason: `${TEST_UPDATE_FEED_ENV} must be an http(s) URL on 127.0.0.1 or localhost, e.g. http://127.0.0.1:8080/` };
    }
    return { applies: true, testFeed };
  }
  const note = testFeed === null ? undefined : `${TEST_UPDATE_FEED_ENV} is ignored: a packaged build reads only its release feed`;
  if (ctx.platform === 'linux') {
    if (ctx.packageType !== null) {
      const manager = PACKAGE_MANAGERS[ctx.packageType] ?? 'its package manager';
      return { applies: false, reason: `installed from a ${ctx.packageType} package: ${manager} updates it` };
    }
    if (ctx.env.SNAP) return { applies: false, reason: 'a snap: snapd updates it' };
    if (!ctx.env.APPIMAGE) return { applies: false, reason: 'not running from an AppImage (an unpacked build): download a new release to update' };
  } else if (ctx.platform !== 'darwin' && ctx.platform !== 'win32') {
    return { applies: false, reason: `no self-update on ${ctx.platform}` };
  }
  if (!ctx.hasFeedConfig) return { applies: false, reason: 'this build has no update feed (resources/app-update.yml is missing: it was packaged without a publish target)' };
  return note ? { applies: true, testFeed: null, note } : { applies: true, testFeed: null };
}
