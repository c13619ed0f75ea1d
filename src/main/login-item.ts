import { join } from 'node:path';

export interface LoginItem {
  isEnabled(): boolean;
  set(on: boolean): void;
}

export interface LoginItemDeps {
  platform: NodeJS.Platform;
  app: {
    setLoginItemSettings(settings: { openAtLogin: boolean; openAsHidden?: boolean }): void;
    getLoginItemSettings(): { openAtLogin: boolean };
  };
  fs: {
    existsSync(path: string): boolean;
    mkdirSync(path: string, options: { recursive: true }): unknown;
    writeFileSync(path: string, data: string): void;
    rmSync(path: string, options: { force: true }): void;
  };
  env: Record<string, string | undefined>;
  homeDir: string;
  /** The program to start: the AppImage path when run from one (its execPath is a temporary mount). */
  execPath: string;
}

export const DESKTOP_FILE_NAME = 'agentwatch-sync.desktop';

/** `~/.config/autostart/agentwatch-sync.desktop`, honouring XDG_CONFIG_HOME (XDG Autostart spec). */
export function autostartPath(env: Record<string, string | undefined>, homeDir: string): string {
  const configHome = env.XDG_CONFIG_HOME?.startsWith('/') ? env.XDG_CONFIG_HOME : join(homeDir, '.config');
  return join(configHome, 'autostart', DESKTOP_FILE_NAME);
}

/** Quotes one Exec argument per the Desktop Entry spec: `"`, `` ` ``, `$`, `\` escaped; `%` doubled. */
export function quoteExecArg(arg: string): string {
  const escaped = arg.replace(/[\\"`$]/g, (c) => `\\${c}`).replace(/%/g, '%%');
  // The whole value is itself a string value, where a backslash is written as `\\`.
  return `"${escaped.replace(/\\/g, '\\\\')}"`;
}

export function desktopEntry(execPath: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    'Name=AgentWatch Live Sync',
    'Comment=Sync OpenClaw sessions to the AgentWatch dashboard',
    `Exec=${quoteExecArg(execPath)}`,
    'Icon=agentwatch-live-sync', // the name the deb/AppImage install their icon under (electron-builder executableName)
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export function createLoginItem(deps: LoginItemDeps): LoginItem {
  if (deps.platform !== 'linux') {
    return {
      isEnabled: () => deps.app.getLoginItemSettings().openAtLogin,
      set: (on) => deps.app.setLoginItemSettings({ openAtLogin: on, openAsHidden: true }),
    };
  }
  const path = autostartPath(deps.env, deps.homeDir);
  return {
    isEnabled: () => deps.fs.existsSync(path),
    set(on) {
      if (!on) return deps.fs.rmSync(path, { force: true });
      deps.fs.mkdirSync(join(path, '..'), { recursive: true });
      deps.fs.writeFileSync(path, desktopEntry(deps.execPath));
    },
  };
}
