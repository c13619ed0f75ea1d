import type { Logger } from './ports.js';

/** The same log with every line naming its source (`[vps] Poll #3: …`), for one engine among several. */
export function prefixedLogger(log: Logger, prefix: string): Logger {
  return {
    debug: (m) => log.debug(`${prefix} ${m}`),
    info: (m) => log.info(`${prefix} ${m}`),
    warn: (m) => log.warn(`${prefix} ${m}`),
    error: (m) => log.error(`${prefix} ${m}`),
  };
}
