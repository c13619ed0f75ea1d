// Where a product poll spends its time, phase by phase (list, usage, plan, book, deliver), against the bench
// servers: `node --import tsx bench/phase-probe.ts <sessions> [iterations]`. A diagnostic for docs/bench.md.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Settings } from '../src/shared/settings.js';
import { deliverOutbox } from '../src/sync/deliver-outbox.js';
import { createLogger } from '../src/sync/logger.js';
import { GatewayClient } from '../src/sync/openclaw/gateway-client.js';
import { fetchUsage } from '../src/sync/openclaw/fetch-usage.js';
import { listSessions } from '../src/sync/openclaw/list-sessions.js';
import { planBookings } from '../src/sync/plan-bookings.js';
import { realSleep, systemClock } from '../src/sync/ports.js';
import { DELIVERY_RETRY } from '../src/sync/retry-policy.js';
import { createSink } from '../src/sync/sinks/create-sink.js';
import { SyncState } from '../src/sync/store/sync-state.js';

const size = Number(process.argv[2] ?? '1000');
const iterations = Number(process.argv[3] ?? '4');
const token = 'bench-gateway-token-0123456789';
const servers = spawn(process.execPath, ['dist/bench/servers.js', process.cwd(), String(size), token], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
const urls = await new Promise<{ gatewayUrl: string; agentwatchUrl: string; controlUrl: string }>((resolve) => {
  let out = '';
  servers.stdout?.on('data', (d) => {
    out += d;
    if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0] as string));
  });
});
const log = createLogger({ level: 'WARNING', console: process.stderr, secrets: () => [token] });
const settings = Settings.parse({ openclawUrl: urls.gatewayUrl, agentwatchUrl: urls.agentwatchUrl });
const dir = mkdtempSync(join(tmpdir(), 'aw-probe-'));
const state = await SyncState.open({ dir, clock: systemClock, log, maxOutbox: settings.outboxMaxEvents });
const client = new GatewayClient({ url: urls.gatewayUrl, token, requestTimeoutMs: 60_000, clientVersion: 'probe' }, { log, clock: systemClock, sleep: realSleep });
const sink = createSink('agentwatch', { baseUrl: urls.agentwatchUrl, timeoutMs: 60_000, gatewayId: 'probe', jsonlPath: '-' });

for (let i = 0; i < iterations + 1; i++) {
  await fetch(`${urls.controlUrl}/advance?limits=50,100,200`, { method: 'POST' });
  const t: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    t[name] = Math.round(now - mark);
    mark = now;
  };
  const rows = (await listSessions(client, { activeMinutes: 30, log })).rows;
  lap('list');
  const usage = await fetchUsage(client, { log });
  lap('usage');
  const plan = planBookings({ gatewayId: 'probe', rows, usage, ledger: state, now: Date.now(), rules: settings.filter });
  lap('plan');
  await state.book(plan.deltas, plan.entries);
  lap('book');
  const signal = new AbortController().signal;
  const sub = { sink: 0, ack: 0, pending: 0 };
  const timed = <T>(k: keyof typeof sub, f: () => T): T => { const a = performance.now(); const r = f(); if (r instanceof Promise) return r.finally(() => (sub[k] += performance.now() - a)) as T; sub[k] += performance.now() - a; return r; };
  const outbox = { get depth() { return state.depth; }, pending: (n: number) => timed('pending', () => state.pending(n)), ack: (ids: readonly string[]) => timed('ack', () => state.ack(ids)), flush: () => state.flush(), deadLetter: state.deadLetter.bind(state), memory: state.memory };
  const tsink = { ...sink, deliver: (b: any, c: any) => timed('sink', () => sink.deliver(b, c)) };
  const out = await deliverOutbox({ outbox, sink: tsink, batchSize: 50, retry: DELIVERY_RETRY, retryBudgetMs: 30_000, log, clock: systemClock, sleep: realSleep, random: Math.random, signal });
  lap('deliver');
  if (i > 0) console.log(JSON.stringify({ size, ...t, total: Object.values(t).reduce((a, b) => a + b, 0), delivered: out.delivered, rssMB: Math.round(process.memoryUsage.rss() / 1048576), sub: Object.fromEntries(Object.entries(sub).map(([k, v]) => [k, Math.round(v)])) }));
}
client.close();
await state.close();
rmSync(dir, { recursive: true, force: true });
servers.kill();
