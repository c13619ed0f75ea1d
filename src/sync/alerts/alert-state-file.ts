import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { errorMessage } from '../errors.js';
import type { Logger } from '../ports.js';
import { PRIVATE_FILE_MODE } from '../store/private-files.js';
import { INITIAL_ALERT_STATE, type AlertState } from './alert-state.js';

// The file's shape is AlertState's; checked on load because the file outlives the code that wrote it.
const AlertStateFile: z.ZodType<AlertState> = z.object({
  failingSince: z.number().nullable(),
  failingOpen: z.boolean(),
  deadLettered: z.number(),
  day: z.string(),
  dayAlerted: z.array(z.string()),
  sessionsOver: z.array(z.string()),
  failedOpen: z.array(z.string()),
});

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
    state = AlertStateFile.safeParse(JSON.parse(text)).data;
  } catch {
    state = undefined; // not JSON
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
