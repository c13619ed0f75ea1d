import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { errorMessage } from '../errors.js';
import type { Logger } from '../ports.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './private-files.js';

/** What a small state file holds and what starting without it means, for the one warning line. */
export interface SmallStateFile<T> {
  path: string;
  schema: z.ZodType<T>;
  /** The value of a first run. */
  initial: T;
  /** e.g. "alert state"; the warning says "`${what}` ${path} is not valid `${what}`". */
  what: string;
  /** e.g. "alerts start fresh, an open problem may be announced again". */
  consequence: string;
}

/**
 * A small JSON file the app keeps beside the journal (alert state, refused targets, shown notifications), checked
 * on load because it outlives the code that wrote it. A missing file is a first run; an unreadable one says so once
 * and starts from `initial`.
 */
export function loadSmallState<T>(f: SmallStateFile<T>, log: Logger): T {
  let text: string;
  try {
    text = readFileSync(f.path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return f.initial;
    log.warn(`Could not read the ${f.what} ${f.path} (${errorMessage(e)}); ${f.consequence}.`);
    return f.initial;
  }
  let value: T | undefined;
  try {
    value = f.schema.safeParse(JSON.parse(text)).data;
  } catch {
    value = undefined; // not JSON
  }
  if (value === undefined) log.warn(`The ${f.what} ${f.path} is not valid ${f.what}; ${f.consequence}.`);
  return value ?? f.initial;
}

/**
 * Writes via a temp file and rename so a crash mid-write leaves the previous state, only readable by this user. The
 * state dir is made (0700) when missing: the tray app can decide something before its engine has made it.
 */
export function saveSmallState<T>(path: string, value: T): void {
  mkdirSync(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value)}\n`, { mode: PRIVATE_FILE_MODE });
  renameSync(tmp, path);
}

/**
 * The save of a file kept on every change: a failure (disk full, permissions) is one warning until a save works
 * again, never a throw, since the decision it records still holds in memory. `lost` says what a restart then forgets.
 */
export function smallStateSaver<T>(path: string, what: string, lost: string, log: Logger): (value: T) => void {
  let warned = false;
  return (value) => {
    try {
      saveSmallState(path, value);
      warned = false;
    } catch (e) {
      if (!warned) log.warn(`Could not save the ${what} to ${path} (${errorMessage(e)}); after a restart ${lost}.`);
      warned = true;
    }
  };
}
