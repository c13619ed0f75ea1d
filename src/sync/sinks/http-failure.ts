import { isRetriedStatus, type DeliveryFailure, type HttpRetryRules } from '../retry-policy.js';
import { redact } from '../redact.js';
import { DeliveryError } from './sink.js';

/** Where a request went, for messages: scheme, host and base path; never credentials or the API key. */
export function describeBase(baseUrl: string): string {
  try {
    const u = new URL(baseUrl);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return '(invalid URL)';
  }
}

export interface RequestLabel {
  where: string;
  method: string;
  path: string;
}

export type StatusFailure = Extract<DeliveryFailure, 'throttled' | 'unavailable' | 'server' | 'unauthorized' | 'rejected'>;

export interface StatusAnswer {
  status: number;
  /** `: <the server's reason>`, or empty. */
  suffix: string;
  retryAfterMs: number | undefined;
}

/** The words of one protocol's failures; each message says what to do next. */
export type FailureWording = Record<StatusFailure, (req: RequestLabel, answer: StatusAnswer) => string> & {
  refused(req: RequestLabel): string;
  notFound(req: RequestLabel): string;
  dropped(req: RequestLabel, what: string): string;
  timeout(req: RequestLabel, timeoutMs: number): string;
  garbage(req: RequestLabel, status: number, what: string): string;
};

/** What differs between the servers we POST to: which statuses are retried, and how failures are told. */
export interface HttpProtocol {
  retry: HttpRetryRules;
  /** The server's reason in an error body, on one line. */
  detail(body: unknown): string | undefined;
  /** A 2xx body that does not parse "is not <jsonName>". */
  jsonName: string;
  wording: FailureWording;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The error code of a request that got no answer: a known network code anywhere in the cause chain wins. */
export function errorCode(e: unknown): string | undefined {
  let first: string | undefined;
  for (let cur: unknown = e, depth = 0; cur && depth < 4; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (NETWORK_CODES.has(code)) return code;
      first ??= code;
    }
    cur = (cur as { cause?: unknown }).cause;
  }
  return first;
}

/** The one table from an answered status to a failure kind; the protocol's rules say which statuses are retried. */
export function classifyStatus(status: number, rules: HttpRetryRules): StatusFailure {
  if (!isRetriedStatus(rules, status)) return status === 401 || status === 403 ? 'unauthorized' : 'rejected';
  if (status === 429) return 'throttled';
  if (status === 502 || status === 503 || status === 504) return 'unavailable';
  return 'server';
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A request that never got an HTTP answer: refused, reset, DNS, or anything else below HTTP. */
export function networkFailure(e: unknown, req: RequestLabel, protocol: HttpProtocol): DeliveryError {
  const code = errorCode(e);
  if (code === 'ECONNREFUSED') return new DeliveryError('network', protocol.wording.refused(req), { cause: e });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new DeliveryError('network', protocol.wording.notFound(req), { cause: e });
  const text = e instanceof Error ? e.message : String(e);
  const what = code && !text.includes(code) ? `${code}: ${text}` : text || code;
  return new DeliveryError('network', protocol.wording.dropped(req, String(what)), { cause: e });
}

export function timeoutFailure(req: RequestLabel, timeoutMs: number, protocol: HttpProtocol, cause?: unknown): DeliveryError {
  return new DeliveryError('timeout', protocol.wording.timeout(req, timeoutMs), { cause });
}

/** A non-2xx answer, classified for retry decisions. */
export function statusFailure(
  status: number,
  body: unknown,
  retryAfter: string | undefined,
  req: RequestLabel,
  now: number,
  protocol: HttpProtocol,
  /** What the request carried (the API key): a proxy may echo it in its error body, which becomes our message. */
  sent: readonly string[] = [],
): DeliveryError {
  const failure = classifyStatus(status, protocol.retry);
  const raw = protocol.detail(body);
  const detail = raw === undefined ? undefined : redact(raw, sent);
  const retryAfterMs = protocol.retry.retryAfterOn.has(status) ? parseRetryAfter(retryAfter, now) : undefined;
  const message = protocol.wording[failure](req, { status, suffix: detail ? `: ${detail}` : '', retryAfterMs });
  return new DeliveryError(failure, message, { status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
}

export function garbageFailure(req: RequestLabel, status: number, what: string, protocol: HttpProtocol): DeliveryError {
  return new DeliveryError('garbage', protocol.wording.garbage(req, status, what), { status });
}
