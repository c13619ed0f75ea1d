import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { GatewayEntry, type GatewayInput } from '../shared/gateway-entry.js';
import { SyncError } from './errors.js';
import { gatewayIdOf } from './ids.js';
import { createNodeDurableFs } from './store/durable-fs.js';

/** The list of gateways in the app's state dir (0600, like everything the app writes there). */
export const REGISTRY_FILE = 'gateways.json';

const RegistryFile = z.object({ version: z.literal(1), gateways: z.array(GatewayEntry) });

/** Two spellings of one URL (`http://H:1` and `http://h:1/`) are one gateway. */
export const gatewayKeyOf = (url: string): string => new URL(url).href;

/** The registry's entries; none when the file does not exist yet. A damaged file is a CONFIG error naming it. */
export async function readRegistry(stateDir: string): Promise<GatewayEntry[]> {
  const path = join(stateDir, REGISTRY_FILE);
  const fs = createNodeDurableFs();
  let text: string | undefined;
  try {
    text = await fs.readText(path);
  } finally {
    await fs.close();
  }
  if (text === undefined) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new SyncError('CONFIG', `The gateway list ${path} is not valid JSON: restore it from a backup or move it aside to start the list anew.`);
  }
  const parsed = RegistryFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SyncError('CONFIG', `The gateway list ${path} is damaged (${issue.path.join('.') || 'file'}: ${issue.message}): restore it from a backup or move it aside.`);
  }
  return parsed.data.gateways;
}

export async function writeRegistry(stateDir: string, entries: readonly GatewayEntry[]): Promise<void> {
  const fs = createNodeDurableFs();
  try {
    await fs.mkdirp(stateDir);
    await fs.writeAtomic(join(stateDir, REGISTRY_FILE), `${JSON.stringify({ version: 1, gateways: entries }, null, 2)}\n`);
  } finally {
    await fs.close();
  }
}

export interface Reconciled {
  /** The wanted gateways' entries, in the order they were listed. */
  entries: GatewayEntry[];
  added: GatewayEntry[];
  /** The entry that took over the single-gateway state in place, if this call did that. */
  migrated: GatewayEntry | undefined;
  /** The whole list to persist: known entries not listed any more stay, so their state is kept. */
  all: GatewayEntry[];
  changed: boolean;
}

/**
 * Matches the listed gateways to the known entries by URL and mints an entry for each new one. On the first call
 * (no entries yet) the single-gateway state's owner (an index into `wanted`, see findSingleGatewayState) becomes
 * entry 1: its dir stays the app's state dir, its scope the host:port its agents and traces were made with, and its
 * agents keep their bare names, so nothing is re-created in AgentWatch. Without one, the first listed keeps bare names.
 */
export function reconcileGateways(known: readonly GatewayEntry[], wanted: readonly GatewayInput[], singleOwner?: number, newId: () => string = randomUUID): Reconciled {
  const byKey = new Map(known.map((e) => [gatewayKeyOf(e.url), e]));
  const all = [...known];
  const added: GatewayEntry[] = [];
  let migrated: GatewayEntry | undefined;
  let changed = false;
  const fresh = known.length === 0;
  const plainAt = fresh ? (singleOwner ?? 0) : -1;
  const entries = wanted.map((w, i) => {
    const old = byKey.get(gatewayKeyOf(w.url));
    if (old) {
      const { name: _name, tokenFile: _tokenFile, ...rest } = old;
      const updated: GatewayEntry = { ...rest, url: w.url, ...pick(w) };
      if (JSON.stringify(updated) !== JSON.stringify(old)) {
        all[all.indexOf(old)] = updated;
        changed = true;
      }
      return updated;
    }
    const id = newId();
    const inPlace = fresh && i === singleOwner;
    const entry: GatewayEntry = { id, url: w.url, ...pick(w), scope: gatewayIdOf(w.url), dir: inPlace ? '.' : `gateways/${id}`, plainAgentNames: i === plainAt };
    if (inPlace) migrated = entry;
    all.push(entry);
    added.push(entry);
    byKey.set(gatewayKeyOf(w.url), entry);
    changed = true;
    return entry;
  });
  return { entries, added, migrated, all, changed };
}

function pick(w: GatewayInput): Pick<GatewayEntry, 'name' | 'tokenFile'> {
  return { ...(w.name !== undefined ? { name: w.name } : {}), ...(w.tokenFile !== undefined ? { tokenFile: w.tokenFile } : {}) };
}

/** An entry's own state dir: ledger, outbox, device identity and lock. */
export const entryStateDir = (stateDir: string, entry: Pick<GatewayEntry, 'dir'>): string => join(stateDir, entry.dir);
