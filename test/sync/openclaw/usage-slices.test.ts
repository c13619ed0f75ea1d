import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readUsageFrame } from '../../../src/sync/openclaw/usage-slices.js';
import { readFixture } from '../../support/gateway-schemas.js';

type Row = Record<string, unknown>;
type Frame = { type: string; id: string; ok: boolean; payload: Row & { sessions: Row[] } };

/** A captured answer as the gateway sends it: JSON.stringify, no whitespace, without the capture's `_note`. */
function capturedFrameText(name: string): string {
  const { _note, ...frame } = readFixture<Frame & { _note?: string }>(name);
  assert.equal(typeof _note, 'string');
  return JSON.stringify(frame);
}

function fixtureFrame(): Frame {
  return JSON.parse(capturedFrameText('sessions.usage.snap2.json')) as Frame;
}

function frameText(sessions: Row[], id = '7'): string {
  const frame = fixtureFrame();
  return JSON.stringify({ ...frame, id, payload: { ...frame.payload, sessions } });
}

/** `n` rows cycled from the fixture rows, each with its own key, sessionId and label. */
function generatedRows(n: number): Row[] {
  const base = fixtureFrame().payload.sessions;
  const labels = ['main', 'рабочий 🚀', '日本語のラベル', 'quote " and \\ slash', 'line\u2028sep', '},{"key":"fake"}', ''];
  return Array.from({ length: n }, (_, i) => {
    const row = structuredClone(base[i % base.length] as Row);
    return { ...row, key: `agent:main:bulk:${i}`, sessionId: `bulk-${i}`, label: labels[i % labels.length] };
  });
}

const same = (raw: unknown) => raw;

async function assertReadsLikeJsonParse(text: string, rowsPerSlice?: number): Promise<void> {
  const frame = await readUsageFrame(Buffer.from(text), same, { rowsPerSlice });
  assert.notEqual(frame, null, 'the frame is read in slices');
  assert.deepEqual(frame, JSON.parse(text));
}

test('the captured sessions.usage answers read in slices equal JSON.parse, whatever the slice size', async () => {
  for (const name of ['sessions.usage.snap1.json', 'sessions.usage.snap2.json']) {
    const text = capturedFrameText(name);
    for (const rowsPerSlice of [1, 2, 3, 200]) await assertReadsLikeJsonParse(text, rowsPerSlice);
  }
});

test('a generated answer of thousands of rows equals JSON.parse and is read over many event-loop turns', async () => {
  const text = frameText(generatedRows(3_000));
  let turns = 0;
  let ticking = true;
  const tick = () => {
    turns += 1;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  const turnsSeen = new Set<number>();
  const frame = await readUsageFrame(Buffer.from(text), (raw) => {
    turnsSeen.add(turns);
    return raw;
  });
  ticking = false;
  assert.deepEqual(frame, JSON.parse(text));
  // 3,000 rows at 200 per slice: 15 slices, each parsed on its own turn of the loop (one JSON.parse would see 1).
  assert.ok(turnsSeen.size >= 14, `rows were parsed over ${turnsSeen.size} event-loop turns`);
});

test('each row reaches mapRow once, in order, and the payload carries the mapped rows', async () => {
  const rows = generatedRows(450);
  const seen: string[] = [];
  const frame = await readUsageFrame(Buffer.from(frameText(rows)), (raw) => {
    seen.push((raw as Row).key as string);
    return { key: (raw as Row).key };
  });
  assert.deepEqual(seen, rows.map((r) => r.key));
  assert.deepEqual(frame?.payload.sessions, rows.map((r) => ({ key: r.key })));
  assert.deepEqual(frame?.payload.totals, fixtureFrame().payload.totals);
});

test('rows holding objects that start with "key" still read equal to JSON.parse', async () => {
  const rows = generatedRows(40).map((r, i) => (i % 7 === 3 ? { ...r, details: [{ key: 'a', n: 1 }, { key: 'b', nested: { key: 'c' } }] } : r));
  for (const rowsPerSlice of [1, 5, 200]) await assertReadsLikeJsonParse(frameText(rows), rowsPerSlice);
  const last = generatedRows(3).map((r, i) => (i === 2 ? { ...r, details: [{ key: 'x' }, { key: 'y' }] } : r));
  await assertReadsLikeJsonParse(frameText(last), 1);
});

test('labels containing the row separator as text, unicode labels, zero rows and one row equal JSON.parse', async () => {
  const tricky = generatedRows(12).map((r, i) => ({ ...r, label: ['},{"key":"', '"},{\\"key\\":\\"', '}],"sessions":[{"key":"', '🦀\ud800x'][i % 4] }));
  for (const rowsPerSlice of [1, 4]) await assertReadsLikeJsonParse(frameText(tricky), rowsPerSlice);
  await assertReadsLikeJsonParse(frameText([]), 1);
  await assertReadsLikeJsonParse(frameText(generatedRows(1)), 1);
});

test('truncated, garbage or unexpected text is left to the usual parse (null)', async () => {
  const text = frameText(generatedRows(300));
  const cases = [
    text.slice(0, Math.floor(text.length * 0.6)),
    text.slice(0, -1),
    text.replace('"ok":true', '"ok":false'),
    `${text}x`,
    'not json at all "sessions":[{"key":"a"},{"key":"b"}]',
    JSON.stringify({ type: 'res', id: '7', ok: true, payload: { updatedAt: 1 } }),
    JSON.stringify({ type: 'event', event: 'x', payload: { sessions: [{ key: 'a' }, { key: 'b' }] } }),
  ];
  for (const bad of cases) assert.equal(await readUsageFrame(Buffer.from(bad), same, { rowsPerSlice: 10 }), null, bad.slice(0, 60));
});

test('rows are only taken from payload.sessions: another "sessions" array before it leaves the frame to the usual parse', async () => {
  const frame = fixtureFrame();
  const { sessions, ...rest } = frame.payload;
  const decoy = { ...frame, payload: { cache: { sessions: sessions.slice(0, 3) }, ...rest, sessions } };
  assert.equal(await readUsageFrame(Buffer.from(JSON.stringify(decoy)), same, { rowsPerSlice: 1 }), null);
});

test('an abort between slices stops the read with the abort reason', async () => {
  const abort = new AbortController();
  const reason = new Error('stopping');
  let mapped = 0;
  const reading = readUsageFrame(
    Buffer.from(frameText(generatedRows(100))),
    (raw) => {
      if (++mapped === 10) abort.abort(reason);
      return raw;
    },
    { rowsPerSlice: 10, signal: abort.signal },
  );
  await assert.rejects(reading, (e) => e === reason);
  assert.equal(mapped, 10);
});
