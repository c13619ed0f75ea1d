import type { Logger } from '../sync/ports.js';

export interface RecentLog {
  log: Logger;
  /** The last WARN/ERROR messages, oldest first, for the diagnostics bundle. */
  recent(): string[];
}

/** Passes every line through to `inner` and keeps the last `max` warnings and errors in memory. */
export function createRecentLog(inner: Logger, max = 20, now: () => number = Date.now): RecentLog {
  const lines: string[] = [];
  const keep = (level: string, message: string) => {
    lines.push(`${new Date(now()).toISOString()} [${level}] ${message}`);
    if (lines.length > max) lines.shift();
  };
  return {
    log: {
      debug: (m) => inner.debug(m),
      info: (m) => inner.info(m),
      warn: (m) => {
        keep('WARNING', m);
        inner.warn(m);
      },
      error: (m) => {
        keep('ERROR', m);
        inner.error(m);
      },
    },
    recent: () => [...lines],
  };
}
