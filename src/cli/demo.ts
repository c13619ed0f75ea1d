import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Settings, type SinkKind } from '../shared/settings.js';
import { demoWorld, playRound, runFinishedEvent } from '../sim/demo-world.js';
import { startSimGateway } from '../sim/gateway-server.js';
import { createEngine } from '../sync/create-engine.js';
import { syncConfigOf } from '../sync/sync-config.js';
import { usdToMicros } from '../sync/delta.js';
import type { ClosableLogger } from '../sync/logger.js';
import { realSleep, systemClock, type Sleep } from '../sync/ports.js';
import { startDemoTarget, type Totals } from './demo-target.js';

export interface DemoOptions {
  polls: number;
  /** Pause between polls (the demo drives the real engine's poll faster than its 5 s minimum interval). */
  pauseMs: number;
  log: ClosableLogger;
  secrets: string[];
  clientVersion: string;
  /** Where events go (default AgentWatch); jsonl writes to `jsonlPath`, '-' = `stdout`. */
  sink?: SinkKind;
  jsonlPath?: string;
  stdout?: NodeJS.WritableStream;
  sleep?: Sleep;
}

const fmt = (n: number) => n.toLocaleString('en-US');
const usd = (micros: number) => `$${(micros / 1e6).toFixed(6)}`;

/** A simulated gateway and a local AgentWatch on loopback with the real engine between them. Exit 0 = totals match. */
export async function runDemo(o: DemoOptions): Promise<number> {
  const sleep = o.sleep ?? realSleep;
  const token = randomBytes(24).toString('hex');
  o.secrets.push(token);
  const world = demoWorld(systemClock);
  playRound(world, 0);
  const gateway = await startSimGateway({ token, sessions: () => world.rows(), usage: () => world.usagePayload() });
  const target = await startDemoTarget(o.sink === undefined || o.sink === 'auto' ? 'agentwatch' : o.sink, o.jsonlPath ?? '-', o.stdout ?? process.stdout);
  const stateDir = await mkdtemp(join(tmpdir(), 'agentwatch-sync-demo-'));
  o.log.info(`Demo: simulated OpenClaw gateway at ${gateway.url}, events to ${target.label}`);
  o.log.info('Demo: 6 sessions (main, subagent, telegram group, discord channel, agent ops, cron); cron is filtered out');
  const settings = Settings.parse({ openclawUrl: gateway.url, pollIntervalSec: 5, ...target.settings });
  const engine = await createEngine(syncConfigOf(settings), { log: o.log, stateDir, gatewayToken: token, clientVersion: o.clientVersion, ...(target.stdout ? { stdout: target.stdout } : {}) });
  const showTotals = async () => {
    const got = await target.totals();
    o.log.info(`  Delivered now: ${engine.status().eventsDelivered} events · ${fmt(got.inputTokens + got.outputTokens)} tokens · ${usd(got.costMicros)}`);
  };
  try {
    // The real loop: a poll at once, then live deliveries as the gateway announces finished runs.
    engine.start();
    await until(() => engine.status().pollCount >= 1 && engine.status().phase === 'idle' && engine.status().mode === 'live', sleep);
    await showTotals();
    for (let round = 1; round < o.polls; round++) {
      await sleep(o.pauseMs);
      const before = engine.status().eventsDelivered;
      const played = playRound(world, round);
      for (const key of played) gateway.broadcast('sessions.changed', runFinishedEvent(world, key, Date.now()));
      const synced = played.filter((key) => settings.filter.classes.includes(String(world.rows().find((r) => r.key === key)?.classification)));
      await until(() => engine.status().eventsDelivered >= before + synced.length, sleep);
      await showTotals();
    }
    await engine.runOnce(); // the reconciliation poll: OpenClaw's cumulative usage against what was delivered live
    return report(o.log, world.usagePayload(), await target.totals());
  } finally {
    await engine.stop();
    await gateway.close();
    await target.close();
    await rm(stateDir, { recursive: true, force: true });
  }
}

/** Waits (bounded) for the engine to get somewhere; the demo shows progress, it does not assert timing. */
async function until(done: () => boolean, sleep: Sleep, timeoutMs = 15_000): Promise<void> {
  for (let waited = 0; !done() && waited < timeoutMs; waited += 50) await sleep(50);
}

function report(log: ClosableLogger, usage: Record<string, unknown>, aw: Totals): number {
  type Row = { key: string; usage: { input: number; output: number; totalCost: number } };
  const synced = (usage.sessions as Row[]).filter((r) => !r.key.includes(':cron:'));
  const want = synced.reduce((t, r) => ({ tokens: t.tokens + r.usage.input + r.usage.output, micros: t.micros + usdToMicros(r.usage.totalCost) }), { tokens: 0, micros: 0 });
  const got = { tokens: aw.inputTokens + aw.outputTokens, micros: aw.costMicros };
  const match = want.tokens === got.tokens && want.micros === got.micros;
  log.info(`Demo done. OpenClaw (synced sessions): ${fmt(want.tokens)} tokens · ${usd(want.micros)}; delivered: ${fmt(got.tokens)} tokens · ${usd(got.micros)} → ${match ? 'exact match' : 'MISMATCH'}`);
  return match ? 0 : 1;
}
