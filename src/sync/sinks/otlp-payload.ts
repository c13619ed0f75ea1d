import { microsToUsd, type SessionDelta } from '../delta.js';
import { otlpSpanId, otlpTraceId } from './otlp-ids.js';

/** OTLP/JSON AnyValue: 64-bit integers travel as decimal strings (proto3 JSON mapping). */
export type OtlpValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean };

export interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpAttribute[];
  status: { code: number; message?: string };
}

export interface OtlpTraceRequest {
  resourceSpans: Array<{
    resource: { attributes: OtlpAttribute[] };
    scopeSpans: Array<{ scope: { name: string; version?: string }; spans: OtlpSpan[] }>;
  }>;
}

export interface OtlpPayloadOptions {
  serviceName?: string;
  serviceVersion?: string;
}

export const OTLP_SERVICE_NAME = 'agentwatch-live-sync';
export const OTLP_SCOPE_NAME = 'agentwatch-live-sync/otlp-sink';

// Enum values must be integers in OTLP/JSON (never names).
const SPAN_KIND_INTERNAL = 1;
const STATUS_UNSET = 0;
const STATUS_ERROR = 2;

const str = (key: string, value: string): OtlpAttribute => ({ key, value: { stringValue: value } });
const int = (key: string, value: number): OtlpAttribute => ({ key, value: { intValue: String(Math.trunc(value)) } });
const dbl = (key: string, value: number): OtlpAttribute => ({ key, value: { doubleValue: value } });

function unixNano(ms: number): string {
  return (BigInt(Math.round(ms)) * 1_000_000n).toString();
}

function optional(key: string, value: string | null): OtlpAttribute[] {
  return value === null || value === '' ? [] : [str(key, value)];
}

/**
 * GenAI semantic conventions: `gen_ai.usage.input_tokens` includes cached input, so it is input + cacheRead +
 * cacheWrite, with the two cache counts repeated as their own (subset) attributes.
 */
function spanAttributes(d: SessionDelta): OtlpAttribute[] {
  const t = d.tokens;
  return [
    str('gen_ai.operation.name', 'invoke_agent'),
    ...optional('gen_ai.provider.name', d.modelProvider),
    ...optional('gen_ai.request.model', d.model),
    ...optional('gen_ai.response.model', d.model),
    str('gen_ai.agent.id', d.agentId),
    str('gen_ai.agent.name', d.agentId),
    str('gen_ai.conversation.id', d.sessionKey),
    int('gen_ai.usage.input_tokens', t.input + t.cacheRead + t.cacheWrite),
    int('gen_ai.usage.output_tokens', t.output),
    int('gen_ai.usage.cache_read.input_tokens', t.cacheRead),
    int('gen_ai.usage.cache_creation.input_tokens', t.cacheWrite),
    ...(d.status === 'error' || d.status === 'timeout' ? [str('error.type', d.openclawStatus ?? d.status)] : []),
    dbl('agentwatch.cost_usd', microsToUsd(d.costMicros)),
    int('agentwatch.cost_micros', d.costMicros),
    // Entries OpenClaw could not price: above 0, the cost is a lower bound.
    int('agentwatch.unpriced_entries', d.unpricedEntries),
    str('agentwatch.event_id', d.id),
    str('agentwatch.trace_id', d.traceId),
    str('agentwatch.trace_status', d.status),
    str('openclaw.gateway.id', d.gatewayId),
    str('openclaw.session.id', d.sessionId),
    str('openclaw.session.classification', d.classification),
    str('openclaw.session.kind', d.kind),
    ...optional('openclaw.session.label', d.label),
    ...optional('openclaw.channel', d.channel),
    ...optional('openclaw.run.status', d.openclawStatus),
  ];
}

/** One span per delta: the agent work OpenClaw booked for one session between two watermarks. */
export function toOtlpSpan(d: SessionDelta): OtlpSpan {
  const failed = d.status === 'error' || d.status === 'timeout';
  // A delta carries no run duration, only when the sync observed it: a zero-length span at that instant.
  const at = unixNano(d.observedAt);
  return {
    traceId: otlpTraceId(d.traceId),
    spanId: otlpSpanId(d.id),
    name: `invoke_agent ${d.agentId}`,
    kind: SPAN_KIND_INTERNAL,
    startTimeUnixNano: at,
    endTimeUnixNano: at,
    attributes: spanAttributes(d),
    status: failed ? { code: STATUS_ERROR, message: `OpenClaw run ended ${d.openclawStatus ?? d.status}` } : { code: STATUS_UNSET },
  };
}

/** An ExportTraceServiceRequest in OTLP/JSON for `POST /v1/traces`. */
export function toOtlpTraceRequest(batch: readonly SessionDelta[], options: OtlpPayloadOptions = {}): OtlpTraceRequest {
  const resource = [str('service.name', options.serviceName ?? OTLP_SERVICE_NAME), ...(options.serviceVersion ? [str('service.version', options.serviceVersion)] : [])];
  return {
    resourceSpans: [
      {
        resource: { attributes: resource },
        scopeSpans: [{ scope: { name: OTLP_SCOPE_NAME, ...(options.serviceVersion ? { version: options.serviceVersion } : {}) }, spans: batch.map(toOtlpSpan) }],
      },
    ],
  };
}
