import { join } from 'node:path';
import type { LoggerOptions } from '../sync/logger.js';

export const LOG_FILE_NAME = 'agentwatch-sync.log';
// 1 MiB × 3 rotated files: days of INFO lines at a 30 s interval, small enough to attach to a bug report.
export const LOG_MAX_BYTES = 1024 * 1024;
export const LOG_KEEP = 3;

/** The platform's logs folder: ~/Library/Logs/<app> on macOS, %APPDATA%\<app>\logs on Windows, userData/logs on Linux. */
export function logFilePath(app: { getPath(name: 'logs'): string }): string {
  return join(app.getPath('logs'), LOG_FILE_NAME);
}

/** Options for the shared `createLogger`: same line format as the CLI, rotating file, secrets redacted. */
export function appLoggerOptions(
  path: string,
  level: LoggerOptions['level'],
  secrets: () => readonly string[],
  /** A packaged GUI app has no console: pass null there, stderr in development. */
  console: NodeJS.WritableStream | null = null,
): LoggerOptions {
  return { level, console, file: { path, maxBytes: LOG_MAX_BYTES, keep: LOG_KEEP }, secrets };
}
