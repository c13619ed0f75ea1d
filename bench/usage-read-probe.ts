// The all-sessions usage read alone (the reconciliation's big read) through the product's gateway client against
// the bench servers: `node --import tsx bench/usage-read-probe.ts <sessions> [iterations] [--cpu-prof in node's
// flags]`. Prints read time, the longest event-loop stall and RSS per read. A diagnostic for docs/bench.md (issue 15:
// stall at reconciliation).
import { spawn } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createLogger } from '../src/sync/logger.js';
import { GatewayClient } from '../src/sync/openclaw/gateway-client.js';
import { fetchUsage } from '../src/sync/openclaw/fetch-usage.js';
import { realSleep, systemClock } from '../src/sync/ports.js';

const size = Number(process.argv[2] ?? '10000');
const iterations = Number(process.argv[3] ?? '8');
const token = 'bench-gateway-token-0123456789';
const servers = spawn(process.execPath, ['dist/bench/servers.js', process.cwd(), String(size), token, '{}'], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
const urls = await new Promise<{ gatewayUrl: string; controlUrl: string }>((resolve) => {
  let out = '';
  servers.stdout?.on('data', (d) => {
    out += d;
    if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0] as string));
  });
});
const log = createLogger({ level: 'WARNING', console: process.stderr, secrets: () => [token] });
const gateway = new GatewayClient({ url: urls.gatewayUrl, token, requestTimeoutMs: 60_000, clientVersion: 'probe' }, { log, clock: systemClock, sleep: realSleep });
const samples: Array<{ ms: number; stallMs: number; rssMB: number }> = [];
for (let k = 0; k < iterations + 1; k++) {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const t = performance.now();
  const usage = await fetchUsage(gateway, { log });
  const ms = performance.now() - t;
  h.disable();
  if (usage.byKey.size !== size) throw new Error(`read ${usage.byKey.size} rows`);
  if (k > 0) samples.push({ ms: Math.round(ms), stallMs: Math.round(h.max / 1e5) / 10, rssMB: Math.round(process.memoryUsage.rss() / 1048576) });
  await new Promise((r) => setTimeout(r, 200));
}
const sorted = (f: (s: (typeof samples)[number]) => number) => samples.map(f).sort((a, b) => a - b);
console.log(JSON.stringify({ size, ms: sorted((s) => s.ms), stallMs: sorted((s) => s.stallMs), rssMB: sorted((s) => s.rssMB) }));
gateway.close();
servers.kill();
