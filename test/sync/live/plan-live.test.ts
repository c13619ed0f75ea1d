import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FilterRules } from '../../../src/shared/settings.js';
import { planLiveBookings } from '../../../src/sync/live/plan-live.js';
import { planBookings } from '../../../src/sync/plan-bookings.js';
import { SessionRow, UsageRow } from '../../../src/sync/openclaw/types.js';
import type { Ledger as LedgerPort, LedgerEntry } from '../../../src/sync/ledger.js';

const rules = FilterRules.parse({});
const row = (runId: string, input: number, output: number, usd: number, endedAt: number) =>
  SessionRow.parse({ key: 'agent:ops:main', sessionId: 'sid-ops', kind: 'direct', classification: 'main', agentId: 'ops', status: 'done', lastRunId: runId, inputTokens: input, outputTokens: output, estimatedCostUsd: usd, endedAt, lastActivityAt: endedAt });

class Ledger implements LedgerPort {
  readonly map = new Map<string, LedgerEntry>();
  entry(id: string) {
    return this.map.get(id);
  }
  entries() {
    return this.map.values();
  }
  apply(entries: readonly LedgerEntry[]) {
    for (const e of entries) this.map.set(e.sessionId, e);
  }
  async book(_deltas: unknown, entries: readonly LedgerEntry[]) {
    this.apply(entries);
    return { dropped: 0 };
  }
  hourly() {
    return [];
  }
}

test('two live runs whose USD rounds on its own are settled exactly by the cumulative figure', () => {
  const ledger = new Ledger();
  // $0.5 per 1M input tokens: 10645 tokens cost 0.0053225 USD, half a micro-USD: each run rounds up on its own.
  const r1 = row('run-1', 10645, 0, 0.0053225, 1_000);
  const r2 = row('run-2', 10645, 0, 0.0053225, 2_000);
  const live = planLiveBookings({ gatewayId: 'g', runs: [r1, r2].map((r) => ({ row: r, runId: r.lastRunId! })), ledger, now: 3_000, rules });
  ledger.apply(live.entries);
  const liveMicros = live.deltas.reduce((t, d) => t + d.costMicros, 0);
  assert.equal(liveMicros, 5323 * 2);
  const usage = UsageRow.parse({ key: 'agent:ops:main', sessionId: 'sid-ops', agentId: 'ops', usage: { input: 21290, output: 0, totalCost: 0.010645 } });
  const rec = planBookings({ gatewayId: 'g', rows: [r2], usage: { updatedAt: 5_000, fresh: true, bySessionId: new Map([['sid-ops', usage]]) }, ledger, now: 5_000, rules });
  assert.equal(rec.deltas.length, 1);
  assert.equal(rec.deltas[0]!.costMicros, -1, 'one micro-USD settles the rounding');
  assert.deepEqual(rec.deltas[0]!.tokens, { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });
  assert.equal(liveMicros + rec.deltas[0]!.costMicros, 10645);
  assert.deepEqual(rec.backwards, []);
});

test('a usage figure that does not include a live-booked run yet waits instead of booking', () => {
  const ledger = new Ledger();
  const r1 = row('run-1', 1000, 10, 0.003, 1_000);
  ledger.apply(planLiveBookings({ gatewayId: 'g', runs: [{ row: r1, runId: 'run-1' }], ledger, now: 1_500, rules }).entries);
  const stale = UsageRow.parse({ key: 'agent:ops:main', sessionId: 'sid-ops', agentId: 'ops', usage: { input: 0, output: 0, totalCost: 0 } });
  // Taken before the run ended: it cannot include it. (The list row may lag too, so the check is on the ledger.)
  const rec = planBookings({ gatewayId: 'g', rows: [row('run-0', 1, 1, 0, 500)], usage: { updatedAt: 900, fresh: true, bySessionId: new Map([['sid-ops', stale]]) }, ledger, now: 2_000, rules });
  assert.deepEqual(rec.deltas, []);
  assert.deepEqual(rec.waiting, ['agent:ops:main']);
});

test('a run that ended before the last reconciliation is not booked live again', () => {
  const ledger = new Ledger();
  const r1 = row('run-1', 1000, 10, 0.003, 1_000);
  const usage = UsageRow.parse({ key: 'agent:ops:main', sessionId: 'sid-ops', agentId: 'ops', usage: { input: 1000, output: 10, totalCost: 0.003 } });
  ledger.apply(planBookings({ gatewayId: 'g', rows: [row('run-0', 1, 1, 0, 500)], usage: { updatedAt: 1_100, fresh: true, bySessionId: new Map([['sid-ops', usage]]) }, ledger, now: 1_200, rules }).entries);
  const live = planLiveBookings({ gatewayId: 'g', runs: [{ row: r1, runId: 'run-1' }], ledger, now: 1_300, rules });
  assert.deepEqual(live.deltas, []);
  assert.match(live.decisions[0]!.reason, /already in reconciled usage/);
});

test('a run announced with another run\'s numbers is corrected by the next cumulative figure, down to the exact total', () => {
  const ledger = new Ledger();
  const r1 = row('run-1', 1000, 10, 0.0045, 1_000);
  // The second event repeats run-1's numbers under a new run id (e.g. an announce run): the live path books them.
  const r2 = row('run-2', 1000, 10, 0.0045, 2_000);
  ledger.apply(planLiveBookings({ gatewayId: 'g', runs: [r1, r2].map((r) => ({ row: r, runId: r.lastRunId! })), ledger, now: 2_100, rules }).entries);
  const usage = UsageRow.parse({ key: 'agent:ops:main', sessionId: 'sid-ops', agentId: 'ops', usage: { input: 1300, output: 13, totalCost: 0.0058 } });
  const rec = planBookings({ gatewayId: 'g', rows: [r2], usage: { updatedAt: 3_000, fresh: true, bySessionId: new Map([['sid-ops', usage]]) }, ledger, now: 3_000, rules });
  assert.equal(rec.deltas.length, 1);
  assert.deepEqual(rec.deltas[0]!.tokens, { input: -700, output: -7, cacheRead: 0, cacheWrite: 0 });
  assert.equal(rec.deltas[0]!.costMicros, 5800 - 9000);
  assert.equal(rec.corrections.length, 1);
  assert.deepEqual(rec.backwards, [], 'a settled live booking is not a backwards cumulative figure');
  ledger.apply(rec.entries);
  assert.deepEqual(ledger.entry('sid-ops')!.booked, { input: 1300, output: 13, cacheRead: 0, cacheWrite: 0, costMicros: 5800 });
});
