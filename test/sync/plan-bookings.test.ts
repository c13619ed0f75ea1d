import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FilterRules } from '../../src/shared/settings.js';
import type { LedgerEntry } from '../../src/sync/ledger.js';
import { SessionRow, UsageRow } from '../../src/sync/openclaw/types.js';
import { planBookings, planBookingsInSlices, type PlanInput, type UsageView } from '../../src/sync/plan-bookings.js';
import { MemoryLedger } from '../support/memory-ledger.js';

const NOW = Date.UTC(2026, 0, 10, 12, 0, 0);
const rules = FilterRules.parse({});

const row = (sessionId: string, classification: string, extra: Record<string, unknown> = {}) =>
  SessionRow.parse({ key: `agent:main:${classification}:${sessionId}`, sessionId, kind: 'direct', classification, agentId: 'main', status: 'done', lastActivityAt: NOW - 60_000, ...extra });

const usageRow = (sessionId: string, input: number, output: number, usd = 0) =>
  UsageRow.parse({ key: `k:${sessionId}`, sessionId, agentId: 'main', model: 'm', usage: { input, output, totalCost: usd } });

function usageOf(rows: UsageRow[], updatedAt = NOW, fresh = true): UsageView {
  return { updatedAt, fresh, bySessionId: new Map(rows.map((u) => [u.sessionId as string, u])) };
}

function tracked(sessionId: string, classification: string, input: number, output: number): LedgerEntry {
  return {
    sessionId,
    sessionKey: `agent:main:${classification}:${sessionId}`,
    agentId: 'main',
    classification,
    kind: 'direct',
    traceId: `t-${sessionId}`,
    label: null,
    model: 'm',
    booked: { input, output, cacheRead: 0, cacheWrite: 0, costMicros: 0 },
    status: 'running',
    trackedAt: NOW - 3_600_000,
    lastBookedAt: NOW - 3_600_000,
    contextUsedPct: null,
  };
}

const input = (over: Partial<PlanInput>): PlanInput => ({ gatewayId: 'gw', rows: [], usage: usageOf([]), ledger: new MemoryLedger(), now: NOW, rules, ...over });

test('a listed session books its cumulative usage minus what the ledger already booked, component by component', () => {
  const ledger = new MemoryLedger([tracked('s1', 'main', 100, 40)]);
  const plan = planBookings(input({ rows: [row('s1', 'main')], usage: usageOf([usageRow('s1', 130, 50, 0.25)]), ledger }));
  assert.equal(plan.deltas.length, 1);
  assert.deepEqual(plan.deltas[0]!.tokens, { input: 30, output: 10, cacheRead: 0, cacheWrite: 0 });
  assert.equal(plan.deltas[0]!.costMicros, 250_000);
  assert.deepEqual(plan.entries.map((e) => e.booked), [{ input: 130, output: 50, cacheRead: 0, cacheWrite: 0, costMicros: 250_000 }]);
});

test('a figure that went down books nothing negative, keeps the higher watermark and is reported', () => {
  const ledger = new MemoryLedger([tracked('s1', 'main', 100, 40)]);
  const plan = planBookings(input({ rows: [row('s1', 'main')], usage: usageOf([usageRow('s1', 90, 60)]), ledger }));
  assert.deepEqual(plan.deltas[0]!.tokens, { input: 0, output: 20, cacheRead: 0, cacheWrite: 0 });
  assert.equal(plan.entries[0]!.booked.input, 100);
  assert.deepEqual(plan.backwards, ['agent:main:main:s1: input 90 < booked 100']);
});

test('usage older than the run that ended waits for a later poll; an unchanged session books nothing', () => {
  const ended = row('s1', 'main', { endedAt: NOW - 1_000 });
  const stale = planBookings(input({ rows: [ended], usage: usageOf([usageRow('s1', 50, 50)], NOW - 5_000) }));
  assert.deepEqual([stale.deltas.length, stale.waiting], [0, [ended.key]]);
  const ledger = new MemoryLedger([{ ...tracked('s1', 'main', 50, 50), status: 'success' }]);
  const same = planBookings(input({ rows: [ended], usage: usageOf([usageRow('s1', 50, 50)]), ledger }));
  assert.deepEqual([same.deltas.length, same.entries.length, same.waiting], [0, 0, []]);
});

test('a fresh figure from before the run that ended (its last activity predates the run) waits instead of booking the run as empty', () => {
  const ended = row('s1', 'main', { startedAt: NOW - 3_000, endedAt: NOW - 1_000, lastRunId: 'run-2' });
  const ledger = new MemoryLedger([{ ...tracked('s1', 'main', 50, 50), status: 'success', runIds: ['run-1'] }]);
  const lagging = UsageRow.parse({ ...usageRow('s1', 50, 50), usage: { input: 50, output: 50, lastActivity: NOW - 60_000 } });
  const plan = planBookings(input({ rows: [ended], usage: usageOf([lagging]), ledger }));
  assert.deepEqual([plan.deltas.length, plan.entries.length, plan.waiting], [0, 0, [ended.key]], 'run-2 is not marked booked with nothing');
  const caughtUp = UsageRow.parse({ ...usageRow('s1', 80, 70), usage: { input: 80, output: 70, lastActivity: NOW - 1_200 } });
  const later = planBookings(input({ rows: [ended], usage: usageOf([caughtUp]), ledger }));
  assert.deepEqual(later.deltas.map((d) => d.tokens), [{ input: 30, output: 20, cacheRead: 0, cacheWrite: 0 }]);
});

test('every listed row gets a decision with the reason of the clause that decided; a repeated row is skipped', () => {
  const main = row('s1', 'main');
  const plan = planBookings(input({ rows: [main, row('s2', 'cron'), main], usage: usageOf([usageRow('s1', 50, 50), usageRow('s2', 50, 50)]) }));
  assert.deepEqual(plan.decisions.map((d) => [d.key, d.keep, d.reason]), [
    [main.key, true, 'tokens >= 10: tokens=100'],
    ['agent:main:cron:s2', false, 'classification=cron'],
    [main.key, false, 'duplicate row'],
  ]);
  assert.deepEqual(plan.deltas.map((d) => d.sessionId), ['s1']);
});

test('a tracked session that left the list is judged by a custom filter, not by classes: kept cron is booked', () => {
  const custom = FilterRules.parse({ expression: 'classification in (cron, main)' });
  assert.ok(!custom.classes.includes('cron'), 'classes alone would drop it');
  const ledger = new MemoryLedger([tracked('c1', 'cron', 10, 10)]);
  const plan = planBookings(input({ usage: usageOf([usageRow('c1', 25, 10)]), ledger, rules: custom }));
  assert.deepEqual(plan.deltas.map((d) => [d.sessionId, d.tokens.input]), [['c1', 15]]);
  assert.deepEqual(plan.decisions, [{ key: 'agent:main:cron:c1', keep: true, reason: 'classification=cron', unlisted: true }]);
});

test('the inverse: a class that classes lists but the custom filter drops is no longer booked once unlisted, and says why', () => {
  const custom = FilterRules.parse({ expression: 'classification in (main)' });
  assert.ok(custom.classes.includes('subagent'));
  const ledger = new MemoryLedger([tracked('sub1', 'subagent', 10, 10)]);
  const plan = planBookings(input({ usage: usageOf([usageRow('sub1', 25, 10)]), ledger, rules: custom }));
  assert.deepEqual(plan.deltas, []);
  assert.deepEqual(plan.decisions, [{ key: 'agent:main:subagent:sub1', keep: false, reason: 'classification=subagent', unlisted: true }]);
});

test('with the default filter a tracked unlisted session keeps being booked while its class is listed, as before', () => {
  const ledger = new MemoryLedger([tracked('s1', 'main', 10, 10), tracked('c1', 'cron', 10, 10)]);
  const plan = planBookings(input({ usage: usageOf([usageRow('s1', 20, 10), usageRow('c1', 20, 10)]), ledger }));
  assert.deepEqual(plan.deltas.map((d) => d.sessionId), ['s1']);
  assert.deepEqual(plan.decisions.map((d) => [d.key, d.keep, d.reason]), [
    ['agent:main:main:s1', true, 'tracked=true'],
    ['agent:main:cron:c1', false, 'classification=cron'],
  ]);
});

test('the sliced plan equals the whole plan and hands over every part before it resolves', async () => {
  const rows = Array.from({ length: 7 }, (_, i) => row(`s${i}`, 'main'));
  const usage = usageOf(rows.map((r, i) => usageRow(r.sessionId, 20 + i, 10)));
  const whole = planBookings(input({ rows, usage }));
  const parts: number[] = [];
  const sliced = await planBookingsInSlices(input({ rows, usage }), 3, async (deltas) => void parts.push(deltas.length));
  assert.deepEqual(sliced, whole);
  assert.deepEqual(parts, [3, 3, 1]);
});
