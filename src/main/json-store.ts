import { renameSync } from 'node:fs';
import { join } from 'node:path';
import ElectronStore from 'electron-store';
import type { Logger } from '../sync/ports.js';
import { errorMessage } from '../sync/errors.js';
import { PRIVATE_FILE_MODE, ensurePrivateFiles } from '../sync/store/private-files.js';

/** The part of electron-store the repos use; one JSON file in the app's userData folder. */
export interface JsonStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  has(key: string): boolean;
  /** The whole file, for migrations. */
  all(): Record<string, unknown>;
  replaceAll(data: Record<string, unknown>): void;
  readonly path: string;
}

type Raw = Record<string, unknown>;

/**
 * Opens `<dir>/<name>.json` (dir: the app's userData folder). A file that is not valid JSON is moved aside to `<name>.json.corrupt` (so a
 * hand-edit gone wrong is recoverable) and the app starts from defaults instead of refusing to start.
 */
export function openJsonStore(dir: string, name: string, log: Logger): JsonStore {
  // No secrets in settings.json, but its URLs and filter say what the user runs: this user only, like the state.
  const open = () =>
    new ElectronStore<Raw>({ cwd: dir, name, accessPropertiesByDotNotation: false, clearInvalidConfig: false, configFileMode: PRIVATE_FILE_MODE });
  const path = join(dir, `${name}.json`);
  ensurePrivateFiles([path], log, `${name} file`);
  let store: ElectronStore<Raw>;
  try {
    store = open();
  } catch (e) {
    log.warn(`${name}.json could not be read (${errorMessage(e)}); starting from defaults. The old file is kept as ${path}.corrupt`);
    renameSync(path, `${path}.corrupt`);
    store = open();
  }
  return {
    get: (key) => store.get(key),
    // JSON round trip: electron-store refuses `undefined` members, which optional settings carry.
    set: (key, value) => store.set(key, JSON.parse(JSON.stringify(value)) as unknown),
    delete: (key) => store.delete(key),
    has: (key) => store.has(key),
    all: () => ({ ...store.store }),
    replaceAll: (data) => {
      store.store = JSON.parse(JSON.stringify(data)) as Raw;
    },
    get path() {
      return store.path;
    },
  };
}
