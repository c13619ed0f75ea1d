/**
 * The one clock the user reads, in the settings window and in the tray menu and tooltip: the locale decides 12- or
 * 24-hour and its padding (`2:29:48 PM` in en-US, `09:05:07` in en-GB or de). Main passes Electron's
 * `app.getLocale()`, the window `navigator.language` — the same value, since Chromium takes its locale from the app.
 * Log lines keep the seed's fixed `HH:MM:SS` (src/sync/logger.ts) so they stay greppable whatever the locale.
 */
export function clockFormatter(locale: string | undefined): (at: number) => string {
  const format = new Intl.DateTimeFormat(safeLocale(locale), { timeStyle: 'medium' });
  return (at) => format.format(at);
}

// A malformed locale tag (an odd LANG) would make Intl throw; the runtime's default is the next best guess.
function safeLocale(locale: string | undefined): string | undefined {
  if (!locale) return undefined;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf(locale).length ? locale : undefined;
  } catch {
    return undefined;
  }
}
