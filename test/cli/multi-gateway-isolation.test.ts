import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { demoWorld } from '../../src/sim/demo-world.js';
import { SimRpcError } from '../../src/sim/gateway-server.js';
import { Settings } from '../../src/shared/settings.js';
import { systemClock } from '../../src/sync/ports.js';
import { openGateways, type OpenGateway } from '../../src/cli/open-gateways.js';
import { captureLog, startPeers, tempDir } from '../support/engine-kit.js';

async function waitFor(what: string, ok: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('one gateway hanging then failing never delays the other; its totals are exact after recovery; pausing one pauses only it', async () => {
  const healthyWorld = demoWorld(systemClock);
  healthyWorld.keys().forEach((k, i) => healthyWorld.finishRun(k, 2_000 + i, 20 + i));
  const failingWorld = demoWorld(systemClock);
  failingWorld.keys().forEach((k, i) => failingWorld.finishRun(k, 5_000 + i, 50 + i));
  let mode: 'hang' | 'error' | 'ok' = 'hang';
  let release: () => void = () => {};
  const released = new Promise<void>((r) => (release = r));
  const healthy = await startPeers({ sessions: () => healthyWorld.rows(), usage: () => healthyWorld.usagePayload() });
  const failing = await startPeers({
    sessions: () => failingWorld.rows(),
    usage: () => failingWorld.usagePayload(),
    methods: {
      'sessions.list': async () => {
        if (mode === 'hang') await released;
        if (mode !== 'ok') throw new SimRpcError('UNAVAILABLE', 'gateway restarting', undefined, { retryable: true, retryAfterMs: 50 });
        return { ts: Date.now(), path: '/sessions.json', count: failingWorld.rows().length, defaults: {}, sessions: failingWorld.rows()};
      },
    },
  });
  const aw = healthy.agentwatch; // one destination for both
  const dir = await tempDir();
  await writeFile(join(dir.path, 'h.token'), healthy.token);
  await writeFile(join(dir.path, 'f.token'), failing.token);
  const { log, lines } = captureLog('DEBUG');
  const settings = Settings.parse({ agentwatchUrl: aw.url, pollIntervalSec: 5, requestTimeoutMs: 60_000, maxErrors: 0, live: false });
  let gateways: OpenGateway[] = [];
  try {
    gateways = await openGateways(
      { settings, flags: { once: false, stateDir: join(dir.path, 'state') }, env: {}, log, secrets: [], clientVersion: 'test', stdout: process.stdout, onSignal: () => () => {} },
      [
        { url: failing.gateway.url, tokenFile: join(dir.path, 'f.token'), name: 'flaky' },
        { url: healthy.gateway.url, tokenFile: join(dir.path, 'h.token'), name: 'vps' },
      ],
    );
    const [f, h] = gateways as [OpenGateway, OpenGateway];
    const tracesOf = (suffix: string) => new Set(aw.traces.filter((t) => aw.agents.find((a) => a.id === t.agent_id)?.name.endsWith(suffix)).map((t) => t.id));
    const inputOn = (traces: Set<string>) => aw.costs.filter((c) => traces.has(c.trace_id)).reduce((n, c) => n + (c.input_tokens ?? 0), 0);
    const healthyInput = () => inputOn(tracesOf(' @ vps'));

    const started = Date.now();
    for (const g of gateways) g.engine.start();
    await waitFor('the healthy gateway to deliver', () => h.engine.status().eventsDelivered === 5, 5_000);
    const firstMs = Date.now() - started;
    assert.ok(firstMs < 3_000, `the healthy gateway delivered in ${firstMs} ms while the other hangs`);
    assert.equal(healthyInput(), 2_000 + 2_001 + 2_002 + 2_003 + 2_004, 'healthy totals exact (cron stays out)');
    assert.equal(f.engine.status().phase, 'polling', 'the flaky gateway is still stuck in its first poll');
    assert.equal(f.engine.status().eventsDelivered, 0);

    // A run on the healthy gateway goes out at once, still beside the hanging one.
    healthyWorld.finishRun('agent:main:main', 300, 30);
    const t0 = Date.now();
    const r = await h.engine.runOnce();
    assert.ok(r.ok && Date.now() - t0 < 2_000, `healthy poll took ${Date.now() - t0} ms`);
    assert.equal(healthyInput(), 10_010 + 300);

    // The hang ends in errors: the flaky gateway fails its polls, the healthy one is untouched.
    mode = 'error';
    release();
    await waitFor('the flaky poll to fail', () => f.engine.status().failedPolls >= 1, 5_000);
    assert.equal(f.engine.status().lastError?.code, 'UNAVAILABLE');
    assert.equal(h.engine.status().consecutiveErrors, 0);

    // Pausing the flaky gateway pauses only it: the healthy one keeps its own schedule.
    f.engine.pause();
    assert.equal(f.engine.status().phase, 'paused');
    const polls = h.engine.status().pollCount;
    await waitFor('the healthy gateway to poll on its own schedule', () => h.engine.status().pollCount > polls, 7_000);
    assert.notEqual(h.engine.status().phase, 'paused');
    assert.equal(f.engine.status().phase, 'paused');

    // Recovery: resumed, the flaky gateway books everything it missed, exactly once.
    mode = 'ok';
    f.engine.resume();
    await waitFor('the flaky gateway to catch up', () => f.engine.status().eventsDelivered === 5, 8_000);
    const vpsTraces = tracesOf(' @ vps');
    const flakyTraces = new Set(aw.traces.filter((t) => !vpsTraces.has(t.id)).map((t) => t.id));
    assert.equal(flakyTraces.size, 5);
    assert.equal(inputOn(flakyTraces), 5_000 + 5_001 + 5_002 + 5_003 + 5_004, 'flaky totals exact after recovery');
    assert.equal(healthyInput(), 10_010 + 300, 'and the healthy ones unchanged');
    assert.deepEqual(aw.agents.map((a) => a.name).sort(), ['main', 'main @ vps', 'ops', 'ops @ vps'], 'the first listed gateway keeps bare names, the other is named for its gateway');
    assert.ok(lines.some((l) => /\[flaky\] Poll #\d+ failed/.test(l)), 'the failure is logged under the gateway it belongs to');
    assert.ok(!lines.some((l) => /\[vps\].*failed/.test(l)), 'nothing failed on the healthy gateway');
  } finally {
    release();
    await Promise.all(gateways.map((g) => g.engine.stop()));
    await healthy.close();
    await failing.close();
    await dir.remove();
  }
});
