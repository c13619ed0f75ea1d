import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { createSink } from '../../../src/sync/sinks/create-sink.js';
import { otlpSpanId, otlpTraceId } from '../../../src/sync/sinks/otlp-ids.js';
import { createOtlpSink, readPartialSuccess } from '../../../src/sync/sinks/otlp-sink.js';
import { deliveryError } from './delivery-error.js';
import { captureLog } from '../../support/engine-kit.js';
import { MemorySinkMemory } from '../../support/memory-sink-memory.js';
import { startOtlpReceiver, type OtlpReceiver } from '../../../src/sim/otlp-receiver.js';
import { deltaFromFixture, nextDelta } from './make-delta.js';
import { waitUntil } from './wait-until.js';

let rx: OtlpReceiver;
before(async () => {
  rx = await startOtlpReceiver();
});
after(() => rx.close());
beforeEach(() => rx.fail(null));

const ctx = { memory: new MemorySinkMemory() };
const MAIN = 'agent:main:main';
const OPS = 'agent:ops:main';

test('a batch arrives as strict OTLP/JSON: one invoke_agent span per delta with GenAI attributes', async () => {
  const sink = createOtlpSink({ baseUrl: rx.url, timeoutMs: 2000, serviceVersion: '1.2.3' });
  const seen = rx.spans.length;
  const batch = [deltaFromFixture(MAIN), deltaFromFixture(OPS)];
  await sink.deliver(batch, ctx);
  assert.deepEqual(rx.problems, []);
  const last = rx.requests.at(-1)!;
  assert.deepEqual([last.method, last.path, last.contentType], ['POST', '/v1/traces', 'application/json']);
  const [main, ops] = rx.spans.slice(seen);
  assert.ok(main && ops);
  assert.equal(main.name, 'invoke_agent main');
  assert.equal(main.kind, 1);
  assert.equal(main.traceId, otlpTraceId(batch[0]!.traceId));
  assert.equal(main.spanId, otlpSpanId(batch[0]!.id));
  assert.equal(main.startTimeUnixNano, BigInt(batch[0]!.observedAt) * 1_000_000n);
  assert.deepEqual(main.resource, { 'service.name': 'agentwatch-live-sync', 'service.version': '1.2.3' });
  assert.equal(main.scope, 'agentwatch-live-sync/otlp-sink');
  assert.deepEqual(main.status, { code: 0 });
  assert.deepEqual(main.attributes, {
    'gen_ai.operation.name': 'invoke_agent',
    'gen_ai.provider.name': 'fakellm',
    'gen_ai.request.model': 'fake-model-1',
    'gen_ai.response.model': 'fake-model-1',
    'gen_ai.agent.id': 'main',
    'gen_ai.agent.name': 'main',
    'gen_ai.conversation.id': MAIN,
    'gen_ai.usage.input_tokens': 56200,
    'gen_ai.usage.output_tokens': 68,
    'gen_ai.usage.cache_read.input_tokens': 0,
    'gen_ai.usage.cache_creation.input_tokens': 0,
    'agentwatch.cost_usd': 0.16962,
    'agentwatch.cost_micros': 169620,
    'agentwatch.unpriced_entries': 0,
    'agentwatch.event_id': batch[0]!.id,
    'agentwatch.trace_id': batch[0]!.traceId,
    'agentwatch.trace_status': 'running',
    'openclaw.gateway.id': 'gw-test',
    'openclaw.session.id': batch[0]!.sessionId,
    'openclaw.session.classification': 'main',
    'openclaw.session.kind': 'direct',
    'openclaw.session.label': 'main',
    'openclaw.run.status': 'running',
  });
  assert.equal(ops.attributes['gen_ai.request.model'], 'fake-model-mini');
  assert.equal(ops.attributes['gen_ai.agent.id'], 'ops');
});

test('input_tokens includes cached input (GenAI semconv); the cache counts ride along as subsets', async () => {
  const sink = createOtlpSink({ baseUrl: rx.url, timeoutMs: 2000 });
  const d = deltaFromFixture(MAIN, { tokens: { input: 1000, output: 50, cacheRead: 300, cacheWrite: 20 } });
  const seen = rx.spans.length;
  await sink.deliver([d], ctx);
  const a = rx.spans[seen]!.attributes;
  assert.deepEqual(
    [a['gen_ai.usage.input_tokens'], a['gen_ai.usage.cache_read.input_tokens'], a['gen_ai.usage.cache_creation.input_tokens'], a['gen_ai.usage.output_tokens']],
    [1320, 300, 20, 50],
  );
});

test('ids are deterministic: one trace per session, one span id per delta, 32/16 lowercase hex', () => {
  const first = deltaFromFixture(MAIN);
  const second = nextDelta(first, { input: 10, output: 2, costMicros: 7 });
  assert.match(otlpTraceId(first.traceId), /^[0-9a-f]{32}$/);
  assert.match(otlpSpanId(first.id), /^[0-9a-f]{16}$/);
  assert.equal(otlpTraceId(first.traceId), otlpTraceId(second.traceId));
  assert.notEqual(otlpSpanId(first.id), otlpSpanId(second.id));
  assert.equal(otlpSpanId(first.id), otlpSpanId(deltaFromFixture(MAIN).id), 'a re-sent delta is the same span');
  assert.notEqual(otlpTraceId(first.traceId), otlpTraceId(deltaFromFixture(OPS).traceId));
});

test('a failed or timed-out run is an ERROR span with error.type', async () => {
  const sink = createOtlpSink({ baseUrl: rx.url, timeoutMs: 2000 });
  const seen = rx.spans.length;
  await sink.deliver([deltaFromFixture(MAIN, { status: 'error', openclawStatus: 'failed' }), deltaFromFixture(OPS, { status: 'timeout', openclawStatus: 'timeout' })], ctx);
  const [failed, timedOut] = rx.spans.slice(seen);
  assert.deepEqual(failed!.status, { code: 2, message: 'OpenClaw run ended failed' });
  assert.equal(failed!.attributes['error.type'], 'failed');
  assert.equal(timedOut!.attributes['error.type'], 'timeout');
});

test('429/502/503/504 are retryable and Retry-After is honoured', async () => {
  const sink = createOtlpSink({ baseUrl: rx.url, timeoutMs: 2000 });
  rx.fail({ status: 429, retryAfter: '7' });
  const e429 = await deliveryError(sink.deliver([deltaFromFixture(MAIN)], ctx));
  assert.deepEqual([e429.failure, e429.retryAfterMs, e429.retryable], ['throttled', 7000, true]);
  assert.match(e429.message, /^OTLP collector at http:\/\/127\.0\.0\.1:\d+ is throttling \(429 on POST \/v1\/traces\) — retrying after 7s\.$/);
  rx.fail({ status: 503, retryAfter: '2' });
  const e503 = await deliveryError(sink.deliver([deltaFromFixture(MAIN)], ctx));
  assert.deepEqual([e503.failure, e503.retryAfterMs, e503.retryable], ['unavailable', 2000, true]);
  for (const status of [502, 504]) {
    rx.fail({ status });
    const e = await deliveryError(sink.deliver([deltaFromFixture(MAIN)], ctx));
    assert.deepEqual([e.failure, e.status, e.retryable], ['unavailable', status, true]);
  }
});

test('every other status is not retried, as the OTLP spec requires, and says what to do', async () => {
  const sink = createOtlpSink({ baseUrl: rx.url, timeoutMs: 2000 });
  rx.fail({ status: 500, body: { code: 13, message: 'exporter queue is broken' } });
  const e500 = await deliveryError(sink.deliver([deltaFromFixture(MAIN)], ctx));
  assert.deepEqual([e500.failure, e500.retryable], ['rejected', false]);
  assert.match(e500.message, /rejected POST \/v1\/traces \(500: exporter queue is broken\) — the OTLP spec forbids retrying it/);
  rx.fail({ status: 413 });
  assert.match((await deliveryError(sink.deliver([deltaFromFixture(MAIN)], ctx))).message, /lower batchSize \(--batch-size\)/);
  rx.fail({ status: 401 });
  const e401 = await deliveryError(sink.deliver([deltaFromFixture(MAIN)], ctx));
  assert.deepEqual([e401.failure, e401.retryable], ['unauthorized', false]);
  const wrongPath = createOtlpSink({ baseUrl: `${rx.url}/v1/traces`, timeoutMs: 2000 });
  const e404 = await deliveryError(wrongPath.deliver([deltaFromFixture(MAIN)], ctx));
  assert.deepEqual([e404.failure, e404.status], ['rejected', 404]);
  assert.match(e404.message, /an OTLP\/HTTP receiver\? Spans go to \/v1\/traces; check otlpUrl \(--otlp-url\)/);
});

test('a malformed payload is what the strict receiver answers 400 with its Status message', async () => {
  const sink = createOtlpSink({ baseUrl: rx.url, timeoutMs: 2000 });
  const bad = deltaFromFixture(MAIN, { tokens: { input: Number.NaN, output: 0, cacheRead: 0, cacheWrite: 0 } });
  const e = await deliveryError(sink.deliver([bad], ctx));
  assert.deepEqual([e.failure, e.status, e.retryable], ['rejected', 400, false]);
  assert.match(e.message, /gen_ai\.usage\.input_tokens\): bad intValue "NaN"/);
  rx.problems.length = 0;
});

test('a partial success resolves (never retried) and warns how many spans the collector dropped', async () => {
  const { log, lines } = captureLog('INFO');
  const sink = createOtlpSink({ baseUrl: rx.url, timeoutMs: 2000, log });
  rx.fail({ partialSuccess: { rejectedSpans: '1', errorMessage: 'span too old' } });
  await sink.deliver([deltaFromFixture(MAIN), deltaFromFixture(OPS)], ctx);
  assert.ok(lines.some((l) => /\[WARNING\] - OTLP collector at http:\/\/127\.0\.0\.1:\d+ rejected 1 of 2 spans \(span too old\) — not retried/.test(l)), lines.join('\n'));
  rx.fail({ partialSuccess: { rejectedSpans: 0, errorMessage: 'attribute truncated' } });
  await sink.deliver([deltaFromFixture(MAIN)], ctx);
  assert.ok(lines.some((l) => l.endsWith('accepted all 1 spans with a warning: attribute truncated')), lines.join('\n'));
  const before = lines.length;
  await sink.deliver([deltaFromFixture(MAIN)], ctx);
  assert.equal(lines.length, before, 'a plain success logs nothing');
});

test('readPartialSuccess reads camelCase int64 strings and ignores an empty partialSuccess', () => {
  assert.deepEqual(readPartialSuccess({ partialSuccess: { rejectedSpans: '3', errorMessage: 'x' } }), { rejectedSpans: 3, errorMessage: 'x' });
  assert.equal(readPartialSuccess({ partialSuccess: {} }), null);
  assert.equal(readPartialSuccess({}), null);
  assert.equal(readPartialSuccess(undefined), null);
});

test('an empty 200 is success; a 200 that is not JSON is garbage (retryable)', async () => {
  const sink = createOtlpSink({ baseUrl: rx.url, timeoutMs: 2000 });
  rx.fail({ rawBody: '' });
  await sink.deliver([deltaFromFixture(MAIN)], ctx);
  rx.fail({ rawBody: '<html>hi</html>' });
  const e = await deliveryError(sink.deliver([deltaFromFixture(MAIN)], ctx));
  assert.deepEqual([e.failure, e.retryable], ['garbage', true]);
  assert.match(e.message, /but the body is not OTLP\/JSON/);
});

test('a refused connection and a hung collector are retryable network and timeout failures', async () => {
  const gone = await startOtlpReceiver();
  const url = gone.url;
  await gone.close();
  const refused = await deliveryError(createOtlpSink({ baseUrl: url, timeoutMs: 2000 }).deliver([deltaFromFixture(MAIN)], ctx));
  assert.deepEqual([refused.failure, refused.retryable], ['network', true]);
  assert.equal(refused.message, `OTLP collector at ${url} refused the connection — is it running with the OTLP/HTTP receiver on (default port 4318)?`);
  rx.fail({ hang: true });
  const hung = await deliveryError(createOtlpSink({ baseUrl: rx.url, timeoutMs: 150 }).deliver([deltaFromFixture(MAIN)], ctx));
  assert.deepEqual([hung.failure, hung.retryable], ['timeout', true]);
  assert.match(hung.message, /within 150 ms/);
});

test('an external abort is passed through as the signal reason', async () => {
  rx.fail({ hang: true });
  const abort = new AbortController();
  const reason = new Error('engine stopping');
  const seen = rx.requests.length;
  const p = createOtlpSink({ baseUrl: rx.url, timeoutMs: 1000 }).deliver([deltaFromFixture(MAIN)], { ...ctx, signal: abort.signal });
  await waitUntil(() => rx.requests.length > seen);
  abort.abort(reason);
  await assert.rejects(p, (e) => e === reason);
});

test('an empty batch sends nothing; the AgentWatch API key is never sent to the collector', async () => {
  const seen = rx.requests.length;
  await createOtlpSink({ baseUrl: rx.url, timeoutMs: 2000 }).deliver([], ctx);
  assert.equal(rx.requests.length, seen);
  const sink = createSink('otlp', { baseUrl: 'http://127.0.0.1:1', apiKey: 'sk-agentwatch-secret', timeoutMs: 2000, gatewayId: 'gw', jsonlPath: '-', otlpUrl: rx.url });
  assert.equal(sink.name, 'otlp');
  await sink.deliver([deltaFromFixture(MAIN)], ctx);
  const last = rx.requests.at(-1)!;
  assert.equal(last.authorization, undefined);
  assert.doesNotMatch(JSON.stringify(last.body), /sk-agentwatch-secret/);
});
