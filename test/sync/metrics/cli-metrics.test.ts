import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSync } from '../../../src/cli/run-sync.js';
import { demoWorld } from '../../../src/sim/demo-world.js';
import { systemClock } from '../../../src/sync/ports.js';
import { captureLog, settingsFor, startPeers, tempDir } from '../../support/engine-kit.js';
import { waitUntil } from '../sinks/wait-until.js';
import { scrape } from './scrape.js';

test('--metrics-port serves /metrics and /healthz while the CLI runs, and closes with it', async () => {
  const world = demoWorld(systemClock);
  world.keys().forEach((k, i) => world.finishRun(k, 1_500 + i, 15 + i));
  const peers = await startPeers({ sessions: () => world.rows(), usage: () => world.usagePayload() });
  const dir = await tempDir();
  const { log, lines } = captureLog('INFO', [peers.token]);
  let stop: ((signal: string) => void) | undefined;
  try {
    const exit = runSync({
      settings: settingsFor(peers, { metricsPort: 0, live: false }),
      flags: { token: peers.token, stateDir: dir.path, once: false },
      env: {},
      log,
      secrets: [],
      clientVersion: 'test',
      stdout: process.stdout,
      onSignal: (handler) => {
        stop = handler;
        return () => undefined;
      },
    });
    await waitUntil(() => lines.some((l) => l.includes('/metrics (health: ')) && stop !== undefined, 5000);
    const url = /Metrics: (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(lines.join('\n'))?.[1];
    assert.ok(url, lines.join('\n'));
    await waitUntil(() => peers.agentwatch.costs.length === 5, 5000);
    let m = await scrape(url);
    for (let i = 0; i < 100 && m.value('agentwatch_sync_polls_total', { result: 'ok' }) !== 1; i++) m = await scrape(url);
    assert.equal(m.value('agentwatch_sync_polls_total', { result: 'ok' }), 1);
    assert.equal(m.value('agentwatch_sync_events_total', { outcome: 'delivered' }), 5);
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    stop!('SIGTERM');
    assert.equal(await exit, 0);
    await assert.rejects(fetch(`${url}/metrics`), 'the metrics server is closed with the sync');
  } finally {
    await peers.close();
    await dir.remove();
  }
});
