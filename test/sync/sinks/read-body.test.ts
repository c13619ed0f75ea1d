import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { parseJson, readCapped } from '../../../src/sync/sinks/read-body.js';

const body = (...chunks: string[]) => Readable.from(chunks.map((c) => Buffer.from(c)));

test('a body within the cap is read whole', async () => {
  const whole = await readCapped(body('{"a":', '1}'), 7);
  assert.deepEqual([whole.bytes.toString(), whole.tooLarge], ['{"a":1}', false]);
});

test('past the cap the stream is destroyed and exactly the first cap bytes are kept', async () => {
  const stream = body('abc', 'defgh', 'never read');
  const read = await readCapped(stream, 5);
  assert.deepEqual([read.bytes.toString(), read.tooLarge], ['abcde', true]);
  assert.equal(stream.destroyed, true);
});

test('parseJson reads JSON and refuses empty or broken bodies', () => {
  assert.deepEqual(parseJson(Buffer.from('{"ok":true}')), { ok: true, value: { ok: true } });
  assert.deepEqual(parseJson(Buffer.alloc(0)), { ok: false });
  assert.deepEqual(parseJson(Buffer.from('{"ok":')), { ok: false });
  assert.deepEqual(parseJson(null), { ok: false });
});
