import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KeyUsage } from '../../src/sync/openclaw/usage-by-key.js';
import { SessionRow } from '../../src/sync/openclaw/types.js';
import { coverNeeded, coversAll, lacksLastRun, RUN_LAG_GRACE_MS, trustKeyUsage } from '../../src/sync/usage-trust.js';

const figures = { input: 10, output: 5, cacheRead: 0, cacheWrite: 0, totalTokens: 15, totalCost: 0.001, missingCostEntries: 0 };
/** A listed row whose last run ended at `endedAt` (the time a per-key figure must cover). */
const ended = (endedAt: number) => SessionRow.parse({ key: 'agent:main:main', sessionId: 's', endedAt });
const answer = (over: Partial<KeyUsage> = {}): KeyUsage => ({ key: 'agent:main:main', row: { key: 'agent:main:main', sessionId: 's', usage: figures }, updatedAt: 2_000, status: 'fresh', invalid: false, ...over });

test('a fresh figure computed after the last run is trusted', () => {
  assert.deepEqual(trustKeyUsage(answer(), ended(2_000), 2_000), { trusted: true });
  assert.deepEqual(trustKeyUsage(answer({ row: null }), ended(1_000), 1_000), { trusted: true }, 'no usage row yet: nothing to book');
});

test('the gateway traps are not trusted: refreshing, usage null, an old figure labelled fresh, an unreadable row', () => {
  assert.deepEqual(trustKeyUsage(answer({ status: 'refreshing' }), ended(0), 0), { trusted: false, reason: 'usage cache refreshing' });
  assert.deepEqual(trustKeyUsage(answer({ row: { key: 'agent:main:main', sessionId: 's', usage: null } }), ended(0), 0), { trusted: false, reason: 'usage not known yet (null)' });
  assert.deepEqual(trustKeyUsage(answer({ updatedAt: 1_999 }), ended(2_000), 2_000), { trusted: false, reason: 'usage figure older than its last run (1999 < 2000)' });
  assert.deepEqual(trustKeyUsage(answer({ row: null, invalid: true }), ended(0), 0), { trusted: false, reason: 'unreadable usage row' });
});

test('the cover is the last run end, falling back to updatedAt; the all-sessions answer follows the same rule', () => {
  assert.equal(coverNeeded({ endedAt: 5, updatedAt: 9 }), 5);
  assert.equal(coverNeeded({ endedAt: null, updatedAt: 9 }), 9);
  assert.equal(coverNeeded(undefined), 0);
  assert.equal(coversAll({ fresh: true, updatedAt: 5 }, 5), true);
  assert.equal(coversAll({ fresh: true, updatedAt: 4 }, 5), false);
  assert.equal(coversAll({ fresh: false, updatedAt: 9 }, 5), false);
});

test('a fresh figure whose last activity predates the last run lacks that run, for half a minute after it ended', () => {
  const row = { key: 'agent:main:main', sessionId: 's', startedAt: 10_000, endedAt: 11_400 };
  const before = { key: 'agent:main:main', sessionId: 's', usage: { ...figures, lastActivity: 9_500 } };
  const after = { key: 'agent:main:main', sessionId: 's', usage: { ...figures, lastActivity: 11_300 } };
  assert.equal(lacksLastRun(before, row, 12_000), true);
  assert.equal(lacksLastRun(after, row, 12_000), false, 'the real gateway: last activity between the run start and end');
  assert.equal(lacksLastRun(before, row, 11_400 + RUN_LAG_GRACE_MS + 1), false, 'a run that used no model waits half a minute at most');
  assert.equal(lacksLastRun(before, { ...row, abortedLastRun: true }, 12_000), false, 'an aborted run may have no usage');
  assert.equal(lacksLastRun(before, { ...row, startedAt: 12_000, endedAt: 11_400 }, 12_500), false, 'a run still going is not the one to cover');
  assert.equal(lacksLastRun({ ...before, usage: { ...figures } }, row, 12_000), false, 'no activity time: the updatedAt rule alone');
  assert.equal(lacksLastRun(before, undefined, 12_000), false);
  const listed = SessionRow.parse(row);
  assert.deepEqual(trustKeyUsage(answer({ row: before, updatedAt: 12_000 }), listed, 12_000), { trusted: false, reason: 'usage figure lacks its last run (its last activity is before the run began)' }, 'a per-key answer is held to it too');
  assert.deepEqual(trustKeyUsage(answer({ row: after, updatedAt: 12_000 }), listed, 12_000), { trusted: true });
});
