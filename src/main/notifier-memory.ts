import { join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../sync/ports.js';
import { loadSmallState, smallStateSaver } from '../sync/store/small-state-file.js';
import { FRESH_NOTIFIER_MEMORY, type NotifierMemory } from './notifications.js';

export const NOTIFIER_MEMORY_FILE = 'notification-state.json';

const NotifierMemoryFile: z.ZodType<NotifierMemory> = z.object({ day: z.string(), shown: z.array(z.string()), failing: z.boolean() });

/** The desktop notifier's memory in the state dir (0600), so a restart shows neither an open failure nor today's budget again. */
export function durableNotifierMemory(stateDir: string, log: Logger): { initial: NotifierMemory; save(m: NotifierMemory): void } {
  const path = join(stateDir, NOTIFIER_MEMORY_FILE);
  const what = 'notification state';
  return {
    initial: loadSmallState({ path, schema: NotifierMemoryFile, initial: FRESH_NOTIFIER_MEMORY, what, consequence: "an open failure or today's budget may be shown again" }, log),
    save: smallStateSaver(path, what, 'a notification may be shown again', log),
  };
}
