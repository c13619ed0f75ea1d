import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SimAgentWatch } from '../../src/sim/agentwatch-server.js';
import { SessionWorld } from '../../src/sim/session-world.js';
import type { Milestone } from '../../src/sync/milestone.js';
import { systemClock } from '../../src/sync/ports.js';
import { startPeers, tempDir } from '../support/engine-kit.js';
import { bundleCli } from './bundle-cli.js';
import { addSessions, dedupedTotals, duplicateCount, growWorld, receivedEvents, worldTotals, type Totals } from './delivery-kit.js';
import { mulberry32 } from '../support/seeded-random.js';

export const CRASH_POINTS: readonly Milestone[] = ['after-book', 'before-post', 'after-post', 'after-ack', 'after-trace-create'];

export interface CrashScenarioOptions {
  /** SIGKILLs to reach (named and random together). */
  kills: number;
  seed: number;
  sessions?: number;
  progress?: (line: string) => void;
}

export interface CrashSummary {
  seed: number;
  runs: number;
  kills: number;
  byPoint: Record<string, number>;
  /** Kills where the server may have accepted a batch we did not acknowledge: after-post and random ones. */
  killsThatMayRepeat: number;
  /** Events AgentWatch received more than once. */
  duplicated: number;
  /** The promise: at most one batch (that run's batch size) per kill that may repeat. */
  bound: number;
  /** World totals minus what AgentWatch holds, deduped by sync_event_id: all zero when nothing is lost. */
  missing: Totals;
  /** Duplicates counted at a point where the kills so far allowed fewer: must stay empty. */
  boundViolations: string[];
  /** OpenClaw sessions with more than one AgentWatch trace, OpenClaw agents with more than one agent. */
  duplicateTraces: number;
  duplicateAgents: number;
  finalExitCode: number | null;
  finalLogTail: string;
}


/** Calls `fn` for every request the simulated AgentWatch records, synchronously, before it answers. */
function onRequest(aw: SimAgentWatch, fn: (r: { method: string; path: string }) => void): () => void {
  const list = aw.requests;
  const push = list.push;
  list.push = (...items) => {
    const n = push.apply(list, items);
    for (const item of items) fn(item);
    return n;
  };
  return () => {
    list.push = push;
  };
}

type Plan = { kind: 'point'; point: Milestone; skip: number } | { kind: 'random'; afterRequests: number; delayMs: number } | { kind: 'clean' };

interface RunResult {
  killed: boolean;
  sawIngest: boolean;
  code: number | null;
  logTail: string;
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of items) m.set(key(t), (m.get(key(t)) ?? 0) + 1);
  return m;
}

/**
 * The CLI as a child process in its own process group, SIGKILLed at named crash points and at random moments
 * while it delivers, restarted each time against a world that keeps growing; then one clean run.
 */
export async function runCrashScenario(o: CrashScenarioOptions): Promise<CrashSummary> {
  const random = mulberry32(o.seed);
  const world = new SessionWorld(systemClock);
  let sessions = o.sessions ?? 30;
  addSessions(world, sessions);
  const peers = await startPeers({ sessions: () => world.rows(), usage: () => world.usagePayload() });
  const dir = await tempDir('aw-crash-');
  const cli = await bundleCli(dir.path, 'test/delivery/crash-cli.ts');
  const tokenFile = join(dir.path, 'token');
  await writeFile(tokenFile, peers.token);
  const aw = peers.agentwatch;

  const runOnce = async (plan: Plan, batchSize: number): Promise<RunResult> => {
    const env: Record<string, string | undefined> = { ...process.env, OPENCLAW_GATEWAY_TOKEN: undefined, AGENTWATCH_API_KEY: undefined };
    env.CRASH_AT = plan.kind === 'point' ? plan.point : undefined;
    env.CRASH_SKIP = plan.kind === 'point' ? String(plan.skip) : undefined;
    const args = [cli, '--once', '--sink', 'agentwatch', '--openclaw-url', peers.gateway.url, '--agentwatch-url', aw.url];
    args.push('--token-file', tokenFile, '--state-dir', join(dir.path, 'state'), '--batch-size', String(batchSize), '--log-level', 'INFO');
    const child = spawn(process.execPath, args, { detached: true, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4_000)));
    let sawIngest = false;
    let seen = 0;
    const kill = () => {
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // ESRCH: it finished first
      }
    };
    const unhook = onRequest(aw, (r) => {
      if (r.method === 'POST' && r.path === '/api/ingest') sawIngest = true;
      seen += 1;
      if (plan.kind !== 'random' || seen !== plan.afterRequests) return;
      if (plan.delayMs === 0) kill();
      else setTimeout(kill, plan.delayMs);
    });
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    unhook();
    return { killed: signal === 'SIGKILL', sawIngest, code, logTail: log };
  };

  const byPoint: Record<string, number> = {};
  let kills = 0;
  let runs = 0;
  let killsThatMayRepeat = 0;
  let bound = 0;
  const boundViolations: string[] = [];
  try {
    for (let i = 0; kills < o.kills && runs < o.kills * 4; i++) {
      const batchSize = 1 + Math.floor(random() * 5);
      const point = CRASH_POINTS[(i / 2) % CRASH_POINTS.length]!;
      // One booking and (with the session added below) one new trace per run: those points are hit on their first pass.
      const once = point === 'after-book' || point === 'after-trace-create';
      const plan: Plan =
        i % 2 === 0
          ? { kind: 'point', point, skip: once ? 0 : Math.floor(random() * 3) }
          : { kind: 'random', afterRequests: 1 + Math.floor(random() * 10), delayMs: random() < 0.5 ? 0 : Math.floor(random() * 30) };
      if (plan.kind === 'point' && plan.point === 'after-trace-create') sessions += addSessions(world, 1, sessions).length;
      const r = await runOnce(plan, batchSize);
      runs += 1;
      if (r.killed) {
        kills += 1;
        const name = plan.kind === 'point' ? plan.point : 'random';
        byPoint[name] = (byPoint[name] ?? 0) + 1;
        // Only a kill after the server may have accepted a batch can repeat it (one batch, this run's size).
        if (r.sawIngest && (name === 'after-post' || name === 'random')) {
          killsThatMayRepeat += 1;
          bound += batchSize;
        }
      } else if (r.code !== 0) {
        throw new Error(`run ${runs} (${JSON.stringify(plan)}) exited ${r.code}:\n${r.logTail}`);
      }
      const dups = duplicateCount(receivedEvents(aw));
      if (dups > bound) boundViolations.push(`after run ${runs} (${JSON.stringify(plan)}): ${dups} duplicates > bound ${bound}`);
      o.progress?.(`run ${runs}: ${r.killed ? `killed (${plan.kind === 'point' ? plan.point : 'random'})` : 'finished'}; kills ${kills}, duplicates ${dups}/${bound}`);
      growWorld(world, i);
    }
    const final = await runOnce({ kind: 'clean' }, 3);
    const received = receivedEvents(aw);
    const got = dedupedTotals(received);
    const want = worldTotals(world);
    const dups = duplicateCount(received);
    if (dups > bound) boundViolations.push(`after the clean run: ${dups} duplicates > bound ${bound}`);
    const traceCounts = countBy(aw.traces, (t) => String(t.attributes?.sync_trace_id));
    const agentCounts = countBy(aw.agents, (a) => String(a.config?.openclaw_agent_id));
    return {
      seed: o.seed,
      runs: runs + 1,
      kills,
      byPoint,
      killsThatMayRepeat,
      duplicated: dups,
      bound,
      missing: { input: want.input - got.input, output: want.output - got.output, costMicros: want.costMicros - got.costMicros },
      boundViolations,
      duplicateTraces: [...traceCounts.values()].filter((n) => n > 1).length,
      duplicateAgents: [...agentCounts.values()].filter((n) => n > 1).length,
      finalExitCode: final.code,
      finalLogTail: final.logTail,
    };
  } finally {
    await peers.close();
    await dir.remove();
  }
}
