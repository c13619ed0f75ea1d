import { chmodSync, lstatSync, mkdirSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../errors.js';
import type { Logger } from '../ports.js';

// The one place that says who may read what this app writes: session keys carry chat ids, labels say what the
// user runs, the device key signs for them. Only the user: directories 0700, files 0600.
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

// Windows has no POSIX modes (chmod only flips read-only); there the per-user folders (LocalAppData, AppData) keep
// other users out, so nothing is checked.
const hasModes = (platform: NodeJS.Platform): boolean => platform !== 'win32';

const octal = (mode: number): string => `0${(mode & 0o777).toString(8).padStart(3, '0')}`;

interface Tightened {
  path: string;
  was: number;
  now: number;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Chmods `path` down to `mode` when group or others have any bit; symlinks are left alone (they are not ours). */
function tighten(path: string, stats: Stats, mode: number, out: Tightened[]): void {
  if ((stats.mode & 0o777 & ~mode) === 0) return;
  chmodSync(path, mode);
  out.push({ path, was: stats.mode & 0o777, now: mode });
}

function tightenTree(dir: string, stats: Stats, out: Tightened[]): void {
  tighten(dir, stats, PRIVATE_DIR_MODE, out);
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const s = statOrUndefined(path);
    if (!s) continue;
    if (s.isDirectory()) tightenTree(path, s, out);
    else if (s.isFile()) tighten(path, s, PRIVATE_FILE_MODE, out);
  }
}

/** One line for everything tightened at one place, so an upgrade says once what it changed. */
function report(what: string, tightened: readonly Tightened[], log: Logger): void {
  const [first, ...rest] = tightened;
  if (!first) return;
  const more = rest.length === 0 ? '' : ` and ${rest.length} more file${rest.length === 1 ? '' : 's'} of the ${what} (now ${octal(PRIVATE_FILE_MODE)})`;
  log.info(`Tightened permissions on ${first.path} (was ${octal(first.was)}, now ${octal(first.now)})${more}: only this user may read the ${what} now.`);
}

function failed(what: string, path: string, e: unknown, log: Logger): void {
  log.warn(`Could not restrict the ${what} ${path} to this user (${errorMessage(e)}); other local users may read it. Fix its owner or permissions.`);
}

/**
 * Creates `dir` (0700, parents included) or, when it exists, tightens it and everything in it (files 0600) that
 * group or others could read: state written by an older version, or a dir made by hand.
 */
export function ensurePrivateDir(dir: string, log: Logger, what = 'sync state', platform = process.platform): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (!hasModes(platform)) return;
  const tightened: Tightened[] = [];
  try {
    const stats = statOrUndefined(dir);
    if (stats?.isDirectory()) tightenTree(dir, stats, tightened);
  } catch (e) {
    failed(what, dir, e, log);
  } finally {
    report(what, tightened, log);
  }
}

/** Tightens existing files (a log and its rotations, a settings file) to 0600; missing ones are skipped. */
export function ensurePrivateFiles(paths: readonly string[], log: Logger, what: string, platform = process.platform): void {
  if (!hasModes(platform)) return;
  const tightened: Tightened[] = [];
  for (const path of paths) {
    try {
      const stats = statOrUndefined(path);
      if (stats?.isFile()) tighten(path, stats, PRIVATE_FILE_MODE, tightened);
    } catch (e) {
      failed(what, path, e, log);
    }
  }
  report(what, tightened, log);
}
