import { request } from 'undici';
import { parseJson, readCapped } from './read-body.js';
import { describeBase, garbageFailure, networkFailure, statusFailure, timeoutFailure, type HttpProtocol, type RequestLabel } from './http-failure.js';

export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
// Error bodies are read only for the server's reason; more than this is never useful in a one-line message.
const ERROR_BODY_BYTES = 64 * 1024;

/** Where an HTTP sink sends: the one declaration of a sink's connection options. */
export interface HttpEndpoint {
  baseUrl: string;
  /** Sent as `Authorization: Bearer …`; never logged or put in a message. */
  apiKey?: string;
  timeoutMs: number;
  maxResponseBytes?: number;
  /** For Retry-After HTTP dates; defaults to the system clock. */
  now?: () => number;
  /** The signal that ends a request after `timeoutMs`; defaults to AbortSignal.timeout (the soak's clock is virtual). */
  deadline?: (ms: number) => AbortSignal;
}

export interface HttpTarget extends HttpEndpoint {
  protocol: HttpProtocol;
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH';

export interface HttpExchange {
  url: string;
  method: HttpMethod;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** Cancels the request; the signal's reason is thrown as is (a cancel is not a failure of the server). */
  signal?: AbortSignal;
  /** Most bytes read of a 2xx body, and of any other. */
  maxBytes: number;
  maxErrorBytes: number;
  deadline?: (ms: number) => AbortSignal;
}

export type HttpOutcome =
  | { kind: 'answer'; status: number; retryAfter: string | undefined; bytes: Buffer; tooLarge: boolean }
  | { kind: 'timeout'; cause: unknown }
  | { kind: 'network'; cause: unknown };

/** One request with a deadline and a capped body: the only place the sync speaks HTTP to a server. */
export async function exchange(x: HttpExchange): Promise<HttpOutcome> {
  const deadline = (x.deadline ?? AbortSignal.timeout)(x.timeoutMs);
  const signal = x.signal ? AbortSignal.any([deadline, x.signal]) : deadline;
  const failed = (cause: unknown): HttpOutcome => {
    if (x.signal?.aborted) throw x.signal.reason;
    return { kind: deadline.aborted ? 'timeout' : 'network', cause };
  };
  let res: Awaited<ReturnType<typeof request>>;
  try {
    res = await request(x.url, { method: x.method, headers: x.headers, body: x.body, signal });
  } catch (e) {
    return failed(e);
  }
  const ok = res.statusCode >= 200 && res.statusCode < 300;
  try {
    const read = await readCapped(res.body, ok ? x.maxBytes : x.maxErrorBytes);
    const raw = res.headers['retry-after'];
    return { kind: 'answer', status: res.statusCode, retryAfter: Array.isArray(raw) ? raw[0] : raw, ...read };
  } catch (e) {
    return failed(e);
  }
}

export interface CallOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** What a 2xx must carry; anything else is a 'garbage' failure. Default: JSON for GET, anything otherwise. */
  answer?: 'json' | 'json-or-empty' | 'any';
}

export interface JsonResponse {
  status: number;
  /** Parsed JSON, or undefined when the body was empty or not JSON and JSON was not required. */
  body: unknown;
}

/** One JSON request to `baseUrl + path`; failures are DeliveryErrors classified by the target's protocol. */
export async function callJson(target: HttpTarget, method: HttpMethod, path: string, options: CallOptions = {}): Promise<JsonResponse> {
  const { protocol } = target;
  const label: RequestLabel = { where: describeBase(target.baseUrl), method, path: path.split('?')[0] ?? path };
  const cap = target.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const answer = options.answer ?? (method === 'GET' ? 'json' : 'any');
  const headers: Record<string, string> = { accept: 'application/json' };
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const url = target.baseUrl.replace(/\/+$/, '') + path;
  const out = await exchange({ url, method, headers, body, timeoutMs: target.timeoutMs, signal: options.signal, maxBytes: cap, maxErrorBytes: ERROR_BODY_BYTES, ...(target.deadline ? { deadline: target.deadline } : {}) });
  if (out.kind !== 'answer') {
    throw out.kind === 'timeout' ? timeoutFailure(label, target.timeoutMs, protocol, out.cause) : networkFailure(out.cause, label, protocol);
  }
  const parsed = out.tooLarge ? { ok: false as const } : parseJson(out.bytes);
  if (out.status < 200 || out.status >= 300) {
    const now = (target.now ?? Date.now)();
    throw statusFailure(out.status, parsed.ok ? parsed.value : undefined, out.retryAfter, label, now, protocol, target.apiKey ? [target.apiKey] : []);
  }
  if (out.tooLarge) throw garbageFailure(label, out.status, `the body is larger than ${cap} bytes`, protocol);
  if (!parsed.ok && (answer === 'json' || (answer === 'json-or-empty' && out.bytes.length > 0))) {
    throw garbageFailure(label, out.status, `the body is not ${protocol.jsonName}`, protocol);
  }
  return { status: out.status, body: parsed.ok ? parsed.value : undefined };
}

export function getJson(target: HttpTarget, path: string, signal?: AbortSignal): Promise<JsonResponse> {
  return callJson(target, 'GET', path, { signal, answer: 'json' });
}

export function postJson(target: HttpTarget, path: string, body: unknown, options: Omit<CallOptions, 'body'> = {}): Promise<JsonResponse> {
  return callJson(target, 'POST', path, { ...options, body });
}

export function patchJson(target: HttpTarget, path: string, body: unknown, options: Omit<CallOptions, 'body'> = {}): Promise<JsonResponse> {
  return callJson(target, 'PATCH', path, { ...options, body });
}
