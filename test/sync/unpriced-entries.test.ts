import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FilterRules } from '../../src/shared/settings.js';
import type { LedgerEntry } from '../../src/sync/ledger.js';
import { planLiveBookings } from '../../src/sync/live/plan-live.js';
import { SessionRow, UsageRow } from '../../src/sync/openclaw/types.js';
import { planBookings, type Plan, type UsageView } from '../../src/sync/plan-bookings.js';
import { MemoryLedger } from '../support/memory-ledger.js';

// OpenClaw's missingCostEntries is cumulative per session; each delta carries the part that is new since the last
// booking, the ledger the cumulative count.
const NOW = Date.UTC(2026, 0, 10, 12, 0, 0);
const rules = FilterRules.parse({});
const KEY = 'agent:main:main';

const row = (sessionId: string, extra: Record<string, unknown> = {}) =>
  SessionRow.parse({ key: KEY, sessionId, kind: 'direct', classification: 'main', agentId: 'main', status: 'done', lastActivityAt: NOW - 60_000, ...extra });

const usage = (sessionId: string, input: number, usd: number, missingCostEntries?: number) =>
  UsageRow.parse({ key: KEY, sessionId, agentId: 'main', model: 'local/llama', usage: { input, output: 0, totalCost: usd, ...(missingCostEntries === undefined ? {} : { missingCostEntries }) } });

const view = (rows: UsageRow[], updatedAt = NOW): UsageView => ({ updatedAt, fresh: true, bySessionId: new Map(rows.map((u) => [u.sessionId as string, u])) });

const apply = (ledger: MemoryLedger, entries: readonly LedgerEntry[]) => entries.forEach((e) => ledger.map.set(e.sessionId, e));

function poll(ledger: MemoryLedger, sessionId: string, u: UsageRow, now = NOW): Plan {
  const plan = planBookings({ gatewayId: 'gw', rows: [row(sessionId)], usage: view([u], now), ledger, now, rules });
  apply(ledger, plan.entries);
  return plan;
}

function oldEntry(sessionId: string, input: number): LedgerEntry {
  // Written before unpriced entries were read: no bookedUnpriced.
  return {
    sessionId, sessionKey: KEY, agentId: 'main', classification: 'main', kind: 'direct', traceId: `t-${sessionId}`, label: null, model: 'local/llama',
    booked: { input, output: 0, cacheRead: 0, cacheWrite: 0, costMicros: 0 }, status: 'success', trackedAt: NOW - 3_600_000, lastBookedAt: NOW - 3_600_000, contextUsedPct: null,
  };
}

test('each delta carries the unpriced entries new since the last booking; the ledger keeps the cumulative count', () => {
  const ledger = new MemoryLedger();
  const first = poll(ledger, 's1', usage('s1', 1_000, 0.001, 2));
  assert.equal(first.deltas[0]!.unpricedEntries, 2);
  assert.equal(ledger.entry('s1')?.bookedUnpriced, 2);
  const second = poll(ledger, 's1', usage('s1', 1_500, 0.001, 5));
  assert.equal(second.deltas[0]!.unpricedEntries, 3);
  assert.deepEqual([first.deltas[0]!.unpricedTotal, second.deltas[0]!.unpricedTotal], [2, 5], 'each delta also says the session\'s count so far');
  const priced = poll(ledger, 's1', usage('s1', 1_800, 0.002, 5));
  assert.equal(priced.deltas[0]!.unpricedEntries, 0, 'a priced turn adds no unpriced entries');
  assert.equal(ledger.entry('s1')?.bookedUnpriced, 5);
});

test('a usage row without missingCostEntries reads as 0 unpriced', () => {
  const plan = poll(new MemoryLedger(), 's1', usage('s1', 1_000, 0.001));
  assert.equal(plan.deltas[0]!.unpricedEntries, 0);
});

test('a ledger entry written before the field existed counts from 0', () => {
  const ledger = new MemoryLedger([oldEntry('s1', 1_000)]);
  const plan = poll(ledger, 's1', usage('s1', 1_200, 0, 4));
  assert.equal(plan.deltas[0]!.unpricedEntries, 4);
  assert.equal(ledger.entry('s1')?.bookedUnpriced, 4);
});

test('a reset session (new sessionId) counts its own entries from 0; the old one keeps what it booked', () => {
  const ledger = new MemoryLedger();
  poll(ledger, 's1', usage('s1', 1_000, 0, 3));
  const reset = poll(ledger, 's2', usage('s2', 200, 0, 1));
  assert.equal(reset.deltas.find((d) => d.sessionId === 's2')!.unpricedEntries, 1);
  assert.equal(ledger.entry('s1')?.bookedUnpriced, 3);
});

test('a count that goes down books nothing negative and keeps the higher count', () => {
  const ledger = new MemoryLedger();
  poll(ledger, 's1', usage('s1', 1_000, 0, 3));
  const down = poll(ledger, 's1', usage('s1', 1_100, 0, 1));
  assert.equal(down.deltas[0]!.unpricedEntries, 0);
  assert.equal(ledger.entry('s1')?.bookedUnpriced, 3);
  const up = poll(ledger, 's1', usage('s1', 1_200, 0, 4));
  assert.equal(up.deltas[0]!.unpricedEntries, 1, 'counted from the higher count, not the lower one');
});

test('unpriced entries counted after their tokens were booked get a delta of their own, with an id of its own', () => {
  const ledger = new MemoryLedger();
  const first = poll(ledger, 's1', usage('s1', 1_000, 0, 1));
  const same = poll(ledger, 's1', usage('s1', 1_000, 0, 2));
  assert.equal(same.deltas.length, 1);
  assert.deepEqual(same.deltas[0]!.tokens, { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });
  assert.equal(same.deltas[0]!.unpricedEntries, 1);
  assert.notEqual(same.deltas[0]!.id, first.deltas[0]!.id);
  const again = poll(ledger, 's1', usage('s1', 1_000, 0, 2));
  assert.equal(again.deltas.length, 0, 'nothing new: nothing booked');
  const more = poll(ledger, 's1', usage('s1', 1_000, 0, 3));
  assert.notEqual(more.deltas[0]!.id, same.deltas[0]!.id, 'each count its own id');
});

const liveRow = (runId: string, input: number, usd: number | undefined, endedAt: number) =>
  SessionRow.parse({ key: KEY, sessionId: 's1', kind: 'direct', classification: 'main', agentId: 'main', status: 'done', lastRunId: runId, inputTokens: input, outputTokens: 0, endedAt, lastActivityAt: endedAt, ...(usd === undefined ? {} : { estimatedCostUsd: usd }) });

test('live runs: an unpriced run counts 1, a priced one 0, and the reconciliation books the rest of OpenClaw\'s count', () => {
  const ledger = new MemoryLedger();
  const runs = [liveRow('r1', 500, undefined, NOW - 2_000), liveRow('r2', 300, 0.0003, NOW - 1_000)];
  const live = planLiveBookings({ gatewayId: 'gw', runs: runs.map((r) => ({ row: r, runId: r.lastRunId! })), ledger, now: NOW, rules });
  apply(ledger, live.entries);
  assert.deepEqual(live.deltas.map((d) => d.unpricedEntries), [1, 0]);
  // OpenClaw counted 3 entries it could not price (the unpriced run made several calls).
  const rec = planBookings({ gatewayId: 'gw', rows: [runs[1]!], usage: view([usage('s1', 800, 0.0003, 3)], NOW + 5_000), ledger, now: NOW + 5_000, rules });
  assert.equal(rec.deltas.length, 1);
  assert.equal(rec.deltas[0]!.unpricedEntries, 2);
  assert.equal(live.deltas.concat(rec.deltas).reduce((t, d) => t + d.unpricedEntries, 0), 3, 'the sum is OpenClaw\'s count');
});

test('live runs guessed more than OpenClaw counted: the reconciliation takes OpenClaw\'s count, never books negative', () => {
  const ledger = new MemoryLedger();
  const runs = [liveRow('r1', 500, undefined, NOW - 2_000), liveRow('r2', 300, undefined, NOW - 1_000)];
  const live = planLiveBookings({ gatewayId: 'gw', runs: runs.map((r) => ({ row: r, runId: r.lastRunId! })), ledger, now: NOW, rules });
  apply(ledger, live.entries);
  const rec = planBookings({ gatewayId: 'gw', rows: [runs[1]!], usage: view([usage('s1', 810, 0, 1)], NOW + 5_000), ledger, now: NOW + 5_000, rules });
  apply(ledger, rec.entries);
  assert.equal(rec.deltas[0]!.unpricedEntries, 0);
  assert.equal(ledger.entry('s1')?.bookedUnpriced, 1);
});
