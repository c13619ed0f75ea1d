import type { z } from 'zod';
import { DEFAULT_SETTINGS, Settings } from '../shared/settings.js';
import type { Logger } from '../sync/ports.js';
import type { JsonStore } from './json-store.js';
import { DEFAULT_NOTIFICATION_PREFS, NotificationPrefs } from '../shared/notification-prefs.js';
import { latestVersion, migrate, MIGRATIONS, type Migration } from './settings-migrations.js';
import { isRecord } from '../shared/is-record.js';

export type FieldErrors = Record<string, string>;
export type SaveOutcome = { ok: true; settings: Settings } | { ok: false; errors: FieldErrors };

export interface SettingsRepo {
  /** Parses what is stored (once; then cached); a bad value falls back to its default with a WARN naming the field. */
  load(): Settings;
  /** Checks without writing: errors are keyed by field path (`filter.activeMinutes`). */
  validate(input: unknown): SaveOutcome;
  /** Writes only the parsed values, so nothing outside the schema (a pasted token, say) is ever stored. */
  save(input: unknown): SaveOutcome;
  loadNotificationPrefs(): NotificationPrefs;
  /** Parses with the shared schema; writes only when valid, errors keyed `notifications.<field>`. */
  saveNotificationPrefs(input: unknown): { ok: true; prefs: NotificationPrefs } | { ok: false; errors: Record<string, string> };
}

type Raw = Record<string, unknown>;

export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) out[issue.path.join('.') || '(root)'] ??= issue.message;
  return out;
}

/** Removes the value at `path` (or the nearest existing parent); false when nothing could be removed. */
function dropAt(obj: Raw, path: readonly PropertyKey[]): boolean {
  let node: unknown = obj;
  for (let i = 0; i < path.length; i++) {
    if (!isRecord(node)) return false;
    const key = String(path[i]);
    if (!(key in node)) return false;
    if (i === path.length - 1 || !isRecord(node[key])) {
      delete node[key];
      return true;
    }
    node = node[key];
  }
  return false;
}

/** Parses field by field: each invalid value is dropped (so its default applies) and reported. */
export function parseLenient<T extends z.ZodType>(schema: T, raw: unknown, fallback: z.infer<T>): { value: z.infer<T>; invalid: string[] } {
  if (raw === undefined) return { value: fallback, invalid: [] };
  if (!isRecord(raw)) return { value: fallback, invalid: ['(all: not an object)'] };
  const work = structuredClone(raw);
  const invalid: string[] = [];
  for (;;) {
    const r = schema.safeParse(work);
    if (r.success) return { value: r.data, invalid };
    for (const issue of r.error.issues) {
      if (!dropAt(work, issue.path)) return { value: fallback, invalid: [...invalid, `(all: ${issue.message})`] };
      invalid.push(`${issue.path.join('.')} (${issue.message})`);
    }
  }
}

export function createSettingsRepo(store: JsonStore, log: Logger, migrations: readonly Migration[] = MIGRATIONS): SettingsRepo {
  const latest = latestVersion(migrations);
  const stored = store.get('schemaVersion');
  const all = store.all();
  if (stored === undefined && Object.keys(all).length === 0) {
    store.set('schemaVersion', latest);
  } else if (typeof stored === 'number' && stored > latest) {
    log.warn(`Settings: the file was written by a newer version (schema v${stored}); fields this version does not know are ignored.`);
  } else {
    const from = typeof stored === 'number' ? stored : 0;
    if (from < latest) {
      const out = migrate(all, from, migrations, log);
      store.replaceAll({ ...out.data, schemaVersion: out.version });
    }
  }

  const validate = (input: unknown): SaveOutcome => {
    const r = Settings.safeParse(input);
    return r.success ? { ok: true, settings: r.data } : { ok: false, errors: fieldErrors(r.error) };
  };

  let cached: Settings | undefined;
  return {
    load() {
      if (cached) return cached;
      const { value, invalid } = parseLenient(Settings, store.get('settings'), DEFAULT_SETTINGS);
      if (invalid.length) log.warn(`Settings: ignored invalid ${invalid.join(', ')}; using the defaults. Fix them in Settings.`);
      return (cached = value);
    },
    validate,
    save(input) {
      const r = validate(input);
      if (r.ok) {
        store.set('settings', r.settings);
        cached = r.settings;
      }
      return r;
    },
    saveNotificationPrefs(input) {
      const r = NotificationPrefs.safeParse(input);
      if (!r.success) {
        return { ok: false, errors: Object.fromEntries(r.error.issues.map((i) => [['notifications', ...i.path.map(String)].join('.'), i.message])) };
      }
      store.set('notifications', r.data);
      return { ok: true, prefs: r.data };
    },
    loadNotificationPrefs() {
      const { value, invalid } = parseLenient(NotificationPrefs, store.get('notifications'), DEFAULT_NOTIFICATION_PREFS);
      if (invalid.length) log.warn(`Notification settings: ignored invalid ${invalid.join(', ')}; using the defaults.`);
      return value;
    },
  };
}
