import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { demoWorld } from '../../../src/sim/demo-world.js';
import { systemClock } from '../../../src/sync/ports.js';
import { list1, list2, SYNCED, usage1, usage2 } from '../../support/fixture-sessions.js';
import { captureLog, engineFor, expectedFromUsage, FixedClock, settingsFor, startPeers, tempDir } from '../../support/engine-kit.js';
import type { DecodedSpan } from '../../../src/sim/otlp-shape.js';
import { startOtlpReceiver } from '../../../src/sim/otlp-receiver.js';
import { runCli } from '../../support/run-cli.js';

/** Per conversation (session key): uncached input, output and exact micro-USD, summed over the spans. */
function totalsByConversation(spans: readonly DecodedSpan[]): Map<string, { input: number; output: number; costMicros: number }> {
  const out = new Map<string, { input: number; output: number; costMicros: number }>();
  for (const s of spans) {
    const a = s.attributes;
    const key = String(a['gen_ai.conversation.id']);
    const t = out.get(key) ?? { input: 0, output: 0, costMicros: 0 };
    t.input += Number(a['gen_ai.usage.input_tokens']) - Number(a['gen_ai.usage.cache_read.input_tokens']) - Number(a['gen_ai.usage.cache_creation.input_tokens']);
    t.output += Number(a['gen_ai.usage.output_tokens']);
    t.costMicros += Number(a['agentwatch.cost_micros']);
    out.set(key, t);
  }
  return out;
}

test('--sink otlp: two snapshots arrive as spans whose totals are exactly the gateway usage, no span twice', async () => {
  const clock = new FixedClock(usage1.updatedAt + 1_000);
  let snap = 1;
  const peers = await startPeers({ sessions: () => (snap === 1 ? list1 : list2), usage: () => (snap === 1 ? usage1 : usage2), now: () => clock.now() });
  const rx = await startOtlpReceiver();
  const dir = await tempDir();
  const { log } = captureLog('INFO', [peers.token]);
  const engine = await engineFor(peers, dir.path, log, settingsFor(peers, { sink: 'otlp', otlpUrl: rx.url }), { clock });
  try {
    const first = await engine.runOnce();
    assert.equal(first.ok, true, first.error?.message);
    assert.equal(rx.spans.length, 5);
    assert.deepEqual(totalsByConversation(rx.spans), expectedFromUsage(usage1, SYNCED));
    assert.equal(engine.status().sink, 'otlp');
    snap = 2;
    clock.t = usage2.updatedAt + 1_000;
    assert.equal((await engine.runOnce()).events, 3);
    assert.deepEqual(totalsByConversation(rx.spans), expectedFromUsage(usage2, SYNCED));
    const spanIds = rx.spans.map((s) => s.spanId);
    assert.equal(new Set(spanIds).size, spanIds.length, 'every delta is its own span');
    const mainTraces = new Set(rx.spans.filter((s) => s.attributes['gen_ai.conversation.id'] === 'agent:main:main').map((s) => s.traceId));
    assert.equal(mainTraces.size, 1, 'both deltas of one session share its trace');
    assert.deepEqual(rx.problems, []);
    assert.equal(peers.agentwatch.requests.length, 0, 'nothing went to AgentWatch');
  } finally {
    await engine.stop();
    await rx.close();
    await peers.close();
    await dir.remove();
  }
});

test('the CLI flags --sink otlp --otlp-url deliver one poll to the collector', async () => {
  const world = demoWorld(systemClock);
  world.keys().forEach((k, i) => world.finishRun(k, 2_000 + i, 20 + i));
  const peers = await startPeers({ sessions: () => world.rows(), usage: () => world.usagePayload() });
  const rx = await startOtlpReceiver();
  const dir = await tempDir();
  const tokenFile = join(dir.path, 'token');
  await writeFile(tokenFile, `${peers.token}\n`);
  try {
    const run = await runCli(['--once', '--no-live', '--sink', 'otlp', '--otlp-url', rx.url, '--openclaw-url', peers.gateway.url, '--token-file', tokenFile, '--state-dir', join(dir.path, 'state')]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, new RegExp(`OTLP collector: ${rx.url.replace(/[.]/g, '\\.')}/v1/traces`));
    assert.equal(rx.spans.length, 5);
    const usage = world.usagePayload() as { sessions: Array<{ key: string; usage: { input: number; output: number } }> };
    const got = totalsByConversation(rx.spans);
    for (const row of usage.sessions.filter((r) => !r.key.includes(':cron:'))) {
      assert.deepEqual([got.get(row.key)?.input, got.get(row.key)?.output], [row.usage.input, row.usage.output], row.key);
    }
    assert.deepEqual(rx.problems, []);
    assert.ok(!run.stderr.includes(peers.token));
  } finally {
    await rx.close();
    await peers.close();
    await dir.remove();
  }
});
