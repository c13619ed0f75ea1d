import { test } from 'node:test';
import assert from 'node:assert/strict';
import { finishedRunOf } from '../../../src/sync/live/finished-run.js';
import { readFixture } from '../../support/gateway-schemas.js';

type Frame = { frame: { type: string; event?: string; payload?: { reason?: string; phase?: string } } };
const frames = readFixture<{ frames: Frame[] }>('sessions.changed.events.json').frames.map((f) => f.frame);
const changed = frames.filter((f) => f.type === 'event' && f.event === 'sessions.changed');

test('in the captured turn only the settled/model/end frames of the finished run count, all with its run id', () => {
  const label = (f: Frame['frame']) => f.payload?.reason ?? `phase:${f.payload?.phase}`;
  const finished = changed.map((f) => [label(f), finishedRunOf(f.payload)?.runId ?? null] as const);
  assert.deepEqual(finished, [
    ['send', null],
    ['participants', null],
    ['agent.run.started', null],
    ['placement', null],
    ['phase:start', null],
    ['phase:model', null],
    ['agent.input.settled', 'cb46d405-c8e7-429f-aea8-4172d88f3748'],
    ['phase:model', 'cb46d405-c8e7-429f-aea8-4172d88f3748'],
    ['phase:end', 'cb46d405-c8e7-429f-aea8-4172d88f3748'],
  ]);
});

test('the finished frames carry the new run numbers, not the previous run', () => {
  const settled = changed.find((f) => f.payload?.reason === 'agent.input.settled')!;
  const run = finishedRunOf(settled.payload)!;
  assert.equal(run.row.inputTokens, 12403);
  assert.equal(run.row.estimatedCostUsd, 0.037389);
  const send = changed.find((f) => f.payload?.reason === 'send')!;
  assert.equal((send.payload as { session: { inputTokens: number } }).session.inputTokens, 12432, 'send still shows the previous run');
});

test('malformed payloads are ignored', () => {
  for (const p of [null, 42, {}, { session: { key: 'x' } }, { session: { key: 'k', sessionId: 's', status: 'done' } }]) {
    assert.equal(finishedRunOf(p), null);
  }
});
