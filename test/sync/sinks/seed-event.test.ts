import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toSeedEvent } from '../../../src/sync/sinks/seed-event.js';
import { deltaFromFixture } from './make-delta.js';

test('the main session of usage snapshot 1 maps to the seed telemetry event, exact numbers', () => {
  const delta = deltaFromFixture('agent:main:main', {
    channel: 'cli',
    contextUsedPct: 9,
    status: 'success',
    openclawStatus: 'done',
    observedAt: Date.UTC(2026, 10, 24, 17, 29, 25, 97),
  });
  assert.deepEqual(toSeedEvent(delta), {
    event_id: 'd:0af38547-f2d1-40be-ae00-3d790c99bf06:0-56268',
    agent_name: 'main',
    agent_id: 'main',
    event_type: 'execution',
    trace_id: 't:0af38547-f2d1-40be-ae00-3d790c99bf06',
    session_id: 'agent:main:main',
    input_tokens: 56200,
    output_tokens: 68,
    model: 'fake-model-1',
    status: 'success',
    metadata: {
      kind: 'main',
      label: 'main',
      channel: 'cli',
      context_used_pct: 9,
      session_key: 'agent:main:main',
      openclaw_session_id: '0af38547-f2d1-40be-ae00-3d790c99bf06',
      openclaw_status: 'done',
      model_provider: 'fakellm',
      cache_read_tokens: 0,
      cache_write_tokens: 0,
      unpriced_entries: 0,
    },
    cost_usd: 0.16962,
    timestamp: '2026-11-24T17:29:25Z',
  });
});

test('cost_usd is the exact 6-decimal figure even when OpenClaw reports float noise', () => {
  // The cron row's totalCost is 0.022749000000000002 in the fixture.
  const event = toSeedEvent(deltaFromFixture('agent:main:cron:315d0157-a475-4638-ac10-29c45d69a0cd'));
  assert.equal(event.cost_usd, 0.022749);
  assert.equal(JSON.stringify(event.cost_usd), '0.022749');
});

test('without a label the agent name is built from the agent id and the session class', () => {
  const event = toSeedEvent(deltaFromFixture('agent:ops:main', { label: null }));
  assert.equal(event.agent_name, 'ops/main');
  assert.equal(event.metadata.label, null);
});
