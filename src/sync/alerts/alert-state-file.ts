import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { errorMessage } from '../errors.js';
import type { Logger } from '../ports.js';
import { PRIVATE_FILE_MODE } from '../store/private-files.js';
import { INITIAL_ALERT_STATE, type AlertState } from './alert-state.js';

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

function parse(v: unknown): AlertState | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  const ok =
    (o.failingSince === null || typeof o.failingSince === 'number') &&
    typeof o.failingOpen === 'boolean' &&
    typeof o.deadLettered === 'number' &&
    typeof o.day === 'string' &&
    isStrings(o.dayAlerted) &&
    isStrings(o.sessionsOver) &&
    isStrings(o.failedOpen);
  if (!ok) return undefined;
  return {
    failingSince: o.failingSince as number | null,
    failingOpen: o.failingOpen as boolean,
    deadLettered: o.deadLettered as number,
    day: o.day as string,
    dayAlerted: o.dayAlerted as string[],
    sessionsOver: o.sessionsOver as string[],
    failedOpen: o.failedOpen as string[],
  };
}

/**
 * What the alert rules remembered at the last run, so a restart neither re-opens a resolved incident nor sends a
 * day's budget alert again. A missing file is a first run; an unreadable one says so once and starts fresh.
 */
export function loadAlertState(path: string, log: Logger): AlertState {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return INITIAL_ALERT_STATE;
    log.warn(`Could not read the alert state ${path} (${errorMessage(e)}); alerts start fresh, an open problem may be announced again.`);
    return INITIAL_ALERT_STATE;
  }
  let state: AlertState | undefined;
  try {
    state = parse(JSON.parse(text));
  } catch {
    state = undefined;
  }
  if (!state) log.warn(`The alert state ${path} is not valid alert state; alerts start fresh, an open problem may be announced again.`);
  return state ?? INITIAL_ALERT_STATE;
}

/** Writes via a temp file and rename so a crash mid-write leaves the previous state, only readable by this user. */
export function saveAlertState(path: string, state: AlertState): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state)}\n`, { mode: PRIVATE_FILE_MODE });
  renameSync(tmp, path);
}
