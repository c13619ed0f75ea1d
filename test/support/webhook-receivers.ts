import type { IncomingMessage, ServerResponse } from 'node:http';
import { startLoopbackServer } from '../../src/sim/loopback-server.js';
import { pagerDutyProblems, slackProblems } from './webhook-shapes.js';

/** What the next accepted request gets instead of success; `once: false` keeps failing until `fail(null)`. */
export type WebhookFault = { status: number; body?: string; retryAfter?: string; once?: boolean } | { hang: true; once?: boolean };

export interface WebhookReceiver<T> {
  /** Base URL of the server. */
  url: string;
  /** The URL to configure (Slack: the secret webhook path; PagerDuty: /v2/enqueue). */
  endpoint: string;
  /** Well-formed requests that were answered with success, in order. */
  accepted: T[];
  /** Every request that reached the endpoint (faulted or not), with its answer status (0 = hung). */
  hits: Array<{ status: number; body: unknown }>;
  /** Format violations: must stay empty. */
  problems: string[];
  /** Requests currently held open by a `hang` fault. */
  readonly hanging: number;
  fail(fault: WebhookFault | null): void;
  close(): Promise<void>;
}

interface Route {
  path: string;
  check(body: unknown): string[];
  ok(body: unknown): { status: number; contentType: string; text: string };
  invalid(problems: string[]): { status: number; contentType: string; text: string };
  notFound: { status: number; contentType: string; text: string };
}

async function startReceiver<T>(route: Route): Promise<WebhookReceiver<T>> {
  const accepted: T[] = [];
  const hits: Array<{ status: number; body: unknown }> = [];
  const problems: string[] = [];
  const held = new Set<ServerResponse>();
  let fault: WebhookFault | null = null;
  const answer = (res: ServerResponse, a: { status: number; contentType: string; text: string }, headers: Record<string, string> = {}) => {
    res.writeHead(a.status, { 'content-type': a.contentType, ...headers });
    res.end(a.text);
  };
  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    if (req.method !== 'POST' || req.url !== route.path) return answer(res, route.notFound);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      problems.push('body is not JSON');
      return answer(res, route.invalid(['body is not JSON']));
    }
    const found = req.headers['content-type'] === 'application/json' ? route.check(body) : [`content-type must be application/json, got ${String(req.headers['content-type'])}`];
    if (found.length > 0) {
      problems.push(...found);
      hits.push({ status: 400, body });
      return answer(res, route.invalid(found));
    }
    const f = fault;
    if (f && f.once !== false) fault = null;
    if (f && 'hang' in f) {
      hits.push({ status: 0, body });
      held.add(res);
      res.on('close', () => held.delete(res));
      return;
    }
    if (f) {
      hits.push({ status: f.status, body });
      return answer(res, { status: f.status, contentType: 'text/plain', text: f.body ?? 'injected' }, f.retryAfter ? { 'retry-after': f.retryAfter } : {});
    }
    const ok = route.ok(body);
    hits.push({ status: ok.status, body });
    accepted.push(body as T);
    answer(res, ok);
  };
  const server = await startLoopbackServer(handle);
  const url = server.url;
  return {
    url,
    endpoint: url + route.path,
    accepted,
    hits,
    problems,
    get hanging() {
      return held.size;
    },
    fail: (f) => {
      fault = f;
    },
    close: () => server.close(),
  };
}

export interface SlackPost {
  text: string;
  blocks: Array<Record<string, unknown>>;
}

/** Like hooks.slack.com: 200 "ok" for a valid message, 400 "invalid_payload" otherwise, 404 "no_service" elsewhere. */
export function startSlackReceiver(secretPath = '/services/T0TEST000/B0TEST000/abcdefghijklmnopqrstuvwx'): Promise<WebhookReceiver<SlackPost>> {
  const plain = (status: number, text: string) => ({ status, contentType: 'text/plain', text });
  return startReceiver<SlackPost>({
    path: secretPath,
    check: slackProblems,
    ok: () => plain(200, 'ok'),
    invalid: () => plain(400, 'invalid_payload'),
    notFound: plain(404, 'no_service'),
  });
}

export interface PagerDutyPost {
  routing_key: string;
  event_action: 'trigger' | 'acknowledge' | 'resolve';
  dedup_key: string;
  payload?: { summary: string; source: string; severity: string; timestamp?: string; component?: string; group?: string; class?: string; custom_details?: Record<string, unknown> };
}

/** Like events.pagerduty.com/v2/enqueue: 202 with the dedup key; 400 "invalid event" with errors; a resolve must match an earlier trigger. */
export function startPagerDutyReceiver(routingKey: string): Promise<WebhookReceiver<PagerDutyPost>> {
  const json = (status: number, body: unknown) => ({ status, contentType: 'application/json', text: JSON.stringify(body) });
  const triggered = new Set<string>();
  return startReceiver<PagerDutyPost>({
    path: '/v2/enqueue',
    check: (body) => {
      const found = pagerDutyProblems(body);
      if (found.length > 0) return found;
      const e = body as PagerDutyPost;
      if (e.routing_key !== routingKey) return ['routing_key is not the integration key'];
      if (e.event_action === 'trigger') triggered.add(e.dedup_key);
      else if (!triggered.has(e.dedup_key)) return [`${e.event_action} for dedup_key ${e.dedup_key} that was never triggered`];
      return [];
    },
    ok: (body) => json(202, { status: 'success', message: 'Event processed', dedup_key: (body as PagerDutyPost).dedup_key }),
    invalid: (errors) => json(400, { status: 'invalid event', message: 'Event object is invalid', errors }),
    notFound: json(404, { status: 'not found', message: 'Not found' }),
  });
}
