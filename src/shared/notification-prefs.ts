import { z } from 'zod';

/** Which notifications the user wants; kept in the settings file under `notifications`. */
export const NotificationPrefs = z.object({
  failure: z.boolean().default(true),
  recovery: z.boolean().default(true),
  deadLetter: z.boolean().default(true),
  /** Daily budgets are off unless set. */
  dailyTokenBudget: z.number().int().positive().nullable().default(null),
  dailyUsdBudget: z.number().positive().nullable().default(null),
});
export type NotificationPrefs = z.infer<typeof NotificationPrefs>;
export type NotificationPrefsInput = z.input<typeof NotificationPrefs>;

export const DEFAULT_NOTIFICATION_PREFS: NotificationPrefs = NotificationPrefs.parse({});
