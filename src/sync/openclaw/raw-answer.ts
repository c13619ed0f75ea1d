import { parseFrame, type InboundFrame, type ParsedFrame } from './gateway-frames.js';

type ResFrame = Extract<InboundFrame, { type: 'res' }>;

/**
 * A request's own reader for its answer when that is large: it gets the frame's bytes undecoded and returns the
 * frame (its payload becomes the answer), or null to have the frame parsed the usual way.
 */
export type RawAnswerReader = (frame: Buffer) => Promise<{ id: string; payload: unknown } | null>;

// Below this a frame parses in about a millisecond; sessions.usage at 10k sessions is 26 MB (a 200–430 ms parse).
const rawAnswerMinBytes = 256 * 1024;
const resHead = '{"type":"res","id":"';
const okHead = '","ok":true,"payload":';

/**
 * The id of a large `ok:true` answer that starts exactly as the gateway's JSON.stringify writes one; undefined
 * for anything else. Our request ids are decimal, so the id is read as digits only.
 */
export function rawAnswerId(frame: Buffer): string | undefined {
  if (frame.length < rawAnswerMinBytes) return undefined;
  const text = frame.toString('latin1', 0, resHead.length + 16 + okHead.length);
  if (!text.startsWith(resHead)) return undefined;
  let end = resHead.length;
  while (end < resHead.length + 16 && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
  if (end === resHead.length || !text.startsWith(okHead, end)) return undefined;
  return text.slice(resHead.length, end);
}

/**
 * Runs `reader` on an answer that has arrived for request `id`. When the reader cannot read it, the text is parsed
 * as any frame is: our answer still settles the request, anything else (a malformed frame) goes to `other`.
 */
export async function readRawAnswer(
  id: string,
  frame: Buffer,
  reader: RawAnswerReader,
  to: { answer(frame: ResFrame): void; other(text: string, parsed: ParsedFrame): void },
): Promise<void> {
  const read = await reader(frame);
  if (read !== null && read.id === id) return to.answer({ type: 'res', id, ok: true, payload: read.payload });
  const text = frame.toString('utf8');
  const parsed = parseFrame(text);
  if ('frame' in parsed && parsed.frame.type === 'res' && parsed.frame.id === id) return to.answer(parsed.frame);
  to.other(text, parsed);
}
