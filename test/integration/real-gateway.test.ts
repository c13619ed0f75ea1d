import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { expectedUsage } from '../support/real-gateway/expected-usage.js';
import { startFakeLlm, type FakeLlm } from '../support/real-gateway/fake-llm.js';
import { startRealGateway, type RealGateway } from '../support/real-gateway/gateway-process.js';
import { listAllSessions, readFreshUsage, type UsageSnapshot } from '../support/real-gateway/ground-truth.js';
import { realGatewayAvailability, realGatewaySkip } from '../support/real-gateway/install.js';
import { ConnectError, RpcError } from '../support/real-gateway/rpc.js';
import { createScenario, type ScenarioResult } from '../support/real-gateway/scenario.js';

// Direct protocol checks against the real gateway: they prove the harness (and its fake LLM accounting) is
// exact, so the product can later be compared against the same ground truth.

const costTolerance = 1e-9; // float sums in a different order

function assertUsageMatches(usage: UsageSnapshot, llm: FakeLlm, keys: string[]): void {
  const expected = expectedUsage(llm.calls);
  assert.deepEqual(expected.unattributed.map((c) => c.seq), [], 'every LLM call names its session');
  assert.deepEqual(usage.sessions.map((s) => s.key).sort(), [...expected.bySession.keys()].sort());
  assert.deepEqual([...expected.bySession.keys()].sort(), [...keys].sort());
  for (const row of usage.sessions) {
    const want = expected.bySession.get(row.key);
    assert.ok(want, row.key);
    assert.deepEqual(
      { key: row.key, input: row.usage.input, output: row.usage.output, totalTokens: row.usage.totalTokens },
      { key: row.key, input: want.input, output: want.output, totalTokens: want.totalTokens },
    );
    assert.ok(Math.abs(row.usage.totalCost - want.totalCost) < costTolerance, `${row.key}: ${row.usage.totalCost} vs ${want.totalCost}`);
  }
  assert.equal(usage.totals.totalTokens, expected.totals.totalTokens);
  assert.equal(usage.totals.input, expected.totals.input);
  assert.equal(usage.totals.output, expected.totals.output);
  assert.ok(Math.abs(usage.totals.totalCost - expected.totals.totalCost) < costTolerance);
}

describe('real-gateway availability', () => {
  const empty = mkdtempSync(join(tmpdir(), 'agentwatch-no-openclaw-'));
  after(() => rmSync(empty, { recursive: true, force: true }));

  test('without an install the suite is skipped with the command that prepares it', () => {
    const availability = realGatewayAvailability(empty);
    assert.equal(availability.available, false);
    assert.match(availability.available ? '' : availability.reason, /^run `node scripts\/prepare-openclaw\.mjs` first \(/);
    assert.equal(realGatewaySkip({}, empty), availability.available ? false : availability.reason);
  });

  test('under CI=true a missing install is a failure, never a skip', () => {
    assert.throws(() => realGatewaySkip({ CI: 'true' }, empty), /cannot run under CI=true: run `node scripts\/prepare-openclaw\.mjs` first/);
  });
});

describe('real OpenClaw gateway (direct protocol)', { skip: realGatewaySkip() }, () => {
  let llm: FakeLlm;
  let gateway: RealGateway;
  let scenario: ScenarioResult;
  const timings: Record<string, number> = {};

  before(async () => {
    llm = await startFakeLlm();
    gateway = await startRealGateway({ fakeLlmUrl: llm.url });
    timings.gatewayStartupMs = gateway.startupMs;
    scenario = await createScenario(gateway, llm);
    timings.scenarioMs = scenario.durationMs;
  }, { timeout: 300_000 });

  after(async () => {
    await gateway?.stop();
    await llm?.close();
  });

  test('sessions.list shows main, subagent, group, channel, cron and the ops agent', async (t) => {
    t.diagnostic(`gateway startup ${timings.gatewayStartupMs} ms, scenario ${timings.scenarioMs} ms`);
    const rpc = await gateway.connect();
    try {
      const rows = await listAllSessions(rpc);
      const byKey = new Map(rows.map((r) => [r.key, r]));
      const { keys } = scenario;
      const view = (key: string) => {
        const r = byKey.get(key);
        return r && { classification: r.classification, kind: r.kind, agentId: r.agentId, model: r.model };
      };
      assert.deepEqual(view(keys.main), { classification: 'main', kind: 'direct', agentId: 'main', model: 'fake-model-1' });
      assert.deepEqual(view(keys.subagent), { classification: 'subagent', kind: 'direct', agentId: 'main', model: 'fake-model-1' });
      assert.deepEqual(view(keys.group), { classification: 'group', kind: 'group', agentId: 'main', model: 'fake-model-1' });
      assert.deepEqual(view(keys.channel), { classification: 'channel', kind: 'group', agentId: 'main', model: 'fake-model-1' });
      assert.deepEqual(view(keys.cron), { classification: 'cron', kind: 'direct', agentId: 'main', model: 'fake-model-1' });
      assert.deepEqual(view(keys.ops), { classification: 'main', kind: 'direct', agentId: 'ops', model: 'fake-model-mini' });
      assert.equal(byKey.get(keys.subagent)?.spawnedBy, keys.main);
      assert.deepEqual([...byKey.keys()].sort(), Object.values(keys).sort());
    } finally {
      await rpc.close();
    }
  });

  test('sessions.usage (range all) per session equals the fake LLM usage it answered', async (t) => {
    const rpc = await gateway.connect();
    try {
      const usage = await readFreshUsage(rpc);
      t.diagnostic(`sessions.usage fresh after ${usage.waitedMs} ms (${usage.polls} polls); ${llm.calls.length} LLM calls`);
      assertUsageMatches(usage, llm, Object.values(scenario.keys));
      // The announce run after the subagent finished is billed to main: 3 turns + tool follow-up + announce.
      assert.equal(expectedUsage(llm.calls).bySession.get(scenario.keys.main)?.calls, 5);
    } finally {
      await rpc.close();
    }
  });

  test('a wrong token is refused with AUTH_TOKEN_MISMATCH and close 1008', async () => {
    const wrong = 'f'.repeat(48);
    const error = await gateway.connect({ token: wrong }).then(
      () => assert.fail('connect with a wrong token succeeded'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ConnectError, String(error));
    assert.equal(error.error?.details?.code, 'AUTH_TOKEN_MISMATCH');
    assert.equal(error.close?.code, 1008);
    assert.ok(!JSON.stringify(error.error).includes(wrong), 'the error does not echo the token');
  });

  test('a test/test client gets scopes [] and FORBIDDEN on sessions.list', async () => {
    const rpc = await gateway.connect({ clientId: 'test', mode: 'test' });
    try {
      assert.deepEqual(rpc.scopes, []);
      const error = await rpc.request('sessions.list', {}).then(
        () => assert.fail('sessions.list succeeded without scopes'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof RpcError, String(error));
      assert.equal(error.error.code, 'FORBIDDEN');
      assert.equal(error.error.details?.code, 'MISSING_SCOPE');
    } finally {
      await rpc.close();
    }
  });

  test('restart() keeps HOME and port: same sessions, same cumulative usage', async (t) => {
    const before = { port: gateway.port, home: gateway.home };
    const started = Date.now();
    await gateway.restart();
    t.diagnostic(`restart ${Date.now() - started} ms (startup ${gateway.startupMs} ms)`);
    assert.deepEqual({ port: gateway.port, home: gateway.home }, before);
    const rpc = await gateway.connect();
    try {
      const rows = await listAllSessions(rpc);
      assert.deepEqual(rows.map((r) => r.key).sort(), Object.values(scenario.keys).sort());
      assertUsageMatches(await readFreshUsage(rpc, { since: Date.now() }), llm, Object.values(scenario.keys));
    } finally {
      await rpc.close();
    }
  });
});
