import assert from 'node:assert/strict';
import { test } from 'node:test';
import { usageSeries } from '../../src/renderer/usage-series.js';

const H = 3_600_000;
const NOW = Date.UTC(2026, 10, 24, 14, 30);
const CURRENT = Date.UTC(2026, 10, 24, 14);

test('rows are pivoted into 24 hourly slots per agent, ending with the current hour', () => {
  const s = usageSeries(
    [
      { hour: CURRENT, agentId: 'main', tokens: 100, costMicros: 500_000, unpriced: 0 },
      { hour: CURRENT - 2 * H, agentId: 'coder', tokens: 40, costMicros: 10_000, unpriced: 0 },
      { hour: CURRENT, agentId: 'main', tokens: 5, costMicros: 0, unpriced: 0 },
    ],
    NOW,
  );
  assert.equal(s.x.length, 24);
  assert.equal(s.x.at(-1), CURRENT / 1000, 'uPlot time is in seconds');
  assert.equal(s.x[0], (CURRENT - 23 * H) / 1000);
  assert.deepEqual(s.agents, ['coder', 'main']);
  assert.equal(s.tokens[1]!.at(-1), 105);
  assert.equal(s.tokens[0]![21], 40);
  assert.equal(s.usd[1]!.at(-1), 0.5);
  assert.equal(s.totalTokens, 145);
  assert.equal(s.totalMicros, 510_000);
});

test('rows older than 24 hours or in the future are left out', () => {
  const s = usageSeries(
    [
      { hour: CURRENT - 24 * H, agentId: 'old', tokens: 9, costMicros: 9, unpriced: 0 },
      { hour: CURRENT + H, agentId: 'future', tokens: 9, costMicros: 9, unpriced: 0 },
    ],
    NOW,
  );
  assert.deepEqual(s.agents, []);
  assert.equal(s.totalTokens, 0);
});
