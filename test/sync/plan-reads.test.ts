import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FilterRules } from '../../src/shared/settings.js';
import type { SessionRow } from '../../src/sync/openclaw/types.js';
import { markOf, planReads, PER_KEY_ATTEMPTS_MAX, PER_KEY_PATIENCE_MS, PER_KEY_SHARE_MIN, type ReadPlanInput, type RowMark } from '../../src/sync/plan-reads.js';

const NOW = 1_800_000_000_000;
const rules = FilterRules.parse({});

function row(key: string, over: Partial<SessionRow> = {}): SessionRow {
  return { key, sessionId: `sid-${key}`, classification: 'main', agentId: 'main', status: 'done', updatedAt: NOW - 60_000, endedAt: NOW - 60_000, ...over };
}

function input(rows: SessionRow[], over: Partial<ReadPlanInput> = {}): ReadPlanInput {
  const marks = new Map<string, RowMark>(rows.map((r) => [r.key, markOf(r)]));
  return { rows, marks, pending: new Map(), tracked: () => true, now: NOW, rules, reconcile: null, ...over };
}

test('nothing moved and nothing pending: no usage read at all', () => {
  const rows = [row('agent:main:main'), row('agent:ops:main')];
  assert.deepEqual(planReads(input(rows)), { path: 'none', reason: 'nothing changed' });
});

test('a row whose run ended again is read by key, alone', () => {
  const rows = [row('agent:main:main'), row('agent:ops:main')];
  const later = [rows[0]!, { ...rows[1]!, endedAt: NOW - 1_000, updatedAt: NOW - 1_000 }];
  const plan = planReads(input(later, { marks: input(rows).marks }));
  assert.equal(plan.path, 'per-key');
  assert.deepEqual(plan.path === 'per-key' && plan.reads.map((r) => [r.key, r.why]), [['agent:ops:main', 'changed']]);
});

test('a status change alone (running → done) is a change; a new row is read as new', () => {
  const old = row('agent:main:main', { status: 'running' });
  const plan = planReads(input([{ ...old, status: 'done' }, row('agent:main:telegram:group:1', { classification: 'group' })], { marks: new Map([[old.key, markOf(old)]]) }));
  assert.deepEqual(plan.path === 'per-key' && plan.reads.map((r) => r.why), ['changed', 'new']);
});

test('a reset reads the key and the old transcript under agent:<id>:<oldSessionId>', () => {
  const before = row('agent:main:main');
  const after = { ...before, sessionId: 'sid-new', updatedAt: NOW - 5 };
  const plan = planReads(input([after], { marks: new Map([[before.key, markOf(before)]]) }));
  assert.deepEqual(plan.path === 'per-key' && plan.reads.map((r) => [r.key, r.why]), [
    ['agent:main:main', 'reset'],
    [`agent:main:${before.sessionId}`, 'retired'],
  ]);
});

test('rows the filter skips whatever their usage are not read; rows it may keep are', () => {
  const cron = row('agent:main:cron:job', { classification: 'cron' });
  const fresh = row('agent:main:main');
  const plan = planReads(input([cron, fresh], { marks: new Map(), tracked: () => false }));
  assert.deepEqual(plan.path === 'per-key' && plan.reads.map((r) => r.key), ['agent:main:main'], 'tokens >= 10 is unknown before the read');
  const custom = FilterRules.parse({ expression: 'classification in (cron)' });
  const plan2 = planReads(input([cron, fresh], { marks: new Map(), tracked: () => false, rules: custom }));
  assert.deepEqual(plan2.path === 'per-key' && plan2.reads.map((r) => r.key), ['agent:main:cron:job'], 'a custom expression decides, not `classes`');
});

test('pending keys are read again, also after they left the list window; failures past the cache lifetime read everything', () => {
  const rows = [row('agent:main:main')];
  const base = input(rows);
  const pending = new Map([['agent:gone:main', { attempts: 1, reason: 'usage cache refreshing', since: base.now }]]);
  const plan = planReads(input(rows, { pending }));
  assert.deepEqual(plan.path === 'per-key' && plan.reads.map((r) => [r.key, r.why, r.row]), [['agent:gone:main', 'pending', undefined]]);
  // Three failures inside the gateway's 30 s cache lifetime (a 5 s interval) are the cached figure, not a broken key.
  const soon = new Map([['agent:gone:main', { attempts: PER_KEY_ATTEMPTS_MAX, reason: 'usage cache refreshing', since: base.now - 15_000 }]]);
  assert.equal(planReads(input(rows, { pending: soon })).path, 'per-key');
  const stuck = new Map([['agent:gone:main', { attempts: PER_KEY_ATTEMPTS_MAX, reason: 'usage cache refreshing', since: base.now - PER_KEY_PATIENCE_MS }]]);
  const fallback = planReads(input(rows, { pending: stuck }));
  assert.equal(fallback.path, 'all');
  assert.match(fallback.reason, /agent:gone:main: per-key usage unusable 3 times \(usage cache refreshing\)/);
});

test('more changed rows than the per-key limit read everything once; a due reconciliation always does', () => {
  const rows = Array.from({ length: 4 }, (_, i) => row(`agent:a${i}:main`));
  const plan = planReads(input(rows, { marks: new Map(), perKeyMax: 3 }));
  assert.deepEqual(plan, { path: 'all', reason: '4 changed (more than 3 per-key reads)' });
  assert.deepEqual(planReads(input(rows, { marks: new Map(), perKeyMax: 4 })).path, 'per-key');
  assert.deepEqual(planReads(input(rows, { reconcile: 'scheduled' })), { path: 'all', reason: 'reconciliation (scheduled)' });
});

test('more than half of the known sessions changed: one read for all of them instead of one per key', () => {
  const rows = Array.from({ length: 20 }, (_, i) => row(`agent:a${i}:main`));
  const marks = input(rows).marks;
  const moved = (n: number) => rows.map((r, i) => (i < n ? { ...r, updatedAt: NOW - 1_000, endedAt: NOW - 1_000 } : r));
  assert.deepEqual(planReads(input(moved(11), { marks })), { path: 'all', reason: '11 of 20 sessions changed (one read costs less)' });
  assert.equal(planReads(input(moved(10), { marks })).path, 'per-key', 'exactly half: per key');
  const few = rows.slice(0, PER_KEY_SHARE_MIN - 1);
  const fewMoved = few.map((r) => ({ ...r, updatedAt: NOW - 1_000, endedAt: NOW - 1_000 }));
  assert.equal(planReads(input(fewMoved, { marks: input(few).marks })).path, 'per-key', 'a small store whose every session changed: still per key');
});
