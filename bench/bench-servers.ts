// The bench's peers, in their own process so their work never shows in the measured process: a gateway that answers
// from bytes prepared before each measured poll ("instant server"), the AgentWatch simulator with request recording,
// and a control endpoint the runners call between polls. Prints one JSON line with the URLs when ready.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { buildHelloOk, checkAuth, checkConnectParams, ConnectRejection } from '../src/sim/gateway-handshake.js';
import { routeRequest } from '../src/sim/agentwatch-routes.js';
import { SimStore } from '../src/sim/agentwatch-store.js';
import { checkListParams, checkUsageParams } from '../src/sim/gateway-sessions.js';
import { SimRpcError } from '../src/sim/gateway-rpc-error.js';
import { BenchWorld, type WorldShape } from './bench-world.js';

interface Peer {
  ws: WebSocket;
  open: boolean;
  subscribed: boolean;
  seq: number;
  tick?: NodeJS.Timeout;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: string;
}

// argv: root, sessions, token, and a JSON shape: {history?: {recent}, tickMs?} (bench-world.ts).
const [root = process.cwd(), sizeArg = '50', token = 'bench-token', shapeArg = '{}'] = process.argv.slice(2);
const shape = JSON.parse(shapeArg) as WorldShape & { tickMs?: number };
const world = new BenchWorld(root, Number(sizeArg), Date.now(), shape);
// The hello-ok tick interval; the engine counts a disconnect longer than two of them as a gap to reconcile.
const TICK_MS = shape.tickMs ?? 30_000;

// Prepared before each measured poll, so answering is a lookup: list pages per `activeMinutes:offset:limit`
// (window '-' = no activeMinutes), the all-sessions usage answer, per-key usage answers of the keys just changed.
let pages = new Map<string, Buffer>();
let usageBytes = Buffer.alloc(0);
let usageDirty = true;
const usageByKey = new Map<string, Buffer>();
let limits = [100];
let windows: Array<number | undefined> = [undefined, 30];

function pageKey(activeMinutes: number | undefined, offset: number, limit: number): string {
  return `${activeMinutes ?? '-'}:${offset}:${limit}`;
}

function buildPages(activeMinutes: number | undefined, now: number): void {
  const rows = world.sortedRows(activeMinutes, now);
  for (const limit of limits) {
    for (let offset = 0; offset === 0 || offset < rows.length; offset += limit) {
      pages.set(pageKey(activeMinutes, offset, limit), Buffer.from(JSON.stringify(world.listPage(rows, offset, limit, now))));
    }
  }
}

function prepare(changedKeys: readonly string[] | 'all'): void {
  const now = Date.now();
  pages = new Map();
  for (const w of windows) buildPages(w, now);
  if (changedKeys === 'all') usageByKey.clear();
  else for (const key of changedKeys) usageByKey.delete(key);
  if (changedKeys === 'all' || changedKeys.length > 0) usageDirty = true;
  // The all-sessions answer is ~2.6 kB per session: built only when something changed, before the poll is timed.
  if (usageDirty) {
    usageBytes = Buffer.from(JSON.stringify(world.usagePayload(now)));
    usageDirty = false;
  }
  if (changedKeys !== 'all') for (const key of changedKeys) usageByKey.set(key, Buffer.from(JSON.stringify(world.usageOfKey(key, now))));
}
prepare('all');

/** What the gateway answered since the last /take: requests per method and bytes of sessions.usage answers. */
const NO_TRAFFIC = () => ({ list: 0, usageAll: 0, usageByKey: 0, listBytes: 0, usageBytes: 0 });
let traffic = NO_TRAFFIC();

const peers = new Set<Peer>();
const reply = (id: string, payload: Buffer) => Buffer.concat([Buffer.from(`{"type":"res","id":${JSON.stringify(id)},"ok":true,"payload":`), payload, Buffer.from('}')]);
const event = (peer: Peer, name: string, payload: unknown) => peer.ws.send(JSON.stringify({ type: 'event', event: name, payload, seq: peer.seq++ }));

function answerList(p: Record<string, unknown>): Buffer {
  const limit = typeof p.limit === 'number' ? p.limit : 100;
  const offset = typeof p.offset === 'number' ? p.offset : 0;
  const activeMinutes = typeof p.activeMinutes === 'number' ? p.activeMinutes : undefined;
  const page = pages.get(pageKey(activeMinutes, offset, limit));
  if (page) return page;
  // Not prepared (a page size or window the runner did not announce): build it now, like a slower server would.
  const now = Date.now();
  return Buffer.from(JSON.stringify(world.listPage(world.sortedRows(activeMinutes, now), offset, limit, now)));
}

function answerUsage(p: Record<string, unknown>): Buffer {
  if (typeof p.key === 'string') {
    const key = p.key;
    let bytes = usageByKey.get(key);
    if (!bytes) {
      bytes = Buffer.from(JSON.stringify(world.usageOfKey(key, Date.now())));
      if (world.hasKey(key)) usageByKey.set(key, bytes);
    }
    traffic.usageByKey += 1;
    return bytes;
  }
  // All sessions (agentScope all, range all): the engine's reconciliation and many-changed read.
  traffic.usageAll += 1;
  return usageBytes;
}

function onRequest(peer: Peer, frame: { id: string; method: string; params?: Record<string, unknown> }): void {
  const p = frame.params ?? {};
  if (frame.method === 'connect') {
    try {
      checkAuth(checkConnectParams(p), token);
      peer.open = true;
      const hello = buildHelloOk({ serverVersion: '2026.9.6', connId: randomUUID(), scopes: ['operator.read'], methods: ['sessions.list', 'sessions.usage', 'sessions.subscribe'], tickIntervalMs: TICK_MS, now: Date.now(), uptimeMs: 1000, deviceToken: false });
      peer.ws.send(JSON.stringify({ type: 'res', id: frame.id, ok: true, payload: hello }));
      peer.tick = setInterval(() => event(peer, 'tick', { ts: Date.now() }), TICK_MS);
    } catch (e) {
      const r = e as ConnectRejection;
      peer.ws.send(JSON.stringify({ type: 'res', id: frame.id, ok: false, error: r.toShape() }));
      peer.ws.close(r.closeCode ?? 1008, 'rejected');
    }
    return;
  }
  if (!peer.open) return void peer.ws.close(1008, 'connect first');
  try {
    if (frame.method === 'sessions.list') {
      const page = answerList(checkListParams(p));
      traffic.list += 1;
      traffic.listBytes += page.length;
      return void peer.ws.send(reply(frame.id, page), { binary: false });
    }
    if (frame.method === 'sessions.usage') {
      const answer = answerUsage(checkUsageParams(p));
      traffic.usageBytes += answer.length;
      return void peer.ws.send(reply(frame.id, answer), { binary: false });
    }
  } catch (e) {
    if (!(e instanceof SimRpcError)) throw e;
    return void peer.ws.send(JSON.stringify({ type: 'res', id: frame.id, ok: false, error: e.toShape() }));
  }
  if (frame.method === 'sessions.subscribe') {
    peer.subscribed = true;
    return void peer.ws.send(JSON.stringify({ type: 'res', id: frame.id, ok: true, payload: { subscribed: true } }));
  }
  peer.ws.send(JSON.stringify({ type: 'res', id: frame.id, ok: false, error: { code: 'INVALID_REQUEST', message: `unknown method: ${frame.method}` } }));
}

const gatewayHttp = createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server: gatewayHttp, maxPayload: 64 * 1024 * 1024 });
wss.on('connection', (ws) => {
  const peer: Peer = { ws, open: false, subscribed: false, seq: 0 };
  peers.add(peer);
  ws.on('message', (data) => onRequest(peer, JSON.parse(data.toString())));
  ws.on('close', () => {
    clearInterval(peer.tick);
    peers.delete(peer);
  });
  ws.send(JSON.stringify({ type: 'event', event: 'connect.challenge', payload: { nonce: randomUUID(), ts: Date.now(), capabilities: [] } }));
});

const store = new SimStore(Date.now);
let recorded: RecordedRequest[] = [];
let ingests = 0;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

const agentwatch = createServer((req, res) => {
  void readBody(req).then((body) => {
    const url = new URL(req.url ?? '/', 'http://aw');
    const method = req.method ?? 'GET';
    if (method !== 'GET') recorded.push({ method, path: url.pathname, body: body.toString('utf8') });
    if (url.pathname === '/api/ingest') ingests += 1;
    const answer = routeRequest('agentwatch', { method, path: url.pathname, query: url.searchParams, body }, store, Date.now());
    json(res, answer.status, answer.body);
  });
});

const control = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://control');
  if (url.pathname === '/advance') {
    // changed=all (default): every session finishes a run; changed=N: N sessions do (taking turns); windows: the
    // activeMinutes values to prepare pages for ('-' = none).
    limits = (url.searchParams.get('limits') ?? '100').split(',').map(Number);
    windows = (url.searchParams.get('windows') ?? '-,30').split(',').map((w) => (w === '-' ? undefined : Number(w)));
    const changed = url.searchParams.get('changed') ?? 'all';
    const keys = changed === 'all' ? 'all' : world.finishSome(Number(changed), Date.now());
    if (changed === 'all') world.finishAll(Date.now());
    prepare(keys);
    recorded = [];
    traffic = NO_TRAFFIC();
    // Keep agents and traces (the engine remembers their ids) but not every cost row of every run: a growing
    // store would slow the receiver down run after run and blur the comparison.
    store.costs.length = 0;
    store.events.length = 0;
    return json(res, 200, { sessions: world.size, changed: keys === 'all' ? world.size : keys.length, listed: world.sortedRows(30).length, usageBytes: usageBytes.length });
  }
  if (url.pathname === '/take') {
    // The traffic since the last /advance or /take: the driver asks after each runner's poll.
    const t = traffic;
    traffic = NO_TRAFFIC();
    return json(res, 200, t);
  }
  if (url.pathname === '/drop') {
    // A gateway restart as the clients see it: every connection closed (1012 service restart).
    for (const peer of peers) peer.ws.close(1012, 'bench: dropped');
    return json(res, 200, { dropped: peers.size });
  }
  if (url.pathname === '/finish') {
    const i = Number(url.searchParams.get('i') ?? '0');
    const row = world.finish(i, Date.now());
    prepare([row.key as string]);
    for (const peer of peers) if (peer.subscribed) event(peer, 'sessions.changed', { sessionKey: row.key, agentId: row.agentId, reason: 'agent.input.settled', ts: Date.now(), session: { ...row, snapshotAt: Date.now() } });
    return json(res, 200, { key: row.key });
  }
  if (url.pathname === '/recorded') return json(res, 200, recorded);
  if (url.pathname === '/stats') return json(res, 200, { costs: store.costs.length, traces: store.traces.length, ingests, pageBytes: [...pages.values()].reduce((t, b) => t + b.length, 0), usageBytes: usageBytes.length });
  json(res, 404, {});
});

const listen = (s: ReturnType<typeof createServer>) => new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));
const [g, a, c] = await Promise.all([listen(gatewayHttp), listen(agentwatch), listen(control)]);
process.stdout.write(`${JSON.stringify({ gatewayUrl: `http://127.0.0.1:${g}`, agentwatchUrl: `http://127.0.0.1:${a}`, controlUrl: `http://127.0.0.1:${c}` })}\n`);
process.on('disconnect', () => process.exit(0));
