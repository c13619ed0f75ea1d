import { request } from 'undici';
import { DEFAULT_MAX_RESPONSE_BYTES } from './http-json.js';
import { parseJson, readCapped } from './read-body.js';
import { describeBase } from './http-failure.js';
import { otlpGarbageFailure, otlpNetworkFailure, otlpStatusFailure, otlpTimeoutFailure, type OtlpRequestLabel } from './otlp-failure.js';

// Error bodies are read only for Status.message; more than this is never useful in a one-line message.
const ERROR_BODY_BYTES = 64 * 1024;

export interface OtlpTarget {
  baseUrl: string;
  timeoutMs: number;
  maxResponseBytes?: number;
  /** For Retry-After HTTP dates; defaults to the system clock. */
  now?: () => number;
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
    const read = await readCapped(res.body, ok ? cap : ERROR_BODY_BYTES);
    bytes = read.tooLarge ? null : read.bytes;
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
