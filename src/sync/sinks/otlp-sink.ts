import type { Logger } from '../ports.js';
import { describeBase } from './http-failure.js';
import { postJson, type HttpEndpoint, type HttpTarget } from './http.js';
import { toOtlpTraceRequest } from './otlp-payload.js';
import { OTLP_PROTOCOL } from './otlp-protocol.js';
import type { Sink } from './sink.js';

export const OTLP_TRACES_PATH = '/v1/traces';

/** `baseUrl` is the collector's, e.g. http://127.0.0.1:4318; spans go to `${baseUrl}/v1/traces`. */
export interface OtlpSinkOptions extends Omit<HttpEndpoint, 'apiKey'> {
  /** Where partial-success reports go (spans the collector dropped after accepting the request). */
  log?: Logger;
  /** Sent as the resource's service.version and the scope version. */
  serviceVersion?: string;
}

export interface OtlpPartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}

/** ExportTraceServiceResponse.partial_success, or null when the collector accepted everything without comment. */
export function readPartialSuccess(body: unknown): OtlpPartialSuccess | null {
  const raw = body as Record<string, unknown> | null | undefined;
  const partial = (raw?.partialSuccess ?? raw?.partial_success) as Record<string, unknown> | null | undefined;
  if (!partial || typeof partial !== 'object') return null;
  // int64 arrives as a decimal string in proto3 JSON; numbers are accepted too.
  const rejectedRaw = partial.rejectedSpans ?? partial.rejected_spans ?? 0;
  const rejected = Number(rejectedRaw);
  const messageRaw = partial.errorMessage ?? partial.error_message;
  const errorMessage = typeof messageRaw === 'string' ? messageRaw.trim() : '';
  const rejectedSpans = Number.isFinite(rejected) && rejected > 0 ? Math.trunc(rejected) : 0;
  if (rejectedSpans === 0 && errorMessage === '') return null;
  return { rejectedSpans, errorMessage };
}

/**
 * OTLP/HTTP JSON export of each delta as one GenAI `invoke_agent` span. A partial success is success for the
 * outbox (the spec forbids retrying it) and is reported as a warning naming how many spans the collector dropped.
 */
export function createOtlpSink(options: OtlpSinkOptions): Sink {
  const where = describeBase(options.baseUrl);
  // Built field by field: the collector is never sent an API key, whatever the caller's object carries.
  const target: HttpTarget = {
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    protocol: OTLP_PROTOCOL,
    ...(options.maxResponseBytes === undefined ? {} : { maxResponseBytes: options.maxResponseBytes }),
    ...(options.now ? { now: options.now } : {}),
  };
  const payloadOptions = options.serviceVersion ? { serviceVersion: options.serviceVersion } : {};
  return {
    name: 'otlp',
    async deliver(batch, ctx) {
      if (batch.length === 0) return;
      const { body } = await postJson(target, OTLP_TRACES_PATH, toOtlpTraceRequest(batch, payloadOptions), { signal: ctx.signal, answer: 'json-or-empty' });
      const partial = readPartialSuccess(body);
      if (!partial) return;
      const reason = partial.errorMessage || 'no reason given';
      if (partial.rejectedSpans > 0) {
        options.log?.warn(
          `OTLP collector at ${where} rejected ${partial.rejectedSpans} of ${batch.length} spans (${reason}) — not retried (OTLP partial success); check the collector's limits and log.`,
        );
      } else {
        options.log?.warn(`OTLP collector at ${where} accepted all ${batch.length} spans with a warning: ${reason}`);
      }
    },
  };
}
