import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LogLevel } from '../shared/settings.js';
import type { Clock, Logger } from './ports.js';
import { systemClock } from './ports.js';
import { redact } from './redact.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, ensurePrivateFiles } from './store/private-files.js';

const RANK: Record<LogLevel, number> = { DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40 };

export interface RotatingFile {
  path: string;
  maxBytes: number;
  /** Rotated files kept beside the live one: path.1 … path.N. */
  keep: number;
}

export interface LoggerOptions {
  level: LogLevel;
  /** Console target; null = none. Defaults to stderr so `--sink jsonl` can own stdout. */
  console?: NodeJS.WritableStream | null;
  file?: RotatingFile | null;
  /** Current secrets (gateway token, API key): every occurrence is replaced before a line is written. */
  secrets?: () => readonly string[];
  clock?: Clock;
}

export type ClosableLogger = Logger & { close(): Promise<void>; setLevel(level: LogLevel): void };

const pad = (n: number) => String(n).padStart(2, '0');

/** The seed's line format: `2026-02-10 20:30:45 [INFO] - message`, local time like Python's logging. */
export function formatLine(at: number, level: LogLevel, message: string): string {
  const d = new Date(at);
  const stamp = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return `${stamp} [${level}] - ${message}`;
}


export function createLogger(options: LoggerOptions): ClosableLogger {
  let level = options.level;
  const clock = options.clock ?? systemClock;
  const stream = options.console === undefined ? process.stderr : options.console;
  const file = options.file ?? null;
  let fileSize = 0;
  let fileBroken = false;
  if (file) {
    // Only a folder made here is made private: --log-file may point into a shared one such as /var/log.
    mkdirSync(dirname(file.path), { recursive: true, mode: PRIVATE_DIR_MODE });
    try {
      fileSize = statSync(file.path).size;
    } catch {
      fileSize = 0; // no log file yet
    }
  }

  const rotate = (f: RotatingFile) => {
    rmSync(`${f.path}.${f.keep}`, { force: true });
    for (let i = f.keep - 1; i >= 1; i--) {
      try {
        renameSync(`${f.path}.${i}`, `${f.path}.${i + 1}`);
      } catch {
        // that generation does not exist yet
      }
    }
    renameSync(f.path, `${f.path}.1`);
    fileSize = 0;
  };

  const write = (lvl: LogLevel, message: string) => {
    if (RANK[lvl] < RANK[level]) return;
    const line = redact(formatLine(clock.now(), lvl, message), options.secrets?.() ?? []) + '\n';
    stream?.write(line);
    if (!file || fileBroken) return;
    try {
      if (fileSize + line.length > file.maxBytes && fileSize > 0) rotate(file);
      appendFileSync(file.path, line, { mode: PRIVATE_FILE_MODE });
      fileSize += Buffer.byteLength(line);
    } catch (e) {
      fileBroken = true;
      stream?.write(formatLine(clock.now(), 'ERROR', `Cannot write the log file ${file.path} (${(e as Error).message}); logging to the console only.`) + '\n');
    }
  };

  const logger: ClosableLogger = {
    debug: (m) => write('DEBUG', m),
    info: (m) => write('INFO', m),
    warn: (m) => write('WARNING', m),
    error: (m) => write('ERROR', m),
    setLevel: (l) => {
      level = l;
    },
    close: async () => {},
  };
  // Lines hold session keys and error details: a log (or a rotation) left readable by an older version is tightened.
  if (file) ensurePrivateFiles(logFiles(file), logger, 'log');
  return logger;
}

/** The live log and its rotations. */
export function logFiles(file: RotatingFile): string[] {
  return [file.path, ...Array.from({ length: file.keep }, (_, i) => `${file.path}.${i + 1}`)];
}
