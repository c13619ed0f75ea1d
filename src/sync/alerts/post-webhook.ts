import { isRetriedStatus, WEBHOOK_HTTP_RETRY } from '../retry-policy.js';
import { errorCode, parseRetryAfter } from '../sinks/http-failure.js';
import { exchange } from '../sinks/http.js';

// Slack answers "ok" or an error word, PagerDuty a small JSON object: more is never needed for a log line.
const BODY_BYTES = 4096;

export type WebhookResult =
  | { ok: true; status: number }
  | {
      ok: false;
      /** 429, 5xx, network and timeouts are retried; other answers mean the request itself is wrong. */
      retryable: boolean;
      status?: number;
      retryAfterMs?: number;
      /** Short and secret-free: `HTTP 404 channel_not_found`, `ECONNREFUSED`, `no answer within 10000 ms`. */
      reason: string;
    };

export interface PostOptions {
  timeoutMs: number;
  /** Cancels the request (shutdown); its reason is thrown as is. */
  signal?: AbortSignal;
  now: () => number;
}

/** PagerDuty: `{ message, errors: [...] }`; Slack: a plain word such as `invalid_payload`. */
function describeBody(text: string): string {
  try {
    const j = JSON.parse(text) as { message?: unknown; errors?: unknown };
    const errors = Array.isArray(j.errors) ? j.errors.filter((e) => typeof e === 'string').join('; ') : '';
    const parts = [typeof j.message === 'string' ? j.message : '', errors].filter(Boolean);
    if (parts.length > 0) return parts.join(': ').slice(0, 300);
  } catch {
    // not JSON: Slack's plain-text answers
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}

/** One JSON POST with a deadline; the answer classified for retry. Never puts the URL in a reason. */
export async function postWebhook(url: string, body: unknown, o: PostOptions): Promise<WebhookResult> {
  const out = await exchange({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    timeoutMs: o.timeoutMs,
    ...(o.signal ? { signal: o.signal } : {}),
    maxBytes: BODY_BYTES,
    maxErrorBytes: BODY_BYTES,
  });
  if (out.kind === 'timeout') return { ok: false, retryable: true, reason: `no answer within ${o.timeoutMs} ms` };
  if (out.kind === 'network') {
    const e = out.cause;
    return { ok: false, retryable: true, reason: errorCode(e) ?? (e instanceof Error ? e.message : String(e)) };
  }
  const status = out.status;
  if (status >= 200 && status < 300) return { ok: true, status };
  const detail = describeBody(out.bytes.toString('utf8'));
  const reason = `HTTP ${status}${detail ? ` ${detail}` : ''}`;
  const retryable = isRetriedStatus(WEBHOOK_HTTP_RETRY, status);
  const retryAfterMs = WEBHOOK_HTTP_RETRY.retryAfterOn.has(status) ? parseRetryAfter(out.retryAfter, o.now()) : undefined;
  return { ok: false, retryable, status, reason, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
}
