// The floor: the least a poll can do — the same WebSocket requests, JSON.parse of every answer, and the same HTTP
// POST bytes the product sent — with nothing else (no validation, ledger, fsync, mapping). Config: argv[2] JSON;
// driven over IPC by scripts/bench.mjs ({cmd:'poll'} → one timed poll).
// cfg.reads: 'all' (default) — list every page and read sessions.usage for all sessions, the all-changed worst case;
// 'changed' — the incremental poll: list the activeMinutes window, tell changed rows by their updatedAt (a Map),
// read usage per key for up to `perKeyMax` of them, for all sessions beyond that, none when none changed;
// 'reconcile' — reconnect if the gateway dropped the socket, then the window and all usage, as after a disconnect.
import { readFileSync } from 'node:fs';
import { request, WebSocket as UndiciWebSocket } from 'undici';
import { WebSocket as WsWebSocket } from 'ws';
import { measurePoll, serveCommands } from './measure.mjs';

const cfg = JSON.parse(process.argv[2]);
const posts = JSON.parse(readFileSync(cfg.recordedFile, 'utf8'));
const reads = cfg.reads ?? 'all';
const activeMinutes = cfg.activeMinutes ?? 30;

function open() {
  const Ctor = cfg.client === 'ws' ? WsWebSocket : UndiciWebSocket;
  const ws = new Ctor(cfg.gatewayUrl.replace(/^http/, 'ws'));
  const pending = new Map();
  let nextId = 1;
  let hello;
  let closed = false;
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
  const onClose = () => {
    closed = true;
    for (const p of pending.values()) p.reject(new Error('closed'));
    pending.clear();
  };
  if (cfg.client === 'ws') {
    ws.on('message', (data) => onText(data.toString()));
    ws.on('close', onClose);
  } else {
    ws.addEventListener('message', (ev) => onText(ev.data));
    ws.addEventListener('close', onClose);
  }
  function send(method, params) {
    const id = String(nextId++);
    ws.send(JSON.stringify({ type: 'req', id, method, params }));
    return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
  }
  return { ready, send, close: () => ws.close(), get closed() { return closed; } };
}

/** Every page (in `activeMinutes` when given), `inFlight` page requests outstanding once the total is known. */
async function listPages(conn, window) {
  const size = cfg.pageSize;
  const params = (offset) => ({ limit: size, offset, ...(window === undefined ? {} : { activeMinutes: window }) });
  const first = await conn.send('sessions.list', params(0));
  const rows = [...first.sessions];
  if (!first.hasMore) return rows;
  const offsets = [];
  for (let o = first.nextOffset; o < first.totalCount; o += size) offsets.push(o);
  let i = 0;
  const worker = async () => {
    while (i < offsets.length) {
      const page = await conn.send('sessions.list', params(offsets[i++]));
      rows.push(...page.sessions);
    }
  };
  await Promise.all(Array.from({ length: Math.min(cfg.inFlight, offsets.length) }, worker));
  return rows;
}

const allUsage = (conn) => conn.send('sessions.usage', { agentScope: 'all', range: 'all', limit: 100_000 });
const seen = new Map();

async function readAll(conn, window) {
  const usage = allUsage(conn);
  if (!cfg.usageParallel) await usage;
  const rows = await listPages(conn, window);
  await usage;
  return rows;
}

async function readChanged(conn) {
  const rows = await listPages(conn, activeMinutes);
  const changed = [];
  for (const r of rows) {
    if (seen.get(r.key) !== r.updatedAt) changed.push(r.key);
    seen.set(r.key, r.updatedAt);
  }
  if (changed.length > cfg.perKeyMax) await allUsage(conn);
  else await Promise.all(changed.map((key) => conn.send('sessions.usage', { key, range: 'all' })));
  return rows;
}

let conn;
async function poll() {
  const t0 = performance.now();
  if (conn.closed) {
    conn = open();
    await conn.ready;
  }
  const rows = reads === 'changed' ? await readChanged(conn) : await readAll(conn, activeMinutes);
  const wsMs = performance.now() - t0;
  for (const p of posts) {
    const res = await request(`${cfg.agentwatchUrl}${p.path}`, { method: p.method, body: p.body, headers: { 'content-type': 'application/json' } });
    JSON.parse(await res.body.text());
  }
  return { rows: rows.length, wsMs, postMs: performance.now() - t0 - wsMs };
}

conn = open();
await conn.ready;
serveCommands({
  async poll(msg) {
    const sample = await measurePoll(poll);
    const rows = msg.expect?.sessions ?? cfg.sessions;
    if (sample.detail.rows !== rows) throw new Error(`floor read ${sample.detail.rows} rows, expected ${rows}`);
    return sample;
  },
  async done() {
    conn.close();
    return { posts: posts.length };
  },
});
