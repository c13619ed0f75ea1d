import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { FilterRules, Settings } from '../../src/shared/settings.js';
import type { SessionDelta } from '../../src/sync/delta.js';
import type { Milestone } from '../../src/sync/milestone.js';
import { SessionRow, UsageRow } from '../../src/sync/openclaw/types.js';
import type { UsageView } from '../../src/sync/plan-bookings.js';
import type { CycleDeps, SessionSource } from '../../src/sync/cycle-deps.js';
import { runCycle } from '../../src/sync/poll-cycle.js';
import { silentLogger } from '../../src/sync/ports.js';
import type { Sink } from '../../src/sync/sinks/sink.js';
import { SyncState } from '../../src/sync/store/sync-state.js';
import { syncConfigOf } from '../../src/sync/sync-config.js';
import { FakeClock, T0, tempDir } from './store/store-test-kit.js';

const cronRow = SessionRow.parse({ key: 'agent:main:cron:nightly', sessionId: 'c1', kind: 'direct', classification: 'cron', agentId: 'main', status: 'done', lastRunId: 'r1', endedAt: T0 - 2_000, lastActivityAt: T0 - 2_000, inputTokens: 40, outputTokens: 20 });
const mainRow = SessionRow.parse({ ...cronRow, key: 'agent:main:main', sessionId: 'm1', classification: 'main' });

function usage(updatedAt: number, rows: Array<[string, number, number]>): UsageView {
  const parsed = rows.map(([sid, input, output]) => UsageRow.parse({ key: `k:${sid}`, sessionId: sid, agentId: 'main', usage: { input, output } }));
  return { updatedAt, fresh: true, bySessionId: new Map(parsed.map((u) => [u.sessionId as string, u])) };
}

/** The gateway as a script: the list, then one usage answer per ask (the last one repeats). */
function scriptedSource(rows: SessionRow[], answers: UsageView[]): SessionSource & { asks: number } {
  const source = {
    asks: 0,
    listSessions: async () => rows,
    fetchUsage: async () => answers[Math.min(source.asks++, answers.length - 1)]!,
    fetchUsageByKey: async () => assert.fail('these cycles have no read memory: every poll reads all usage'),
  };
  return source;
}

function recordingSink(): Sink & { batches: SessionDelta[][] } {
  const batches: SessionDelta[][] = [];
  return { name: 'recording', batches, deliver: async (batch) => void batches.push([...batch]) };
}

async function cycleDeps(t: TestContext, source: SessionSource, filter: FilterRules, extra: Partial<CycleDeps> = {}) {
  const clock = new FakeClock(T0);
  const state = await SyncState.open({ dir: await tempDir(t), clock, log: silentLogger, maxOutbox: 1_000 });
  t.after(() => state.close());
  const sink = recordingSink();
  const sleeps: number[] = [];
  const deps: CycleDeps = {
    config: syncConfigOf(Settings.parse({ filter })),
    gatewayId: 'gw',
    source,
    ledger: state,
    outbox: state,
    sink: async () => sink,
    clock,
    // Time passes only when the cycle waits: each wait moves the fake clock on.
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.ms += ms;
    },
    log: silentLogger,
    random: () => 0.5,
    ...extra,
  };
  return { deps, state, sink, sleeps, clock };
}

test('a custom filter that keeps cron (classes do not list it) waits for usage that covers the cron run, then books it', async (t) => {
  const source = scriptedSource([cronRow], [usage(T0 - 5_000, [['c1', 10, 5]]), usage(T0 + 500, [['c1', 50, 25]])]);
  const { deps, sink, sleeps } = await cycleDeps(t, source, FilterRules.parse({ expression: 'classification in (cron)' }));
  const outcome = await runCycle(deps, new AbortController().signal);
  assert.deepEqual([source.asks, sleeps], [2, [1_000]], 'asked again after one wait');
  assert.deepEqual(outcome.plan.waiting, []);
  assert.deepEqual(sink.batches.flat().map((d) => [d.sessionId, d.tokens.input, d.tokens.output]), [['c1', 50, 25]]);
});

test('the inverse: a class that classes list but the custom filter drops is neither waited for nor booked', async (t) => {
  const source = scriptedSource([mainRow], [usage(T0 - 5_000, [['m1', 10, 5]])]);
  const { deps, sink, sleeps } = await cycleDeps(t, source, FilterRules.parse({ expression: 'classification in (cron)' }));
  const outcome = await runCycle(deps, new AbortController().signal);
  assert.deepEqual([source.asks, sleeps], [1, []]);
  assert.deepEqual(outcome.plan.decisions, [{ key: mainRow.key, keep: false, reason: 'classification=main' }]);
  assert.deepEqual(sink.batches, []);
});

test('with the default filter a listed class waits for fresh usage as before, and gives up at the deadline', async (t) => {
  const source = scriptedSource([mainRow], [usage(T0 - 5_000, [['m1', 10, 5]])]);
  const { deps, sleeps } = await cycleDeps(t, source, FilterRules.parse({}), { usageWaitMs: 3_000 });
  const outcome = await runCycle(deps, new AbortController().signal);
  assert.deepEqual(sleeps, [1_000, 1_000, 1_000], 'asks once a second until a second more would pass the deadline');
  assert.equal(source.asks, 4);
  assert.deepEqual(outcome.plan.waiting, [mainRow.key], 'booked on a later poll');
});

test('a tracked cron session that left the list keeps being booked while the custom filter keeps it', async (t) => {
  const filter = FilterRules.parse({ expression: 'classification in (cron)' });
  const first = scriptedSource([cronRow], [usage(T0, [['c1', 50, 25]])]);
  const { deps, sink } = await cycleDeps(t, first, filter);
  await runCycle(deps, new AbortController().signal);
  const later = scriptedSource([], [usage(T0 + 60_000, [['c1', 80, 30]])]);
  const outcome = await runCycle({ ...deps, source: later }, new AbortController().signal);
  assert.deepEqual(outcome.plan.decisions, [{ key: cronRow.key, keep: true, reason: 'classification=cron', unlisted: true }]);
  assert.deepEqual(sink.batches.flat().map((d) => [d.tokens.input, d.tokens.output]), [[50, 25], [30, 5]]);
});

test('milestones come in order: queued deltas replayed first, then the new booking, each batch posted then acked', async (t) => {
  const seen: Milestone[] = [];
  const source = scriptedSource([mainRow], [usage(T0, [['m1', 50, 25]])]);
  const { deps, state, sink } = await cycleDeps(t, source, FilterRules.parse({}), { onMilestone: (m) => seen.push(m) });
  await runCycle({ ...deps, sink: async () => ({ name: 'down', deliver: async () => Promise.reject(new Error('down')) }), retry: { initialMs: 1, multiplier: 1, maxMs: 1, jitter: 0 }, config: { ...deps.config, pollIntervalMs: 0 } }, new AbortController().signal);
  assert.equal(state.depth, 1, 'the failed delivery left the delta queued');
  seen.length = 0;
  const next = scriptedSource([mainRow], [usage(T0 + 1, [['m1', 60, 25]])]);
  await runCycle({ ...deps, source: next }, new AbortController().signal);
  assert.deepEqual(seen, ['before-post', 'after-post', 'after-ack', 'after-book', 'before-post', 'after-post', 'after-ack']);
  assert.deepEqual(sink.batches.map((b) => b.map((d) => d.tokens.input)), [[50], [10]]);
  assert.equal(state.depth, 0);
});
