import { writeSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './private-files.js';

/** The file operations the sync state needs; a port so tests can inject faults (disk full, I/O errors). */
export interface DurableFs {
  /** The file's text, or undefined when it does not exist. */
  readText(path: string): Promise<string | undefined>;
  /** Appends and fsyncs; resolves only once the text is on disk. */
  appendDurable(path: string, text: string): Promise<void>;
  /**
   * Appends without fsync: resolves once the kernel has the text, so it survives the process being killed but
   * not an OS crash or power cut until `sync` (or a later `appendDurable` to the same file) returns.
   */
  append(path: string, text: string): Promise<void>;
  /** Fsyncs what was appended to the file so far. */
  sync(path: string): Promise<void>;
  /** Replaces the file all at once: temp file + fsync + rename + fsync of the directory. */
  writeAtomic(path: string, text: string): Promise<void>;
  /** Removes the file; a missing file is not an error. */
  remove(path: string): Promise<void>;
  mkdirp(path: string): Promise<void>;
  close(): Promise<void>;
}

function hasCode(e: unknown, ...codes: string[]): boolean {
  return typeof e === 'object' && e !== null && codes.includes(String((e as { code?: unknown }).code));
}

// A small append without fsync only copies into the page cache: done in place it takes microseconds, while the
// thread-pool round trip of an async write costs ~0.2 ms per delivered batch (200 per 10k poll; docs/bench.md).
const SMALL_APPEND_BYTES = 16 * 1024;

function writeAllNow(handle: FileHandle, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) offset += writeSync(handle.fd, data, offset, data.length - offset);
}

async function writeAll(handle: FileHandle, data: Buffer): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset);
    offset += bytesWritten;
  }
}

// A new directory entry is only durable once the directory itself is fsync'd. Windows cannot open a
// directory for syncing (and NTFS journals the entry anyway), so that failure is expected there.
async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(dir, 'r');
  } catch (e) {
    if (process.platform === 'win32' && hasCode(e, 'EISDIR', 'EPERM', 'EACCES')) return;
    throw e;
  }
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function createNodeDurableFs(): DurableFs {
  // Appends reuse one open handle per file: reopening and fsyncing the directory on each record would be slow.
  const handles = new Map<string, FileHandle>();

  async function forget(path: string): Promise<void> {
    const handle = handles.get(path);
    if (!handle) return;
    handles.delete(path);
    await handle.close();
  }

  async function handleFor(path: string): Promise<FileHandle> {
    const existing = handles.get(path);
    if (existing) return existing;
    const handle = await open(path, 'a', PRIVATE_FILE_MODE);
    try {
      await syncDir(dirname(path));
    } catch (e) {
      await handle.close();
      throw e;
    }
    handles.set(path, handle);
    return handle;
  }

  async function appendWith(path: string, text: string, durable: boolean): Promise<void> {
    const handle = await handleFor(path);
    try {
      const data = Buffer.from(text, 'utf8');
      if (!durable && data.length <= SMALL_APPEND_BYTES) writeAllNow(handle, data);
      else await writeAll(handle, data);
      if (durable) await handle.datasync();
    } catch (e) {
      // After a failed write the handle's state is unknown: drop it, the next append reopens the file.
      handles.delete(path);
      await handle.close().catch(() => undefined);
      throw e;
    }
  }

  return {
    async readText(path) {
      try {
        return await readFile(path, 'utf8');
      } catch (e) {
        if (hasCode(e, 'ENOENT')) return undefined;
        throw e;
      }
    },

    appendDurable: (path, text) => appendWith(path, text, true),

    append: (path, text) => appendWith(path, text, false),

    async sync(path) {
      const handle = await handleFor(path);
      try {
        await handle.datasync();
      } catch (e) {
        handles.delete(path);
        await handle.close().catch(() => undefined);
        throw e;
      }
    },

    async writeAtomic(path, text) {
      await forget(path);
      const tmp = `${path}.tmp-${process.pid}`;
      try {
        const handle = await open(tmp, 'w', PRIVATE_FILE_MODE);
        try {
          // A temp file left by a crash keeps its old mode on reopen, and the rename would carry it over.
          await handle.chmod(PRIVATE_FILE_MODE);
          await writeAll(handle, Buffer.from(text, 'utf8'));
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(tmp, path);
      } catch (e) {
        await rm(tmp, { force: true }).catch(() => undefined); // best effort: the original error matters
        throw e;
      }
      await syncDir(dirname(path));
    },

    async remove(path) {
      await forget(path);
      await rm(path, { force: true });
    },

    async mkdirp(path) {
      await mkdir(path, { recursive: true, mode: PRIVATE_DIR_MODE });
    },

    async close() {
      const all = [...handles.values()];
      handles.clear();
      await Promise.all(all.map((h) => h.close()));
    },
  };
}
