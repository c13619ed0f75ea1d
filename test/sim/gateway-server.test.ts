import assert from 'node:assert/strict';
import { test } from 'node:test';
import WebSocket from 'ws';
import { startSimGateway, type SimGateway, type SimGatewayOptions } from '../../src/sim/gateway-server.js';
import { assertValidFrame, readFixture } from '../support/gateway-schemas.js';

const token = 'sim-server-token-0123456789';
type Frame = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const rows = () => readFixture<{ payload: { sessions: Frame[] } }>('sessions.list.snap2.json').payload.sessions;
const usage = () => readFixture<{ payload: Frame }>('sessions.usage.snap2.json').payload;

/** A raw protocol client: every frame it receives is schema-checked. */
class RawClient {
  private readonly queue: Frame[] = [];
  private waiter: ((f: Frame) => void) | null = null;
  readonly closed: Promise<{ code: number; reason: string }>;
  private nextId = 1;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Frame;
      assertValidFrame(frame);
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = null;
        w(frame);
      } else this.queue.push(frame);
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static async open(sim: SimGateway): Promise<RawClient> {
    const ws = new WebSocket(sim.url.replace('http:', 'ws:'));
    const client = new RawClient(ws);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return client;
  }

  next(): Promise<Frame> {
    const queued = this.queue.shift();
    return queued ? Promise.resolve(queued) : new Promise((resolve) => (this.waiter = resolve));
  }

  /** `checked: false` sends deliberately invalid connect params. */
  async call(method: string, params: unknown, checked = true): Promise<Frame> {
    const id = `t-${this.nextId++}`;
    const frame = { type: 'req', id, method, params };
    if (checked) assertValidFrame(frame);
    this.ws.send(JSON.stringify(frame));
    for (;;) {
      const f = await this.next();
      if (f.type === 'res' && f.id === id) return f;
    }
  }
}

const connectParams = (extra: Frame = {}) => ({
  minProtocol: 4,
  maxProtocol: 4,
  client: { id: 'cli', version: '0.1.0', platform: 'linux', mode: 'cli' },
  role: 'operator',
  scopes: ['operator.read'],
  auth: { token },
  ...extra,
});

async function withSim(opts: Partial<SimGatewayOptions>, body: (sim: SimGateway) => Promise<void>): Promise<void> {
  const sim = await startSimGateway({ token, sessions: rows, usage, onFrameSent: assertValidFrame, ...opts });
  try {
    await body(sim);
  } finally {
    await sim.close();
  }
}

async function connected(sim: SimGateway, extra: Frame = {}): Promise<{ client: RawClient; hello: Frame }> {
  const client = await RawClient.open(sim);
  const challenge = await client.next();
  assert.equal(challenge.event, 'connect.challenge');
  assert.equal(typeof challenge.payload.nonce, 'string');
  return { client, hello: await client.call('connect', connectParams(extra)) };
}

test('challenge, then hello-ok with the granted scopes, policy and read methods', async () => {
  await withSim({ tickIntervalMs: 15_000 }, async (sim) => {
    const { client, hello } = await connected(sim);
    assert.equal(hello.ok, true);
    assert.equal(hello.payload.type, 'hello-ok');
    assert.deepEqual(hello.payload.auth.scopes, ['operator.read']);
    assert.equal(hello.payload.policy.tickIntervalMs, 15_000);
    for (const m of ['sessions.list', 'sessions.usage', 'sessions.subscribe', 'usage.cost']) assert.ok(hello.payload.features.methods.includes(m), m);
    client.ws.close();
  });
});

test('a wrong token gets the captured error frame and close 1008 with the message', async () => {
  const fixture = readFixture<{ errorFrame: Frame; close: { code: number; reason: string } }>('handshake.wrong-token.json');
  await withSim({}, async (sim) => {
    const client = await RawClient.open(sim);
    await client.next();
    const res = await client.call('connect', connectParams({ auth: { token: 'definitely-wrong-token' } }));
    assert.deepEqual({ ...res, id: fixture.errorFrame.id }, fixture.errorFrame);
    assert.deepEqual(await client.closed, fixture.close);
  });
});

test('connect params are closed and the protocol range must include 4', async () => {
  await withSim({}, async (sim) => {
    const extra = await RawClient.open(sim);
    await extra.next();
    const res = await extra.call('connect', connectParams({ extra: 1 }), false);
    assert.equal(res.error.message, "invalid connect params: at root: unexpected property 'extra'");
    assert.equal((await extra.closed).code, 1008);
    const old = await RawClient.open(sim);
    await old.next();
    const mismatch = await old.call('connect', connectParams({ minProtocol: 3, maxProtocol: 3 }), false);
    assert.equal(mismatch.error.details.code, 'PROTOCOL_MISMATCH');
    assert.deepEqual(await old.closed, { code: 1002, reason: 'protocol mismatch' });
    const badId = await RawClient.open(sim);
    await badId.next();
    const idRes = await badId.call('connect', connectParams({ client: { id: 'my-monitor', version: '1', platform: 'linux', mode: 'cli' } }), false);
    assert.equal(idRes.error.message, 'invalid connect params: at /client/id: must be equal to one of the allowed values');
  });
});

test('the first frame must be connect', async () => {
  await withSim({}, async (sim) => {
    const client = await RawClient.open(sim);
    await client.next();
    const res = await client.call('sessions.list', {});
    assert.equal(res.ok, false);
    assert.equal((await client.closed).code, 1008);
  });
});

test('a client id without preserved scopes gets [] and the captured FORBIDDEN answer', async () => {
  const fixture = readFixture<{ helloAuth: Frame; sessionsListResponse: Frame }>('handshake.no-scope-client.json');
  await withSim({}, async (sim) => {
    const { client, hello } = await connected(sim, { client: { id: 'test', version: '0.1.0', platform: 'linux', mode: 'test' } });
    assert.deepEqual(hello.payload.auth.scopes, fixture.helloAuth.scopes);
    const res = await client.call('sessions.list', {});
    assert.deepEqual(res.error, fixture.sessionsListResponse.error);
    client.ws.close();
  });
});

test('sessions.list pages and rejects params like the real gateway', async () => {
  const outcomes = readFixture<Array<{ params: Frame; ok: boolean; count?: number; totalCount?: number; hasMore?: boolean; nextOffset?: number | null; limitApplied?: number; keys?: string[]; error?: Frame }>>(
    'sessions.list.params.json',
  );
  // The params variants were captured right after snapshot 1.
  const snap1 = readFixture<{ payload: { ts: number; sessions: Frame[] } }>('sessions.list.snap1.json').payload;
  await withSim({ sessions: () => snap1.sessions, now: () => snap1.ts }, async (sim) => {
    const { client } = await connected(sim);
    const cases = outcomes;
    assert.equal(cases.length, 18);
    for (const o of cases) {
      const res = await client.call('sessions.list', o.params);
      assert.equal(res.ok, o.ok, JSON.stringify(o.params));
      if (!o.ok) {
        assert.deepEqual(res.error, o.error);
        continue;
      }
      const p = res.payload;
      assert.deepEqual(
        { count: p.count, totalCount: p.totalCount, hasMore: p.hasMore, nextOffset: p.nextOffset, limitApplied: p.limitApplied },
        { count: o.count, totalCount: o.totalCount, hasMore: o.hasMore, nextOffset: o.nextOffset, limitApplied: o.limitApplied },
        JSON.stringify(o.params),
      );
      if (o.keys) assert.deepEqual(p.sessions.map((r: Frame) => r.key), o.keys, JSON.stringify(o.params));
      assert.ok(p.sessions.every((r: Frame) => r.snapshotAt === snap1.ts));
    }
    client.ws.close();
  });
});

test('sessions.usage honours limit and rejects offset; unknown methods are refused', async () => {
  await withSim({}, async (sim) => {
    const { client } = await connected(sim);
    const page = await client.call('sessions.usage', { agentScope: 'all', range: 'all', limit: 2 });
    assert.equal(page.payload.sessions.length, 2);
    assert.equal(page.payload.cacheStatus.status, 'fresh');
    const offset = await client.call('sessions.usage', { offset: 1 });
    assert.equal(offset.error.message, "invalid sessions.usage params: at root: unexpected property 'offset'");
    const both = await client.call('sessions.usage', { agentScope: 'all', key: 'agent:main:main' });
    assert.equal(both.error.message, 'agentScope=all cannot be combined with key or agentId');
    const unknown = await client.call('no.such', {});
    assert.deepEqual(unknown.error, { code: 'INVALID_REQUEST', message: 'unknown method: no.such' });
    assert.deepEqual(sim.requests.map((r) => r.method), ['sessions.usage', 'sessions.usage', 'sessions.usage', 'no.such']);
    client.ws.close();
  });
});

test('sessions.changed goes to subscribers with increasing seq', async () => {
  await withSim({}, async (sim) => {
    const { client } = await connected(sim);
    const other = await connected(sim);
    assert.deepEqual((await client.call('sessions.subscribe', {})).payload, { subscribed: true });
    sim.broadcast('sessions.changed', { sessionKey: 'agent:main:main', reason: 'send', ts: 1 });
    sim.broadcast('sessions.changed', { sessionKey: 'agent:main:main', reason: 'end', ts: 2 });
    const a = await client.next();
    const b = await client.next();
    assert.deepEqual([a.event, b.event], ['sessions.changed', 'sessions.changed']);
    assert.ok(b.seq > a.seq);
    const ping = await other.client.call('health', {});
    assert.equal(ping.ok, true, 'the unsubscribed connection got its answer and no event first');
    client.ws.close();
    other.client.ws.close();
  });
});

test('a device with a bad signature is refused', async () => {
  await withSim({}, async (sim) => {
    const client = await RawClient.open(sim);
    const challenge = await client.next();
    const publicKey = Buffer.alloc(32, 7).toString('base64url');
    const { createHash } = await import('node:crypto');
    const id = createHash('sha256').update(Buffer.alloc(32, 7)).digest('hex');
    const device = { id, publicKey, signature: Buffer.alloc(64, 1).toString('base64url'), signedAt: challenge.payload.ts, nonce: challenge.payload.nonce };
    const res = await client.call('connect', connectParams({ device }));
    assert.equal(res.ok, false);
    assert.equal(res.error.details.code, 'DEVICE_AUTH_SIGNATURE_INVALID');
    assert.equal((await client.closed).code, 1008);
  });
});
