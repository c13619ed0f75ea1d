import type { Logger } from '../sync/ports.js';

type Raw = Record<string, unknown>;

/** One step of the settings file's layout; `to` is the schemaVersion it produces. Steps never run twice. */
export interface Migration {
  to: number;
  describe: string;
  run(data: Raw, warn: (message: string) => void): Raw;
}

// Names the 0.0.x prototype used for secrets; they must not survive in a plain JSON file.
const LEGACY_SECRET_KEYS = ['token', 'gatewayToken', 'apiKey', 'agentwatchApiKey'];

/** v0 (prototype): flat keys at the root, `gatewayUrl`, `pollInterval`, sometimes the token in clear text. */
const nestAndRename: Migration = {
  to: 1,
  describe: 'move settings under "settings", rename gatewayUrl → openclawUrl and pollInterval → pollIntervalSec',
  run(data, warn) {
    const { gatewayUrl, pollInterval, settings, notifications, ...rest } = data;
    const out: Raw = { ...(typeof settings === 'object' && settings !== null ? settings : {}) };
    if (gatewayUrl !== undefined) out.openclawUrl = gatewayUrl;
    if (pollInterval !== undefined) out.pollIntervalSec = pollInterval;
    for (const [key, value] of Object.entries(rest)) {
      if (LEGACY_SECRET_KEYS.includes(key)) warn(`Settings: dropped "${key}" from the settings file (secrets are not kept there). Enter it again in Settings.`);
      else if (key !== 'schemaVersion') out[key] = value;
    }
    return notifications === undefined ? { settings: out } : { settings: out, notifications };
  },
};

export const MIGRATIONS: readonly Migration[] = [nestAndRename];

export interface MigrationOutcome {
  data: Raw;
  version: number;
  ran: number[];
}

/** Applies every step above `from`, in order. The caller writes the result and the new version together. */
export function migrate(data: Raw, from: number, migrations: readonly Migration[], log: Logger): MigrationOutcome {
  let out = data;
  const ran: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.to - b.to)) {
    if (m.to <= from) continue;
    out = m.run(out, (message) => log.warn(message));
    ran.push(m.to);
    log.info(`Settings: migrated to schema v${m.to} (${m.describe})`);
  }
  return { data: out, version: Math.max(from, ...ran), ran };
}

export function latestVersion(migrations: readonly Migration[]): number {
  return Math.max(0, ...migrations.map((m) => m.to));
}
