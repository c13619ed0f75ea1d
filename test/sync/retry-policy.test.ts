import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AGENTWATCH_HTTP_RETRY,
  ALERT_RETRY,
  connectBackoffMs,
  DELIVERY_RETRY,
  deliveryRetryBudgetMs,
  isRetriedStatus,
  OTLP_HTTP_RETRY,
  RETRIED_FAILURES,
  retryDelay,
  WEBHOOK_HTTP_RETRY,
} from '../../src/sync/retry-policy.js';

const middle = () => 0.5;

test('deliveries back off from 5 s by ×1.5 to a 30 s cap', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 20].map((n) => retryDelay(DELIVERY_RETRY, n, middle)), [5_000, 7_500, 11_250, 16_875, 25_313, 30_000, 30_000]);
});

test('jitter spreads a delay by ±20 %', () => {
  assert.equal(retryDelay(DELIVERY_RETRY, 1, () => 0), 4_000);
  assert.equal(retryDelay(DELIVERY_RETRY, 1, () => 1), 6_000);
  assert.equal(retryDelay(DELIVERY_RETRY, 9, () => 1), 36_000);
});

test("a server's Retry-After wins over the backoff, up to 10 minutes", () => {
  assert.equal(retryDelay(DELIVERY_RETRY, 1, middle, 7_000), 7_000);
  assert.equal(retryDelay(DELIVERY_RETRY, 6, middle, 0), 0);
  assert.equal(retryDelay(DELIVERY_RETRY, 1, middle, 3_600_000), 600_000);
  assert.equal(retryDelay(ALERT_RETRY, 1, middle, 7_000), 7_000);
});

test('a poll retries its deliveries for one poll interval', () => {
  assert.equal(deliveryRetryBudgetMs(30_000), 30_000);
  assert.equal(deliveryRetryBudgetMs(5_000), 5_000);
});

test('a wrong payload or a refused key is never retried; everything else is', () => {
  const never = Object.entries(RETRIED_FAILURES).filter(([, retried]) => !retried).map(([failure]) => failure);
  assert.deepEqual(never.sort(), ['rejected', 'unauthorized']);
  assert.deepEqual(Object.keys(RETRIED_FAILURES).sort(), ['garbage', 'network', 'rejected', 'server', 'throttled', 'timeout', 'unauthorized', 'unavailable']);
});

const statuses = [400, 401, 403, 404, 408, 413, 422, 429, 500, 501, 502, 503, 504, 507];
const retried = (rules: typeof AGENTWATCH_HTTP_RETRY) => statuses.filter((s) => isRetriedStatus(rules, s));

test('AgentWatch and alert webhooks retry 429 and every 5xx', () => {
  assert.deepEqual(retried(AGENTWATCH_HTTP_RETRY), [429, 500, 501, 502, 503, 504, 507]);
  assert.deepEqual(retried(WEBHOOK_HTTP_RETRY), [429, 500, 501, 502, 503, 504, 507]);
  assert.deepEqual([...AGENTWATCH_HTTP_RETRY.retryAfterOn], [429]);
});

test('OTLP retries only 429/502/503/504 and honours Retry-After on each, as its spec requires', () => {
  assert.deepEqual(retried(OTLP_HTTP_RETRY), [429, 502, 503, 504]);
  assert.deepEqual([...OTLP_HTTP_RETRY.retryAfterOn], [429, 502, 503, 504]);
});

test('alerts back off from 2 s doubling to a 60 s cap', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelay(ALERT_RETRY, n, middle)), [2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
});

test('gateway connects wait 1 s doubling to 30 s after consecutive failures, none before the first', () => {
  assert.deepEqual([0, 1, 2, 5, 6, 40].map((n) => connectBackoffMs(n, middle)), [0, 1_000, 2_000, 16_000, 30_000, 30_000]);
  assert.equal(connectBackoffMs(6, () => 0), 25_600);
});
