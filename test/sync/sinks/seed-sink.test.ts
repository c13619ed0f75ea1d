import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { startSimAgentWatch, type SimAgentWatch } from '../../../src/sim/agentwatch-server.js';
import { createSeedSink } from '../../../src/sync/sinks/seed-sink.js';
import { deliveryError } from './delivery-error.js';
import { MemorySinkMemory } from '../../support/memory-sink-memory.js';
import { deltaFromFixture } from './make-delta.js';
import { waitUntil } from './wait-until.js';

let sim: SimAgentWatch;
before(async () => {
  sim = await startSimAgentWatch({ mode: 'seed' });
});
after(() => sim.close());

const ctx = { memory: new MemorySinkMemory() };
const MAIN = 'agent:main:main';
const SUB = 'agent:main:subagent:44e1f111-37d1-43be-b6ea-e9b171040991';

test('a batch arrives as seed events with event_id, exact tokens and cost', async () => {
  const sink = createSeedSink({ baseUrl: sim.url, timeoutMs: 2000 });
  const before = sim.bulkEvents.length;
  const batch = [deltaFromFixture(MAIN), deltaFromFixture(SUB)];
  await sink.deliver(batch, ctx);
  const got = sim.bulkEvents.slice(before) as Array<Record<string, unknown>>;
  assert.deepEqual(
    got.map((e) => [e.event_id, e.event_type, e.input_tokens, e.output_tokens, e.cost_usd]),
    [
      [batch[0]!.id, 'execution', 56200, 68, 0.16962],
      [batch[1]!.id, 'execution', 6252, 12, 0.018936],
    ],
  );
  const totals = sim.totals().byTrace.get(batch[1]!.traceId);
  assert.deepEqual(totals, { input: 6252, output: 12, costMicros: 18936 });
});

test('503 is unavailable and retryable; 500 is a retryable server failure', async () => {
  const sink = createSeedSink({ baseUrl: sim.url, timeoutMs: 2000 });
  sim.fail({ status: 503 });
  const e503 = await deliveryError(sink.deliver([deltaFromFixture(MAIN)], ctx));
  assert.deepEqual([e503.failure, e503.status, e503.retryable], ['unavailable', 503, true]);
  sim.fail({ status: 500 });
  const e500 = await deliveryError(sink.deliver([deltaFromFixture(MAIN)], ctx));
  assert.deepEqual([e500.failure, e500.retryable], ['server', true]);
  assert.match(e500.message, /500 on POST \/api\/events\/bulk/);
});

test('429 is throttled with Retry-After in ms', async () => {
  const sink = createSeedSink({ baseUrl: sim.url, timeoutMs: 2000 });
  sim.fail({ status: 429, retryAfterSec: 7 });
  const e = await deliveryError(sink.deliver([deltaFromFixture(MAIN)], ctx));
  assert.deepEqual([e.failure, e.retryAfterMs, e.retryable], ['throttled', 7000, true]);
});

test('a 422 is rejected, not retryable, and names the failing field', async () => {
  const sink = createSeedSink({ baseUrl: sim.url, timeoutMs: 2000 });
  const bad = deltaFromFixture(MAIN, { tokens: { input: 1.5, output: 0, cacheRead: 0, cacheWrite: 0 } });
  const e = await deliveryError(sink.deliver([bad], ctx));
  assert.deepEqual([e.failure, e.status, e.retryable], ['rejected', 422, false]);
  assert.match(e.message, /POST \/api\/events\/bulk \(422: body\.events\.0\.input_tokens: Input should be a valid integer/);
});

test('401 is unauthorized and the API key never appears in the message', async () => {
  const sink = createSeedSink({ baseUrl: sim.url, apiKey: 'sk-very-secret', timeoutMs: 2000 });
  sim.fail({ status: 401 });
  const e = await deliveryError(sink.deliver([deltaFromFixture(MAIN)], ctx));
  assert.deepEqual([e.failure, e.retryable], ['unauthorized', false]);
  assert.doesNotMatch(`${e.message} ${String(e.cause)}`, /sk-very-secret/);
});

test('a refused connection is a retryable network failure with a next step', async () => {
  const closed = await startSimAgentWatch({ mode: 'seed' });
  const url = closed.url;
  await closed.close();
  const e = await deliveryError(createSeedSink({ baseUrl: url, timeoutMs: 2000 }).deliver([deltaFromFixture(MAIN)], ctx));
  assert.deepEqual([e.failure, e.retryable], ['network', true]);
  assert.equal(e.message, `AgentWatch at ${url} refused the connection — is it running? (python run.py)`);
});

test('a reset socket is a network failure', async () => {
  sim.fail({ kind: 'refuse-reset' });
  const e = await deliveryError(createSeedSink({ baseUrl: sim.url, timeoutMs: 2000 }).deliver([deltaFromFixture(MAIN)], ctx));
  assert.deepEqual([e.failure, e.retryable], ['network', true]);
});

test('no answer before the deadline is a timeout', async () => {
  sim.fail({ kind: 'hang' });
  const e = await deliveryError(createSeedSink({ baseUrl: sim.url, timeoutMs: 150 }).deliver([deltaFromFixture(MAIN)], ctx));
  assert.deepEqual([e.failure, e.retryable], ['timeout', true]);
  assert.match(e.message, /within 150 ms/);
});

test('an external abort is passed through as the signal reason', async () => {
  sim.fail({ kind: 'hang' });
  const abort = new AbortController();
  const reason = new Error('engine stopping');
  const seen = sim.requests.length;
  const p = createSeedSink({ baseUrl: sim.url, timeoutMs: 5000 }).deliver([deltaFromFixture(MAIN)], { ...ctx, signal: abort.signal });
  await waitUntil(() => sim.requests.length > seen);
  abort.abort(reason);
  await assert.rejects(p, (e) => e === reason);
});

test('a response larger than the cap fails cleanly as garbage', async () => {
  const sink = createSeedSink({ baseUrl: sim.url, timeoutMs: 2000, maxResponseBytes: 8 });
  const e = await deliveryError(sink.deliver([deltaFromFixture(MAIN)], ctx));
  assert.deepEqual([e.failure, e.retryable], ['garbage', true]);
  assert.match(e.message, /larger than 8 bytes/);
});

test('a streamed response past 1 MiB is cut off without reading it all', async () => {
  let written = 0;
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (written < 64 * 1024 * 1024 && res.write(chunk)) written += chunk.length;
    };
    res.on('drain', pump);
    res.on('close', () => res.off('drain', pump));
    pump();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const e = await deliveryError(createSeedSink({ baseUrl: url, timeoutMs: 5000 }).deliver([deltaFromFixture(MAIN)], ctx));
    assert.equal(e.failure, 'garbage');
    assert.ok(written < 64 * 1024 * 1024, 'the client stopped reading long before the server ran out');
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});
