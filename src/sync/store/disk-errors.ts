import { SyncError } from '../errors.js';

const CAUSES: Record<string, string> = {
  ENOSPC: 'disk full',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'part of the path is a file, not a folder',
  EEXIST: 'a file is in the way',
  EISDIR: 'a folder is in the way',
  EIO: 'I/O error',
  EMFILE: 'too many open files',
};

function codeOf(e: unknown): string | undefined {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** "ENOSPC: disk full", or the error's own message when it has no known code. */
export function describeFsError(e: unknown): string {
  const code = codeOf(e);
  if (code) return `${code}: ${CAUSES[code] ?? (e instanceof Error ? e.message : 'file system error')}`;
  return e instanceof Error ? e.message : String(e);
}

function nextStep(e: unknown): string {
  switch (codeOf(e)) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'Free space or choose another --state-dir';
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return 'Make the folder writable or choose another --state-dir';
    case 'ENOTDIR':
    case 'EEXIST':
    case 'EISDIR':
      return 'Move the file that is in the way or choose another --state-dir';
    default:
      return 'Check the disk or choose another --state-dir';
  }
}

export function stateWriteError(dir: string, cause: unknown): SyncError {
  return new SyncError(
    'STATE',
    `Cannot write the sync state in ${dir} (${describeFsError(cause)}). ${nextStep(cause)}; ` +
      'nothing was lost: the last poll will be retried.',
    { retryable: true, cause },
  );
}

export function stateOpenError(dir: string, cause: unknown): SyncError {
  const message = `Cannot open the sync state in ${dir} (${describeFsError(cause)}). ${nextStep(cause)}.`;
  return new SyncError('STATE', message, { retryable: false, cause });
}

export function damagedSnapshotError(file: string, reason: string): SyncError {
  return new SyncError(
    'STATE',
    `The sync state file ${file} is damaged (${reason}). Restore it from a backup, or move the state folder aside ` +
      'to start fresh (AgentWatch may then receive some usage twice).',
    { retryable: false, details: { file } },
  );
}
