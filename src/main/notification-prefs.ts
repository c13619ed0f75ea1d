// The schema is shared with the settings window; main keeps this path for its own imports.
export { DEFAULT_NOTIFICATION_PREFS, NotificationPrefs } from '../shared/notification-prefs.js';
