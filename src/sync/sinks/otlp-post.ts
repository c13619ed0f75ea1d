import { request } from 'undici';
import { describeBase } from './http-failure.js';
import { otlpGarbageFailure, otlpNetworkFailure, otlpStatusFailure, otlpTimeoutFailure, type OtlpRequestLabel } from './otlp-failure.js';

const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
// Error bodies are read only for Status.message; more than this is never useful in a one-line message.
const ERROR_BODY_BYTES = 64 * 1024;

export interface OtlpTarget {
  baseUrl: string;
  timeoutMs: number;
  maxResponseBytes?: number;
  /** For Retry-After HTTP dates; defaults to the system clock. */
  now?: () => number;
}

type Body = AsyncIterable<Buffer> & { destroy(error?: Error): unknown };

async function readCapped(body: Body, cap: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > cap) {
      body.destroy();
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function parseJson(bytes: Buffer | null): { ok: true; value: unknown } | { ok: false } {
  if (!bytes || bytes.length === 0) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

/**
 * POSTs an OTLP/JSON export to `baseUrl + path`, with a deadline and a response cap. Resolves to the parsed
 * Export*ServiceResponse (undefined for an empty 2xx body); failures are DeliveryErrors classified by the OTLP spec.
 */
export async function postOtlpJson(target: OtlpTarget, path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
  const label: OtlpRequestLabel = { where: describeBase(target.baseUrl), path };
  const deadline = AbortSignal.timeout(target.timeoutMs);
  const combined = signal ? AbortSignal.any([deadline, signal]) : deadline;
  const aborted = (e: unknown): never => {
    if (signal?.aborted) throw signal.reason;
    if (deadline.aborted) throw otlpTimeoutFailure(label, target.timeoutMs, e);
    throw otlpNetworkFailure(e, label);
  };
  let res: Awaited<ReturnType<typeof request>>;
  try {
    res = await request(target.baseUrl.replace(/\/+$/, '') + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: combined,
    });
  } catch (e) {
    return aborted(e);
  }
  const ok = res.statusCode >= 200 && res.statusCode < 300;
  const cap = target.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  let bytes: Buffer | null;
  try {
    bytes = await readCapped(res.body, ok ? cap : ERROR_BODY_BYTES);
  } catch (e) {
    return aborted(e);
  }
  const parsed = parseJson(bytes);
  if (!ok) {
    const retryAfter = res.headers['retry-after'];
    const now = (target.now ?? Date.now)();
    throw otlpStatusFailure(res.statusCode, parsed.ok ? parsed.value : undefined, Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, label, now);
  }
  if (bytes === null) throw otlpGarbageFailure(label, res.statusCode, `the body is larger than ${cap} bytes`);
  if (bytes.length === 0) return undefined;
  if (!parsed.ok) throw otlpGarbageFailure(label, res.statusCode, 'the body is not OTLP/JSON');
  return parsed.value;
}
