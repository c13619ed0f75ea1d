import type { Clock } from '../sync/ports.js';
import { SessionWorld, type ModelPrice } from './session-world.js';

// List prices per 1M tokens, as a gateway would have them configured.
const SONNET: ModelPrice = { provider: 'anthropic', model: 'claude-sonnet-4-5', input: 3, output: 15, contextTokens: 200_000 };
const HAIKU: ModelPrice = { provider: 'anthropic', model: 'claude-haiku-4-5', input: 1, output: 5, contextTokens: 200_000 };

/** The six kinds of session the fixtures show: main, subagent, group, channel, a second agent, and cron. */
export function demoWorld(clock: Clock): SessionWorld {
  const world = new SessionWorld(clock);
  world.add({ key: 'agent:main:main', agentId: 'main', classification: 'main', model: SONNET });
  world.add({ key: 'agent:main:subagent:gh-taskmaster-22', agentId: 'main', classification: 'subagent', label: 'gh-taskmaster:22', model: HAIKU, createdVia: 'spawn' });
  world.add({ key: 'agent:main:telegram:group:-1001234567890', agentId: 'main', classification: 'group', kind: 'group', channel: 'telegram', model: SONNET, createdVia: 'channel' });
  world.add({ key: 'agent:main:discord:channel:998877665544332211', agentId: 'main', classification: 'channel', kind: 'group', channel: 'discord', model: SONNET, createdVia: 'channel' });
  world.add({ key: 'agent:ops:main', agentId: 'ops', classification: 'main', model: HAIKU });
  world.add({ key: 'agent:main:cron:nightly-digest', agentId: 'main', classification: 'cron', label: 'Automation: nightly-digest', model: HAIKU, createdVia: 'cron' });
  return world;
}

/** Plays a few runs, deterministic for a given round so the demo tells the same story every time. */
export function playRound(world: SessionWorld, round: number): string[] {
  const keys = world.keys();
  const played: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    if (round > 0 && (round + i) % 3 !== 0) continue;
    world.finishRun(keys[i]!, 4_000 + ((round * 977 + i * 131) % 9_000), 60 + ((round * 37 + i * 11) % 700));
    played.push(keys[i]!);
  }
  return played;
}

/** The `sessions.changed` payload the gateway sends when a run has finished (reason `agent.input.settled`). */
export function runFinishedEvent(world: SessionWorld, key: string, ts: number): Record<string, unknown> {
  const session = world.rows().find((r) => r.key === key);
  if (!session) throw new Error(`no simulated session ${key}`);
  return { sessionKey: key, agentId: session.agentId, reason: 'agent.input.settled', ts, session };
}
