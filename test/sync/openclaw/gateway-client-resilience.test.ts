import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startSimGateway, type SimGatewayOptions } from '../../../src/sim/gateway-server.js';
import { loadOrCreateDeviceIdentity } from '../../../src/sync/openclaw/device-identity.js';
import { GatewayClient, type GatewayClientDeps, type GatewayClientOptions } from '../../../src/sync/openclaw/gateway-client.js';
import { realSleep, type Sleep } from '../../../src/sync/ports.js';
import { connectBackoffMs } from '../../../src/sync/retry-policy.js';
import { clientDeps, fixtureRows, fixtureUsage, heldMethod, rejection, simToken, startValidatedSim, within, type ValidatedSim } from './sim-kit.js';

function options(url: string, extra: Partial<GatewayClientOptions> = {}): GatewayClientOptions {
  return { url, token: simToken, requestTimeoutMs: 2_000, connectTimeoutMs: 3_000, clientVersion: '0.1.0-test', ...extra };
}

/** A validated sim and a client on it, both closed (and the client first) however `body` ends. */
async function withClient(
  body: (client: GatewayClient, sim: ValidatedSim) => Promise<void>,
  simOptions: Partial<SimGatewayOptions> = {},
  deps: GatewayClientDeps = clientDeps(),
): Promise<void> {
  const sim = await startValidatedSim(simOptions);
  const client = new GatewayClient(options(sim.url), deps);
  try {
    await body(client, sim);
  } finally {
    client.close();
    await sim.close();
  }
}

const neverAnswers = () => new Promise(() => undefined);

async function closedPortUrl(): Promise<string> {
  const sim = await startSimGateway({ token: simToken, sessions: fixtureRows, usage: fixtureUsage });
  await sim.close();
  return sim.url;
}

test('malformed frames are logged and skipped; the next request still works', async () => {
  const deps = clientDeps();
  await withClient(async (client, sim) => {
    await client.connect();
    sim.sendRaw('this is not json');
    sim.sendRaw(JSON.stringify({ type: 'res', id: '999', ok: true, payload: {} }));
    sim.sendRaw(JSON.stringify({ type: 'mystery' }));
    sim.sendRaw(JSON.stringify({ type: 'event' }));
    sim.sendRaw(JSON.stringify([1, 2, 3]));
    sim.sendRaw(`{"type":"res","id":"x","ok":"maybe","secret":"${simToken}"}`);
    const page = await client.request<{ count: number }>('sessions.list', {});
    assert.equal(page.count, 6);
    const warnings = deps.log.lines.filter((l) => l.startsWith('WARN'));
    assert.equal(warnings.length, 6, warnings.join('\n'));
    assert.ok(warnings.some((l) => l.includes('unknown request id 999')));
    assert.ok(!deps.log.lines.some((l) => l.includes(simToken)), 'the token is redacted from logged frames');
    sim.assertFramesValid();
  }, {}, deps);
});

test('a request past its deadline is a retryable TIMEOUT and the socket stays usable', async () => {
  await withClient(async (client, sim) => {
    const error = await rejection(client.request('slow.method', {}, { timeoutMs: 100 }));
    assert.equal(error.code, 'TIMEOUT');
    assert.equal(error.retryable, true);
    assert.equal(client.connected, true);
    assert.equal((await client.request<{ count: number }>('sessions.list', {})).count, 6);
    assert.equal(sim.connectRequests.length, 1);
    sim.assertFramesValid();
  }, { methods: { 'slow.method': neverAnswers } });
});

test('a timeout on a socket silent for 2× the tick interval drops it; the next request reconnects', async () => {
  let now = 1_000_000;
  await withClient(async (client, sim) => {
    await client.connect();
    now += 60_001; // hello-ok says tickIntervalMs 30000 and no tick arrived since
    assert.equal((await rejection(client.request('slow.method', {}, { timeoutMs: 50 }))).code, 'TIMEOUT');
    assert.equal(client.connected, false);
    assert.equal((await client.request<{ count: number }>('sessions.list', {})).count, 6);
    assert.equal(sim.connectRequests.length, 2);
    sim.assertFramesValid();
  }, { methods: { 'slow.method': neverAnswers } }, clientDeps({ clock: { now: () => now } }));
});

test('a dropped connection fails pending requests with NETWORK and the next request reconnects', async () => {
  const slow = heldMethod();
  await withClient(async (client, sim) => {
    const disconnects: string[] = [];
    client.onDisconnect((reason) => disconnects.push(reason));
    await client.connect();
    const pending = client.request('slow.method', {});
    await within(slow.reached, 'the request to reach the sim');
    sim.dropConnections();
    const error = await rejection(pending);
    assert.equal(error.code, 'NETWORK');
    assert.equal(error.retryable, true);
    assert.match(error.message, /before answering slow\.method/);
    assert.equal(disconnects.length, 1);
    assert.equal(client.connected, false);
    assert.equal((await client.request<{ count: number }>('sessions.list', {})).count, 6);
    assert.equal(sim.connectRequests.length, 2);
    sim.assertFramesValid();
  }, { methods: { 'slow.method': slow.handler } });
});

test('close() rejects pending requests and is idempotent', async () => {
  const slow = heldMethod();
  await withClient(async (client) => {
    await client.connect();
    const pending = client.request('slow.method', {});
    await within(slow.reached, 'the request to reach the sim');
    client.close();
    client.close();
    assert.equal((await rejection(pending)).code, 'NETWORK');
  }, { methods: { 'slow.method': slow.handler } });
});

test('close() during a connect fails it without backoff; a later connect works', async () => {
  const sim = await startValidatedSim();
  const waits: number[] = [];
  const client = new GatewayClient(options(sim.url), clientDeps({ sleep: (ms, signal) => (waits.push(ms), realSleep(ms, signal)) }));
  try {
    const connecting = client.connect();
    client.close();
    assert.equal((await rejection(connecting)).code, 'NETWORK');
    assert.equal(client.connected, false);
    assert.deepEqual((await client.connect()).scopes, ['operator.read']);
    assert.ok(waits.every((ms) => ms > 2_000), `only handshake deadlines (~3 s), no 1 s backoff: ${waits.join(',')}`);
    sim.assertFramesValid();
  } finally {
    client.close();
    await sim.close();
  }
});

test('a refused connection is a retryable NETWORK error with the "Is it running?" hint', async () => {
  const url = await closedPortUrl();
  const client = new GatewayClient(options(url), clientDeps());
  const error = await rejection(client.connect());
  assert.equal(error.code, 'NETWORK');
  assert.equal(error.retryable, true);
  assert.match(error.message, /Cannot reach the OpenClaw gateway at ws:\/\/127\.0\.0\.1:\d+\/: connection refused/);
  assert.match(error.message, /Is it running\? Try `openclaw gateway status`/);
});

test('consecutive connect failures back off 1 s, 2 s, … via the injected sleep and clock', async () => {
  const url = await closedPortUrl();
  const waits: number[] = [];
  // The clock stands still, so each backoff wait is the full delay; handshake deadlines still run for real.
  const sleep: Sleep = (ms, signal) => {
    if (ms < 10_000) waits.push(ms);
    return realSleep(ms < 10_000 ? 0 : ms, signal);
  };
  const client = new GatewayClient(options(url, { connectTimeoutMs: 10_000 }), clientDeps({ clock: { now: () => 1_000_000 }, sleep, random: () => 0.5 }));
  for (let i = 0; i < 3; i++) assert.equal((await rejection(client.connect())).code, 'NETWORK');
  assert.deepEqual(waits, [1_000, 2_000]);
});

test('the backoff doubles to a 30 s cap with ±20 % jitter', () => {
  assert.equal(connectBackoffMs(0, () => 0.5), 0);
  assert.deepEqual([1, 2, 3, 4, 5, 6, 40].map((n) => connectBackoffMs(n, () => 0.5)), [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  assert.equal(connectBackoffMs(1, () => 0), 800);
  assert.equal(connectBackoffMs(1, () => 1), 1_200);
  assert.equal(connectBackoffMs(5, () => 1), 19_200);
  assert.equal(connectBackoffMs(6, () => 0), 25_600);
});

test('events reach listeners with their seq; connect.challenge does not', async () => {
  await withClient(async (client, sim) => {
    const events: Array<{ event: string; seq: number | undefined; payload: unknown }> = [];
    let heardBoth: () => void = () => undefined;
    const bothHeard = new Promise<void>((resolve) => (heardBoth = resolve));
    const stop = client.onEvent((event, payload, seq) => {
      events.push({ event, payload, seq });
      if (events.some((e) => e.event === 'sessions.changed') && events.some((e) => e.event === 'tick')) heardBoth();
    });
    assert.deepEqual(await client.request('sessions.subscribe', {}), { subscribed: true });
    sim.broadcast('sessions.changed', { sessionKey: 'agent:main:main', reason: 'send', ts: 1 });
    await within(bothHeard, 'events');
    const changed = events.find((e) => e.event === 'sessions.changed');
    assert.equal(typeof changed?.seq, 'number');
    assert.deepEqual(changed?.payload, { sessionKey: 'agent:main:main', reason: 'send', ts: 1 });
    assert.ok(!events.some((e) => e.event === 'connect.challenge'));
    stop();
    const seen = events.length;
    sim.broadcast('sessions.changed', { sessionKey: 'agent:main:main', reason: 'end', ts: 2 });
    await client.request('health', {});
    assert.equal(events.length, seen, 'an unsubscribed listener hears nothing');
    sim.assertFramesValid();
  }, { tickIntervalMs: 20 });
});

test('a device identity is signed over the challenge and verified by the gateway', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'aw-device-'));
  const sim = await startValidatedSim();
  try {
    const device = await loadOrCreateDeviceIdentity(dir);
    // test/test would lose its scopes without a device; with one it keeps them (handshake.matrix.json).
    const client = new GatewayClient(options(sim.url, { device, clientId: 'test', clientMode: 'test' }), clientDeps());
    const hello = await client.connect();
    assert.deepEqual(hello.scopes, ['operator.read']);
    const sent = sim.connectRequests[0] as { device: { id: string; nonce: string; signedAt: number } };
    const challenge = sim.framesSent[0] as { payload: { nonce: string; ts: number } };
    assert.equal(sent.device.id, device.deviceId);
    assert.equal(sent.device.nonce, challenge.payload.nonce);
    assert.equal(sent.device.signedAt, challenge.payload.ts);
    client.close();
    sim.assertFramesValid();
  } finally {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('an unpaired device gets PAIRING with the exact approve command', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'aw-device-'));
  const sim = await startValidatedSim({ pairingRequestId: 'req-5f2c' });
  try {
    const device = await loadOrCreateDeviceIdentity(dir);
    const client = new GatewayClient(options(sim.url, { device }), clientDeps());
    const error = await rejection(client.connect());
    assert.equal(error.code, 'PAIRING');
    assert.ok(error.message.includes('openclaw devices approve req-5f2c'), error.message);
    sim.assertFramesValid();
  } finally {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
});
