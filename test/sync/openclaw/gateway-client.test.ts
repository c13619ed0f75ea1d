import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WebSocketServer } from 'ws';
import { SimRpcError } from '../../../src/sim/gateway-server.js';
import { realSleep } from '../../../src/sync/ports.js';
import { GatewayClient, type GatewayClientOptions } from '../../../src/sync/openclaw/gateway-client.js';
import { clientDeps, rejection, simToken, startValidatedSim, type ValidatedSim } from './sim-kit.js';

function options(sim: { url: string }, extra: Partial<GatewayClientOptions> = {}): GatewayClientOptions {
  return { url: sim.url, token: simToken, requestTimeoutMs: 2_000, connectTimeoutMs: 3_000, clientVersion: '0.1.0-test', ...extra };
}

async function withSim(sim: ValidatedSim, body: () => Promise<void>): Promise<void> {
  try {
    await body();
    sim.assertFramesValid();
  } finally {
    await sim.close();
  }
}

test('the handshake sends exactly the closed connect params and returns the hello info', async () => {
  const sim = await startValidatedSim({ serverVersion: '2026.9.6' });
  const deps = clientDeps();
  const client = new GatewayClient(options(sim), deps);
  await withSim(sim, async () => {
    const [a, b] = await Promise.all([client.connect(), client.connect()]);
    assert.equal(a, b);
    assert.equal(sim.connectRequests.length, 1, 'concurrent callers share one attempt');
    assert.equal(a.serverVersion, '2026.9.6');
    assert.deepEqual(a.scopes, ['operator.read']);
    assert.ok(a.methods.includes('sessions.list'));
    assert.equal(a.tickIntervalMs, 30_000);
    assert.equal(a.maxPayload, 26_214_400);
    const params = sim.connectRequests[0] as Record<string, unknown>;
    assert.deepEqual(Object.keys(params).sort(), ['auth', 'client', 'maxProtocol', 'minProtocol', 'role', 'scopes']);
    assert.deepEqual(params.client, { id: 'gateway-client', version: '0.1.0-test', platform: process.platform, mode: 'backend' });
    assert.equal(params.minProtocol, 4);
    assert.equal(params.maxProtocol, 4);
    await client.connect();
    assert.equal(sim.connectRequests.length, 1, 'an open socket is reused');
    assert.equal(client.connected, true);
    assert.ok(!deps.log.lines.some((l) => l.includes(simToken)), 'the token is never logged');
    client.close();
    client.close();
    assert.equal(client.connected, false);
  });
});

test('a wrong token is an AUTH error that names the fix and never the token', async () => {
  const sim = await startValidatedSim();
  const deps = clientDeps();
  const wrong = 'wrong-token-0123456789abcdef';
  const client = new GatewayClient(options(sim, { token: wrong }), deps);
  await withSim(sim, async () => {
    const error = await rejection(client.connect());
    assert.equal(error.code, 'AUTH');
    assert.equal(error.retryable, false);
    assert.match(error.message, /--token-file/);
    assert.match(error.message, /OPENCLAW_GATEWAY_TOKEN/);
    assert.match(error.message, /gateway\.auth\.token/);
    for (const text of [error.message, JSON.stringify(error.details), ...deps.log.lines]) {
      assert.ok(!text.includes(wrong) && !text.includes(simToken), `no token in: ${text}`);
    }
  });
});

test('a hello that grants no read scope fails with SCOPE and explains why', async () => {
  const sim = await startValidatedSim();
  const client = new GatewayClient(options(sim, { clientId: 'test', clientMode: 'test' }), clientDeps());
  await withSim(sim, async () => {
    const error = await rejection(client.connect());
    assert.equal(error.code, 'SCOPE');
    assert.match(error.message, /granted scopes \[\]/);
    assert.match(error.message, /gateway-client\/backend/);
    assert.equal(client.connected, false);
  });
});

test('grantScopes returning [] for the recommended client is also refused', async () => {
  const sim = await startValidatedSim({ grantScopes: () => [] });
  const client = new GatewayClient(options(sim), clientDeps());
  await withSim(sim, async () => {
    assert.equal((await rejection(client.connect())).code, 'SCOPE');
  });
});

test('operator.write alone satisfies the read check', async () => {
  const sim = await startValidatedSim({ grantScopes: () => ['operator.write'] });
  const client = new GatewayClient(options(sim, { scopes: ['operator.write'] }), clientDeps());
  await withSim(sim, async () => {
    assert.deepEqual((await client.connect()).scopes, ['operator.write']);
    client.close();
  });
});

test('an RPC answered FORBIDDEN/MISSING_SCOPE is a SCOPE error and the socket stays open', async () => {
  const forbidden = () => {
    throw new SimRpcError('FORBIDDEN', 'missing scope: operator.read', {
      code: 'MISSING_SCOPE',
      missingScope: 'operator.read',
      requiredScopes: ['operator.read'],
    });
  };
  const sim = await startValidatedSim({ methods: { 'usage.cost': forbidden } });
  const client = new GatewayClient(options(sim), clientDeps());
  await withSim(sim, async () => {
    const error = await rejection(client.request('usage.cost', {}));
    assert.equal(error.code, 'SCOPE');
    assert.match(error.message, /operator\.read/);
    const page = await client.request<{ count: number }>('sessions.list', {});
    assert.equal(page.count, 6);
    assert.equal(sim.connectRequests.length, 1);
    client.close();
  });
});

test('other RPC errors are PROTOCOL errors carrying the gateway message', async () => {
  const sim = await startValidatedSim();
  const client = new GatewayClient(options(sim), clientDeps());
  await withSim(sim, async () => {
    const error = await rejection(client.request('sessions.list', { kinds: ['main'] }));
    assert.equal(error.code, 'PROTOCOL');
    assert.equal(error.retryable, false);
    assert.match(error.message, /unexpected property 'kinds'/);
    const unknown = await rejection(client.request('no.such.method', {}));
    assert.match(unknown.message, /unknown method: no\.such\.method/);
    client.close();
  });
});

test('UNAVAILABLE during startup is retried after retryAfterMs within the connect timeout', async () => {
  const sim = await startValidatedSim({ unavailableConnects: 2, unavailableRetryAfterMs: 25 });
  const waits: number[] = [];
  const deps = clientDeps();
  const sleep = deps.sleep;
  const client = new GatewayClient(options(sim), { ...deps, sleep: (ms, signal) => (waits.push(ms), sleep(ms, signal)) });
  await withSim(sim, async () => {
    const hello = await client.connect();
    assert.deepEqual(hello.scopes, ['operator.read']);
    assert.equal(sim.connectRequests.length, 3);
    assert.equal(waits.filter((ms) => ms === 25).length, 2);
    client.close();
  });
});

test('UNAVAILABLE past the connect deadline surfaces as a retryable UNAVAILABLE error', async () => {
  const sim = await startValidatedSim({ unavailableConnects: 100, unavailableRetryAfterMs: 2_000 });
  const client = new GatewayClient(options(sim, { connectTimeoutMs: 1_500 }), clientDeps());
  await withSim(sim, async () => {
    const error = await rejection(client.connect());
    assert.equal(error.code, 'UNAVAILABLE');
    assert.equal(error.retryable, true);
    assert.equal(error.retryAfterMs, 2_000);
    assert.match(error.message, /startup-sidecars/);
  });
});

test('a protocol mismatch close reason maps to PROTOCOL', async () => {
  // A server that closes 1002 like the real gateway does for an unsupported protocol range.
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.once('listening', r));
  wss.on('connection', (ws) => {
    ws.send(JSON.stringify({ type: 'event', event: 'connect.challenge', payload: { nonce: 'n-1', ts: 1 } }));
    ws.on('message', () => ws.close(1002, 'protocol mismatch'));
  });
  try {
    const port = (wss.address() as { port: number }).port;
    const client = new GatewayClient(options({ url: `http://127.0.0.1:${port}` }), clientDeps());
    const error = await rejection(client.connect());
    assert.equal(error.code, 'PROTOCOL');
    assert.equal(error.retryable, false);
  } finally {
    for (const ws of wss.clients) ws.terminate();
    await new Promise((r) => wss.close(r));
  }
});

test('a server that never sends connect.challenge fails with a clear TIMEOUT', async () => {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.once('listening', r));
  const accepted = new Promise<void>((resolve) => wss.once('connection', () => resolve()));
  // The handshake deadline fires only once the server has accepted the socket, so the test does not race the open.
  const sleep = (_ms: number, signal?: AbortSignal) => accepted.then(() => realSleep(200, signal));
  try {
    const port = (wss.address() as { port: number }).port;
    const client = new GatewayClient(options({ url: `http://127.0.0.1:${port}` }), clientDeps({ sleep }));
    const error = await rejection(client.connect());
    assert.equal(error.code, 'TIMEOUT');
    assert.equal(error.retryable, true);
    assert.match(error.message, /connect\.challenge/);
  } finally {
    for (const ws of wss.clients) ws.terminate();
    await new Promise((r) => wss.close(r));
  }
});
