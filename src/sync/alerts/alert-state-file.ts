import { z } from 'zod';
import type { Logger } from '../ports.js';
import { loadSmallState, saveSmallState } from '../store/small-state-file.js';
import { INITIAL_ALERT_STATE, type AlertState } from './alert-state.js';

// The file's shape is AlertState's.
const AlertStateFile: z.ZodType<AlertState> = z.object({
  failingSince: z.number().nullable(),
  failingOpen: z.boolean(),
  deadLettered: z.number(),
  day: z.string(),
  dayAlerted: z.array(z.string()),
  sessionsOver: z.array(z.string()),
  failedOpen: z.array(z.string()),
});

/** What the alert rules remembered at the last run, so a restart neither re-opens a resolved incident nor sends a day's budget alert again. */
export function loadAlertState(path: string, log: Logger): AlertState {
  return loadSmallState(
    { path, schema: AlertStateFile, initial: INITIAL_ALERT_STATE, what: 'alert state', consequence: 'alerts start fresh, an open problem may be announced again' },
    log,
  );
}

export const saveAlertState: (path: string, state: AlertState) => void = saveSmallState;
