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

function errorCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 4; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A request that never got an HTTP answer: refused, reset, DNS, or anything else below HTTP. */
export function networkFailure(e: unknown, req: RequestLabel): DeliveryError {
  const code = errorCode(e);
  const call = `${req.method} ${req.path}`;
  if (code === 'ECONNREFUSED') {
    return new DeliveryError('network', `AgentWatch at ${req.where} refused the connection — is it running? (python run.py)`, { cause: e });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new DeliveryError('network', `AgentWatch host in ${req.where} was not found (DNS) — check the AgentWatch URL in Settings.`, { cause: e });
  }
  const text = e instanceof Error ? e.message : String(e);
  const what = code && !text.includes(code) ? `${code}: ${text}` : text || code;
  return new DeliveryError('network', `AgentWatch at ${req.where} dropped ${call} (${what}) — will retry; check the server and network.`, { cause: e });
}

export function timeoutFailure(req: RequestLabel, timeoutMs: number, cause?: unknown): DeliveryError {
  return new DeliveryError(
    'timeout',
    `AgentWatch at ${req.where} did not answer ${req.method} ${req.path} within ${timeoutMs} ms — will retry; raise requestTimeoutMs if the server is slow.`,
    { cause },
  );
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** FastAPI's detail: a string, or pydantic's `[{loc, msg, type}]`. One compact line. */
export function describeDetail(body: unknown): string | undefined {
  const detail = (body as { detail?: unknown } | null)?.detail;
  if (typeof detail === 'string') return detail.slice(0, 200);
  if (!Array.isArray(detail)) return undefined;
  const parts = detail.slice(0, 3).map((d: { loc?: unknown; msg?: unknown }) => {
    const loc = Array.isArray(d?.loc) ? d.loc.join('.') : '?';
    return `${loc}: ${typeof d?.msg === 'string' ? d.msg : 'invalid'}`;
  });
  const more = detail.length > 3 ? ` (+${detail.length - 3} more)` : '';
  return (parts.join('; ') + more).slice(0, 400);
}

/** A non-2xx answer, classified for retry decisions. */
export function statusFailure(
  status: number,
  body: unknown,
  retryAfter: string | undefined,
  req: RequestLabel,
  now: number,
): DeliveryError {
  const call = `${req.method} ${req.path}`;
  const detail = describeDetail(body);
  const suffix = detail ? `: ${detail}` : '';
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(retryAfter, now);
    const when = retryAfterMs === undefined ? 'later' : `after ${Math.ceil(retryAfterMs / 1000)}s`;
    return new DeliveryError('throttled', `AgentWatch at ${req.where} is rate-limiting (429 on ${call}) — retrying ${when}.`, {
      status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if (status === 502 || status === 503 || status === 504) {
    return new DeliveryError('unavailable', `AgentWatch at ${req.where} is unavailable (${status} on ${call}) — will retry; check the server or its proxy.`, { status });
  }
  if (status >= 500) {
    return new DeliveryError('server', `AgentWatch at ${req.where} failed with ${status} on ${call}${suffix} — will retry; check the AgentWatch server log.`, { status });
  }
  if (status === 401 || status === 403) {
    return new DeliveryError('unauthorized', `AgentWatch at ${req.where} refused the API key (${status} on ${call}) — set the right key in Settings (apiKeyFile).`, { status });
  }
  const hint =
    status === 404 || status === 405
      ? `is ${req.where} an AgentWatch API? Check the URL or choose another --sink.`
      : 'this payload will not be retried.';
  return new DeliveryError('rejected', `AgentWatch at ${req.where} rejected ${call} (${status}${suffix}) — ${hint}`, { status });
}

export function garbageFailure(req: RequestLabel, status: number, what: string): DeliveryError {
  return new DeliveryError(
    'garbage',
    `AgentWatch at ${req.where} answered ${req.method} ${req.path} with ${status} but ${what} — will retry; is the URL an AgentWatch API?`,
    { status },
  );
}
