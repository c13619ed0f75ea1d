import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SessionWorld, type ModelPrice } from '../../../src/sim/session-world.js';
import { createEngine } from '../../../src/sync/create-engine.js';
import { serveMetrics } from '../../../src/sync/metrics/metrics-endpoint.js';
import { systemClock } from '../../../src/sync/ports.js';
import { syncConfigOf } from '../../../src/sync/sync-config.js';
import { buildMenu, type TrayActions } from '../../../src/main/tray-menu.js';
import { clockFormatter } from '../../../src/shared/format-clock.js';
import { captureLog, FAST_RETRY, settingsFor, startPeers, tempDir } from '../../support/engine-kit.js';
import { scrape } from '../metrics/scrape.js';

const PRICED: ModelPrice = { provider: 'anthropic', model: 'claude-sonnet-4-5', input: 3, output: 15, contextTokens: 200_000 };
const LOCAL: ModelPrice = { provider: 'local', model: 'llama-3-70b', input: 0, output: 0, contextTokens: 128_000, unpriced: true };
const noop = () => {};
const act: TrayActions = { pause: noop, resume: noop, runOnce: noop, openSettings: noop, openExternal: noop, openLogFile: noop, copyText: noop, restartToUpdate: noop, quit: noop };

test('runs of a model OpenClaw cannot price reach AgentWatch, the status, the tray menu and /metrics as unpriced, never as free', async () => {
  const world = new SessionWorld(systemClock);
  world.add({ key: 'agent:main:main', agentId: 'main', classification: 'main', model: PRICED });
  world.add({ key: 'agent:coder:main', agentId: 'coder', classification: 'main', model: LOCAL });
  world.finishRun('agent:main:main', 10_000, 200); // $0.033
  world.finishRun('agent:coder:main', 8_000, 100);
  world.finishRun('agent:coder:main', 2_000, 50);
  const peers = await startPeers({ sessions: () => world.rows(), usage: () => world.usagePayload() });
  const dir = await tempDir();
  const { log } = captureLog('INFO', [peers.token]);
  const engine = await createEngine(syncConfigOf(settingsFor(peers, { live: false })), { log, stateDir: dir.path, gatewayToken: peers.token, clientVersion: 'test', retry: FAST_RETRY, random: () => 0.5 });
  const metrics = await serveMetrics(engine, { port: 0, clock: systemClock, defaultMetrics: false });
  try {
    assert.equal((await engine.runOnce()).ok, true);
    const byModel = new Map(peers.agentwatch.events.map((e) => [e.model, e.attributes]));
    assert.deepEqual([byModel.get('claude-sonnet-4-5')?.unpriced_entries, byModel.get('claude-sonnet-4-5')?.cost_usd], [0, 0.033]);
    assert.deepEqual([byModel.get('llama-3-70b')?.unpriced_entries, byModel.get('llama-3-70b')?.cost_usd], [2, 0]);

    const s = engine.status();
    assert.deepEqual([s.costMicrosToday, s.unpricedToday], [33_000, 2]);
    const today = buildMenu(s, Date.now(), act, { dashboardUrl: 'http://127.0.0.1:8766', formatTime: clockFormatter('en-GB'), finishedGraceMs: 600_000, trayTitle: 'off' }).find((i) => i.id === 'today');
    assert.equal(today?.label, 'Today: 20,350 tokens · ≥ $0.03 (2 runs unpriced)');

    const m = await scrape(metrics.url);
    assert.equal(m.value('agentwatch_sync_unpriced_entries_total', { agent: 'coder', model: 'llama-3-70b' }), 2);
    assert.equal(m.value('agentwatch_sync_unpriced_entries_total', { agent: 'main', model: 'claude-sonnet-4-5' }), 0);

    // A third run of the unpriced model: one more unpriced entry, delivered as such.
    world.finishRun('agent:coder:main', 1_000, 10);
    assert.equal((await engine.runOnce()).ok, true);
    assert.equal(peers.agentwatch.events.at(-1)?.attributes?.unpriced_entries, 1);
    assert.equal(engine.status().unpricedToday, 3);
  } finally {
    await metrics.close();
    await engine.stop();
    await peers.close();
    await dir.remove();
  }
});
