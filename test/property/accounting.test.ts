import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FilterRules } from '../../src/shared/settings.js';
import { WATERMARK_KEYS } from '../../src/sync/booking.js';
import { ZERO_WATERMARK, type SessionDelta, type Watermark } from '../../src/sync/delta.js';
import { planLiveBookings } from '../../src/sync/live/plan-live.js';
import { planBookings } from '../../src/sync/plan-bookings.js';
import { SessionRow, UsageRow } from '../../src/sync/openclaw/types.js';
import { MemoryLedger } from '../support/memory-ledger.js';

// Property: whatever order and quality the figures arrive in — runs growing sessions, the same snapshot again, a
// snapshot labelled fresh that is stale (with its old time, or stamped now), a figure lower than the last one,
// sessions reset to a new sessionId, live events out of order and repeated — the real planners (planBookings for
// polls, planLiveBookings for live runs) never book more than the gateway has counted, and once a truthful snapshot
// is read the deltas AgentWatch keeps (one per delta id) sum to the gateway's cumulative figure per transcript.

const KEYS = ['agent:main:main', 'agent:main:subagent:a', 'agent:ops:group:b'];
// Repeats come from a session's last few runs: the run-id list (RUN_IDS_KEPT = 8) absorbs those, and anything
// older is behind a reconciliation's coveredUntil.
const REPEAT_WINDOW = 4;
const rules = FilterRules.parse({ expression: 'tokens >= 0' });

export type Step =
  | { t: 'run'; k: number; input: number; output: number; cacheRead: number; cacheWrite: number; micros: number }
  | { t: 'live'; picks: number[] }
  | { t: 'poll'; kind: 'current' | 'same-again' | 'stale-old-time' | 'stale-stamped-now' | 'not-fresh' | 'partial'; back: number }
  | { t: 'reset'; k: number }
  | { t: 'wait'; ms: number };

const small = (max: number) => fc.integer({ min: 0, max });
// Live rows carry no cache tokens: with none, a live run and a poll can climb the very same watermark step.
const cache = (max: number) => fc.oneof(fc.constant(0), small(max));
export const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ t: fc.constant('run' as const), k: fc.nat(KEYS.length - 1), input: small(5000), output: small(800), cacheRead: cache(3000), cacheWrite: cache(300), micros: small(20_000) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('live' as const), picks: fc.array(fc.nat(REPEAT_WINDOW * KEYS.length), { maxLength: 5 }) }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('poll' as const), kind: fc.constantFrom('current', 'same-again', 'stale-old-time', 'stale-stamped-now', 'not-fresh', 'partial'), back: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('reset' as const), k: fc.nat(KEYS.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 3_600_000 }) }) },
);

interface Run {
  key: string;
  sessionId: string;
  runId: string;
  endedAt: number;
  input: number;
  output: number;
  micros: number;
}

/** The gateway's side: cumulative figures per transcript, the runs, and the snapshots it has served. */
class World {
  now = Date.UTC(2026, 11, 1);
  readonly current = new Map(KEYS.map((k) => [k, `${k}#0`]));
  readonly truth = new Map<string, Watermark>();
  readonly runs: Run[] = [];
  readonly history: Array<{ at: number; truth: Map<string, Watermark> }> = [];
  private resets = 0;
  private runCount = 0;

  run(s: Extract<Step, { t: 'run' }>): void {
    this.now += 1_000;
    const key = KEYS[s.k]!;
    const sessionId = this.current.get(key)!;
    const w = this.truth.get(sessionId) ?? { ...ZERO_WATERMARK };
    this.truth.set(sessionId, { input: w.input + s.input, output: w.output + s.output, cacheRead: w.cacheRead + s.cacheRead, cacheWrite: w.cacheWrite + s.cacheWrite, costMicros: w.costMicros + s.micros });
    this.runs.push({ key, sessionId, runId: `run-${++this.runCount}`, endedAt: this.now, input: s.input, output: s.output, micros: s.micros });
    this.history.push({ at: this.now, truth: new Map([...this.truth].map(([id, v]) => [id, { ...v }])) });
  }

  reset(k: number): void {
    this.current.set(KEYS[k]!, `${KEYS[k]}#${++this.resets}`);
  }

  /** The list: each key's current transcript, carrying its last run (what the real gateway shows). */
  rows(): SessionRow[] {
    return KEYS.map((key) => {
      const sessionId = this.current.get(key)!;
      const last = this.runs.findLast((r) => r.sessionId === sessionId);
      return this.rowOf(key, sessionId, last);
    });
  }

  rowOf(key: string, sessionId: string, run: Run | undefined): SessionRow {
    return SessionRow.parse({
      key, sessionId, kind: 'direct', classification: 'main', agentId: 'main', status: 'done', lastActivityAt: run?.endedAt ?? this.now,
      ...(run ? { lastRunId: run.runId, endedAt: run.endedAt, inputTokens: run.input, outputTokens: run.output, estimatedCostUsd: run.micros / 1e6 } : {}),
    });
  }

  usage(figures: Map<string, Watermark>, updatedAt: number, fresh: boolean, omit: (id: string) => boolean = () => false) {
    const rows = [...figures].filter(([id]) => !omit(id)).map(([sessionId, w]) =>
      UsageRow.parse({ key: sessionId.split('#')[0], sessionId, agentId: 'main', model: 'm', usage: { input: w.input, output: w.output, cacheRead: w.cacheRead, cacheWrite: w.cacheWrite, totalCost: w.costMicros / 1e6 } }),
    );
    return { updatedAt, fresh, bySessionId: new Map(rows.map((r) => [r.sessionId as string, r])) };
  }
}

/** Plays the steps against the real planners; returns what AgentWatch would keep (first delta per id). */
export async function playAccounting(steps: readonly Step[]): Promise<void> {
  const world = new World();
  const ledger = new MemoryLedger();
  const kept = new Map<string, SessionDelta>();
  const book = async (deltas: SessionDelta[], entries: Parameters<MemoryLedger['book']>[1]) => {
    await ledger.book(deltas, entries);
    for (const d of deltas) if (!kept.has(d.id)) kept.set(d.id, d);
  };
  const bookedNeverExceedsTruth = (when: string) => {
    for (const e of ledger.entries()) {
      const truth = world.truth.get(e.sessionId) ?? ZERO_WATERMARK;
      for (const c of WATERMARK_KEYS) assert.ok(e.booked[c] <= truth[c], `${when}: ${e.sessionId} ${c} booked ${e.booked[c]} > counted ${truth[c]} (a run booked twice)`);
    }
  };
  const poll = async (usage: ReturnType<World['usage']>) => {
    const plan = planBookings({ gatewayId: 'gw', rows: world.rows(), usage, ledger, now: world.now, rules });
    await book(plan.deltas, plan.entries);
  };
  let lastServed: ReturnType<World['usage']> | null = null;
  for (const s of steps) {
    if (s.t === 'run') world.run(s);
    else if (s.t === 'reset') world.reset(s.k);
    else if (s.t === 'wait') world.now += s.ms;
    else if (s.t === 'live') {
      const recent = KEYS.flatMap((k) => world.runs.filter((r) => r.sessionId === world.current.get(k)).slice(-REPEAT_WINDOW));
      const runs = recent.length === 0 ? [] : s.picks.map((i) => recent[i % recent.length]!).map((r) => ({ row: world.rowOf(r.key, r.sessionId, r), runId: r.runId }));
      world.now += 1;
      const plan = planLiveBookings({ gatewayId: 'gw', runs, ledger, now: world.now, rules });
      await book(plan.deltas, plan.entries);
    } else {
      world.now += 1;
      // A snapshot `back` runs old (before the first run: nothing counted yet).
      const at = world.history.length - 1 - s.back;
      const old = at >= 0 ? world.history[at]! : { at: world.now - 1, truth: new Map<string, Watermark>() };
      let usage: ReturnType<World['usage']>;
      if (s.kind === 'current') usage = world.usage(world.truth, world.now, true);
      else if (s.kind === 'same-again') usage = lastServed ?? world.usage(world.truth, world.now, true);
      else if (s.kind === 'stale-old-time') usage = world.usage(old.truth, old.at, true);
      else if (s.kind === 'stale-stamped-now') usage = world.usage(old.truth, world.now, true);
      else if (s.kind === 'not-fresh') usage = world.usage(old.truth, world.now, false);
      else usage = world.usage(world.truth, world.now, true, (id) => id.length % 2 === 0);
      lastServed = usage;
      await poll(usage);
    }
    bookedNeverExceedsTruth(`after ${s.t}${s.t === 'poll' ? ` ${s.kind}` : ''}`);
  }

  // One truthful snapshot settles everything; every run replayed afterwards is recognised as booked.
  world.now += 1;
  await poll(world.usage(world.truth, world.now, true));
  const tracked = new Set([...ledger.entries()].map((e) => e.sessionId));
  const replay = planLiveBookings({ gatewayId: 'gw', runs: world.runs.filter((r) => tracked.has(r.sessionId)).map((r) => ({ row: world.rowOf(r.key, r.sessionId, r), runId: r.runId })), ledger, now: world.now + 1, rules });
  assert.deepEqual(replay.deltas.map((d) => `${d.sessionId} ${JSON.stringify(d.tokens)}`), [], 'a replayed run is booked again');

  const sums = new Map<string, Watermark>();
  for (const d of kept.values()) {
    const t = sums.get(d.sessionId) ?? { ...ZERO_WATERMARK };
    sums.set(d.sessionId, { input: t.input + d.tokens.input, output: t.output + d.tokens.output, cacheRead: t.cacheRead + d.tokens.cacheRead, cacheWrite: t.cacheWrite + d.tokens.cacheWrite, costMicros: t.costMicros + d.costMicros });
  }
  // Which transcripts are synced is the filter's: one reset away before any poll listed it is never seen (as in
  // the engine property, test/sync/engine/incremental-exactness.test.ts). Every tracked one holds exactly the figure.
  const counted = new Map([...world.truth].filter(([id]) => tracked.has(id)));
  const received = new Map([...sums].filter(([id]) => tracked.has(id)));
  for (const id of tracked) if (!received.has(id)) received.set(id, { ...ZERO_WATERMARK });
  for (const id of tracked) if (!counted.has(id)) counted.set(id, { ...ZERO_WATERMARK });
  assert.deepEqual(received, counted, 'AgentWatch holds exactly what the gateway counted, per transcript and component');
}

test('booked deltas sum to the gateway figure per transcript and component, nothing booked twice, for any order of figures', async () => {
  await fc.assert(fc.asyncProperty(fc.array(stepArb, { maxLength: 40 }), playAccounting), { numRuns: 2000 });
});

// Found while writing the property: a live run books T1→T2, a snapshot stamped now but lagging a run settles it back
// to T1, the next truthful poll books T1→T2 again. Same watermarks, same status: the same delta id, which AgentWatch
// (and any idempotent sink) drops as a repeat, so the run was never counted.
test('regression: a step climbed again after a downward correction gets its own delta id', async () => {
  await playAccounting([
    { t: 'run', k: 0, input: 10, output: 5, cacheRead: 0, cacheWrite: 0, micros: 10 },
    { t: 'poll', kind: 'current', back: 0 },
    { t: 'run', k: 0, input: 20, output: 5, cacheRead: 0, cacheWrite: 0, micros: 10 },
    { t: 'live', picks: [1] },
    { t: 'poll', kind: 'stale-stamped-now', back: 1 },
    { t: 'poll', kind: 'current', back: 0 },
  ]);
});
