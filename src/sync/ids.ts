import { hash } from 'node:crypto';
import type { Watermark } from './delta.js';

// One-shot hashing (Node >= 20.12): no Hash object per delta.
const sha256 = (text: string) => hash('sha256', text, 'hex');

/** Stable id of the gateway, from its URL's host and port (so two gateways never share traces). */
export function gatewayIdOf(url: string): string {
  const u = new URL(url);
  const port = u.port || (u.protocol === 'https:' || u.protocol === 'wss:' ? '443' : '80');
  return `${u.hostname.toLowerCase()}:${port}`;
}

/** UUID-shaped and deterministic: the same gateway + session key + sessionId always gives the same trace. */
export function traceIdOf(gatewayId: string, sessionKey: string, sessionId: string): string {
  const h = sha256(`trace|${gatewayId}|${sessionKey}|${sessionId}`);
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const mark = (w: Watermark) => `${w.input},${w.output},${w.cacheRead},${w.cacheWrite},${w.costMicros}`;

/**
 * Content-derived: the same session moving between the same two watermarks with the same status is one event.
 * `corrections` (the session's downward bookings so far) tells apart the same step climbed again after one.
 */
export function deltaIdOf(gatewayId: string, sessionId: string, from: Watermark, to: Watermark, status: string, corrections = 0): string {
  const epoch = corrections > 0 ? `|c${corrections}` : '';
  return sha256(`delta|${gatewayId}|${sessionId}|${mark(from)}|${mark(to)}|${status}${epoch}`).slice(0, 32);
}
