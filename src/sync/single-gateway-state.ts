import { readdir } from 'node:fs/promises';
import { gatewayIdOf, traceIdOf } from './ids.js';
import type { Logger } from './ports.js';
import { createNodeDurableFs } from './store/durable-fs.js';
import { loadState } from './store/load-state.js';

/** The single-gateway state found at the top of the app's state dir, and which listed gateway it belongs to. */
export type SingleGatewayState =
  | { kind: 'none' }
  /** `owner`: index of the listed gateway whose ids the state was made with (the first one when the state is empty). */
  | { kind: 'owned'; owner: number }
  /** The state was made with a gateway that is not listed: it is left alone. */
  | { kind: 'foreign' };

async function hasStateFiles(stateDir: string): Promise<boolean> {
  let names: string[];
  try {
    names = await readdir(stateDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  return names.some((n) => n === 'state.json' || /^journal-\d+\.log$/.test(n));
}

/**
 * Reads (never writes) the single-gateway ledger and finds its gateway among the listed URLs: a ledger's trace ids
 * and the sinks' agent keys are derived from the gateway's host:port, so the one whose host:port reproduces them made
 * the state. Giving it to another gateway would let the real one book all its usage again.
 */
export async function findSingleGatewayState(stateDir: string, urls: readonly string[], log: Logger): Promise<SingleGatewayState> {
  if (!(await hasStateFiles(stateDir))) return { kind: 'none' };
  const fs = createNodeDurableFs();
  let loaded: Awaited<ReturnType<typeof loadState>>;
  try {
    loaded = await loadState(fs, stateDir, log);
  } finally {
    await fs.close();
  }
  const entries = [...loaded.model.ledger.values()];
  const keys = [...loaded.model.memory.keys()].filter((k) => k.startsWith('aw:agent:'));
  if (entries.length === 0 && keys.length === 0) return { kind: 'owned', owner: 0 };
  const owner = urls.findIndex((url) => {
    const scope = gatewayIdOf(url);
    return entries.some((e) => traceIdOf(scope, e.sessionKey, e.sessionId) === e.traceId) || keys.some((k) => k.startsWith(`aw:agent:${scope}:`));
  });
  return owner < 0 ? { kind: 'foreign' } : { kind: 'owned', owner };
}
