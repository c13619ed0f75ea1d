import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { startSimAgentWatch, type SimAgentWatch } from '../../src/sim/agentwatch-server.js';
import { parsePyTimestamp } from '../../src/sim/agentwatch-store.js';
import { isSyncError } from '../../src/sync/errors.js';
import { GatewayClient } from '../../src/sync/openclaw/gateway-client.js';
import { loadOrCreateDeviceIdentity } from '../../src/sync/openclaw/device-identity.js';
import { realSleep, systemClock } from '../../src/sync/ports.js';
import { captureLog, tempDir } from '../support/engine-kit.js';
import { startFakeLlm, type FakeLlm } from '../support/real-gateway/fake-llm.js';
import { startRealGateway, type RealGateway } from '../support/real-gateway/gateway-process.js';
import { listAllSessions, readFreshUsage } from '../support/real-gateway/ground-truth.js';
import { realGatewaySkip } from '../support/real-gateway/install.js';
import { startCountingProxy } from '../support/real-gateway/counting-proxy.js';
import { startProductDaemon, type ProductDaemon } from '../support/real-gateway/product-daemon.js';
import { difference, gatewayTotals, llmTotals, waitForAgentWatch, type TotalsByKey } from '../support/real-gateway/product-totals.js';
import { createScenario, runAgentTurn, waitForIdle, type ScenarioKeys } from '../support/real-gateway/scenario.js';
import { runCli } from '../support/run-cli.js';

// The product's CLI against the real OpenClaw gateway. Ground truth is the gateway's own sessions.usage (read by the
// harness's independent client) and the fake LLM's records — never the product's ledger.

const syncedOf = (k: ScenarioKeys) => [k.main, k.subagent, k.group, k.channel, k.ops].sort();

describe('product CLI against the real OpenClaw gateway', { skip: realGatewaySkip() }, () => {
  let llm: FakeLlm;
  let gateway: RealGateway;
  let aw: SimAgentWatch;
  let keys: ScenarioKeys;
  let synced: string[];
  let dir: { path: string; remove(): Promise<void> };
  let tokenFile: string;
  let daemon: ProductDaemon | undefined;
  /** What AgentWatch held after the last test that compared it: the next one's "before". */
  let lastMatched: TotalsByKey = {};
  const fileStarted = Date.now();

  /** The product's flags; `gatewayUrl` is a proxy's when a test stands one in front of the gateway. */
  const productArgs = (stateDir: string, awUrl = aw.url, gatewayUrl = gateway.url) => [
    '--openclaw-url', gatewayUrl, '--agentwatch-url', awUrl, '--token-file', tokenFile, '--state-dir', stateDir, '--log-level', 'DEBUG',
  ];

  /** The gateway's fresh usage once every session is idle, then a bounded wait until AgentWatch holds exactly that. */
  async function assertAgentWatchEqualsGateway(t: TestContext, target: SimAgentWatch = aw): Promise<TotalsByKey> {
    await waitForIdle(gateway, Object.values(keys));
    const rpc = await gateway.connect();
    let truth: TotalsByKey;
    try {
      const usage = await readFreshUsage(rpc, { since: Date.now() });
      truth = gatewayTotals(usage, synced);
      t.diagnostic(`sessions.usage fresh after ${usage.waitedMs} ms (${usage.polls} polls)`);
    } finally {
      await rpc.close();
    }
    assert.deepEqual(Object.keys(truth).sort(), synced, 'the gateway reports usage for every synced session');
    const { got, waitedMs, matched } = await waitForAgentWatch(target, truth, 90_000);
    t.diagnostic(`AgentWatch matched the gateway ${waitedMs} ms after the fresh usage read`);
    assert.ok(matched, `AgentWatch never matched sessions.usage:\n${daemon ? daemon.lines.slice(-20).join('\n') : ''}`);
    assert.deepEqual(got, truth);
    // The third source: what the fake LLM answered (USD unrounded; AgentWatch holds it rounded to micro-USD).
    const answered = llmTotals(llm.calls, synced);
    for (const key of synced) {
      const a = answered[key];
      const g = got[key];
      assert.ok(a && g, key);
      assert.deepEqual({ key, input: g.input, output: g.output }, { key, input: a.input, output: a.output });
      assert.ok(Math.abs(g.costMicros - a.micros) <= 0.5 + 1e-6, `${key}: ${g.costMicros} micro-USD vs answered ${a.micros}`);
    }
    return got;
  }

  before(async () => {
    dir = await tempDir('aw-product-real-gw-');
    llm = await startFakeLlm();
    gateway = await startRealGateway({ fakeLlmUrl: llm.url });
    tokenFile = join(dir.path, 'gateway-token');
    writeFileSync(tokenFile, gateway.token, { mode: 0o600 });
    keys = (await createScenario(gateway, llm)).keys;
    synced = syncedOf(keys);
    aw = await startSimAgentWatch();
  }, { timeout: 300_000 });

  after(async () => {
    await daemon?.stop(5_000);
    await aw?.close();
    await gateway?.stop();
    await llm?.close();
    await dir?.remove();
    process.stderr.write(`# product-vs-real-gateway: ${((Date.now() - fileStarted) / 1000).toFixed(1)} s in total\n`);
  });

  test('--once keeps main/subagent/group/channel and the ops agent, drops cron, and delivers exactly sessions.usage', async (t) => {
    const run = await runCli([...productArgs(join(dir.path, 'state')), '--once'], {}, 120_000);
    const out = run.stdout + run.stderr;
    assert.equal(run.code, 0, out);
    assert.ok(!out.includes(gateway.token), 'the token never appears in the output');
    const kept = [...out.matchAll(/\[DEBUG\] - keep (\S+) \(/g)].map((m) => m[1]).sort();
    assert.deepEqual(kept, synced);
    assert.match(out, new RegExp(`\\[DEBUG\\] - skip ${keys.cron} \\(classification=cron\\)`));
    assert.ok(keys.cron.startsWith('agent:main:cron:'));
    assert.equal(aw.traces.filter((tr) => tr.session_id === keys.cron).length, 0, 'no trace for the cron session');
    assert.deepEqual([...new Set(aw.traces.map((tr) => tr.session_id))].sort(), synced, out.split('\n').filter((l) => !/ - (keep|skip) /.test(l)).join('\n'));
    lastMatched = await assertAgentWatchEqualsGateway(t);
  });

  test('a running daemon adds exactly the deltas of new turns, live', async (t) => {
    daemon = startProductDaemon([...productArgs(join(dir.path, 'state')), '--poll-interval', '5', '--max-errors', '0']);
    await daemon.waitForLine(/Live updates on: subscribed to sessions\.changed/, { timeoutMs: 60_000 });
    const beforeTurns = lastMatched;
    const callsBefore = llm.calls.length;
    const [onMain, onOps] = await Promise.all([
      runAgentTurn(gateway, keys.main, 'Daemon turn on main: how is the queue?'),
      runAgentTurn(gateway, keys.ops, 'Daemon turn on ops: restart the worker.'),
    ]);
    const now = await assertAgentWatchEqualsGateway(t);
    const delta = difference(now, beforeTurns);
    for (const key of synced) {
      const moved = delta[key]!.input > 0 && delta[key]!.output > 0;
      assert.equal(moved, key === keys.main || key === keys.ops, `${key} moved: ${JSON.stringify(delta[key])}`);
    }
    // Each delta is exactly what the LLM answered for the new turns.
    const answered = llmTotals(llm.calls.slice(callsBefore), synced);
    for (const key of [keys.main, keys.ops]) {
      assert.deepEqual({ input: delta[key]!.input, output: delta[key]!.output }, { input: answered[key]?.input, output: answered[key]?.output }, key);
    }
    await reportLatency(t, [
      { key: keys.main, runId: (onMain.json as { runId?: string }).runId },
      { key: keys.ops, runId: (onOps.json as { runId?: string }).runId },
    ]);
    lastMatched = now;
    await daemon.waitForLine(/\[INFO\] - Live: \d+ finished runs? → \d+ events?/, { timeoutMs: 1_000 });
  });

  test('a gateway killed (SIGKILL) while the daemon holds its live stream loses and doubles nothing', async (t) => {
    assert.ok(daemon, 'the daemon from the previous test runs');
    const mark = daemon.lines.length;
    await gateway.restart({ kill: true }); // a crash: no close frame, the live subscription just dies
    const up = Date.now();
    await daemon.waitForLine(/gateway: disconnected/, { from: mark, timeoutMs: 5_000 });
    await daemon.waitForLine(/gateway: connected to /, { from: mark, timeoutMs: 90_000 });
    await daemon.waitForLine(/Live updates on: subscribed/, { from: mark, timeoutMs: 90_000 });
    t.diagnostic(`gateway restarted in ${gateway.startupMs} ms; the daemon was live again ${Date.now() - up} ms later`);
    const beforeTurn = lastMatched;
    const turn = await runAgentTurn(gateway, keys.main, 'After the restart: one more turn on main.');
    const now = await assertAgentWatchEqualsGateway(t);
    const delta = difference(now, beforeTurn);
    assert.deepEqual(Object.keys(delta).filter((k) => delta[k]!.input !== 0), [keys.main]);
    await reportLatency(t, [{ key: keys.main, runId: (turn.json as { runId?: string }).runId }]);
    const stopped = await daemon.stop();
    assert.deepEqual(stopped, { code: 0, signal: null }, daemon.lines.slice(-10).join('\n'));
    assert.ok(daemon.lines.some((l) => /Stopped after \d+ polls/.test(l)));
    assert.ok(!daemon.lines.some((l) => l.includes(gateway.token)), 'the token never appears in the log');
    daemon = undefined;
  });

  test('incremental polls: an idle daemon asks no sessions.usage, a turn reads that one key, a long disconnect reconciles once', async (t) => {
    const second = await startSimAgentWatch();
    // Counting proxies in front of the real gateway: what the product asked for. The second one reports a 1 s tick,
    // so a 4 s outage counts as "longer than two ticks" without waiting a minute.
    const proxy = await startCountingProxy(gateway.url);
    const shortTicks = await startCountingProxy(gateway.url, { tickIntervalMs: 1_000 });
    const usageKeys = (from: number, p = proxy) => p.count('sessions.usage', from).map((r) => String(r.params.key ?? `all:${String(r.params.agentScope)}`));
    let watched: ProductDaemon | undefined;
    try {
      const args = [...productArgs(join(dir.path, 'state-incremental'), second.url, proxy.url), '--poll-interval', '5', '--max-errors', '0'];
      watched = startProductDaemon(args);
      await watched.waitForLine(/Poll #1 usage: reconciliation \(start\)/, { timeoutMs: 90_000 });
      await assertAgentWatchEqualsGateway(t, second);
      const idleFrom = Date.now();
      const idleLine = watched.lines.length;
      const quiet = await watched.waitForLine(/usage: nothing changed → no usage read/, { from: idleLine, timeoutMs: 60_000 });
      await watched.waitForLine(/usage: nothing changed → no usage read/, { from: quiet + 1, timeoutMs: 60_000 });
      assert.deepEqual(usageKeys(idleFrom), [], 'an idle daemon asks no sessions.usage');
      assert.ok(proxy.count('sessions.list', idleFrom).length >= 2, 'it keeps listing');
      const turnFrom = Date.now();
      await runAgentTurn(gateway, keys.group, 'Incremental: one turn in the group.');
      await assertAgentWatchEqualsGateway(t, second);
      const turnLine = watched.lines.length;
      await watched.waitForLine(/usage: nothing changed → no usage read/, { from: turnLine, timeoutMs: 60_000 });
      const asked = usageKeys(turnFrom);
      assert.ok(asked.length >= 1 && asked.every((k) => k === keys.group), `only the group's key was read: ${asked.join(', ')}`);
      await watched.stop();
      watched = undefined;

      const offline = [...productArgs(join(dir.path, 'state-incremental'), second.url, shortTicks.url), '--poll-interval', '5', '--max-errors', '0', '--no-live'];
      watched = startProductDaemon(offline);
      await watched.waitForLine(/usage: nothing changed → no usage read/, { timeoutMs: 90_000 });
      const outageLine = watched.lines.length;
      const outageFrom = Date.now();
      await shortTicks.disconnectFor(4_000);
      await watched.waitForLine(/usage: reconciliation \(disconnected for \d+s\)/, { from: outageLine, timeoutMs: 60_000 });
      await watched.waitForLine(/usage: nothing changed → no usage read/, { from: outageLine, timeoutMs: 60_000 });
      assert.deepEqual(usageKeys(outageFrom, shortTicks).filter((k) => k.startsWith('all:')), ['all:all'], 'one all-sessions read after the outage');
      await assertAgentWatchEqualsGateway(t, second);
    } finally {
      await watched?.stop();
      await proxy.close();
      await shortTicks.close();
      await second.close();
    }
  });

  test('usage that lags a finished run while saying fresh: the run is booked once, when its figure arrives, not as empty', async (t) => {
    const second = await startSimAgentWatch();
    const proxy = await startCountingProxy(gateway.url);
    let watched: ProductDaemon | undefined;
    try {
      // Polls only: no live event books the run from its own figures, so sessions.usage is the one source.
      const args = [...productArgs(join(dir.path, 'state-lag'), second.url, proxy.url), '--poll-interval', '5', '--max-errors', '0', '--no-live'];
      watched = startProductDaemon(args);
      await watched.waitForLine(/Poll #1 usage: reconciliation \(start\)/, { timeoutMs: 90_000 });
      await assertAgentWatchEqualsGateway(t, second);
      await watched.waitForLine(/usage: nothing changed → no usage read/, { timeoutMs: 60_000 });
      const lag = proxy.lagUsage(keys.main);
      const from = watched.lines.length;
      await runAgentTurn(gateway, keys.main, 'Lagging usage: one more turn on main.');
      // The figure lags the finished run for 15 s (the gateway's was seen lagging several seconds), then catches up.
      await new Promise((r) => setTimeout(r, 15_000));
      lag.release();
      const altered = lag.altered;
      await assertAgentWatchEqualsGateway(t, second);
      assert.ok(altered() > 0, 'the proxy served the lagging figure at least once');
      const waited = watched.lines.slice(from).filter((l) => l.includes(`wait ${keys.main} (usage figure lacks its last run`));
      assert.ok(waited.length > 0, `the daemon saw the lag and waited:\n${watched.lines.slice(from).join('\n')}`);
      t.diagnostic(`${altered()} lagging answers served; the daemon waited ${waited.length} time(s)`);
    } finally {
      await watched?.stop();
      await proxy.close();
      await second.close();
    }
  });

  test('a gateway killed (SIGKILL) after a turn, while the poll waits for its usage answer: the poll fails, the next books the turn once', async (t) => {
    const second = await startSimAgentWatch();
    const proxy = await startCountingProxy(gateway.url);
    let watched: ProductDaemon | undefined;
    try {
      const args = [...productArgs(join(dir.path, 'state-midpoll'), second.url, proxy.url), '--poll-interval', '5', '--max-errors', '0', '--no-live'];
      watched = startProductDaemon(args);
      await watched.waitForLine(/Poll #1 usage: reconciliation \(start\)/, { timeoutMs: 90_000 });
      const before = await assertAgentWatchEqualsGateway(t, second);
      const hold = proxy.holdUsage();
      await runAgentTurn(gateway, keys.channel, 'Killed mid-poll: one turn in the channel.');
      const deadline = Date.now() + 30_000;
      while (hold.held() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.ok(hold.held() > 0, 'a poll asked for the changed key\'s usage and waits for it');
      const mark = watched.lines.length;
      await gateway.restart({ kill: true });
      hold.release();
      await watched.waitForLine(/Poll #\d+ failed: /, { from: mark, timeoutMs: 30_000 });
      await watched.waitForLine(/gateway: connected to /, { from: mark, timeoutMs: 120_000 });
      const now = await assertAgentWatchEqualsGateway(t, second);
      const delta = difference(now, before);
      assert.deepEqual(Object.keys(delta).filter((k) => delta[k]!.input !== 0), [keys.channel], 'only the channel moved, once');
    } finally {
      await watched?.stop();
      await proxy.close();
      await second.close();
    }
  });

  test('a wrong token: exit 1 with the AUTH message naming gateway.auth.token, the token never printed', async () => {
    const wrong = 'f'.repeat(48);
    const wrongFile = join(dir.path, 'wrong-token');
    writeFileSync(wrongFile, wrong, { mode: 0o600 });
    const args = productArgs(join(dir.path, 'state-wrong'));
    args[args.indexOf('--token-file') + 1] = wrongFile;
    const run = await runCli([...args, '--once'], {}, 120_000);
    const out = run.stdout + run.stderr;
    assert.equal(run.code, 1, out);
    assert.match(out, /rejected the token .*gateway\.auth\.token/);
    assert.ok(!out.includes(wrong) && !out.includes(gateway.token), 'no token in the output');
  });

  test('missing scope: a test/test client is refused with SCOPE naming operator.read', async () => {
    const { log } = captureLog('DEBUG', [gateway.token]);
    const client = new GatewayClient(
      { url: gateway.url, token: gateway.token, clientId: 'test', clientMode: 'test', requestTimeoutMs: 15_000, clientVersion: 'test' },
      { log, clock: systemClock, sleep: realSleep },
    );
    try {
      const error = await client.request('sessions.list', {}).then(() => assert.fail('sessions.list worked without scopes'), (e: unknown) => e);
      assert.ok(isSyncError(error), String(error));
      assert.equal(error.code, 'SCOPE');
      assert.match(error.message, /operator\.read/);
      assert.ok(!error.message.includes(gateway.token));
    } finally {
      client.close();
      await log.close();
    }
  });

  test('--device-identity always: delivers, keeps its key at mode 0600, and the gateway pairs that key', async (t) => {
    const second = await startSimAgentWatch();
    try {
      const stateDir = join(dir.path, 'state-device');
      const run = await runCli([...productArgs(stateDir, second.url), '--once', '--device-identity', 'always'], {}, 120_000);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      const keyFile = join(stateDir, 'device-identity.json');
      assert.equal(statSync(keyFile).mode & 0o777, 0o600);
      await assertAgentWatchEqualsGateway(t, second);
      // The product connects as gateway-client/backend, which loopback never pairs. The same key as test/test (an
      // identity whose scopes are cleared without a device) proves the gateway verifies and pairs our signature.
      const device = await loadOrCreateDeviceIdentity(stateDir);
      const { log } = captureLog('DEBUG', [gateway.token]);
      const client = new GatewayClient(
        { url: gateway.url, token: gateway.token, device, clientId: 'test', clientMode: 'test', requestTimeoutMs: 15_000, clientVersion: 'test' },
        { log, clock: systemClock, sleep: realSleep },
      );
      try {
        assert.deepEqual((await client.connect()).scopes, ['operator.read']);
        const listed = await client.request<{ sessions: unknown[] }>('sessions.list', {});
        assert.equal(listed.sessions.length, Object.keys(keys).length);
      } finally {
        client.close();
        await log.close();
      }
      const devices = await gateway.cli(['devices', 'list', '--json']);
      const paired = (devices.json as { paired?: Array<{ deviceId: string; clientId: string }> } | undefined)?.paired ?? [];
      assert.ok(paired.some((d) => d.deviceId === device.deviceId && d.clientId === 'test'), devices.stdout.slice(0, 500));
    } finally {
      await second.close();
    }
  });

  /** Run end (the gateway's endedAt) → first Cost row of that session in AgentWatch, and which path delivered it. */
  async function reportLatency(t: TestContext, runs: Array<{ key: string; runId: string | undefined }>): Promise<void> {
    const rpc = await gateway.connect();
    try {
      const rows = await listAllSessions(rpc);
      for (const { key, runId } of runs) {
        const row = rows.find((r) => r.key === key);
        const endedAt = typeof row?.endedAt === 'number' && row.lastRunId === runId ? row.endedAt : null;
        const traces = new Set(aw.traces.filter((tr) => tr.session_id === key).map((tr) => tr.id));
        const arrivals = aw.costs.filter((c) => traces.has(c.trace_id)).map((c) => parsePyTimestamp(c.timestamp));
        const first = endedAt === null ? undefined : arrivals.filter((a) => a >= endedAt).sort((a, b) => a - b)[0];
        const path = daemon?.lines.some((l) => l.includes(`live: book ${key} (run ${runId}`)) ? 'live' : 'poll';
        t.diagnostic(`latency ${key} run ${runId}: ${first !== undefined && endedAt !== null ? first - endedAt : '?'} ms (${path})`);
      }
    } finally {
      await rpc.close();
    }
  }
});
