import { request } from 'undici';
import { parseRetryAfter } from '../sinks/http-failure.js';

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

type Body = AsyncIterable<Buffer> & { destroy(error?: Error): unknown };

async function readText(body: Body): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= BODY_BYTES) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, BODY_BYTES);
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

function networkReason(e: unknown): string {
  for (let cur: unknown = e, depth = 0; cur && depth < 4; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return e instanceof Error ? e.message : String(e);
}

/** One JSON POST with a deadline; the answer classified for retry. Never puts the URL in a reason. */
export async function postWebhook(url: string, body: unknown, o: PostOptions): Promise<WebhookResult> {
  const deadline = AbortSignal.timeout(o.timeoutMs);
  const signal = o.signal ? AbortSignal.any([deadline, o.signal]) : deadline;
  const failed = (e: unknown): WebhookResult => {
    if (o.signal?.aborted) throw o.signal.reason;
    if (deadline.aborted) return { ok: false, retryable: true, reason: `no answer within ${o.timeoutMs} ms` };
    return { ok: false, retryable: true, reason: networkReason(e) };
  };
  let res: Awaited<ReturnType<typeof request>>;
  try {
    res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body), signal });
  } catch (e) {
    return failed(e);
  }
  let text: string;
  try {
    text = await readText(res.body);
  } catch (e) {
    return failed(e);
  }
  const status = res.statusCode;
  if (status >= 200 && status < 300) return { ok: true, status };
  const detail = describeBody(text);
  const reason = `HTTP ${status}${detail ? ` ${detail}` : ''}`;
  if (status === 429) {
    const raw = res.headers['retry-after'];
    const retryAfterMs = parseRetryAfter(Array.isArray(raw) ? raw[0] : raw, o.now());
    return { ok: false, retryable: true, status, reason, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  return { ok: false, retryable: status >= 500, status, reason };
}
