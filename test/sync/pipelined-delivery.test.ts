import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeliveryOutcome } from '../../src/sync/deliver-outbox.js';
import { DeliveryError } from '../../src/sync/sinks/sink.js';
import { PipelinedDelivery } from '../../src/sync/pipelined-delivery.js';

/** Drains the test finishes by hand: each call is recorded with its `settle` flag. */
function handDrains() {
  const calls: Array<{ settle: boolean; finish: (o: Partial<DeliveryOutcome>) => void; fail: (e: unknown) => void }> = [];
  const drain = (settle: boolean) =>
    new Promise<DeliveryOutcome>((resolve, reject) =>
      calls.push({ settle, finish: (o) => resolve({ delivered: 0, deadLettered: 0, error: null, ...o }), fail: reject }),
    );
  return { calls, drain };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

test('one drain at a time; a part booked while it runs waits for it; the last drain settles; outcomes add up', async () => {
  const { calls, drain } = handDrains();
  const pipeline = new PipelinedDelivery(drain);
  pipeline.kick();
  pipeline.kick(); // booked while the first drain runs: that drain (or the last one) takes it
  assert.equal(calls.length, 1);
  assert.equal(calls[0]?.settle, false, 'a drain under way does not settle: more parts follow');
  calls[0]?.finish({ delivered: 50, deadLettered: 1 });
  await turn();
  pipeline.kick();
  assert.equal(calls.length, 2, 'once idle, the next booked part starts a drain');
  const finished = pipeline.finish(async () => assert.fail('settled by the last drain, not separately'));
  calls[1]?.finish({ delivered: 30 });
  await turn();
  assert.equal(calls.length, 3, 'finish runs one last drain for parts booked as the previous one ended');
  assert.equal(calls[2]?.settle, true);
  calls[2]?.finish({ delivered: 4 });
  assert.deepEqual(await finished, { delivered: 84, deadLettered: 1, error: null });
});

test('after a drain stops on an error no drain starts; finish only settles the acks and reports the error', async () => {
  const { calls, drain } = handDrains();
  const pipeline = new PipelinedDelivery(drain);
  pipeline.kick();
  const error = new DeliveryError('server', 'AgentWatch answered 503');
  calls[0]?.finish({ delivered: 100, error });
  await turn();
  pipeline.kick();
  let settled = 0;
  const outcome = await pipeline.finish(async () => void (settled += 1));
  assert.equal(calls.length, 1, 'no drain after the error: the outbox keeps the rest for the next poll');
  assert.equal(settled, 1);
  assert.equal(outcome.delivered, 100);
  assert.equal(outcome.error, error);
});

test('a drain that throws (the state could not be written) fails finish; idle waits without starting a drain', async () => {
  const { calls, drain } = handDrains();
  const pipeline = new PipelinedDelivery(drain);
  pipeline.kick();
  const idle = pipeline.idle();
  calls[0]?.fail(new Error('ENOSPC: no space left'));
  await idle;
  assert.equal(calls.length, 1);
  await assert.rejects(pipeline.finish(async () => undefined), /ENOSPC/);
  assert.equal(calls.length, 1);
});
