// The floor: the least a poll can do — the same WebSocket requests, JSON.parse of every answer, and the same HTTP
// POST bytes the product sent — with nothing else (no validation, ledger, fsync, mapping). Config: argv[2] JSON;
// driven over IPC by scripts/bench.mjs ({cmd:'poll'} → one timed poll).
import { readFileSync } from 'node:fs';
import { request, WebSocket as UndiciWebSocket } from 'undici';
import { WebSocket as WsWebSocket } from 'ws';
import { control, measurePoll, serveCommands } from './measure.mjs';

const cfg = JSON.parse(process.argv[2]);
const posts = JSON.parse(readFileSync(cfg.recordedFile, 'utf8'));

function open() {
  const Ctor = cfg.client === 'ws' ? WsWebSocket : UndiciWebSocket;
  const ws = new Ctor(cfg.gatewayUrl.replace(/^http/, 'ws'));
  const pending = new Map();
  let nextId = 1;
  let hello;
  const ready = new Promise((resolve, reject) => (hello = { resolve, reject }));
  const onText = (text) => {
    const frame = JSON.parse(text);
    if (frame.type === 'event' && frame.event === 'connect.challenge') {
      const client = { id: 'gateway-client', version: 'bench', platform: process.platform, mode: 'backend' };
      send('connect', { minProtocol: 4, maxProtocol: 4, client, role: 'operator', scopes: ['operator.read'], auth: { token: cfg.token } }).then(hello.resolve, hello.reject);
      return;
    }
    if (frame.type !== 'res') return;
    const p = pending.get(frame.id);
    pending.delete(frame.id);
    if (frame.ok) p?.resolve(frame.payload);
    else p?.reject(new Error(frame.error?.message));
  };
  if (cfg.client === 'ws') ws.on('message', (data) => onText(data.toString()));
  else ws.addEventListener('message', (ev) => onText(ev.data));
  function send(method, params) {
    const id = String(nextId++);
    ws.send(JSON.stringify({ type: 'req', id, method, params }));
    return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
  }
  return { ready, send, close: () => ws.close() };
}

async function listAll(conn) {
  const size = cfg.pageSize;
  const first = await conn.send('sessions.list', { limit: size, offset: 0, activeMinutes: 30 });
  let rows = first.sessions.length;
  if (!first.hasMore) return rows;
  const offsets = [];
  for (let o = first.nextOffset; o < first.totalCount; o += size) offsets.push(o);
  let i = 0;
  // `inFlight` page requests outstanding at any time.
  const worker = async () => {
    while (i < offsets.length) {
      const page = await conn.send('sessions.list', { limit: size, offset: offsets[i++], activeMinutes: 30 });
      rows += page.sessions.length;
    }
  };
  await Promise.all(Array.from({ length: Math.min(cfg.inFlight, offsets.length) }, worker));
  return rows;
}

async function poll(conn) {
  const t0 = performance.now();
  const usage = conn.send('sessions.usage', { agentScope: 'all', range: 'all', limit: 100_000 });
  if (!cfg.usageParallel) await usage;
  const rows = await listAll(conn);
  await usage;
  const wsMs = performance.now() - t0;
  for (const p of posts) {
    const res = await request(`${cfg.agentwatchUrl}${p.path}`, { method: p.method, body: p.body, headers: { 'content-type': 'application/json' } });
    JSON.parse(await res.body.text());
  }
  if (rows !== cfg.sessions) throw new Error(`floor read ${rows} rows, expected ${cfg.sessions}`);
  return { rows, wsMs, postMs: performance.now() - t0 - wsMs };
}

const conn = open();
await conn.ready;
serveCommands({
  async poll() {
    await control(cfg.controlUrl, `/advance?limits=${cfg.limits}`);
    return measurePoll(() => poll(conn));
  },
  async done() {
    conn.close();
    return { posts: posts.length };
  },
});
