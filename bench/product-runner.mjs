// The product: the engine from the built bundle (dist/bench/engine.js), default settings, a real state dir with its
// fsyncs. Modes (config: argv[2] JSON): poll — driven over IPC by scripts/bench.mjs, one timed runOnce per
// {cmd:'poll'} after the driver changed the gateway (all sessions, some, or none; {expect} says what the poll must
// deliver); idle — CPU of the running daemon with nothing new; live —
// change-to-AgentWatch latency of finished runs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { control, measurePoll, serveCommands, summary } from './measure.mjs';

const cfg = JSON.parse(process.argv[2]);
const { createEngine, Settings, createLogger, syncConfigOf } = await import(cfg.engineBundle);
const stateDir = mkdtempSync(join(tmpdir(), 'aw-bench-'));
const lines = [];
const console = new Writable({
  write(chunk, _enc, cb) {
    lines.push(String(chunk));
    if (lines.length > 50) lines.shift();
    cb();
  },
});
const log = createLogger({ level: 'INFO', console, secrets: () => [cfg.token] });
const settings = Settings.parse({ openclawUrl: cfg.gatewayUrl, agentwatchUrl: cfg.agentwatchUrl });
const engine = await createEngine(syncConfigOf(settings), { log, stateDir, gatewayToken: cfg.token, clientVersion: 'bench' });
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

async function finish(value) {
  await engine.stop();
  rmSync(stateDir, { recursive: true, force: true });
  return value;
}

async function pollOnce(expect) {
  const r = await engine.runOnce();
  if (!r.ok) throw new Error(`poll failed: ${r.error?.message}\n${lines.join('')}`);
  const delivered = expect?.delivered ?? cfg.sessions;
  const sessions = expect?.sessions ?? cfg.sessions;
  if (r.sessions !== sessions || r.delivered !== delivered) throw new Error(`poll read ${r.sessions} sessions and delivered ${r.delivered}, expected ${sessions} and ${delivered}\n${lines.join('')}`);
  const read = engine.status().lastUsageRead;
  return { sessions: r.sessions, delivered: r.delivered, path: read?.path ?? null, reason: read?.reason ?? null, usageRequests: read?.requests ?? null };
}

async function idle() {
  engine.start();
  while (engine.status().pollCount < 1 || engine.status().phase === 'polling') await pause(50);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await pause(cfg.idleMs);
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  const s = engine.status();
  const cpuPercent = Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 100 * 1000) / 1000;
  return { idleSeconds: Math.round(wallMs / 1000), polls: s.pollCount, mode: s.mode, cpuPercent, rssMB: Math.round((process.memoryUsage.rss() / 1048576) * 10) / 10 };
}

async function live() {
  engine.start();
  while (engine.status().mode !== 'live' || engine.status().pollCount < 1 || engine.status().phase === 'polling') await pause(20);
  const latencies = [];
  for (let i = 0; i < cfg.runs; i++) {
    let key;
    let resolveArrival;
    const arrival = new Promise((resolve) => (resolveArrival = resolve));
    const off = engine.onDelivered((batch) => {
      if (batch.some((d) => d.sessionKey === key)) resolveArrival(performance.now());
    });
    const t0 = performance.now();
    key = (await control(cfg.controlUrl, `/finish?i=${i % cfg.sessions}`)).key;
    latencies.push((await arrival) - t0);
    off();
  }
  return { ...summary(latencies), polls: engine.status().pollCount, mode: engine.status().mode };
}

if (cfg.mode === 'poll') {
  serveCommands({
    async poll(msg) {
      return measurePoll(() => pollOnce(msg.expect));
    },
    async steady() {
      // After the scenario's polls and a second of quiet: what the process holds between polls.
      await pause(1000);
      const m = process.memoryUsage();
      return { rssMB: m.rss / 1048576, heapUsedMB: m.heapUsed / 1048576, externalMB: m.external / 1048576 };
    },
    async record() {
      const recorded = await (await fetch(`${cfg.controlUrl}/recorded`)).json();
      writeFileSync(cfg.recordedFile, JSON.stringify(recorded));
      return { posts: recorded.length };
    },
    async done() {
      return finish({});
    },
  });
} else {
  const value = await finish(await (cfg.mode === 'idle' ? idle() : live()));
  process.stdout.write(`${JSON.stringify(value)}\n`);
  process.exit(0);
}
