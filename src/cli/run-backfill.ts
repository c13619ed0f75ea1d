import { plural } from '../shared/plural.js';
import { UsageError } from './cli-args.js';
import { openEngine, type RunSyncOptions } from './run-sync.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function checkDay(flag: string, value: string): string {
  if (!DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw new UsageError(`${flag} takes a UTC day as YYYY-MM-DD, e.g. 2026-11-01 (got "${value}")`);
  return value;
}

/** `backfill --since DAY [--until DAY]`: past usage delivered once; a second run finds nothing new. */
export async function runBackfill(o: RunSyncOptions, since: string | undefined, until: string | undefined, today: string): Promise<number> {
  if (!since) throw new UsageError('backfill needs --since YYYY-MM-DD (a UTC day)');
  const startDate = checkDay('--since', since);
  const endDate = until ? checkDay('--until', until) : today;
  if (endDate < startDate) throw new UsageError(`--until ${endDate} is before --since ${startDate}`);
  const { log } = o;
  log.info(`Backfill ${startDate} … ${endDate} (UTC) from ${o.settings.openclawUrl} to ${o.settings.agentwatchUrl}`);
  const engine = await openEngine(o);
  let delivered = 0;
  const unsubscribe = engine.onDelivered((batch) => {
    delivered += batch.length;
    log.info(`  Backfill: ${plural(delivered, 'event')} delivered (outbox ${engine.status().outboxDepth} left)`);
  });
  try {
    const result = await engine.backfill(startDate, endDate);
    log.info(`Backfill done: ${plural(result.sessions, 'session')} with usage in the window → ${plural(result.events, 'new event')}, ${result.delivered} delivered`);
    if (result.error) log.error(`Backfill incomplete: ${result.error}. Run it again: nothing is sent twice.`);
    return result.error ? 1 : 0;
  } finally {
    unsubscribe();
    await engine.stop();
  }
}
