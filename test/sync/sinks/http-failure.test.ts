import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeBase, parseRetryAfter, statusFailure } from '../../../src/sync/sinks/http-failure.js';

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
  const kind = (status: number) => statusFailure(status, undefined, undefined, req, 0).failure;
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
  const e = statusFailure(422, { detail }, undefined, req, 0);
  assert.equal(
    e.message,
    "AgentWatch at http://aw:8765 rejected POST /api/ingest (422: body.events.0.event_type: Input should be 'tool_call', 'llm_call', 'decision', 'error' or 'custom'; body.costs.1.amount: Field required) — this payload will not be retried.",
  );
  assert.doesNotMatch(e.message, /\n/);
});

test('the base URL in messages drops credentials and the query', () => {
  assert.equal(describeBase('https://user:pw@aw.example:8443/proxy/?token=x'), 'https://aw.example:8443/proxy');
});
