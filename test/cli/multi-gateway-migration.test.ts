import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { demoWorld } from '../../src/sim/demo-world.js';
import type { AgentRow, TraceRow } from '../../src/sim/agentwatch-server.js';
import { systemClock } from '../../src/sync/ports.js';
import { startPeers, tempDir } from '../support/engine-kit.js';
import { LEGACY_GATEWAY_PORT, legacyWorld, playLegacyRuns } from '../support/legacy-world.js';
import { repoRoot, runCli } from '../support/run-cli.js';

const fixture = join(repoRoot, 'test/fixtures/legacy-state');

test('a single-gateway state dir becomes its gateway\'s entry in place, even listed second: no agent or trace of it is re-created, only new tokens are sent', async () => {
  const rows = JSON.parse(await readFile(join(fixture, 'agentwatch-rows.json'), 'utf8')) as { agents: AgentRow[]; traces: TraceRow[] };
  const laptop = legacyWorld(systemClock);
  playLegacyRuns(laptop);
  laptop.finishRun('agent:main:main', 2_000, 100);
  laptop.finishRun('agent:ops:main', 700, 50);
  const vps = demoWorld(systemClock);
  vps.keys().forEach((k, i) => vps.finishRun(k, 1_000 + i, 10 + i));

  const one = await startPeers({ port: LEGACY_GATEWAY_PORT, sessions: () => laptop.rows(), usage: () => laptop.usagePayload() });
  const two = await startPeers({ sessions: () => vps.rows(), usage: () => vps.usagePayload() });
  // One AgentWatch, which already holds what the single-gateway release made.
  const aw = one.agentwatch;
  aw.agents.push(...rows.agents);
  aw.traces.push(...rows.traces);
  const dir = await tempDir();
  const stateDir = join(dir.path, 'state');
  await cp(join(fixture, 'state'), stateDir, { recursive: true });
  await writeFile(join(dir.path, 'laptop.token'), one.token, { mode: 0o600 });
  await writeFile(join(dir.path, 'vps.token'), two.token, { mode: 0o600 });
  const config = join(dir.path, 'sync.json5');
  await writeFile(config, `{ agentwatchUrl: '${aw.url}', gateways: [
    { url: '${two.gateway.url}', tokenFile: '${join(dir.path, 'vps.token')}', name: 'vps' },
    { url: '${one.gateway.url}', tokenFile: '${join(dir.path, 'laptop.token')}' },
  ] }`);
  try {
    const run = await runCli(['--once', '--config', config, '--state-dir', stateDir]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, new RegExp(`The single-gateway state in ${stateDir} now belongs to gateway 127\\.0\\.0\\.1:${LEGACY_GATEWAY_PORT} \\(http://127\\.0\\.0\\.1:${LEGACY_GATEWAY_PORT}\\): its agents and traces are kept`));
    assert.match(run.stderr, /New gateway vps \(http:\/\/127\.0\.0\.1:\d+\): id [0-9a-f-]{36}, state dir /);
    assert.ok(!run.stderr.includes(one.token) && !run.stderr.includes(two.token), 'no token in the log');

    // Gateway 1 made nothing new: the release's two agents and three traces are the only ones for it.
    const madeNow = aw.agents.slice(rows.agents.length);
    assert.deepEqual(madeNow.map((a) => a.name).sort(), ['main @ vps', 'ops @ vps'], 'only the added gateway created agents, named for it');
    const vpsAgents = new Set(madeNow.map((a) => a.id));
    assert.ok(aw.traces.slice(rows.traces.length).every((t) => vpsAgents.has(t.agent_id)), 'every new trace belongs to the added gateway');
    assert.equal(aw.traces.length - rows.traces.length, 5, 'the vps gateway synced its five sessions (cron stays out)');

    // Gateway 1 sent exactly the tokens used since the release's last poll, on its old traces.
    const oldTraces = new Set(rows.traces.map((t) => t.id));
    const sentOld = aw.costs.filter((c) => oldTraces.has(c.trace_id));
    assert.equal(sentOld.reduce((n, c) => n + (c.input_tokens ?? 0), 0), 2_700);
    assert.equal(sentOld.reduce((n, c) => n + (c.output_tokens ?? 0), 0), 150);
    const onOldTrace = (key: string) => {
      const trace = rows.traces.find((t) => t.session_id === key)!.id;
      const costs = aw.costs.filter((c) => c.trace_id === trace);
      return { input: costs.reduce((n, c) => n + (c.input_tokens ?? 0), 0), output: costs.reduce((n, c) => n + (c.output_tokens ?? 0), 0) };
    };
    assert.deepEqual(onOldTrace('agent:main:main'), { input: 2_000, output: 100 });
    assert.deepEqual(onOldTrace('agent:ops:main'), { input: 700, output: 50 });
    assert.deepEqual(onOldTrace('agent:main:subagent:fixer-7'), { input: 0, output: 0 }, 'an unchanged session sends nothing');
    // Both gateways have an agent "main": the vps one's sessions went to its own traces, exact.
    const vpsTraces = new Set(aw.traces.slice(rows.traces.length).map((t) => t.id));
    const vpsInput = aw.costs.filter((c) => vpsTraces.has(c.trace_id)).reduce((n, c) => n + (c.input_tokens ?? 0), 0);
    assert.equal(vpsInput, 1_000 + 1_001 + 1_002 + 1_003 + 1_004, 'the vps totals, without its cron session');

    const registry = JSON.parse(await readFile(join(stateDir, 'gateways.json'), 'utf8')) as { gateways: Array<{ id: string; dir: string; scope: string; plainAgentNames: boolean; name?: string }> };
    assert.equal((await stat(join(stateDir, 'gateways.json'))).mode & 0o777, 0o600);
    // Listed second, the laptop still got the state: its ledger's ids name it.
    const [second, first] = registry.gateways;
    assert.equal(first?.dir, '.');
    assert.equal(first?.scope, `127.0.0.1:${LEGACY_GATEWAY_PORT}`);
    assert.equal(first?.plainAgentNames, true);
    assert.equal(second?.dir, `gateways/${second?.id}`);
    assert.ok((await readdir(join(stateDir, 'gateways', second!.id))).includes('state.json'), 'the added gateway keeps its ledger in its own dir');

    // A second start finds both entries again: same ids, nothing re-sent.
    const costs = aw.costs.length;
    const again = await runCli(['--once', '--config', config, '--state-dir', stateDir]);
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stderr, /New gateway|now belongs to gateway/);
    assert.deepEqual((JSON.parse(await readFile(join(stateDir, 'gateways.json'), 'utf8')) as typeof registry).gateways.map((g) => g.id), [second!.id, first!.id]);
    assert.equal(aw.costs.length, costs, 'nothing delivered twice');

    // The single-gateway flags still find gateway 1's state where they left it.
    laptop.finishRun('agent:main:subagent:fixer-7', 400, 40);
    const single = await runCli(['--once', '--openclaw-url', one.gateway.url, '--agentwatch-url', aw.url, '--token-file', join(dir.path, 'laptop.token'), '--state-dir', stateDir]);
    assert.equal(single.code, 0, single.stderr);
    assert.match(single.stderr, /Poll #1: 3 sessions → 1 event/);
    assert.equal(aw.agents.length, rows.agents.length + 2, 'no agent re-created by the single-gateway mode either');
  } finally {
    await one.close();
    await two.close();
    await dir.remove();
  }
});
