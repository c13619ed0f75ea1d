import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AGENTWATCH_HTTP_RETRY, OTLP_HTTP_RETRY } from '../../../src/sync/retry-policy.js';
import { AGENTWATCH_PROTOCOL } from '../../../src/sync/sinks/agentwatch-protocol.js';
import { classifyStatus, describeBase, errorCode, parseRetryAfter, statusFailure } from '../../../src/sync/sinks/http-failure.js';
import { OTLP_PROTOCOL } from '../../../src/sync/sinks/otlp-protocol.js';

const req = { where: 'http://aw:8765', method: 'POST', path: '/api/ingest' };

test('Retry-After is read as seconds or as an HTTP date', () => {
  const now = Date.UTC(2026, 1, 10, 20, 31, 15);
  assert.equal(parseRetryAfter('12', now), 12_000);
  assert.equal(parseRetryAfter('Tue, 10 Feb 2026 20:31:45 GMT', now), 30_000);
  assert.equal(parseRetryAfter('Tue, 10 Feb 2026 20:00:00 GMT', now), 0);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter(undefined, now), undefined);
});

test('statuses map to failure kinds', () => {
  const kind = (status: number) => statusFailure(status, undefined, undefined, req, 0, AGENTWATCH_PROTOCOL).failure;
  assert.deepEqual(
    [400, 401, 403, 404, 405, 409, 413, 418, 422, 429, 500, 501, 502, 503, 504].map(kind),
    ['rejected', 'unauthorized', 'unauthorized', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'throttled', 'server', 'server', 'unavailable', 'unavailable', 'unavailable'],
  );
});

test("a 422 message carries FastAPI's detail compactly on one line", () => {
  const detail = [
    { loc: ['body', 'events', 0, 'event_type'], msg: "Input should be 'tool_call', 'llm_call', 'decision', 'error' or 'custom'", type: 'enum' },
    { loc: ['body', 'costs', 1, 'amount'], msg: 'Field required', type: 'missing' },
  ];
  const e = statusFailure(422, { detail }, undefined, req, 0, AGENTWATCH_PROTOCOL);
  assert.equal(
    e.message,
    "AgentWatch at http://aw:8765 rejected POST /api/ingest (422: body.events.0.event_type: Input should be 'tool_call', 'llm_call', 'decision', 'error' or 'custom'; body.costs.1.amount: Field required) — this payload will not be retried.",
  );
  assert.doesNotMatch(e.message, /\n/);
});

test('the base URL in messages drops credentials and the query', () => {
  assert.equal(describeBase('https://user:pw@aw.example:8443/proxy/?token=x'), 'https://aw.example:8443/proxy');
});

const statuses = [400, 401, 403, 404, 405, 409, 413, 415, 418, 422, 429, 500, 501, 502, 503, 504, 507];

test('one table classifies both protocols: AgentWatch retries every 5xx, OTLP only 502/503/504', () => {
  assert.deepEqual(
    statuses.map((s) => classifyStatus(s, AGENTWATCH_HTTP_RETRY)),
    ['rejected', 'unauthorized', 'unauthorized', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'throttled', 'server', 'server', 'unavailable', 'unavailable', 'unavailable', 'server'],
  );
  assert.deepEqual(
    statuses.map((s) => classifyStatus(s, OTLP_HTTP_RETRY)),
    ['rejected', 'unauthorized', 'unauthorized', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'throttled', 'rejected', 'rejected', 'unavailable', 'unavailable', 'unavailable', 'rejected'],
  );
});

test('each protocol is retried exactly where its table says, and the error agrees', () => {
  for (const protocol of [AGENTWATCH_PROTOCOL, OTLP_PROTOCOL]) {
    for (const status of statuses) {
      const e = statusFailure(status, undefined, undefined, req, 0, protocol);
      assert.equal(e.retryable, ['throttled', 'unavailable', 'server'].includes(classifyStatus(status, protocol.retry)), `${status}`);
      assert.equal(e.status, status);
    }
  }
});

test('Retry-After counts on 429 for AgentWatch, and on 429/502/503/504 for OTLP', () => {
  const after = (status: number, protocol: typeof OTLP_PROTOCOL) => statusFailure(status, undefined, '3', req, 0, protocol).retryAfterMs;
  assert.deepEqual([429, 503, 500].map((s) => after(s, AGENTWATCH_PROTOCOL)), [3_000, undefined, undefined]);
  assert.deepEqual([429, 502, 503, 504, 500].map((s) => after(s, OTLP_PROTOCOL)), [3_000, 3_000, 3_000, 3_000, undefined]);
});

test("an OTLP error names the collector and carries Status.message", () => {
  const e = statusFailure(400, { code: 3, message: ' bad span ' }, undefined, { where: 'http://otel:4318', method: 'POST', path: '/v1/traces' }, 0, OTLP_PROTOCOL);
  assert.equal(e.message, 'OTLP collector at http://otel:4318 rejected POST /v1/traces (400: bad span) — the OTLP spec forbids retrying it, so the batch is set aside.');
});

test('the error code of a failed request: a known network code anywhere in the cause chain wins', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  assert.equal(errorCode(Object.assign(new Error('wrapped'), { code: 'UND_ERR_CONNECT', cause: refused })), 'ECONNREFUSED');
  assert.equal(errorCode(Object.assign(new Error('odd'), { code: 'UND_ERR_INFO' })), 'UND_ERR_INFO');
  assert.equal(errorCode(new Error('no code')), undefined);
});
