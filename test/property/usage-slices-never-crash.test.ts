import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cutUsageRow, readUsageRow } from '../../src/sync/openclaw/row-checks.js';
import { SessionsUsagePayload } from '../../src/sync/openclaw/types.js';
import { readUsageFrame } from '../../src/sync/openclaw/usage-slices.js';
import { readFixture } from '../support/gateway-schemas.js';

// A sessions.usage answer is read a slice of rows at a time by searching for row boundaries in the bytes. Whatever
// the bytes — a captured answer cut, with boundary-looking text spliced in, or junk — the reader either declines
// (null: the caller parses it the usual way) or returns exactly what JSON.parse makes of it; it never throws, and
// the row check turns any row into a typed yes or no.

type Frame = { type: string; id: string; ok: boolean; payload: { sessions: unknown[] } };
const captured = ['sessions.usage.snap1.json', 'sessions.usage.snap2.json'].map((name) => {
  const { _note: _, ...frame } = readFixture<Frame & { _note?: string }>(name);
  return JSON.stringify(frame);
});
// Text that looks like the markers the reader searches for, so splices land on its decisions.
const TRICKY = ['},{"key":"', '"sessions":[', ']', '}', '{', '"', '\\', ',', '\u0000agentwatch:rows-read-in-slices', '日本', '\u2028'];
const junk = fc.oneof(fc.constantFrom(...TRICKY), fc.string({ maxLength: 6 }));

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

test('readUsageFrame on mutated captured answers: null or exactly JSON.parse, never a throw', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...captured), fc.nat(), fc.nat(24), junk, fc.integer({ min: 1, max: 4 }), async (text, at, cut, insert, rowsPerSlice) => {
      const i = at % (text.length + 1);
      const mutated = text.slice(0, i) + insert + text.slice(i + cut);
      const frame = await readUsageFrame(Buffer.from(mutated), cutUsageRow, { rowsPerSlice });
      if (frame === null) return;
      const whole = parsed(mutated) as Frame | undefined;
      assert.ok(whole !== undefined, `read text that is not JSON: ${JSON.stringify(mutated.slice(Math.max(0, i - 20), i + 20))}`);
      assert.deepEqual(frame, { ...whole, payload: { ...whole.payload, sessions: whole.payload.sessions.map(cutUsageRow) } });
    }),
    { numRuns: 500 },
  );
});

test('readUsageFrame never throws on arbitrary JSON around a sessions array', async () => {
  await fc.assert(
    fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }), async (payload, sessions) => {
      const text = JSON.stringify({ type: 'res', id: '1', ok: true, payload: { extra: payload, sessions } });
      const frame = await readUsageFrame(Buffer.from(text), (r) => r, { rowsPerSlice: 1 });
      if (frame !== null) assert.deepEqual(frame, JSON.parse(text));
    }),
    { numRuns: 800 },
  );
});

test('a usage row of any shape is a typed yes or no, and the payload check never throws', () => {
  const rows = captured.flatMap((t) => (JSON.parse(t) as Frame).payload.sessions);
  const edited = fc.tuple(fc.constantFrom(...rows), fc.dictionary(fc.constantFrom('key', 'sessionId', 'usage', 'agentId', 'model', 'input', 'totalCost'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }))
    .map(([row, patch]) => ({ ...(row as object), ...patch }));
  fc.assert(
    fc.property(fc.oneof(edited, fc.jsonValue({ maxDepth: 3 })), (raw) => {
      const read = readUsageRow(cutUsageRow(raw));
      assert.equal(typeof read.ok, 'boolean');
      if (read.ok) assert.equal(typeof read.row.key, 'string');
      SessionsUsagePayload.safeParse({ updatedAt: 1, sessions: [raw] });
    }),
    { numRuns: 1500 },
  );
});
