import type { GatewayErrorShape } from './gateway-errors.js';
import { isRecord } from '../../shared/is-record.js';

export type InboundFrame =
  | { type: 'res'; id: string; ok: true; payload: unknown }
  | { type: 'res'; id: string; ok: false; error: GatewayErrorShape }
  | { type: 'event'; event: string; payload: unknown; seq: number | undefined };

export type ParsedFrame = { frame: InboundFrame } | { problem: string };

function parseErrorShape(v: unknown): GatewayErrorShape | undefined {
  if (!isRecord(v) || typeof v.code !== 'string' || typeof v.message !== 'string') return undefined;
  return {
    code: v.code,
    message: v.message,
    details: v.details,
    retryable: typeof v.retryable === 'boolean' ? v.retryable : undefined,
    retryAfterMs: typeof v.retryAfterMs === 'number' && v.retryAfterMs >= 0 ? v.retryAfterMs : undefined,
  };
}

/** Never throws: anything we cannot read becomes a `problem` the caller logs and skips. */
export function parseFrame(text: string): ParsedFrame {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { problem: 'not JSON' };
  }
  if (!isRecord(raw)) return { problem: 'not a JSON object' };
  if (raw.type === 'event') {
    if (typeof raw.event !== 'string' || raw.event === '') return { problem: 'event frame without an event name' };
    const seq = typeof raw.seq === 'number' && Number.isInteger(raw.seq) ? raw.seq : undefined;
    return { frame: { type: 'event', event: raw.event, payload: raw.payload, seq } };
  }
  if (raw.type === 'res') {
    if (typeof raw.id !== 'string' || raw.id === '') return { problem: 'res frame without an id' };
    if (raw.ok === true) return { frame: { type: 'res', id: raw.id, ok: true, payload: raw.payload } };
    if (raw.ok !== false) return { problem: `res frame ${raw.id} without a boolean ok` };
    const error = parseErrorShape(raw.error) ?? { code: 'UNKNOWN', message: 'the gateway answered ok:false without an error' };
    return { frame: { type: 'res', id: raw.id, ok: false, error } };
  }
  return { problem: `unknown frame type ${JSON.stringify(raw.type)?.slice(0, 40) ?? 'undefined'}` };
}
