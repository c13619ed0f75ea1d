import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testGatewayConnection } from '../../../src/sync/openclaw/connection-test-gateway.js';
import { clientDeps, simToken, startValidatedSim } from './sim-kit.js';

const input = (url: string, token = simToken) => ({ url, token, timeoutMs: 2_000, clientVersion: '0.1.0-test' });

test('a good connection reports version, scopes and the session count', async () => {
  const sim = await startValidatedSim({ serverVersion: '2026.9.6' });
  try {
    const result = await testGatewayConnection(input(sim.url), clientDeps());
    assert.equal(result.ok, true, result.message);
    assert.equal(result.serverVersion, '2026.9.6');
    assert.deepEqual(result.scopes, ['operator.read']);
    assert.equal(result.sessions, 6);
    assert.match(result.message, /6 session\(s\)/);
    sim.assertFramesValid();
  } finally {
    await sim.close();
  }
});

test('failures come back as ok:false with the actionable message, never as a throw', async () => {
  const sim = await startValidatedSim();
  try {
    const wrong = await testGatewayConnection(input(sim.url, 'not-the-token-xyz'), clientDeps());
    assert.equal(wrong.ok, false);
    assert.match(wrong.message, /--token-file/);
    assert.ok(!wrong.message.includes('not-the-token-xyz'));
    const badUrl = await testGatewayConnection(input('gopher://x'), clientDeps());
    assert.equal(badUrl.ok, false);
    assert.match(badUrl.message, /must start with http/);
  } finally {
    await sim.close();
  }
  const refused = await testGatewayConnection(input(sim.url), clientDeps());
  assert.equal(refused.ok, false);
  assert.match(refused.message, /Is it running\?/);
});

test('connected without the read scope reports the scope problem', async () => {
  const sim = await startValidatedSim({ grantScopes: () => [] });
  try {
    const result = await testGatewayConnection(input(sim.url), clientDeps());
    assert.equal(result.ok, false);
    assert.match(result.message, /granted scopes \[\]/);
  } finally {
    await sim.close();
  }
});
