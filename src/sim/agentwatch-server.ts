import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultQueue, type ActiveFault, type SimFault } from './agentwatch-faults.js';
import { routeRequest, type SimAnswer, type SimMode } from './agentwatch-routes.js';
import { SimStore, type AgentRow, type CostRow, type EventRow, type TraceRow } from './agentwatch-store.js';

export type { AgentRow, CostRow, EventRow, TraceRow } from './agentwatch-store.js';
export type { SimFault, SimFaultKind } from './agentwatch-faults.js';

export interface SimAgentWatchOptions {
  port?: number;
  /** seed: serves /api/events/bulk; its openapi lists that and not /api/ingest. */
  mode?: SimMode;
  /** The server's clock for row stamps (default: system clock). */
  now?: () => number;
}

export interface SimTotals {
  byTrace: Map<string, { input: number; output: number; costMicros: number }>;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
}

export interface SimAgentWatch {
  url: string;
  port: number;
  agents: AgentRow[];
  traces: TraceRow[];
  events: EventRow[];
  costs: CostRow[];
  bulkEvents: unknown[];
  requests: Array<{ method: string; path: string; status: number }>;
  /** Queue faults for the next matching requests. */
  fail(fault: SimFault): void;
  /** From Cost rows (and bulk events in seed mode), in integer micro-USD. */
  totals(): SimTotals;
  close(): Promise<void>;
}

// Far above any batch we send; protects the test process, like a proxy's body limit would.
const MAX_BODY_BYTES = 10 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        resolve('too-large');
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, answer: SimAnswer, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function computeTotals(store: SimStore): SimTotals {
  const totals: SimTotals = { byTrace: new Map(), inputTokens: 0, outputTokens: 0, costMicros: 0 };
  const book = (traceId: string, input: number, output: number, costMicros: number) => {
    const t = totals.byTrace.get(traceId) ?? { input: 0, output: 0, costMicros: 0 };
    t.input += input;
    t.output += output;
    t.costMicros += costMicros;
    totals.byTrace.set(traceId, t);
    totals.inputTokens += input;
    totals.outputTokens += output;
    totals.costMicros += costMicros;
  };
  for (const c of store.costs) book(c.trace_id, c.input_tokens ?? 0, c.output_tokens ?? 0, Math.round(c.amount * 1e6));
  for (const raw of store.bulkEvents) {
    const e = raw as { trace_id: string; input_tokens: number; output_tokens: number; cost_usd: number };
    book(e.trace_id, e.input_tokens, e.output_tokens, Math.round(e.cost_usd * 1e6));
  }
  return totals;
}

/** A loopback AgentWatch: real HTTP, in-memory rows, upstream's validation, no dedup, injectable faults. */
export async function startSimAgentWatch(options: SimAgentWatchOptions = {}): Promise<SimAgentWatch> {
  const mode = options.mode ?? 'agentwatch';
  const now = options.now ?? Date.now;
  const store = new SimStore(now);
  const faults = new FaultQueue();
  const requests: SimAgentWatch['requests'] = [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const method = req.method ?? 'GET';
    const record = (status: number) => requests.push({ method, path: url.pathname, status });
    const fault: ActiveFault | undefined = faults.take(method, url.pathname);
    if (fault?.kind === 'refuse-reset') {
      record(0);
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'hang') {
      record(0);
      req.resume();
      return;
    }
    const body = await readBody(req);
    if (body === 'too-large') {
      record(413);
      send(res, { status: 413, body: { detail: 'Request body too large' } }, { connection: 'close' });
      return;
    }
    if (fault?.kind === 'status') {
      record(fault.status);
      const retry: Record<string, string> = fault.retryAfterSec === undefined ? {} : { 'retry-after': String(fault.retryAfterSec) };
      send(res, { status: fault.status, body: { detail: `simulated ${fault.status}` } }, retry);
      return;
    }
    const answer = routeRequest(mode, { method, path: url.pathname, query: url.searchParams, body }, store, now());
    if (fault?.kind === 'accept-then-hang') {
      record(0);
      return;
    }
    if (fault?.kind === 'garbage') {
      record(200);
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>502 Bad Gateway (not really)</body></html>');
      return;
    }
    record(answer.status);
    send(res, answer);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: { detail: `simulator error: ${String(e)}` } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    agents: store.agents,
    traces: store.traces,
    events: store.events,
    costs: store.costs,
    bulkEvents: store.bulkEvents,
    requests,
    fail: (fault) => faults.add(fault),
    totals: () => computeTotals(store),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
