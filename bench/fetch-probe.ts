// The read phase alone, product vs a bare client, against the bench servers: `node --import tsx
// bench/fetch-probe.ts <sessions> [iterations]`. A diagnostic for docs/bench.md (where the product's read time goes).
import { spawn } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocket } from 'undici';
import { createLogger } from '../src/sync/logger.js';
import { GatewayClient } from '../src/sync/openclaw/gateway-client.js';
import { fetchUsage } from '../src/sync/openclaw/fetch-usage.js';
import { listSessions } from '../src/sync/openclaw/list-sessions.js';
import { realSleep, systemClock } from '../src/sync/ports.js';

const size = Number(process.argv[2] ?? '1000');
const iterations = Number(process.argv[3] ?? '10');
const token = 'bench-gateway-token-0123456789';
const servers = spawn(process.execPath, ['dist/bench/servers.js', process.cwd(), String(size), token], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
const urls = await new Promise<{ gatewayUrl: string; controlUrl: string }>((resolve) => {
  let out = '';
  servers.stdout?.on('data', (d) => {
    out += d;
    if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0] as string));
  });
});
const log = createLogger({ level: 'WARNING', console: process.stderr, secrets: () => [token] });
const client = new GatewayClient({ url: urls.gatewayUrl, token, requestTimeoutMs: 60_000, clientVersion: 'probe' }, { log, clock: systemClock, sleep: realSleep });

function bare(): Promise<(method: string, params: object) => Promise<any>> {
  const ws = new WebSocket(urls.gatewayUrl.replace(/^http/, 'ws'));
  const pending = new Map<string, (v: unknown) => void>();
  let id = 1;
  const send = (method: string, params: object) => {
    const rid = String(id++);
    ws.send(JSON.stringify({ type: 'req', id: rid, method, params }));
    return new Promise<any>((r) => pending.set(rid, r));
  };
  return new Promise((ready) => {
    ws.addEventListener('message', (ev) => {
      const f = JSON.parse(ev.data as string);
      if (f.event === 'connect.challenge') {
        const c = { id: 'gateway-client', version: 'probe', platform: process.platform, mode: 'backend' };
        void send('connect', { minProtocol: 4, maxProtocol: 4, client: c, role: 'operator', scopes: ['operator.read'], auth: { token } }).then(() => ready(send));
      } else if (f.type === 'res') pending.get(f.id)?.(f.payload);
    });
  });
}

const send = await bare();
async function bareRead(): Promise<number> {
  const usage = send('sessions.usage', { agentScope: 'all', range: 'all', limit: 100_000 });
  const first = await send('sessions.list', { limit: 50, offset: 0, activeMinutes: 30 });
  const offsets: number[] = [];
  for (let o = 50; o < first.totalCount; o += 50) offsets.push(o);
  let i = 0;
  let rows = first.sessions.length;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (i < offsets.length) {
      const page = await send('sessions.list', { limit: 50, offset: offsets[i++], activeMinutes: 30 });
      rows += page.sessions.length;
    }
  }));
  await usage;
  return rows;
}
async function productRead(): Promise<number> {
  const usage = fetchUsage(client, { log });
  const list = await listSessions(client, { activeMinutes: 30, log });
  await usage;
  return list.rows.length;
}
const results: Record<string, number[]> = { bare: [], product: [] };
const stalls: Record<string, number> = { bare: 0, product: 0 };
for (let k = 0; k < iterations + 1; k++) {
  await fetch(`${urls.controlUrl}/advance?limits=50,100,200`, { method: 'POST' });
  for (const [name, read] of [['bare', bareRead], ['product', productRead]] as const) {
    const h = monitorEventLoopDelay({ resolution: 5 });
    h.enable();
    const t = performance.now();
    const rows = await read();
    h.disable();
    if (k > 0) stalls[name] = Math.max(stalls[name] ?? 0, h.max / 1e6);
    if (rows !== size) throw new Error(`${name} read ${rows}`);
    if (k > 0) results[name]?.push(performance.now() - t);
  }
}
const p50 = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]?.toFixed(1);
console.log(JSON.stringify({ size, bare: p50(results.bare as number[]), product: p50(results.product as number[]), stallMs: stalls }));
client.close();
servers.kill();
process.exit(0);
