import type { IncomingMessage, ServerResponse } from 'node:http';
import { startLoopbackServer } from './loopback-server.js';
import { decodeTraceRequest, type DecodedSpan } from './otlp-shape.js';

export interface OtlpReceivedRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  authorization: string | undefined;
  body: unknown;
}

/** What the next request gets instead of a 200; `once: false` keeps failing until `fail(null)`. */
export type OtlpFault =
  | { status: number; retryAfter?: string; body?: unknown; once?: boolean }
  | { partialSuccess: { rejectedSpans?: string | number; errorMessage?: string }; once?: boolean }
  | { rawBody: string; once?: boolean }
  | { hang: true; once?: boolean };

export interface OtlpReceiver {
  url: string;
  requests: OtlpReceivedRequest[];
  /** Spans from well-formed requests that were answered 200 (so counted as accepted). */
  spans: DecodedSpan[];
  /** Structural problems found in any request: must stay empty. */
  problems: string[];
  fail(fault: OtlpFault | null): void;
  close(): Promise<void>;
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

/**
 * A loopback OTLP/HTTP receiver for `POST /v1/traces` in JSON. It decodes every payload strictly (see otlp-shape),
 * answers a malformed one 400 with a google.rpc.Status body like a collector does, and can inject faults.
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const requests: OtlpReceivedRequest[] = [];
  const spans: DecodedSpan[] = [];
  const problems: string[] = [];
  let fault: OtlpFault | null = null;

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = raw;
    }
    const entry: OtlpReceivedRequest = { method: req.method ?? '', path: req.url ?? '', contentType: req.headers['content-type'], authorization: req.headers.authorization, body };
    requests.push(entry);
    if (entry.method !== 'POST' || entry.path !== '/v1/traces') return reply(res, 404, { code: 5, message: `no route ${entry.method} ${entry.path}` });
    if (entry.contentType !== 'application/json') {
      problems.push(`content-type must be application/json, got ${String(entry.contentType)}`);
      return reply(res, 415, { code: 3, message: 'unsupported content type' });
    }
    const decoded = decodeTraceRequest(body);
    if (decoded.problems.length > 0) {
      problems.push(...decoded.problems);
      return reply(res, 400, { code: 3, message: decoded.problems[0] });
    }
    const f = fault;
    if (f && f.once !== false) fault = null;
    if (f && 'hang' in f) return; // never answers; the client's deadline ends it
    if (f && 'status' in f) return reply(res, f.status, f.body ?? { code: 14, message: `injected ${f.status}` }, f.retryAfter ? { 'retry-after': f.retryAfter } : {});
    if (f && 'rawBody' in f) return reply(res, 200, f.rawBody);
    spans.push(...decoded.spans);
    reply(res, 200, f && 'partialSuccess' in f ? { partialSuccess: f.partialSuccess } : {});
  };

  const server = await startLoopbackServer(handle);
  return {
    url: server.url,
    requests,
    spans,
    problems,
    fail: (f) => {
      fault = f;
    },
    close: () => server.close(),
  };
}
