import { createHash } from 'node:crypto';

// OTLP treats an all-zero trace or span id as invalid; a hash that happens to be zero gets its last bit set.
function hexId(namespace: string, value: string, bytes: number): string {
  const digest = createHash('sha256').update(`${namespace}\0${value}`).digest().subarray(0, bytes);
  if (digest.every((b) => b === 0)) digest[bytes - 1] = 1;
  return digest.toString('hex');
}

/** A 16-byte OTLP trace id (32 lowercase hex) derived from the delta's trace id: one OTel trace per OpenClaw session. */
export function otlpTraceId(traceId: string): string {
  return hexId('agentwatch-sync/trace', traceId, 16);
}

/** An 8-byte OTLP span id (16 lowercase hex) derived from the delta id, so a re-sent delta is the same span. */
export function otlpSpanId(deltaId: string): string {
  return hexId('agentwatch-sync/span', deltaId, 8);
}
