import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FilterRules } from '../../src/shared/settings.js';
import { SessionRow, UsageRow } from '../../src/sync/openclaw/types.js';
import type { CycleOutcome } from '../../src/sync/cycle-deps.js';
import { silentLogger } from '../../src/sync/ports.js';
import { SyncState } from '../../src/sync/store/sync-state.js';
import { WindowView } from '../../src/sync/window-view.js';
import { FakeClock, HOUR, T0, delta, entry, tempDir } from './store/store-test-kit.js';

const rules = FilterRules.parse({});
const row = (sessionId: string, classification: string) =>
  SessionRow.parse({ key: `agent:main:${sessionId}`, sessionId, kind: 'direct', classification, agentId: 'main', lastActivityAt: T0 - 60_000 });

function polled(rows: SessionRow[], kept: string[], unlisted: string[] = []): CycleOutcome {
  const usage = UsageRow.parse({ key: 'agent:main:s1', sessionId: 's1', usage: { input: 50, output: 50 } });
  return {
    rows,
    usage: { updatedAt: T0, fresh: true, bySessionId: new Map([['s1', usage]]) },
    plan: {
      deltas: [], entries: [], waiting: [], backwards: [], corrections: [],
      decisions: [...rows.map((r) => ({ key: r.key, keep: kept.includes(r.sessionId), reason: 'test' })), ...unlisted.map((key) => ({ key, keep: true, reason: 'tracked=true', unlisted: true as const }))],
    },
    dropped: 0,
    delivery: { delivered: 0, deadLettered: 0, error: null },
  };
}

test("active sessions are the last poll's kept listed rows with what the ledger booked; a failed poll keeps them", async (t) => {
  const clock = new FakeClock(T0);
  const state = await SyncState.open({ dir: await tempDir(t), clock, log: silentLogger, maxOutbox: 100 });
  t.after(() => state.close());
  await state.book([delta('a', 's1', 0, 4)], [entry('s1', 4)]);
  const view = new WindowView(state, clock, rules);
  const after = view.statusPatch(polled([row('s1', 'main'), row('s2', 'cron')], ['s1'], ['agent:main:s2']));
  assert.deepEqual(after.activeSessions.map((s) => [s.key, s.tokens]), [['agent:main:s1', 12]]);
  assert.deepEqual(view.statusPatch().activeSessions, after.activeSessions);
});

test("today's totals count from local midnight; hourly usage covers the hours asked for", async (t) => {
  const midnight = new Date(T0);
  midnight.setHours(0, 0, 0, 0);
  const clock = new FakeClock(midnight.getTime() - HOUR);
  const state = await SyncState.open({ dir: await tempDir(t), clock, log: silentLogger, maxOutbox: 100 });
  t.after(() => state.close());
  await state.book([{ ...delta('y', 's1', 0, 1), unpricedEntries: 5 }], [entry('s1', 1)]); // yesterday, the last hour
  clock.ms = midnight.getTime() + 2 * HOUR;
  await state.book([{ ...delta('a', 's1', 1, 3), unpricedEntries: 2 }], [entry('s1', 3)]);
  const view = new WindowView(state, clock, rules);
  assert.deepEqual(view.statusPatch(), { activeSessions: [], tokensToday: 6, costMicrosToday: 20, unpricedToday: 2 });
  assert.deepEqual(view.usageByHour(4).map((b) => b.tokens), [3, 6]);
});

test('the filter preview judges the last poll with the new expression; a syntax error names its column', async (t) => {
  const clock = new FakeClock(T0);
  const state = await SyncState.open({ dir: await tempDir(t), clock, log: silentLogger, maxOutbox: 100 });
  t.after(() => state.close());
  const view = new WindowView(state, clock, rules);
  assert.deepEqual(view.previewFilter('classification in (cron)'), { ok: true, decisions: [] }, 'nothing polled yet');
  view.statusPatch(polled([row('s1', 'main'), row('s2', 'cron')], ['s1']));
  const preview = view.previewFilter('classification in (cron)');
  assert.deepEqual(preview.ok && preview.decisions.map((d) => [d.key, d.keep]), [['agent:main:s1', false], ['agent:main:s2', true]]);
  assert.deepEqual(view.previewFilter('tokens >'), { ok: false, error: '"tokens" compares with a number like 10 (column 9)', column: 9 });
});

test('an active session says whether it is a sub-agent and when its run ended (null while a run is active)', async (t) => {
  const clock = new FakeClock(T0);
  const state = await SyncState.open({ dir: await tempDir(t), clock, log: silentLogger, maxOutbox: 100 });
  t.after(() => state.close());
  const view = new WindowView(state, clock, rules);
  const ended = SessionRow.parse({ ...row('s1', 'subagent'), endedAt: T0 - 120_000 });
  const running = SessionRow.parse({ ...row('s2', 'subagent'), endedAt: T0 - 120_000, hasActiveRun: true });
  const main = row('s3', 'main');
  const patch = view.statusPatch(polled([ended, running, main], ['s1', 's2', 's3']));
  assert.deepEqual(patch.activeSessions.map((s) => [s.key, s.subagent, s.endedAt]), [
    ['agent:main:s1', true, T0 - 120_000],
    ['agent:main:s2', true, null],
    ['agent:main:s3', false, null],
  ]);
});
