import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SyncError } from '../../../src/sync/errors.js';
import { GatewayClient } from '../../../src/sync/openclaw/gateway-client.js';
import { rawAnswerId, type RawAnswerReader } from '../../../src/sync/openclaw/raw-answer.js';
import { realSleep, type Sleep } from '../../../src/sync/ports.js';
import { yieldToLoop } from '../../../src/sync/yield-to-loop.js';
import { clientDeps, heldMethod, simToken, startValidatedSim, within, type ValidatedSim } from './sim-kit.js';

const bigPayload = { rows: Array.from({ length: 3_000 }, (_, i) => ({ i, pad: 'x'.repeat(100) })) };
const bigMethods = { 'big.get': () => bigPayload, 'small.get': () => ({ small: true }) };
const requestTimeoutMs = 4_321;

/** A Sleep whose request timeout fires only when the test says so; every other wait is real. */
function heldTimeout(): { sleep: Sleep; fire(): void } {
  let fire: () => void = () => assert.fail('no request timeout is armed');
  const sleep: Sleep = (ms, signal) =>
    ms !== requestTimeoutMs
      ? realSleep(ms, signal)
      : new Promise((resolve, reject) => {
          fire = resolve;
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        });
  return { sleep, fire: () => fire() };
}

/** `never.answers` is held: `neverAsked` settles when the sim receives it. */
/** A reader that does `interrupt` (fire the timeout, close the client), lets the loop run, then answers `payload`. */
function readingAfter(interrupt: () => void, payload: string): RawAnswerReader {
  return async (frame) => {
    interrupt();
    await yieldToLoop();
    return { id: (JSON.parse(frame.toString()) as { id: string }).id, payload };
  };
}

async function withClient(
  body: (client: GatewayClient, sim: ValidatedSim, deps: ReturnType<typeof clientDeps>, neverAsked: Promise<unknown>) => Promise<void>,
  sleep?: Sleep,
) {
  const never = heldMethod();
  const sim = await startValidatedSim({ methods: { ...bigMethods, 'never.answers': never.handler } });
  const deps = clientDeps(sleep ? { sleep } : {});
  const client = new GatewayClient({ url: sim.url, token: simToken, requestTimeoutMs, clientVersion: '0.1.0-test' }, deps);
  try {
    await body(client, sim, deps, never.reached);
  } finally {
    client.close();
    await sim.close();
  }
}

test('only a large ok answer laid out as the gateway writes it has a raw-answer id', () => {
  const big = JSON.stringify({ type: 'res', id: '42', ok: true, payload: bigPayload });
  assert.equal(rawAnswerId(Buffer.from(big)), '42');
  assert.equal(rawAnswerId(Buffer.from(JSON.stringify({ type: 'res', id: '42', ok: true, payload: { small: true } }))), undefined);
  assert.equal(rawAnswerId(Buffer.from(JSON.stringify({ type: 'res', id: '42', ok: false, error: { code: 'X', message: 'y'.repeat(300_000) } }))), undefined);
  assert.equal(rawAnswerId(Buffer.from(JSON.stringify({ type: 'res', id: 'abc', ok: true, payload: bigPayload }))), undefined);
  assert.equal(rawAnswerId(Buffer.from(JSON.stringify({ type: 'res', ok: true, id: '42', payload: bigPayload }))), undefined);
  assert.equal(rawAnswerId(Buffer.from(JSON.stringify({ type: 'res', id: '42', ok: true, payload: bigPayload }, null, 1))), undefined);
  assert.equal(rawAnswerId(Buffer.from(JSON.stringify({ type: 'event', event: 'tick', payload: bigPayload }))), undefined);
});

test('a reader gets a large answer as undecoded bytes and its payload is the answer; small answers are parsed as before', async () => {
  await withClient(async (client, sim) => {
    const texts: string[] = [];
    const reader: RawAnswerReader = async (frame) => {
      assert.ok(Buffer.isBuffer(frame), 'the frame arrives as bytes');
      const text = frame.toString('utf8');
      texts.push(text);
      return { id: (JSON.parse(text) as { id: string }).id, payload: { read: text.length } };
    };
    const big = await client.request('big.get', {}, { readRaw: reader });
    const sent = JSON.stringify(sim.framesSent.at(-1));
    assert.deepEqual(texts, [sent]);
    assert.deepEqual(big, { read: sent.length });
    assert.deepEqual(await client.request('small.get', {}, { readRaw: reader }), { small: true });
    assert.deepEqual(await client.request('big.get', {}), bigPayload, 'requests without a reader parse as before');
    assert.equal(texts.length, 1);
    sim.assertFramesValid();
  });
});

test('a reader that hands the text back gets it parsed the usual way; a reader that fails fails the request only', async () => {
  await withClient(async (client) => {
    assert.deepEqual(await client.request('big.get', {}, { readRaw: async () => null }), bigPayload);
    const broken = new Error('reader broke');
    await assert.rejects(client.request('big.get', {}, { readRaw: () => Promise.reject(broken) }), (e) => e === broken);
    assert.deepEqual(await client.request('small.get', {}), { small: true }, 'the socket is still usable');
  });
});

test('an answer that arrived before the timeout or a close is still delivered once read', async () => {
  const held = heldTimeout();
  await withClient(async (client) => {
    const afterTimeout = await client.request('big.get', {}, { readRaw: readingAfter(() => held.fire(), 'read after the timer fired') });
    assert.equal(afterTimeout, 'read after the timer fired');
    const afterClose = await client.request('big.get', {}, { readRaw: readingAfter(() => client.close(), 'read after the close') });
    assert.equal(afterClose, 'read after the close');
  }, held.sleep);
});

test('a malformed large answer is logged and skipped, and the timeout that fell while reading it still applies', async () => {
  const held = heldTimeout();
  await withClient(async (client, sim, deps, neverAsked) => {
    const reader: RawAnswerReader = async () => {
      held.fire();
      await yieldToLoop();
      return null;
    };
    const answer = client.request('never.answers', {}, { readRaw: reader }).catch((e: unknown) => e);
    await within(neverAsked, 'the request');
    assert.equal(sim.requests.length, 1, 'the only request so far');
    // Ids count from 1 per connection: connect was 1, so this request is 2.
    sim.sendRaw(JSON.stringify({ type: 'res', id: '2', ok: true, payload: bigPayload }).slice(0, -10));
    const error = await answer;
    assert.ok(error instanceof SyncError);
    assert.equal(error.code, 'TIMEOUT');
    assert.ok(deps.log.lines.some((l) => l.startsWith('WARN Ignoring a malformed gateway frame (not JSON)')));
  }, held.sleep);
});
