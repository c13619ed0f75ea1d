import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FilterRules } from '../../src/shared/settings.js';
import { judge } from '../../src/sync/filter.js';
import { SessionRow, UsageRow } from '../../src/sync/openclaw/types.js';
import { readFixture } from '../support/gateway-schemas.js';

const rows = readFixture<{ payload: { sessions: unknown[] } }>('sessions.list.snap2.json').payload.sessions.map((r) => SessionRow.parse(r));
const usage = readFixture<{ payload: { sessions: unknown[]; updatedAt: number } }>('sessions.usage.snap2.json').payload;
const usageBySid = new Map(usage.sessions.map((u) => UsageRow.parse(u)).map((u) => [u.sessionId, u]));
const rules = FilterRules.parse({});
const now = usage.updatedAt;

test('each captured classification gets the seed decision and a reason', () => {
  const decisions = rows.map((row) => {
    const v = judge({ row, usage: usageBySid.get(row.sessionId), tracked: false }, now, rules);
    return `${row.classification}:${v.keep ? 'keep' : 'skip'}`;
  });
  assert.deepEqual(decisions.sort(), ['channel:keep', 'cron:skip', 'group:keep', 'main:keep', 'main:keep', 'subagent:keep']);
  const cron = rows.find((r) => r.classification === 'cron')!;
  assert.deepEqual(judge({ row: cron, usage: usageBySid.get(cron.sessionId), tracked: false }, now, rules), { keep: false, reason: 'classification=cron' });
});

test('classes outside the list stay out even when tracked; a subagent is in although it is a background session', () => {
  const base = rows.find((r) => r.classification === 'subagent')!;
  assert.equal(base.isBackground, true);
  for (const cls of ['heartbeat', 'hook', 'system', 'acp', 'dreaming']) {
    const v = judge({ row: { ...base, classification: cls }, usage: usageBySid.get(base.sessionId), tracked: true }, now, rules);
    assert.deepEqual(v, { keep: false, reason: `classification=${cls}` });
  }
});

test('inactive for more than 30 minutes: skipped when new, kept when already tracked', () => {
  const main = rows.find((r) => r.key === 'agent:main:main')!;
  const later = (main.lastActivityAt ?? 0) + 31 * 60_000;
  assert.equal(judge({ row: main, usage: usageBySid.get(main.sessionId), tracked: false }, later, rules).reason, 'active <= 30m: active=31m');
  assert.equal(judge({ row: main, usage: usageBySid.get(main.sessionId), tracked: true }, later, rules).keep, true);
  assert.equal(judge({ row: { ...main, hasActiveRun: true }, usage: usageBySid.get(main.sessionId), tracked: false }, later, rules).keep, true, 'a run in progress is activity');
});

test('fewer than 10 lifetime tokens is noise; thresholds are settings', () => {
  const main = rows.find((r) => r.key === 'agent:main:main')!;
  const tiny = UsageRow.parse({ key: main.key, sessionId: main.sessionId, usage: { input: 6, output: 3 } });
  assert.deepEqual(judge({ row: main, usage: tiny, tracked: false }, now, rules), { keep: false, reason: 'tokens >= 10: tokens=9' });
  assert.equal(judge({ row: main, usage: tiny, tracked: false }, now, FilterRules.parse({ minTokens: 5 })).keep, true);
  assert.equal(judge({ row: main, usage: undefined, tracked: false }, now, rules).reason, 'tokens >= 10: tokens=0', 'no usage yet counts as no tokens');
});
