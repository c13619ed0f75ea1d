import { randomUUID } from 'node:crypto';
import { link, open, readFile, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { SyncError } from '../errors.js';
import { systemClock, type Clock, type Logger } from '../ports.js';
import { describeFsError } from './disk-errors.js';
import { PRIVATE_FILE_MODE, ensurePrivateDir } from './private-files.js';

export interface StateLock {
  /** Removes the lock file if it is still ours. Idempotent. */
  release(): Promise<void>;
}

export interface StateLockOptions {
  pid: number;
  log: Logger;
  processAlive?: (pid: number) => boolean;
  clock?: Clock;
}

interface LockHolder {
  pid: number;
  startedAt: string;
  host: string;
  /** Tells this process's lock apart from an older one by the same pid (pids are reused, e.g. pid 1 in containers). */
  nonce: string;
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to another user.
    return (e as { code?: unknown }).code === 'EPERM';
  }
}

function codeOf(e: unknown): unknown {
  return typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
}

/** The holder, or null when the file is unreadable (a lock never finished); undefined when there is no file. */
async function readHolder(path: string): Promise<LockHolder | null | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if (codeOf(e) === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid === 'number' && typeof value.nonce === 'string') return value as LockHolder;
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
  }
  return null;
}

function lockedError(dir: string, holder: LockHolder): SyncError {
  const where = holder.host === hostname() ? '' : ` on host ${holder.host}`;
  const remedy =
    where === ''
      ? 'Quit it (tray or CLI) or pass a different --state-dir.'
      : `Quit it there or pass a different --state-dir (if it no longer runs, delete ${join(dir, 'lock')}).`;
  return new SyncError(
    'LOCKED',
    `Another AgentWatch Sync (pid ${holder.pid}${where}) is already using the state dir ${dir}. ${remedy}`,
    { retryable: false, details: { pid: holder.pid, host: holder.host } },
  );
}

// Only one process may own a state dir: two writers would deliver the same deltas twice.
const heldHere = new Set<string>();

/**
 * Takes `<dir>/lock`. The lock file is written completely to a temp file and then hard-linked into place, which
 * like O_EXCL fails when the lock exists, but never shows another process a half-written lock.
 */
export async function acquireStateLock(dir: string, options: StateLockOptions): Promise<StateLock> {
  const alive = options.processAlive ?? isProcessAlive;
  const lockPath = join(dir, 'lock');
  const me: LockHolder = {
    pid: options.pid,
    startedAt: new Date((options.clock ?? systemClock).now()).toISOString(),
    host: hostname(),
    nonce: randomUUID(),
  };
  if (heldHere.has(lockPath)) throw lockedError(dir, { ...me, nonce: '' });
  const tmp = join(dir, `lock.${me.nonce}.tmp`);
  try {
    // The lock is the first thing a start touches in the state dir: create it private, or tighten an older one.
    ensurePrivateDir(dir, options.log);
    const handle = await open(tmp, 'wx', PRIVATE_FILE_MODE);
    try {
      await handle.writeFile(JSON.stringify(me));
      await handle.sync();
    } finally {
      await handle.close();
    }
    for (let attempt = 0; ; attempt += 1) {
      try {
        await link(tmp, lockPath);
        break;
      } catch (e) {
        if (codeOf(e) !== 'EEXIST' || attempt >= 5) throw e;
      }
      await takeOverIfStale(dir, lockPath, me, alive, options.log);
    }
  } catch (e) {
    if (e instanceof SyncError) throw e;
    const message = `Cannot lock the state dir ${dir} (${describeFsError(e)}). Choose another --state-dir.`;
    throw new SyncError('STATE', message, { cause: e });
  } finally {
    // When the dir itself is unusable (ENOTDIR, EACCES) the temp file was never made and rm fails the same way;
    // that failure must not replace the STATE error above.
    await rm(tmp, { force: true }).catch(() => undefined);
  }
  heldHere.add(lockPath);
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      heldHere.delete(lockPath);
      const holder = await readHolder(lockPath);
      if (holder?.nonce === me.nonce) await rm(lockPath, { force: true });
    },
  };
}

/** Throws LOCKED when a live process holds the lock; removes a dead one's lock so the caller can retry. */
async function takeOverIfStale(
  dir: string,
  lockPath: string,
  me: LockHolder,
  alive: (pid: number) => boolean,
  log: Logger,
): Promise<void> {
  const holder = await readHolder(lockPath);
  if (holder === undefined) return;
  // Another host's pid cannot be checked from here: assume it runs.
  if (holder && (holder.host !== me.host || (holder.pid !== me.pid && alive(holder.pid)))) {
    throw lockedError(dir, holder);
  }
  // Move the stale lock aside, then check that it was really the one judged stale: another process may have
  // replaced it in between. If so, put that one back.
  const aside = join(dir, `lock.${me.nonce}.stale`);
  try {
    await rename(lockPath, aside);
  } catch (e) {
    if (codeOf(e) === 'ENOENT') return;
    throw e;
  }
  try {
    const moved = await readHolder(aside);
    if (moved && moved.nonce !== holder?.nonce) {
      await link(aside, lockPath).catch((e: unknown) => {
        if (codeOf(e) !== 'EEXIST') throw e;
      });
      throw lockedError(dir, moved);
    }
  } finally {
    await rm(aside, { force: true });
  }
  log.info(
    holder
      ? `Took over the state dir ${dir} from AgentWatch Sync pid ${holder.pid}, which is no longer running.`
      : `Replaced an unreadable lock file in ${dir} (left by an interrupted start).`,
  );
}
