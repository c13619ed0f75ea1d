import { SyncError } from '../errors.js';

/** A row's key for a WARN line about it, cut so a hostile row cannot flood the log. */
export function rowKey(row: unknown): string {
  const key = (row as { key?: unknown } | null)?.key;
  return typeof key === 'string' ? key.slice(0, 120) : '(no key)';
}

export function protocolError(method: string, what: string): SyncError {
  return new SyncError('PROTOCOL', `The gateway's ${method} answer ${what}. Check that the gateway is OpenClaw 2026.9 or newer.`);
}
