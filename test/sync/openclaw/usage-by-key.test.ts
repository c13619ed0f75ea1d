import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayClient } from '../../../src/sync/openclaw/gateway-client.js';
import { fetchUsageByKey } from '../../../src/sync/openclaw/usage-by-key.js';
import { clientDeps, fixtureUsage, recordingLogger, simToken, startValidatedSim } from './sim-kit.js';

type Row = Record<string, unknown>;

test('each key is one sessions.usage {key, range:"all"} on the one connection, answered with that session alone', async () => {
  const sim = await startValidatedSim();
  const client = new GatewayClient({ url: sim.url, token: simToken, requestTimeoutMs: 2_000, clientVersion: 'test' }, clientDeps());
  try {
    const rows = fixtureUsage().sessions as Row[];
    const keys = [rows[0]!.key as string, rows[2]!.key as string, 'agent:main:no-such-session'];
    const answers = await fetchUsageByKey(client, keys, { log: recordingLogger() });
    assert.deepEqual(answers.map((a) => [a.key, a.row?.sessionId ?? null, a.status, a.invalid]), [
      [keys[0], rows[0]!.sessionId, 'fresh', false],
      [keys[1], rows[2]!.sessionId, 'fresh', false],
      [keys[2], null, 'fresh', false],
    ]);
    assert.deepEqual((answers[0]!.row?.usage as Row).input, (rows[0]!.usage as Row).input);
    const asked = sim.requests.filter((r) => r.method === 'sessions.usage').map((r) => r.params);
    assert.deepEqual(asked, keys.map((key) => ({ key, range: 'all' })), 'no agentScope with key (the gateway rejects the pair)');
    assert.equal(sim.connectRequests.length, 1, 'one connection');
    sim.assertFramesValid();
  } finally {
    client.close();
    await sim.close();
  }
});

test('a broken row for the key is logged and makes the answer unusable, not zero', async () => {
  const usage = fixtureUsage();
  const rows = usage.sessions as Row[];
  const broken = { ...rows[0]!, usage: { input: 'many' } };
  const sim = await startValidatedSim({ usage: () => ({ ...usage, sessions: [broken, ...rows.slice(1)] }) });
  const client = new GatewayClient({ url: sim.url, token: simToken, requestTimeoutMs: 2_000, clientVersion: 'test' }, clientDeps());
  const log = recordingLogger();
  try {
    const [answer] = await fetchUsageByKey(client, [rows[0]!.key as string], { log });
    assert.equal(answer!.invalid, true);
    assert.equal(answer!.row, null);
    assert.equal(log.lines.length, 1);
    assert.match(log.lines[0]!, /^WARN sessions\.usage: skipping row for agent:/);
  } finally {
    client.close();
    await sim.close();
  }
});

test('fifty keys on one poll signal print no listener-leak warning', async () => {
  const sim = await startValidatedSim();
  const client = new GatewayClient({ url: sim.url, token: simToken, requestTimeoutMs: 2_000, clientVersion: 'test' }, clientDeps());
  const warnings: string[] = [];
  const onWarning = (warning: Error) => void warnings.push(`${warning.name}: ${warning.message}`);
  process.on('warning', onWarning);
  try {
    const keys = Array.from({ length: 50 }, (_, i) => `agent:main:key-${i}`);
    const answers = await fetchUsageByKey(client, keys, { signal: new AbortController().signal, log: recordingLogger() });
    assert.equal(answers.length, 50);
    await new Promise((resolve) => setImmediate(resolve)); // process warnings are emitted on a later turn
    assert.deepEqual(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning')), []);
  } finally {
    process.off('warning', onWarning);
    client.close();
    await sim.close();
  }
});
