import { parseRetryAfter } from './http-failure.js';
import { DeliveryError } from './sink.js';

/** Where the export went (scheme, host, path) and the request, for messages; never credentials. */
export interface OtlpRequestLabel {
  where: string;
  path: string;
}

function causeCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 4; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** google.rpc.Status in JSON: the spec puts the developer-facing reason in `message`. */
function statusMessage(body: unknown): string | undefined {
  const message = (body as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message.trim() !== '' ? message.trim().slice(0, 300) : undefined;
}

export function otlpNetworkFailure(e: unknown, req: OtlpRequestLabel): DeliveryError {
  const code = causeCode(e);
  if (code === 'ECONNREFUSED') {
    return new DeliveryError('network', `OTLP collector at ${req.where} refused the connection — is it running with the OTLP/HTTP receiver on (default port 4318)?`, { cause: e });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new DeliveryError('network', `OTLP collector host in ${req.where} was not found (DNS) — check otlpUrl (--otlp-url).`, { cause: e });
  }
  const text = e instanceof Error ? e.message : String(e);
  const what = code && !text.includes(code) ? `${code}: ${text}` : text || code;
  return new DeliveryError('network', `OTLP collector at ${req.where} dropped POST ${req.path} (${what}) — will retry; check the collector and network.`, { cause: e });
}

export function otlpTimeoutFailure(req: OtlpRequestLabel, timeoutMs: number, cause?: unknown): DeliveryError {
  return new DeliveryError(
    'timeout',
    `OTLP collector at ${req.where} did not answer POST ${req.path} within ${timeoutMs} ms — will retry; raise requestTimeoutMs if the collector is slow.`,
    { cause },
  );
}

/**
 * The OTLP/HTTP spec's retry table: only 429, 502, 503 and 504 are retried (honouring Retry-After); every other
 * 4xx/5xx MUST NOT be retried, so they are all 'rejected' (or 'unauthorized' for 401/403).
 */
export function otlpStatusFailure(status: number, body: unknown, retryAfter: string | undefined, req: OtlpRequestLabel, now: number): DeliveryError {
  const call = `POST ${req.path}`;
  const detail = statusMessage(body);
  const suffix = detail ? `: ${detail}` : '';
  const retryAfterMs = parseRetryAfter(retryAfter, now);
  const after = retryAfterMs === undefined ? {} : { retryAfterMs };
  if (status === 429) {
    const when = retryAfterMs === undefined ? 'later' : `after ${Math.ceil(retryAfterMs / 1000)}s`;
    return new DeliveryError('throttled', `OTLP collector at ${req.where} is throttling (429 on ${call}) — retrying ${when}.`, { status, ...after });
  }
  if (status === 502 || status === 503 || status === 504) {
    return new DeliveryError('unavailable', `OTLP collector at ${req.where} is unavailable (${status} on ${call}${suffix}) — will retry.`, { status, ...after });
  }
  if (status === 401 || status === 403) {
    return new DeliveryError(
      'unauthorized',
      `OTLP collector at ${req.where} refused ${call} (${status}) — this sink sends no credentials; point otlpUrl at a collector receiver that accepts it.`,
      { status },
    );
  }
  let hint = 'the OTLP spec forbids retrying it, so the batch is set aside.';
  if (status === 404 || status === 405) hint = `is ${req.where} an OTLP/HTTP receiver? Spans go to ${req.path}; check otlpUrl (--otlp-url).`;
  if (status === 413) hint = 'the batch is larger than the collector accepts; lower batchSize (--batch-size).';
  if (status === 415) hint = 'the receiver does not accept OTLP/JSON (application/json); enable JSON on its OTLP/HTTP receiver.';
  return new DeliveryError('rejected', `OTLP collector at ${req.where} rejected ${call} (${status}${suffix}) — ${hint}`, { status });
}

export function otlpGarbageFailure(req: OtlpRequestLabel, status: number, what: string): DeliveryError {
  return new DeliveryError(
    'garbage',
    `OTLP collector at ${req.where} answered POST ${req.path} with ${status} but ${what} — will retry; is otlpUrl an OTLP/HTTP receiver?`,
    { status },
  );
}
