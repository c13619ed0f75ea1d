import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Settings } from '../shared/settings.js';
import { demoWorld, playRound } from '../sim/demo-world.js';
import { startSimAgentWatch } from '../sim/agentwatch-server.js';
import { startSimGateway } from '../sim/gateway-server.js';
import { createEngine } from '../sync/create-engine.js';
import { usdToMicros } from '../sync/delta.js';
import type { ClosableLogger } from '../sync/logger.js';
import { realSleep, systemClock, type Sleep } from '../sync/ports.js';

export interface DemoOptions {
  polls: number;
  /** Pause between polls (the demo drives the real engine's poll faster than its 5 s minimum interval). */
  pauseMs: number;
  log: ClosableLogger;
  secrets: string[];
  clientVersion: string;
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
  const agentwatch = await startSimAgentWatch();
  const stateDir = await mkdtemp(join(tmpdir(), 'agentwatch-sync-demo-'));
  o.log.info(`Demo: simulated OpenClaw gateway at ${gateway.url}, local AgentWatch at ${agentwatch.url}`);
  o.log.info('Demo: 6 sessions (main, subagent, telegram group, discord channel, agent ops, cron); cron is filtered out');
  const settings = Settings.parse({ openclawUrl: gateway.url, agentwatchUrl: agentwatch.url, pollIntervalSec: 5 });
  const engine = await createEngine(settings, { log: o.log, stateDir, gatewayToken: token, clientVersion: o.clientVersion });
  try {
    for (let poll = 1; poll <= o.polls; poll++) {
      await engine.runOnce();
      const aw = agentwatch.totals();
      o.log.info(`  AgentWatch now: ${agentwatch.traces.length} traces · ${fmt(aw.inputTokens + aw.outputTokens)} tokens · ${usd(aw.costMicros)}`);
      if (poll < o.polls) {
        await sleep(o.pauseMs);
        playRound(world, poll);
      }
    }
    return report(o.log, world.usagePayload(), agentwatch.totals());
  } finally {
    await engine.stop();
    await gateway.close();
    await agentwatch.close();
    await rm(stateDir, { recursive: true, force: true });
  }
}

function report(log: ClosableLogger, usage: Record<string, unknown>, aw: { inputTokens: number; outputTokens: number; costMicros: number }): number {
  type Row = { key: string; usage: { input: number; output: number; totalCost: number } };
  const synced = (usage.sessions as Row[]).filter((r) => !r.key.includes(':cron:'));
  const want = synced.reduce((t, r) => ({ tokens: t.tokens + r.usage.input + r.usage.output, micros: t.micros + usdToMicros(r.usage.totalCost) }), { tokens: 0, micros: 0 });
  const got = { tokens: aw.inputTokens + aw.outputTokens, micros: aw.costMicros };
  const match = want.tokens === got.tokens && want.micros === got.micros;
  log.info(`Demo done. OpenClaw (synced sessions): ${fmt(want.tokens)} tokens · ${usd(want.micros)}; AgentWatch: ${fmt(got.tokens)} tokens · ${usd(got.micros)} → ${match ? 'exact match' : 'MISMATCH'}`);
  return match ? 0 : 1;
}
