import { AGENTWATCH_HTTP_RETRY } from '../retry-policy.js';
import type { HttpProtocol, RequestLabel } from './http-failure.js';

/** FastAPI's detail: a string, or pydantic's `[{loc, msg, type}]`. One compact line. */
function describeDetail(body: unknown): string | undefined {
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

const call = (req: RequestLabel): string => `${req.method} ${req.path}`;

/** The AgentWatch API and the seed contract: FastAPI servers, with the user's API key. */
export const AGENTWATCH_PROTOCOL: HttpProtocol = {
  retry: AGENTWATCH_HTTP_RETRY,
  detail: describeDetail,
  jsonName: 'valid JSON',
  wording: {
    refused: (req) => `AgentWatch at ${req.where} refused the connection — is it running? (python run.py)`,
    notFound: (req) => `AgentWatch host in ${req.where} was not found (DNS) — check the AgentWatch URL (--agentwatch-url, or Settings in the tray app).`,
    dropped: (req, what) => `AgentWatch at ${req.where} dropped ${call(req)} (${what}) — will retry; check the server and network.`,
    timeout: (req, ms) =>
      `AgentWatch at ${req.where} did not answer ${call(req)} within ${ms} ms — will retry; raise requestTimeoutMs if the server is slow.`,
    garbage: (req, status, what) =>
      `AgentWatch at ${req.where} answered ${call(req)} with ${status} but ${what} — will retry; is the URL an AgentWatch API?`,
    throttled: (req, a) => {
      const when = a.retryAfterMs === undefined ? 'later' : `after ${Math.ceil(a.retryAfterMs / 1000)}s`;
      return `AgentWatch at ${req.where} is rate-limiting (429 on ${call(req)}) — retrying ${when}.`;
    },
    unavailable: (req, a) => `AgentWatch at ${req.where} is unavailable (${a.status} on ${call(req)}) — will retry; check the server or its proxy.`,
    server: (req, a) => `AgentWatch at ${req.where} failed with ${a.status} on ${call(req)}${a.suffix} — will retry; check the AgentWatch server log.`,
    unauthorized: (req, a) =>
      `AgentWatch at ${req.where} refused the API key (${a.status} on ${call(req)}) — set the right key (--api-key-file or AGENTWATCH_API_KEY, or Settings in the tray app).`,
    rejected: (req, a) => {
      const hint =
        a.status === 404 || a.status === 405 ? `is ${req.where} an AgentWatch API? Check the URL or choose another --sink.` : 'this payload will not be retried.';
      return `AgentWatch at ${req.where} rejected ${call(req)} (${a.status}${a.suffix}) — ${hint}`;
    },
  },
};
