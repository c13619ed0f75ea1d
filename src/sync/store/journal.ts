import { SyncError } from '../errors.js';

export type Validation<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface JournalContents<T> {
  records: T[];
  /**
   * The file does not end with a complete, valid record (a write was cut short by a crash or a full disk).
   * The tail was ignored; the next write must not append after it.
   */
  tornTail: boolean;
}

/** One record per line; JSON.stringify escapes newlines inside strings, so a record never spans lines. */
export function encodeRecord(record: unknown): string {
  return `${JSON.stringify(record)}\n`;
}

function parseLine<T>(line: string, validate: (value: unknown) => Validation<T>): Validation<T> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
  return validate(value);
}

/**
 * Reads an append-only JSON-lines journal. Only the last line may be broken (an interrupted append); it is
 * ignored. A broken line before it means the file was damaged after it was written: that is never skipped.
 */
export function parseJournal<T>(
  text: string,
  file: string,
  validate: (value: unknown) => Validation<T>,
): JournalContents<T> {
  if (text === '') return { records: [], tornTail: false };
  const endsClean = text.endsWith('\n');
  const lines = (endsClean ? text.slice(0, -1) : text).split('\n');
  const records: T[] = [];
  let tornTail = !endsClean;
  for (const [index, line] of lines.entries()) {
    const parsed = parseLine(line, validate);
    if (parsed.ok) {
      records.push(parsed.value);
      continue;
    }
    if (index === lines.length - 1) {
      tornTail = true;
      break;
    }
    const n = index + 1;
    throw new SyncError(
      'STATE',
      `The sync journal ${file} is damaged at line ${n} of ${lines.length} (${parsed.reason}). ` +
        `To keep the state up to that point, delete line ${n} and every line after it; or move the state ` +
        'folder aside to start fresh (AgentWatch may then receive some usage twice).',
      { retryable: false, details: { file, line: n } },
    );
  }
  return { records, tornTail };
}
