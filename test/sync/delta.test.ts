import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapStatus, microsToUsd, totalTokens, usdToMicros } from '../../src/sync/delta.js';

test("OpenClaw's run states fold into AgentWatch's four trace states; anything unknown is still running", () => {
  const states = ['done', 'failed', 'killed', 'timeout', 'running', 'queued', null, undefined];
  assert.deepEqual(states.map(mapStatus), ['success', 'error', 'error', 'timeout', 'running', 'running', 'running', 'running']);
});

test('money is integer micro-USD: half a micro rounds up, and converting back is exact', () => {
  assert.equal(usdToMicros(0.0053225), 5323);
  assert.equal(usdToMicros(1.25), 1_250_000);
  assert.equal(usdToMicros(0), 0);
  assert.equal(microsToUsd(1_250_000), 1.25);
});

test('total tokens count input, output and both cache components', () => {
  assert.equal(totalTokens({ input: 1, output: 20, cacheRead: 300, cacheWrite: 4_000 }), 4_321);
});
