import { OTLP_HTTP_RETRY } from '../retry-policy.js';
import type { HttpProtocol, RequestLabel } from './http-failure.js';

/** google.rpc.Status in JSON: the spec puts the developer-facing reason in `message`. */
function statusMessage(body: unknown): string | undefined {
  const message = (body as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message.trim() !== '' ? message.trim().slice(0, 300) : undefined;
}

const call = (req: RequestLabel): string => `${req.method} ${req.path}`;

/** OTLP/HTTP JSON to an OpenTelemetry collector, which is never sent credentials. */
export const OTLP_PROTOCOL: HttpProtocol = {
  retry: OTLP_HTTP_RETRY,
  detail: statusMessage,
  jsonName: 'OTLP/JSON',
  wording: {
    refused: (req) => `OTLP collector at ${req.where} refused the connection — is it running with the OTLP/HTTP receiver on (default port 4318)?`,
    notFound: (req) => `OTLP collector host in ${req.where} was not found (DNS) — check otlpUrl (--otlp-url).`,
    dropped: (req, what) => `OTLP collector at ${req.where} dropped ${call(req)} (${what}) — will retry; check the collector and network.`,
    timeout: (req, ms) =>
      `OTLP collector at ${req.where} did not answer ${call(req)} within ${ms} ms — will retry; raise requestTimeoutMs if the collector is slow.`,
    garbage: (req, status, what) =>
      `OTLP collector at ${req.where} answered ${call(req)} with ${status} but ${what} — will retry; is otlpUrl an OTLP/HTTP receiver?`,
    throttled: (req, a) => {
      const when = a.retryAfterMs === undefined ? 'later' : `after ${Math.ceil(a.retryAfterMs / 1000)}s`;
      return `OTLP collector at ${req.where} is throttling (429 on ${call(req)}) — retrying ${when}.`;
    },
    unavailable: (req, a) => `OTLP collector at ${req.where} is unavailable (${a.status} on ${call(req)}${a.suffix}) — will retry.`,
    // Unreachable under the OTLP rules (no other 5xx is retried); kept for a complete wording.
    server: (req, a) => `OTLP collector at ${req.where} failed with ${a.status} on ${call(req)}${a.suffix} — will retry.`,
    unauthorized: (req, a) =>
      `OTLP collector at ${req.where} refused ${call(req)} (${a.status}) — this sink sends no credentials; point otlpUrl at a collector receiver that accepts it.`,
    rejected: (req, a) => {
      let hint = 'the OTLP spec forbids retrying it, so the batch is set aside.';
      if (a.status === 404 || a.status === 405) hint = `is ${req.where} an OTLP/HTTP receiver? Spans go to ${req.path}; check otlpUrl (--otlp-url).`;
      if (a.status === 413) hint = 'the batch is larger than the collector accepts; lower batchSize (--batch-size).';
      if (a.status === 415) hint = 'the receiver does not accept OTLP/JSON (application/json); enable JSON on its OTLP/HTTP receiver.';
      return `OTLP collector at ${req.where} rejected ${call(req)} (${a.status}${a.suffix}) — ${hint}`;
    },
  },
};
