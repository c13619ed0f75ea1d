import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildMenu, type TrayActions } from '../../src/main/tray-menu.js';
import { clockFormatter } from '../../src/shared/format-clock.js';
import { Settings } from '../../src/shared/settings.js';
import { startSimAgentWatch, type SimAgentWatch } from '../../src/sim/agentwatch-server.js';
import { createEngine } from '../../src/sync/create-engine.js';
import { usdToMicros } from '../../src/sync/delta.js';
import { syncConfigOf } from '../../src/sync/sync-config.js';
import { captureLog, FAST_RETRY, tempDir } from '../support/engine-kit.js';
import { startFakeLlm, type FakeLlm } from '../support/real-gateway/fake-llm.js';
import { UNPRICED_MODEL } from '../support/real-gateway/gateway-config.js';
import { startRealGateway, type RealGateway } from '../support/real-gateway/gateway-process.js';
import { readFreshUsage, type UsageSnapshot } from '../support/real-gateway/ground-truth.js';
import { realGatewaySkip } from '../support/real-gateway/install.js';
import { runAgentTurn, waitForIdle } from '../support/real-gateway/scenario.js';

// A model configured without `cost`: the real gateway books its tokens, prices nothing and counts missingCostEntries.
// The product must deliver that count beside OpenClaw's (lower-bound) cost, and the tray must not show it as free.

const MAIN = 'agent:main:main';
const LOCAL = 'agent:local:main';
const noop = () => {};
const act: TrayActions = { pause: noop, resume: noop, runOnce: noop, openSettings: noop, openExternal: noop, openLogFile: noop, copyText: noop, restartToUpdate: noop, quit: noop };

describe('unpriced model on the real OpenClaw gateway', { skip: realGatewaySkip() }, () => {
  let llm: FakeLlm;
  let gateway: RealGateway;
  let truth: UsageSnapshot;

  before(async () => {
    llm = await startFakeLlm({ models: ['fake-model-1', UNPRICED_MODEL] });
    gateway = await startRealGateway({ fakeLlmUrl: llm.url, agents: [{ id: 'main', default: true }, { id: 'local', model: UNPRICED_MODEL }] });
    const since = Date.now();
    await runAgentTurn(gateway, MAIN, 'A turn on the priced model.');
    // A new agent's first run prepares its database: alone, after the other.
    await runAgentTurn(gateway, LOCAL, 'A turn on the model without a price.');
    await runAgentTurn(gateway, LOCAL, 'A second turn on the model without a price.');
    await waitForIdle(gateway, [MAIN, LOCAL]);
    const rpc = await gateway.connect();
    try {
      truth = await readFreshUsage(rpc, { since });
    } finally {
      await rpc.close();
    }
  }, { timeout: 300_000 });

  after(async () => {
    await gateway?.stop();
    await llm?.close();
  });

  test('the gateway itself counts the unpriced model\'s entries in missingCostEntries and prices none of them', (t) => {
    const local = truth.sessions.find((s) => s.key === LOCAL);
    const main = truth.sessions.find((s) => s.key === MAIN);
    assert.ok(local && main, `usage rows: ${truth.sessions.map((s) => s.key).join(', ')}`);
    t.diagnostic(`${LOCAL}: ${local.usage.input} input, ${local.usage.output} output tokens, totalCost ${local.usage.totalCost}, missingCostEntries ${String(local.usage.missingCostEntries)}`);
    assert.ok(local.usage.input > 0);
    assert.equal(local.usage.totalCost, 0);
    assert.ok(Number(local.usage.missingCostEntries) >= 2, `missingCostEntries ${String(local.usage.missingCostEntries)}`);
    assert.ok(main.usage.totalCost > 0);
    assert.equal(main.usage.missingCostEntries, 0);
  });

  test('AgentWatch receives the unpriced count on the event and OpenClaw\'s exact cost; the tray reads "≥ $X (N runs unpriced)"', { timeout: 120_000 }, async () => {
    const aw: SimAgentWatch = await startSimAgentWatch();
    const dir = await tempDir();
    const { log } = captureLog('INFO', [gateway.token]);
    const settings = Settings.parse({ openclawUrl: gateway.url, agentwatchUrl: aw.url, live: false });
    const engine = await createEngine(syncConfigOf(settings), { log, stateDir: dir.path, gatewayToken: gateway.token, clientVersion: 'test', retry: FAST_RETRY, random: () => 0.5 });
    try {
      const result = await engine.runOnce();
      assert.equal(result.ok, true, result.error?.message);
      const row = (key: string) => truth.sessions.find((s) => s.key === key)!.usage;
      const unpriced = Number(row(LOCAL).missingCostEntries);
      const trace = (key: string) => aw.traces.find((t) => t.session_id === key)?.id;
      const events = (key: string) => aw.events.filter((e) => e.trace_id === trace(key));
      const costs = (key: string) => aw.costs.filter((c) => c.trace_id === trace(key));

      assert.deepEqual(events(LOCAL).map((e) => [e.model, e.attributes?.unpriced_entries, e.attributes?.cost_usd]), [[UNPRICED_MODEL, unpriced, 0]]);
      assert.deepEqual(costs(LOCAL).map((c) => [c.amount, c.input_tokens, c.output_tokens]), [[0, row(LOCAL).input, row(LOCAL).output]]);
      assert.deepEqual(events(MAIN).map((e) => e.attributes?.unpriced_entries), [0]);
      assert.deepEqual(costs(MAIN).map((c) => usdToMicros(c.amount)), [usdToMicros(row(MAIN).totalCost)]);

      const s = engine.status();
      assert.deepEqual([s.unpricedToday, s.costMicrosToday], [unpriced, usdToMicros(row(MAIN).totalCost)]);
      const today = buildMenu(s, Date.now(), act, { dashboardUrl: 'http://127.0.0.1:8766', formatTime: clockFormatter('en-GB'), finishedGraceMs: 600_000, trayTitle: 'off' }).find((i) => i.id === 'today');
      assert.match(String(today?.label), new RegExp(`^Today: [\\d,]+ tokens · ≥ \\$[\\d.]+ \\(${unpriced} runs unpriced\\)$`));
    } finally {
      await engine.stop();
      await aw.close();
      await dir.remove();
    }
  });
});
