import { setTimeout as delay } from 'node:timers/promises';
import type { FakeLlm } from './fake-llm.js';
import type { RealGateway } from './gateway-process.js';
import { listAllSessions } from './ground-truth.js';
import type { CliResult } from './run-cli.js';

export interface ScenarioKeys {
  main: string;
  subagent: string;
  group: string;
  channel: string;
  ops: string;
  cron: string;
}

export interface ScenarioResult {
  keys: ScenarioKeys;
  agentIds: string[];
  cronJobId: string;
  durationMs: number;
}

export class CliFailure extends Error {
  constructor(args: string[], readonly result: CliResult) {
    super(`openclaw ${args.slice(0, 2).join(' ')} failed (code ${result.code}): ${(result.stderr || result.stdout).trim().slice(-800)}`);
    this.name = 'CliFailure';
  }
}

// A brand-new agent's first run can fail while its database is prepared: `Agent database cleanup failed`
// (UNAVAILABLE), or `another OpenClaw process owns state-lifecycle` when another run is starting concurrently.
const firstRunGlitch = /Agent database cleanup failed|owns state-lifecycle/;
const attempts = 3;

async function cliOk(gateway: RealGateway, args: string[]): Promise<CliResult> {
  let result = await gateway.cli(args);
  for (let attempt = 1; attempt < attempts && result.code !== 0 && firstRunGlitch.test(result.stdout + result.stderr); attempt++) {
    result = await gateway.cli(args);
  }
  if (result.code !== 0) throw new CliFailure(args, result);
  return result;
}

/** One `openclaw agent` turn; resolves when the CLI reports the run finished. */
export async function runAgentTurn(gateway: RealGateway, sessionKey: string, message: string): Promise<CliResult> {
  return cliOk(gateway, ['agent', '--session-key', sessionKey, '--message', message, '--json']);
}

/** Bounded poll until none of `keys` has a run in progress (subagent announcements finish after the CLI returns). */
export async function waitForIdle(gateway: RealGateway, keys: string[], timeoutMs = 60_000): Promise<void> {
  const rpc = await gateway.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await listAllSessions(rpc);
      const busy = keys.filter((key) => {
        const row = rows.find((r) => r.key === key);
        return !row || row.hasActiveRun === true || row.status === 'running';
      });
      if (busy.length === 0) return;
      if (Date.now() > deadline) throw new Error(`sessions still busy or missing after ${timeoutMs} ms: ${busy.join(', ')}`);
      await delay(250);
    }
  } finally {
    await rpc.close();
  }
}

/**
 * Creates the six sessions of PROTOCOL.md through the real CLI: main (3 turns, one spawning a subagent), the
 * subagent, a telegram-style group, a discord-style channel, agent `ops` on the mini model, and one cron run.
 */
export async function createScenario(gateway: RealGateway, llm: FakeLlm): Promise<ScenarioResult> {
  const started = Date.now();
  const main = 'agent:main:main';
  const group = 'agent:main:telegram:group:-100123';
  const channel = 'agent:main:discord:channel:42';
  const ops = 'agent:ops:main';

  await runAgentTurn(gateway, main, 'Hello from the harness: first turn on main.');

  llm.replyNextWithToolCall('sessions_spawn', { task: 'summarize the weather report for the team', label: 'probe-subagent' });
  const spawnFrom = llm.calls.length;
  await runAgentTurn(gateway, main, 'Second turn: please delegate the weather summary.');
  const child = await llm.waitForCall((c) => c.seq > spawnFrom && !!c.sessionKey?.startsWith('agent:main:subagent:'));
  const subagent = child.sessionKey as string;
  // The parent's announce run (counted by sessions.usage) comes after the child's reply.
  await llm.waitForCall((c) => c.seq > child.seq && c.sessionKey === main);
  await waitForIdle(gateway, [main, subagent]);

  // The second agent's first run prepares its database and can collide with concurrent runs: alone first.
  await runAgentTurn(gateway, ops, 'Ops agent: check the deploy queue.');
  await Promise.all([
    runAgentTurn(gateway, main, 'Third turn: thanks, that is all.'),
    runAgentTurn(gateway, group, '[group] Alice: hello everyone in the telegram group'),
    runAgentTurn(gateway, channel, '[#release] Carol: is the release ready?'),
  ]);

  const added = await cliOk(gateway, [
    'cron', 'add', '--agent', 'main', '--every', '1h', '--name', 'harness-cron', '--no-deliver',
    '--message', 'Cron job: write the hourly digest.', '--json',
  ]);
  const cronJobId = (added.json as { id?: string } | undefined)?.id;
  if (!cronJobId) throw new Error(`cron add printed no job id: ${added.stdout.slice(0, 300)}`);
  const run = await cliOk(gateway, ['cron', 'run', cronJobId, '--wait', '--poll-interval', '250ms', '--json']);
  const runStatus = (run.json as { status?: string } | undefined)?.status;
  if (runStatus !== 'ok') throw new Error(`cron run ended with status ${runStatus}: ${run.stdout.slice(0, 500)}`);
  const cron = `agent:main:cron:${cronJobId}`;

  const keys = { main, subagent, group, channel, ops, cron };
  await waitForIdle(gateway, Object.values(keys));
  return { keys, agentIds: ['main', 'ops'], cronJobId, durationMs: Date.now() - started };
}
