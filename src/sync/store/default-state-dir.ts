import { posix, win32 } from 'node:path';

const APP_DIR = 'agentwatch-sync';

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * Where the sync keeps its ledger, outbox and lock unless told otherwise: `$AGENTWATCH_SYNC_STATE_DIR`, else the
 * platform's place for app state (XDG state dir on Linux, Application Support on macOS, LocalAppData on Windows).
 */
export function defaultStateDir(
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform,
  homeDir: string,
): string {
  const explicit = nonEmpty(env.AGENTWATCH_SYNC_STATE_DIR);
  if (explicit) return explicit;
  if (platform === 'win32') {
    const local = nonEmpty(env.LOCALAPPDATA) ?? win32.join(homeDir, 'AppData', 'Local');
    return win32.join(local, APP_DIR);
  }
  if (platform === 'darwin') return posix.join(homeDir, 'Library', 'Application Support', APP_DIR);
  // The XDG spec says a relative $XDG_STATE_HOME is invalid and must be ignored.
  const xdg = nonEmpty(env.XDG_STATE_HOME);
  const base = xdg && posix.isAbsolute(xdg) ? xdg : posix.join(homeDir, '.local', 'state');
  return posix.join(base, APP_DIR);
}
