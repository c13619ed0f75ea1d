import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Settings, type SettingsInput } from '../../src/shared/settings.js';
import { startSimAgentWatch, type SimAgentWatch, type SimAgentWatchOptions } from '../../src/sim/agentwatch-server.js';
import { startSimGateway, type SimGateway, type SimGatewayOptions } from '../../src/sim/gateway-server.js';
import { syncConfigOf } from '../../src/sync/sync-config.js';
import { createEngine, type EngineDeps, type RunningSync } from '../../src/sync/create-engine.js';
import { usdToMicros } from '../../src/sync/delta.js';
import { createLogger, type ClosableLogger } from '../../src/sync/logger.js';
import type { Clock } from '../../src/sync/ports.js';
import { assertValidFrame } from './gateway-schemas.js';

export interface Peers {
  token: string;
  gateway: SimGateway;
  agentwatch: SimAgentWatch;
  /** Frames the simulated gateway sent that the real schemas reject: must stay empty. */
  frameViolations: string[];
  close(): Promise<void>;
}

export async function startPeers(
  data: Pick<SimGatewayOptions, 'sessions' | 'usage'> & Partial<SimGatewayOptions>,
  aw: SimAgentWatchOptions = {},
): Promise<Peers> {
  const token = randomBytes(20).toString('hex');
  const frameViolations: string[] = [];
  const gateway = await startSimGateway({
    token,
    onFrameSent: (frame) => {
      try {
        assertValidFrame(frame);
      } catch (e) {
        frameViolations.push((e as Error).message);
      }
    },
    ...data,
  });
  const agentwatch = await startSimAgentWatch(aw);
  return {
    token,
    gateway,
    agentwatch,
    frameViolations,
    close: async () => {
      await gateway.close();
      await agentwatch.close();
    },
  };
}

export function settingsFor(peers: Peers, overrides: SettingsInput = {}): Settings {
  return Settings.parse({ openclawUrl: peers.gateway.url, agentwatchUrl: peers.agentwatch.url, ...overrides });
}

export interface CapturedLog {
  log: ClosableLogger;
  lines: string[];
}

export function captureLog(level: 'DEBUG' | 'INFO' = 'DEBUG', secrets: string[] = []): CapturedLog {
  const lines: string[] = [];
  const sink = { write: (chunk: string) => lines.push(chunk.trimEnd()) } as unknown as NodeJS.WritableStream;
  return { log: createLogger({ level, console: sink, secrets: () => secrets }), lines };
}

export async function tempDir(prefix = 'aw-sync-test-'): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export class FixedClock implements Clock {
  constructor(public t: number) {}
  now(): number {
    return this.t;
  }
}

/** Fast retries so fault tests finish in milliseconds; the policy shape is the production one. */
export const FAST_RETRY = { initialMs: 5, multiplier: 1.5, maxMs: 20, jitter: 0 };

export function engineFor(peers: Peers, stateDir: string, log: ClosableLogger, settings: Settings, extra: Partial<EngineDeps> = {}): Promise<RunningSync> {
  return createEngine(syncConfigOf(settings), { log, stateDir, gatewayToken: peers.token, clientVersion: 'test', retry: FAST_RETRY, random: () => 0.5, ...extra });
}

interface UsageFixtureRow {
  key: string;
  sessionId: string;
  usage: { input: number; output: number; totalCost: number };
}

/** Expected per-session totals straight from a sessions.usage payload (the gateway's own figures). */
export function expectedFromUsage(payload: { sessions: UsageFixtureRow[] }, keys: readonly string[]): Map<string, { input: number; output: number; costMicros: number }> {
  const out = new Map<string, { input: number; output: number; costMicros: number }>();
  for (const row of payload.sessions) {
    if (keys.includes(row.key)) out.set(row.key, { input: row.usage.input, output: row.usage.output, costMicros: usdToMicros(row.usage.totalCost) });
  }
  return out;
}

/** What AgentWatch holds per OpenClaw session key: Cost rows summed through each trace's session_id. */
export function receivedBySession(aw: SimAgentWatch): Map<string, { input: number; output: number; costMicros: number }> {
  const sessionOfTrace = new Map(aw.traces.map((t) => [t.id, t.session_id ?? '']));
  const out = new Map<string, { input: number; output: number; costMicros: number }>();
  for (const c of aw.costs) {
    const key = sessionOfTrace.get(c.trace_id) ?? `?${c.trace_id}`;
    const t = out.get(key) ?? { input: 0, output: 0, costMicros: 0 };
    t.input += c.input_tokens ?? 0;
    t.output += c.output_tokens ?? 0;
    t.costMicros += usdToMicros(c.amount);
    out.set(key, t);
  }
  return out;
}
