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
import { BenchWorld } from './bench-world.js';

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

const [root = process.cwd(), sizeArg = '50', token = 'bench-token'] = process.argv.slice(2);
const world = new BenchWorld(root, Number(sizeArg), Date.now());
const TICK_MS = 30_000;

let pages = new Map<string, Buffer>();
let usageBytes = Buffer.alloc(0);
let limits = [100];

function prepare(): void {
  const now = Date.now();
  const rows = world.sortedRows();
  pages = new Map();
  for (const limit of limits) {
    for (let offset = 0; offset === 0 || offset < rows.length; offset += limit) {
      pages.set(`${offset}:${limit}`, Buffer.from(JSON.stringify(world.listPage(rows, offset, limit, now))));
    }
  }
  usageBytes = Buffer.from(JSON.stringify(world.usagePayload(now)));
}
prepare();

const peers = new Set<Peer>();
const reply = (id: string, payload: Buffer) => Buffer.concat([Buffer.from(`{"type":"res","id":${JSON.stringify(id)},"ok":true,"payload":`), payload, Buffer.from('}')]);
const event = (peer: Peer, name: string, payload: unknown) => peer.ws.send(JSON.stringify({ type: 'event', event: name, payload, seq: peer.seq++ }));

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
  if (frame.method === 'sessions.list') {
    const limit = typeof p.limit === 'number' ? p.limit : 100;
    const offset = typeof p.offset === 'number' ? p.offset : 0;
    let page = pages.get(`${offset}:${limit}`);
    if (!page) {
      // Not prepared (a page size the runner did not announce): build it now, like a slower server would.
      page = Buffer.from(JSON.stringify(world.listPage(world.sortedRows(), offset, limit, Date.now())));
    }
    return void peer.ws.send(reply(frame.id, page), { binary: false });
  }
  if (frame.method === 'sessions.usage') return void peer.ws.send(reply(frame.id, usageBytes), { binary: false });
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
    limits = (url.searchParams.get('limits') ?? '100').split(',').map(Number);
    world.finishAll(Date.now());
    prepare();
    recorded = [];
    // Keep agents and traces (the engine remembers their ids) but not every cost row of every run: a growing
    // store would slow the receiver down run after run and blur the comparison.
    store.costs.length = 0;
    store.events.length = 0;
    return json(res, 200, { sessions: world.size, usageBytes: usageBytes.length });
  }
  if (url.pathname === '/finish') {
    const i = Number(url.searchParams.get('i') ?? '0');
    const row = world.finish(i, Date.now());
    prepare();
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
