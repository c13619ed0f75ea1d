import { request } from 'undici';
import { parseJson, readCapped } from './read-body.js';
import { describeBase, garbageFailure, networkFailure, statusFailure, timeoutFailure, type RequestLabel } from './http-failure.js';

export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
// Error bodies are read only for their `detail`; more than this is never useful in a one-line message.
const ERROR_BODY_BYTES = 64 * 1024;

export interface HttpTarget {
  baseUrl: string;
  /** Sent as `Authorization: Bearer …`; never logged or put in a message. */
  apiKey?: string;
  timeoutMs: number;
  maxResponseBytes?: number;
  /** For Retry-After HTTP dates; defaults to the system clock. */
  now?: () => number;
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH';

export interface CallOptions {
  body?: unknown;
  /** Cancels the request; the signal's reason is thrown as is (a cancel is not a delivery failure). */
  signal?: AbortSignal;
  /** When true (the default for GET), a 2xx body that is not JSON is a 'garbage' failure. */
  requireJson?: boolean;
}

export interface JsonResponse {
  status: number;
  /** Parsed JSON, or undefined when the body was empty or not JSON and JSON was not required. */
  body: unknown;
}


function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** One JSON request to `baseUrl + path`, with a deadline, a response-size cap and failures as DeliveryError. */
export async function callJson(target: HttpTarget, method: HttpMethod, path: string, options: CallOptions = {}): Promise<JsonResponse> {
  const label: RequestLabel = { where: describeBase(target.baseUrl), method, path: path.split('?')[0] ?? path };
  const cap = target.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const requireJson = options.requireJson ?? method === 'GET';
  const deadline = AbortSignal.timeout(target.timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  let payload: string | undefined;
  if (options.body !== undefined) {
    payload = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const url = target.baseUrl.replace(/\/+$/, '') + path;

  const aborted = (e: unknown): never => {
    if (options.signal?.aborted) throw options.signal.reason;
    if (deadline.aborted) throw timeoutFailure(label, target.timeoutMs, e);
    throw networkFailure(e, label);
  };

  let res: Awaited<ReturnType<typeof request>>;
  try {
    res = await request(url, { method, headers, body: payload, signal });
  } catch (e) {
    return aborted(e);
  }
  const ok = res.statusCode >= 200 && res.statusCode < 300;
  let read: { bytes: Buffer; tooLarge: boolean };
  try {
    read = await readCapped(res.body, ok ? cap : ERROR_BODY_BYTES);
  } catch (e) {
    return aborted(e);
  }
  const parsed = parseJson(read.bytes);
  if (!ok) {
    const now = (target.now ?? Date.now)();
    throw statusFailure(res.statusCode, parsed.ok ? parsed.value : undefined, header(res.headers, 'retry-after'), label, now);
  }
  if (read.tooLarge) throw garbageFailure(label, res.statusCode, `the body is larger than ${cap} bytes`);
  if (!parsed.ok && requireJson) throw garbageFailure(label, res.statusCode, 'the body is not valid JSON');
  return { status: res.statusCode, body: parsed.ok ? parsed.value : undefined };
}

export function getJson(target: HttpTarget, path: string, signal?: AbortSignal): Promise<JsonResponse> {
  return callJson(target, 'GET', path, { signal, requireJson: true });
}

export function postJson(target: HttpTarget, path: string, body: unknown, options: Omit<CallOptions, 'body'> = {}): Promise<JsonResponse> {
  return callJson(target, 'POST', path, { ...options, body });
}

export function patchJson(target: HttpTarget, path: string, body: unknown, options: Omit<CallOptions, 'body'> = {}): Promise<JsonResponse> {
  return callJson(target, 'PATCH', path, { ...options, body });
}
