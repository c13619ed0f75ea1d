import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkBooking } from '../../../src/sync/store/check-booking.js';
import { JournalRecordSchema, validateRecord, type JournalRecord } from '../../../src/sync/store/records.js';
import { delta, entry } from './store-test-kit.js';

type BookRecord = Extract<JournalRecord, { t: 'book' }>;

function live(): BookRecord {
  const e = { ...entry('s1', 3), runIds: ['run-1'], coveredUntil: 5, liveRuns: 1, liveUntil: null, corrections: 1 };
  return { t: 'book', at: 1_000, deltas: [{ ...delta('d1', 's1', 0, 3), label: 'group', channel: 'telegram' }], entries: [e], drop: ['old'] };
}

const badValues: unknown[] = [undefined, null, Number.NaN, Number.POSITIVE_INFINITY, -1.5, 0, 'x', '', true, {}, [], ['x'], [1]];

function agrees(record: BookRecord, what: string): void {
  const zod = validateRecord(record).ok;
  const fast = checkBooking(record);
  assert.equal(fast.ok, zod, `${what}: zod says ${zod ? 'valid' : 'invalid'}, checkBooking says ${fast.ok ? 'valid' : 'invalid'}`);
}

/** Every field zod knows, at every depth, set to each bad value in turn. */
function mutations(): Array<{ what: string; record: BookRecord }> {
  const out: Array<{ what: string; record: BookRecord }> = [];
  const bookShape = (JournalRecordSchema.options[0] as unknown as { shape: Record<string, unknown> }).shape;
  const paths: string[][] = [];
  for (const key of Object.keys(bookShape)) if (key !== 't') paths.push([key]);
  const sample = live();
  for (const [list, item] of [['deltas', sample.deltas[0]], ['entries', sample.entries[0]]] as const) {
    for (const [key, value] of Object.entries(item as object)) {
      paths.push([list, '0', key]);
      if (value && typeof value === 'object' && !Array.isArray(value)) for (const sub of Object.keys(value)) paths.push([list, '0', key, sub]);
    }
  }
  for (const path of paths) {
    for (const bad of badValues) {
      const record = structuredClone(live());
      let target = record as unknown as Record<string, unknown>;
      for (const step of path.slice(0, -1)) target = target[step] as Record<string, unknown>;
      target[path.at(-1) as string] = bad;
      out.push({ what: `${path.join('.')} = ${String(JSON.stringify(bad))}`, record });
    }
  }
  return out;
}

test('checkBooking accepts and rejects exactly what the zod journal schema does, field by field', () => {
  agrees(live(), 'a live-mode booking');
  agrees({ t: 'book', at: 1, deltas: [], entries: [], drop: [] }, 'an empty booking');
  const cases = mutations();
  assert.ok(cases.length > 400, `only ${cases.length} mutations`);
  let rejected = 0;
  for (const { what, record } of cases) {
    agrees(record, what);
    if (!checkBooking(record).ok) rejected += 1;
  }
  assert.ok(rejected > cases.length / 2, `most mutations are invalid (${rejected} of ${cases.length})`);
});

test('checkBooking names the bad field the way a failed load would', () => {
  const record = live();
  (record.deltas[0] as { costMicros: number }).costMicros = Number.NaN;
  const result = checkBooking(record);
  assert.equal(result.ok, false);
  assert.match(result.ok ? '' : result.reason, /^deltas\.0\.costMicros: /);
});

test('a field the schema gains later must be checked here too', () => {
  // The journal schema's fields, as zod sees them; checkBooking's rules were written for exactly these.
  const book = JournalRecordSchema.options[0] as unknown as { shape: { deltas: { element: { shape: object } }; entries: { element: { shape: object } } } };
  assert.deepEqual(Object.keys(book.shape.deltas.element.shape).sort(), Object.keys(live().deltas[0] as object).sort());
  assert.deepEqual(Object.keys(book.shape.entries.element.shape).sort(), Object.keys(live().entries[0] as object).sort());
});
