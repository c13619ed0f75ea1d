import type { Clock } from '../../src/sync/ports.js';
import { SessionWorld, type ModelPrice } from '../../src/sim/session-world.js';

const SONNET: ModelPrice = { provider: 'anthropic', model: 'claude-sonnet-4-5', input: 3, output: 15, contextTokens: 200_000 };
const HAIKU: ModelPrice = { provider: 'anthropic', model: 'claude-haiku-4-5', input: 1, output: 5, contextTokens: 200_000 };

/** The port the gateway of test/fixtures/legacy-state listened on: its traces are derived from 127.0.0.1:<port>. */
export const LEGACY_GATEWAY_PORT = 47391;

/** The sessions of test/fixtures/legacy-state, with fixed session ids so a test can continue them. */
export function legacyWorld(clock: Clock): SessionWorld {
  const world = new SessionWorld(clock);
  world.add({ key: 'agent:main:main', agentId: 'main', classification: 'main', model: SONNET }, '5b0e4f0c-6a77-4a43-9c44-0d1f3a1b2c01');
  world.add({ key: 'agent:main:subagent:fixer-7', agentId: 'main', classification: 'subagent', label: 'fixer:7', model: HAIKU, createdVia: 'spawn' }, '5b0e4f0c-6a77-4a43-9c44-0d1f3a1b2c02');
  world.add({ key: 'agent:ops:main', agentId: 'ops', classification: 'main', model: HAIKU }, '5b0e4f0c-6a77-4a43-9c44-0d1f3a1b2c03');
  return world;
}

/** The runs the fixture's state has booked: the state's ledger holds exactly these totals. */
export function playLegacyRuns(world: SessionWorld): void {
  world.finishRun('agent:main:main', 12_000, 800);
  world.finishRun('agent:main:subagent:fixer-7', 3_000, 250);
  world.finishRun('agent:ops:main', 5_500, 420);
}
