import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SessionWorld } from '../../../src/sim/session-world.js';
import { classFromKey } from '../../../src/sync/plan-backfill.js';
import { captureLog, engineFor, FixedClock, receivedBySession, settingsFor, startPeers, tempDir } from '../../support/engine-kit.js';

const MODEL = { provider: 'fakellm', model: 'fake-model-1', input: 3, output: 15, contextTokens: 128_000 };
const day = (d: string) => Date.parse(`${d}T12:00:00Z`);

test('backfill delivers the usage of the window once; the usage before it is never sent, a rerun sends nothing', async () => {
  const clock = new FixedClock(day('2026-10-20'));
  const world = new SessionWorld(clock);
  world.add({ key: 'agent:main:main', agentId: 'main', classification: 'main', model: MODEL });
  world.add({ key: 'agent:main:subagent:old', agentId: 'main', classification: 'subagent', model: MODEL });
  world.add({ key: 'agent:main:cron:nightly', agentId: 'main', classification: 'cron', model: MODEL });
  world.finishRun('agent:main:main', 1000, 100); // before the window
  world.finishRun('agent:main:subagent:old', 500, 50); // before the window, never active again
  clock.t = day('2026-11-05');
  world.finishRun('agent:main:main', 2000, 200);
  world.finishRun('agent:main:cron:nightly', 3000, 300);
  clock.t = day('2026-11-25');

  const peers = await startPeers({ sessions: () => world.rows(), usage: (params) => world.usagePayload(params), now: () => clock.now() });
  const dir = await tempDir();
  const { log } = captureLog('INFO');
  const engine = await engineFor(peers, dir.path, log, settingsFor(peers), { clock });
  try {
    const first = await engine.backfill('2026-11-01', '2026-11-25');
    assert.deepEqual(first, { sessions: 1, events: 1, delivered: 1, error: null });
    assert.deepEqual(receivedBySession(peers.agentwatch), new Map([['agent:main:main', { input: 2000, output: 200, costMicros: 2000 * 3 + 200 * 15 }]]));
    const again = await engine.backfill('2026-11-01', '2026-11-25');
    assert.equal(again.events, 0, 'ledger-aware: nothing new');
    // Later growth is booked by the normal sync on top; the pre-window 1000/100 is never sent.
    world.finishRun('agent:main:main', 10, 1);
    await engine.runOnce();
    assert.deepEqual(receivedBySession(peers.agentwatch).get('agent:main:main'), { input: 2010, output: 201, costMicros: 2010 * 3 + 201 * 15 });
  } finally {
    await engine.stop();
    await peers.close();
    await dir.remove();
  }
});

test('old sessions get their class from the key', () => {
  assert.equal(classFromKey('agent:main:main'), 'main');
  assert.equal(classFromKey('agent:main:subagent:44e1'), 'subagent');
  assert.equal(classFromKey('agent:main:cron:315d'), 'cron');
  assert.equal(classFromKey('agent:main:telegram:group:-100'), 'group');
  assert.equal(classFromKey('agent:main:discord:channel:42'), 'channel');
  assert.equal(classFromKey('agent:main:d2c4f1d9-1630-4407-b2a9-b7d7be5f15d3'), 'unknown', 'a finished cron run row');
});
