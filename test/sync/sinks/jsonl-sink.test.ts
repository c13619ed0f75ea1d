import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { toSeedEvent } from '../../../src/sync/sinks/seed-event.js';
import { createJsonlSink } from '../../../src/sync/sinks/jsonl-sink.js';
import { createSink } from '../../../src/sync/sinks/create-sink.js';
import { DeliveryError } from '../../../src/sync/sinks/sink.js';
import { MemorySinkMemory } from '../../support/memory-sink-memory.js';
import { deltaFromFixture } from './make-delta.js';

const ctx = { memory: new MemorySinkMemory() };
const a = deltaFromFixture('agent:main:main');
const b = deltaFromFixture('agent:ops:main');

test('batches are appended to a file, one seed event per line', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'aw-jsonl-'));
  try {
    const path = join(dir, 'events.jsonl');
    const sink = createJsonlSink({ path });
    await sink.deliver([a], ctx);
    await sink.deliver([b], ctx);
    const expected = [a, b].map((d) => JSON.stringify(toSeedEvent(d)) + '\n').join('');
    assert.equal(await readFile(path, 'utf8'), expected);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("'-' writes to the injected stdout stream", async () => {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  await createJsonlSink({ path: '-', stdout: out }).deliver([a, b], ctx);
  const lines = chunks.join('').split('\n');
  assert.equal(lines.length, 3);
  assert.deepEqual(JSON.parse(lines[1]!), toSeedEvent(b));
  assert.equal(lines[2], '');
});

test('an unwritable path is a retryable failure that names the path', async () => {
  const path = join(tmpdir(), 'no-such-dir-aw-jsonl', 'x', 'events.jsonl');
  const e = await createJsonlSink({ path }).deliver([a], ctx).catch((x: unknown) => x);
  assert.ok(e instanceof DeliveryError);
  assert.equal(e.retryable, true);
  assert.match(e.message, /no-such-dir-aw-jsonl.*ENOENT/);
});

test('a gateway added later names its agents for it (` @ vps`) in the seed and jsonl events; the first keeps bare names', async () => {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  const common = { baseUrl: 'http://127.0.0.1:1', timeoutMs: 1_000, gatewayId: 'vps:18789', jsonlPath: '-', stdout: out };
  await createSink('jsonl', { ...common, agentSuffix: ' @ vps' }).deliver([a], ctx);
  await createSink('jsonl', common).deliver([a], ctx);
  const [later, first] = chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as { agent_id: string; agent_name: string; trace_id: string });
  assert.deepEqual([later!.agent_id, later!.agent_name], ['main @ vps', 'main @ vps']);
  assert.deepEqual(first, toSeedEvent(a), 'no suffix: exactly the single-gateway event');
  assert.equal(later!.trace_id, first!.trace_id, 'only the names differ: the ids come from the delta');
});
