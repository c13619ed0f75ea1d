import { homedir } from 'node:os';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { agentSuffixOf, gatewayLabel, type GatewayEntry, type GatewayInput } from '../shared/gateway-entry.js';
import { createEngine, type RunningSync } from '../sync/create-engine.js';
import { errorMessage, SyncError } from '../sync/errors.js';
import { entryStateDir, readRegistry, reconcileGateways, writeRegistry } from '../sync/gateway-registry.js';
import { findSingleGatewayState } from '../sync/single-gateway-state.js';
import type { Logger } from '../sync/ports.js';
import { prefixedLogger } from '../sync/prefixed-logger.js';
import { resolveApiKey, resolveGatewayToken } from '../sync/openclaw/token.js';
import { acquireStateLock } from '../sync/store/lock.js';
import { USAGE_FRESHNESS } from '../sync/retry-policy.js';
import { syncConfigOf } from '../sync/sync-config.js';
import { stateDirOf, type RunSyncOptions } from './run-sync.js';

/** One gateway of several: its entry, its own engine (loop, connection, retry state, ledger, outbox) and log. */
export interface OpenGateway {
  entry: GatewayEntry;
  label: string;
  stateDir: string;
  log: Logger;
  engine: RunningSync;
}

/** The registry matched to the listed gateways and saved; the migration and new entries logged once. */
async function entriesFor(o: RunSyncOptions, wanted: readonly GatewayInput[]): Promise<GatewayEntry[]> {
  const root = stateDirOf(o);
  // Two processes starting at once would mint different ids for the same new gateway: the list is changed under a
  // lock of its own (`gateways/lock`), held only meanwhile, so a running sync never blocks adding a gateway.
  const lock = await acquireStateLock(join(root, 'gateways'), { pid: process.pid, log: o.log });
  try {
    return await reconcileUnderLock(o, root, wanted);
  } finally {
    await lock.release();
  }
}

async function reconcileUnderLock(o: RunSyncOptions, root: string, wanted: readonly GatewayInput[]): Promise<GatewayEntry[]> {
  const known = await readRegistry(root);
  const single = known.length === 0 ? await findSingleGatewayState(root, wanted.map((w) => w.url), o.log) : { kind: 'none' as const };
  if (single.kind === 'foreign') o.log.warn(`  The single-gateway state in ${root} was made with a gateway that "gateways" does not list: it is left as it is (list that gateway to continue it)`);
  const r = reconcileGateways(known, wanted, single.kind === 'owned' ? single.owner : undefined);
  if (r.changed) await writeRegistry(root, r.all);
  if (r.migrated) o.log.info(`  The single-gateway state in ${root} now belongs to gateway ${gatewayLabel(r.migrated)} (${r.migrated.url}): its agents and traces are kept`);
  for (const e of r.added) if (e !== r.migrated) o.log.info(`  New gateway ${gatewayLabel(e)} (${e.url}): id ${e.id}, state dir ${entryStateDir(root, e)}`);
  return r.entries;
}

async function openOne(o: RunSyncOptions, entry: GatewayEntry, apiKey: string | undefined, onGiveUp: (g: GatewayEntry) => void): Promise<OpenGateway> {
  const label = gatewayLabel(entry);
  const log = prefixedLogger(o.log, `[${label}]`);
  const file = entry.tokenFile ?? o.settings.tokenFile;
  let token: Awaited<ReturnType<typeof resolveGatewayToken>>;
  try {
    token = await resolveGatewayToken({ flag: undefined, file, env: o.env, homeDir: homedir(), readFile: (p) => readFile(p, 'utf8') });
  } catch (e) {
    throw new SyncError('CONFIG', `Gateway ${label}: ${errorMessage(e)}`, { cause: e });
  }
  o.secrets.push(token.token);
  const stateDir = entryStateDir(stateDirOf(o), entry);
  log.debug(`Gateway token from ${token.source}; state dir ${stateDir}`);
  const config = { ...syncConfigOf(o.settings), openclawUrl: entry.url, gatewayId: entry.scope, agentSuffix: agentSuffixOf(entry) };
  const engine = await createEngine(config, {
    log,
    stateDir,
    gatewayToken: token.token,
    ...(apiKey ? { apiKey } : {}),
    clientVersion: o.clientVersion,
    stdout: o.stdout,
    ...(o.flags.once ? { usageWaitMs: USAGE_FRESHNESS.onceWaitMs } : {}),
    onGiveUp: () => onGiveUp(entry),
    ...(o.onMilestone ? { onMilestone: o.onMilestone } : {}),
  }).catch((e: unknown) => {
    throw e instanceof SyncError ? new SyncError(e.code, `Gateway ${label}: ${e.message}`, { cause: e }) : e;
  });
  return { entry, label, stateDir, log, engine };
}

/**
 * One engine per listed gateway, sharing one destination (AgentWatch URL and API key). Opening stops at the first
 * gateway that cannot start (a missing token file, a locked state dir): a bad configuration is reported before
 * anything runs, and the engines opened so far are stopped again.
 */
export async function openGateways(o: RunSyncOptions, wanted: readonly GatewayInput[], onGiveUp: (g: GatewayEntry) => void = () => {}): Promise<OpenGateway[]> {
  const entries = await entriesFor(o, wanted);
  const apiKey = await resolveApiKey({ file: o.settings.apiKeyFile, env: o.env, readFile: (p) => readFile(p, 'utf8') });
  if (apiKey) o.secrets.push(apiKey.token);
  const open: OpenGateway[] = [];
  try {
    for (const entry of entries) open.push(await openOne(o, entry, apiKey?.token, onGiveUp));
  } catch (e) {
    await Promise.all(open.map((g) => g.engine.stop().catch(() => undefined)));
    throw e;
  }
  return open;
}
