// The product: the engine from the built bundle (dist/bench/engine.js), default settings, a real state dir with its
// fsyncs. Modes: poll (timed polls, all sessions changed each time), idle (CPU of the running daemon with nothing
// new), live (change-to-AgentWatch latency of finished runs). Args: one JSON object.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { control, emit, loopProbe, summary } from './measure.mjs';

const cfg = JSON.parse(process.argv[2]);
const { createEngine, Settings, createLogger } = await import(cfg.engineBundle);
const stateDir = mkdtempSync(join(tmpdir(), 'aw-bench-'));
const lines = [];
const console = new Writable({ write(chunk, _enc, cb) { if (lines.length < 200) lines.push(String(chunk)); cb(); } });
const log = createLogger({ level: 'INFO', console, secrets: () => [cfg.token] });
const settings = Settings.parse({ openclawUrl: cfg.gatewayUrl, agentwatchUrl: cfg.agentwatchUrl });
const engine = await createEngine(settings, { log, stateDir, gatewayToken: cfg.token, clientVersion: 'bench' });

async function pollMode() {
  const probe = loopProbe();
  const times = [];
  for (let i = 0; i < cfg.warmup + cfg.iterations; i++) {
    await control(cfg.controlUrl, `/advance?limits=${cfg.limits}`);
    const measured = i >= cfg.warmup;
    if (measured) probe.start();
    const t0 = performance.now();
    const r = await engine.runOnce();
    const ms = performance.now() - t0;
    if (measured) probe.stop();
    if (!r.ok) throw new Error(`poll failed: ${r.error?.message}\n${lines.join('')}`);
    if (r.sessions !== cfg.sessions || r.delivered !== cfg.sessions) throw new Error(`poll read ${r.sessions} sessions and delivered ${r.delivered}, expected ${cfg.sessions}\n${lines.slice(-5).join('')}`);
    if (measured) times.push(ms);
  }
  const recorded = await (await fetch(`${cfg.controlUrl}/recorded`)).json();
  if (cfg.recordedFile) writeFileSync(cfg.recordedFile, JSON.stringify(recorded));
  return { ...summary(times), ...probe.result(), posts: recorded.length };
}

async function idleMode() {
  engine.start();
  while (engine.status().pollCount < 1 || engine.status().phase === 'polling') await new Promise((r) => setTimeout(r, 50));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, cfg.idleMs));
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  const s = engine.status();
  return { idleSeconds: Math.round(wallMs / 1000), polls: s.pollCount, mode: s.mode, cpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 100 * 1000) / 1000, rssMB: Math.round((process.memoryUsage.rss() / 1048576) * 10) / 10 };
}

async function liveMode() {
  engine.start();
  while (engine.status().mode !== 'live' || engine.status().pollCount < 1 || engine.status().phase === 'polling') await new Promise((r) => setTimeout(r, 20));
  const latencies = [];
  for (let i = 0; i < cfg.runs; i++) {
    const index = i % cfg.sessions;
    let delivered;
    const arrived = new Promise((resolve) => (delivered = resolve));
    let key = '';
    const off = engine.onDelivered((batch) => {
      if (batch.some((d) => d.sessionKey === key)) delivered(performance.now());
    });
    const t0 = performance.now();
    key = (await control(cfg.controlUrl, `/finish?i=${index}`)).key;
    latencies.push((await arrived) - t0);
    off();
  }
  return { ...summary(latencies), polls: engine.status().pollCount };
}

const run = { poll: pollMode, idle: idleMode, live: liveMode }[cfg.mode];
try {
  emit(await run());
} finally {
  await engine.stop();
  rmSync(stateDir, { recursive: true, force: true });
}
process.exit(0);
