import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cutUsageRow, readSessionRow, readUsageRow, SESSION_ROW_KEYS, USAGE_ROW_KEYS, ZOD_KEYS } from '../../../src/sync/openclaw/row-checks.js';
import { SessionRow, UsageRow } from '../../../src/sync/openclaw/types.js';
import { list2, usage2 } from '../../support/fixture-sessions.js';

const listRows = list2 as Array<Record<string, unknown>>;
const usageRows = usage2.sessions as Array<Record<string, unknown>>;
const bad: unknown[] = [undefined, null, '', 'x', 0, -2.5, Number.NaN, Number.POSITIVE_INFINITY, true, {}, [], [1]];

function pickAll(raw: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => raw[k] !== undefined).map((k) => [k, raw[k]]));
}

function sameVerdict<T>(what: string, fast: { ok: true; row: T } | { ok: false }, zod: { success: true; data: T } | { success: false }): void {
  assert.equal(fast.ok, zod.success, `${what}: zod ${zod.success ? 'accepts' : 'refuses'}, the plain check ${fast.ok ? 'accepts' : 'refuses'}`);
  if (fast.ok && zod.success) assert.deepEqual(fast.row, zod.data, `${what}: the same row`);
}

test('session rows: the plain checks give zod\'s verdict and row for every field set to every odd value', () => {
  let cases = 0;
  for (const row of listRows) {
    sameVerdict(String(row.key), readSessionRow(row), SessionRow.safeParse(pickAll(row, SESSION_ROW_KEYS)));
    for (const field of SESSION_ROW_KEYS) {
      for (const value of bad) {
        const raw = { ...row, [field]: value };
        sameVerdict(`${field} = ${String(JSON.stringify(value))}`, readSessionRow(raw), SessionRow.safeParse(pickAll(raw, SESSION_ROW_KEYS)));
        cases += 1;
      }
    }
  }
  assert.ok(cases > 1_000);
  for (const odd of [null, 'row', 7, [listRows[0]]]) assert.equal(readSessionRow(odd).ok, false);
});

test('usage rows: the same, down into the usage figures (missing counters are 0, as zod\'s default)', () => {
  const figureKeys = ['input', 'output', 'cacheRead', 'cacheWrite', 'totalTokens', 'totalCost', 'missingCostEntries', 'firstActivity', 'lastActivity', 'sessionId'];
  const zod = (raw: unknown) => UsageRow.safeParse(cutUsageRow(raw));
  for (const row of usageRows) {
    sameVerdict(String(row.key), readUsageRow(row), zod(row));
    for (const field of USAGE_ROW_KEYS) for (const value of bad) sameVerdict(`${field}=${String(JSON.stringify(value))}`, readUsageRow({ ...row, [field]: value }), zod({ ...row, [field]: value }));
    for (const field of figureKeys) {
      for (const value of bad) {
        const raw = { ...row, usage: { ...(row.usage as object), [field]: value } };
        sameVerdict(`usage.${field} = ${String(JSON.stringify(value))}`, readUsageRow(raw), zod(raw));
      }
    }
  }
  const cut = readUsageRow(usageRows[0]);
  assert.ok(cut.ok);
  assert.deepEqual(Object.keys(cut.row.usage as object).sort(), [...figureKeys].sort(), 'only the figures the ledger uses are kept');
});

test('every field zod names has a plain rule', () => {
  for (const k of ZOD_KEYS.session) assert.ok(SESSION_ROW_KEYS.includes(k), `sessions.list field ${k}`);
  for (const k of ZOD_KEYS.usage) assert.ok(USAGE_ROW_KEYS.includes(k), `sessions.usage field ${k}`);
  assert.deepEqual(ZOD_KEYS.figures.length, 9);
});
