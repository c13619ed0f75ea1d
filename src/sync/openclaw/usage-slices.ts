import { yieldToLoop } from '../yield-to-loop.js';
import { isRecord } from '../../shared/is-record.js';

/** An `ok:true` answer frame whose payload's sessions are the mapped rows. */
export interface UsageFrame {
  type: 'res';
  id: string;
  ok: true;
  payload: Record<string, unknown>;
}

export interface UsageSliceOptions {
  /** Rows per JSON.parse; ~200 gateway rows are ~500 kB of text, a few ms of parsing. */
  rowsPerSlice?: number;
  signal?: AbortSignal;
}

const defaultRowsPerSlice = 200;
const sessionsOpen = '"sessions":[';
// The gateway writes `},{"key":"` between two rows. It cannot occur inside a JSON string (the `"` after `{` would
// be escaped there), but it also starts objects nested in rows and in the aggregates after the array: a slice is
// only trusted once it parses as whole values.
const rowBoundary = '},{"key":"';
// Stands in for the rows already read when the rest of the frame is parsed; finding it at payload.sessions[0]
// proves the rows were cut from that very array.
const markKey = '\u0000agentwatch:rows-read-in-slices';
const markText = `{"key":${JSON.stringify(markKey)}}`;

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isMark(v: unknown): boolean {
  return isRecord(v) && v.key === markKey && Object.keys(v).length === 1;
}

/**
 * Reads the bytes of a sessions.usage answer frame a slice of rows per event-loop turn instead of one decode and
 * JSON.parse (at 10k sessions the frame is 26 MB: a 200–430 ms stall and the whole parsed tree at once). Only one
 * row's text exists at a time: the frame is never decoded as a whole. `mapRow` sees each row as soon as it is
 * parsed, so a row cut down there frees the rest of it early. Equals JSON.parse of the frame with mapped rows. Null
 * when the frame is not an ok answer laid out as JSON.stringify writes it, or not JSON: the caller then parses it
 * the usual way. The markers searched for are ASCII, and no byte of a multi-byte UTF-8 character is, so byte offsets
 * found for them always fall between characters.
 */
export async function readUsageFrame(frame: Buffer, mapRow: (raw: unknown) => unknown, opts: UsageSliceOptions = {}): Promise<UsageFrame | null> {
  const open = frame.indexOf(sessionsOpen);
  if (open < 0) return null;
  const head = frame.toString('utf8', 0, open + sessionsOpen.length);
  const headBytes = open + sessionsOpen.length;
  const perSlice = Math.max(1, opts.rowsPerSlice ?? defaultRowsPerSlice);
  const rows: unknown[] = [];
  let start = headBytes;
  reading: for (;;) {
    for (let n = 0; n < perSlice; n++) {
      const end = frame.indexOf(rowBoundary, start);
      if (end < 0) break reading;
      // A row parses on its own only if it is one whole value of the array `start` is in: a slice stopping inside
      // a row, or running past the array's end, is unbalanced. `start` is a value start: first after `[`, then
      // after a boundary's `,`.
      const row = tryParse(frame.toString('utf8', start, end + 1));
      if (row === undefined) break reading;
      rows.push(mapRow(row));
      start = end + 2;
    }
    await yieldToLoop();
    opts.signal?.throwIfAborted();
  }
  // The frame with the rows read so far replaced by the mark (no comma before an empty array's `]`).
  const rest = tryParse(head + markText + (frame[start] === 0x5d /* ] */ ? '' : ',') + frame.toString('utf8', start));
  if (!isRecord(rest) || rest.type !== 'res' || rest.ok !== true || typeof rest.id !== 'string' || !isRecord(rest.payload)) return null;
  const tail = rest.payload.sessions;
  if (!Array.isArray(tail) || !isMark(tail[0])) return null;
  for (let i = 1; i < tail.length; i++) rows.push(mapRow(tail[i]));
  rest.payload.sessions = rows;
  return rest as unknown as UsageFrame;
}
