process.env.TZ = 'UTC';
import assert from 'node:assert/strict';
import test from 'node:test';
import type { MenuItemConstructorOptions } from 'electron';
import { buildMenu, trayTooltip, TOOLTIP_MAX, type TrayActions } from '../../src/main/tray-menu.js';
import { clockFormatter } from '../../src/shared/format-clock.js';
import type { ActiveSession } from '../../src/shared/sync-status.js';
import { findMenuItem } from '../support/fake-electron/menu.js';
import { FakeEngine, status } from './fake-engine.js';

const NOW = Date.UTC(2026, 10, 3, 12, 1, 45);
const LAST = Date.UTC(2026, 10, 3, 12, 1, 30);
// en-GB reads a 24-hour clock; the locale test below checks that en-US turns the same menu 12-hour.
const GRACE_MS = 10 * 60_000;
const OPTS = { dashboardUrl: 'http://localhost:8766', formatTime: clockFormatter('en-GB'), finishedGraceMs: GRACE_MS, trayTitle: 'off' as const };

function actionsFor(engine: FakeEngine) {
  const done: string[] = [];
  const actions: TrayActions = {
    pause: () => engine.pause(),
    resume: () => engine.resume(),
    runOnce: () => void engine.runOnce(),
    openSettings: () => done.push('settings'),
    openExternal: (url) => done.push(`open ${url}`),
    openLogFile: () => done.push('log'),
    copyText: (text) => done.push(`copy ${text}`),
    restartToUpdate: () => done.push('restart-to-update'),
    quit: () => done.push('quit'),
  };
  return { actions, done };
}

function item(menu: MenuItemConstructorOptions[], id: string): MenuItemConstructorOptions {
  const found = findMenuItem(menu, id);
  assert.ok(found, `menu item ${id}`);
  return found;
}

function click(menu: MenuItemConstructorOptions[], id: string): void {
  const fn = item(menu, id).click as (() => void) | undefined;
  assert.ok(fn, `${id} is clickable`);
  fn();
}

const session = (key: string, patch: Partial<ActiveSession> = {}): ActiveSession => ({
  key, agentId: 'main', model: 'claude-opus-4', status: 'running', tokens: 12_345, costMicros: 0, contextUsedPct: 41.6, subagent: false, endedAt: null, ...patch,
});

test('every item has a unique id', () => {
  const { actions } = actionsFor(new FakeEngine());
  const ids: string[] = [];
  const walk = (items: MenuItemConstructorOptions[]) => {
    for (const i of items) {
      assert.ok(i.id, `item ${i.label ?? i.type} has an id`);
      ids.push(i.id);
      if (Array.isArray(i.submenu)) walk(i.submenu);
    }
  };
  walk(buildMenu(status({ activeSessions: [session('a'), session('b')] }), NOW, actions, OPTS));
  assert.equal(new Set(ids).size, ids.length);
});

test('ok state: status line, counters, Pause, and the clicks reach the engine', async () => {
  const engine = new FakeEngine();
  const { actions, done } = actionsFor(engine);
  const s = status({ mode: 'live', lastSuccessAt: LAST, pollCount: 1234, failedPolls: 2, eventsDelivered: 98_765, outboxDepth: 3 });
  const menu = buildMenu(s, NOW, actions, OPTS);
  assert.equal(item(menu, 'status').label, 'Up to date · live · last sync 12:01:30 (15 s ago)');
  assert.equal(item(menu, 'status').enabled, false);
  assert.equal(item(menu, 'poll-count').label, 'Polls: 1,234 (2 failed)');
  assert.equal(item(menu, 'events-delivered').label, 'Events delivered: 98,765');
  assert.equal(item(menu, 'outbox').label, 'Outbox: 3 waiting');
  assert.equal(item(menu, 'last-error').label, 'No errors');
  assert.equal(item(menu, 'last-error').enabled, false);
  assert.equal(item(menu, 'toggle-pause').label, 'Pause');
  click(menu, 'toggle-pause');
  click(menu, 'run-once');
  assert.deepEqual(engine.calls, ['pause', 'runOnce']);
  click(menu, 'open-settings');
  click(menu, 'open-dashboard');
  click(menu, 'open-log');
  click(menu, 'quit');
  assert.deepEqual(done, ['settings', 'open http://localhost:8766', 'log', 'quit']);
});

test('paused state offers Resume, which resumes the engine', () => {
  const engine = new FakeEngine();
  const { actions } = actionsFor(engine);
  const menu = buildMenu(status({ phase: 'paused', lastSuccessAt: LAST }), NOW, actions, OPTS);
  assert.equal(item(menu, 'toggle-pause').label, 'Resume');
  assert.match(String(item(menu, 'status').label), /^Paused · polling · last sync 12:01:30/);
  click(menu, 'toggle-pause');
  assert.deepEqual(engine.calls, ['resume']);
});

test('a long last error is cut at a word, never mid-word, and the copied details keep the full text', () => {
  const { actions, done } = actionsFor(new FakeEngine());
  const message = 'Start the gateway with openclaw gateway start, then try again';
  const menu = buildMenu(status({ consecutiveErrors: 1, lastError: { code: 'NETWORK', message, at: LAST } }), NOW, actions, OPTS);
  const label = String(item(menu, 'last-error').label);
  assert.equal(label, 'Copy last error: Start the gateway with openclaw gateway…');
  assert.ok(label.length <= 60);
  click(menu, 'last-error');
  assert.ok(done.some((d) => d.includes(message)), done.join('\n'));
});

test('an error naming a URL keeps the URL and the words after it within the 60 characters', () => {
  const { actions } = actionsFor(new FakeEngine());
  const message = 'AgentWatch at http://localhost:8765 did not answer. Start the dashboard or fix the URL in Settings.';
  const label = String(item(buildMenu(status({ consecutiveErrors: 1, lastError: { code: 'NETWORK', message, at: LAST } }), NOW, actions, OPTS), 'last-error').label);
  assert.equal(label, 'Copy last error: AgentWatch at http://localhost:8765 did…');
  assert.ok(label.length <= 60, `label is ${label.length} characters`);
});

test('error state: the last error is clickable and copies code, message and details', () => {
  const { actions, done } = actionsFor(new FakeEngine());
  const error = { code: 'AUTH', message: 'Gateway rejected the token. Paste a new one in Settings.', at: LAST, details: 'close code 1008' };
  const menu = buildMenu(status({ consecutiveErrors: 2, lastError: error, lastSuccessAt: LAST - 60_000, eventsDeadLettered: 4 }), NOW, actions, OPTS);
  assert.match(String(item(menu, 'status').label), /^Sync failing · polling · last sync 12:00:30/);
  const label = String(item(menu, 'last-error').label);
  assert.equal(label, 'Copy last error: Gateway rejected the token. Paste a new…');
  assert.ok(label.length <= 60, `label is ${label.length} characters`);
  assert.notEqual(item(menu, 'last-error').enabled, false);
  assert.equal(item(menu, 'outbox').label, 'Outbox: 0 waiting · 4 parked');
  click(menu, 'last-error');
  assert.deepEqual(done, ['copy AUTH: Gateway rejected the token. Paste a new one in Settings.\nat 2026-11-03T12:01:30.000Z\nclose code 1008']);
});

test('stale and syncing states say so; never synced is explicit', () => {
  const { actions } = actionsFor(new FakeEngine());
  assert.match(String(item(buildMenu(status({ lastSuccessAt: NOW - 10 * 60_000 }), NOW, actions, OPTS), 'status').label), /^Stale · .* \(10 min ago\)$/);
  assert.equal(item(buildMenu(status({ phase: 'starting' }), NOW, actions, OPTS), 'status').label, 'Syncing… · polling · never synced');
});

test('stopped engine disables Pause and Run once', () => {
  const { actions } = actionsFor(new FakeEngine());
  const menu = buildMenu(status({ phase: 'stopped' }), NOW, actions, OPTS);
  assert.equal(item(menu, 'toggle-pause').enabled, false);
  assert.equal(item(menu, 'run-once').enabled, false);
});

test('sessions submenu puts running sessions first and stays capped with 200 sessions', () => {
  const { actions } = actionsFor(new FakeEngine());
  const done = Array.from({ length: 199 }, (_, i) => session(`agent:old:${i}`, { agentId: `old${i}`, status: 'success' }));
  const running = session('agent:live:main', { agentId: 'live', status: 'running' });
  const menu = buildMenu(status({ activeSessions: [...done, running] }), NOW, actions, OPTS);
  const labels = (item(menu, 'sessions').submenu as MenuItemConstructorOptions[]).map((i) => String(i.label));
  assert.match(labels[0] ?? '', /^live · /);
  assert.equal(labels.length, 21);
  assert.equal(labels.at(-1), '… and 180 more');
});

test('finished sub-agents stay listed for the grace period, then fold into "+N finished"; running and main sessions never fold', () => {
  const { actions } = actionsFor(new FakeEngine());
  const sub = (i: number, endedAgo: number) =>
    session(`agent:main:subagent:${i}`, { agentId: `sub${i}`, subagent: true, status: 'success', endedAt: NOW - endedAgo });
  const sessions = [
    sub(1, GRACE_MS + 1), sub(2, 30 * 60_000), sub(3, GRACE_MS - 1_000), sub(4, 2 * GRACE_MS), sub(5, GRACE_MS),
    session('agent:main:subagent:live', { agentId: 'busy', subagent: true, status: 'running' }),
    session('agent:main:main', { status: 'success', endedAt: NOW - 60 * 60_000 }),
  ];
  const labels = (opts: typeof OPTS) => (item(buildMenu(status({ activeSessions: sessions }), NOW, actions, opts), 'sessions').submenu as MenuItemConstructorOptions[]).map((i) => String(i.label));
  const menu = buildMenu(status({ activeSessions: sessions }), NOW, actions, OPTS);
  assert.equal(item(menu, 'sessions').label, 'Active sessions (3)');
  assert.deepEqual(labels(OPTS).map((l) => l.split(' · ')[0]), ['busy', 'sub3', 'main', '+4 finished']);
  assert.deepEqual(labels({ ...OPTS, finishedGraceMs: 60 * 60_000 }).map((l) => l.split(' · ')[0]), ['busy', 'sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'main']);
  const allFinished = buildMenu(status({ activeSessions: [sub(1, GRACE_MS)] }), NOW, actions, OPTS);
  assert.deepEqual((item(allFinished, 'sessions').submenu as MenuItemConstructorOptions[]).map((i) => i.label), ['+1 finished']);
});

test('the context marker fills one cell per 20 %', () => {
  const { actions } = actionsFor(new FakeEngine());
  const label = (pct: number) => String((item(buildMenu(status({ activeSessions: [session('k', { contextUsedPct: pct })] }), NOW, actions, OPTS), 'sessions').submenu as MenuItemConstructorOptions[])[0]?.label);
  assert.match(label(0), /· 0% context ▱▱▱▱▱$/);
  assert.match(label(67), /· 67% context ▰▰▰▱▱$/);
  assert.match(label(100), /· 100% context ▰▰▰▰▰$/);
  assert.match(label(130), /· 130% context ▰▰▰▰▰$/);
});

test('sessions submenu lists agent · model · tokens · context %', () => {
  const { actions } = actionsFor(new FakeEngine());
  const sessions = [session('agent:main:main'), session('agent:ops:sub', { agentId: 'ops', model: null, tokens: 7, contextUsedPct: null })];
  const menu = buildMenu(status({ activeSessions: sessions }), NOW, actions, OPTS);
  assert.equal(item(menu, 'sessions').label, 'Active sessions (2)');
  assert.deepEqual(
    (item(menu, 'sessions').submenu as MenuItemConstructorOptions[]).map((i) => [i.id, i.label, i.enabled]),
    [
      ['session:agent:main:main', 'main · claude-opus-4 · 12,345 tokens · 42% context ▰▰▱▱▱', false],
      ['session:agent:ops:sub', 'ops · unknown model · 7 tokens', false],
    ],
  );
  const empty = buildMenu(status(), NOW, actions, OPTS);
  assert.deepEqual((item(empty, 'sessions').submenu as MenuItemConstructorOptions[]).map((i) => i.label), ['No active sessions']);
});

test('tooltip: exact text for a fixed status in UTC, plus paused and error hints, capped at 127 chars', () => {
  const sessions = ['a', 'b', 'c', 'd', 'e'].map((k) => session(k));
  const s = status({ lastSuccessAt: LAST, activeSessions: sessions, tokensToday: 12_345 });
  assert.equal(trayTooltip(s, NOW, OPTS), 'AgentWatch Sync — last sync 12:01:30 · 5 sessions · 12,345 tokens today');
  assert.equal(trayTooltip({ ...s, phase: 'paused' }, NOW, OPTS), 'AgentWatch Sync — last sync 12:01:30 · 5 sessions · 12,345 tokens today · paused');
  const long = { ...s, consecutiveErrors: 1, lastError: { code: 'NETWORK', message: 'x'.repeat(200), at: NOW } };
  const tip = trayTooltip(long, NOW, OPTS);
  assert.equal(tip.length, TOOLTIP_MAX);
  assert.ok(tip.startsWith('AgentWatch Sync — last sync 12:01:30 · 5 sessions · 12,345 tokens today · error: xxx'));
  assert.ok(tip.endsWith('…'));
});

test('the menu and tooltip read the clock of the app locale: 12-hour in en-US, 24-hour in de', () => {
  const { actions } = actionsFor(new FakeEngine());
  const s = status({ lastSuccessAt: LAST });
  const us = { ...OPTS, formatTime: clockFormatter('en-US') };
  assert.equal(trayTooltip(s, NOW, us), 'AgentWatch Sync — last sync 12:01:30 PM · 0 sessions · 0 tokens today');
  assert.equal(item(buildMenu(s, NOW, actions, us), 'status').label, 'Up to date · polling · last sync 12:01:30 PM (15 s ago)');
  const morning = Date.UTC(2026, 10, 3, 9, 5, 7);
  assert.equal(clockFormatter('en-US')(morning), '9:05:07 AM');
  assert.equal(clockFormatter('de-DE')(morning), '09:05:07');
  assert.equal(clockFormatter('not a locale!')(morning), clockFormatter(undefined)(morning), 'a malformed LANG falls back, no throw');
});

test('a downloaded update adds "Restart to update to vX.Y.Z" just above Quit; without one there is no such item', () => {
  const { actions, done } = actionsFor(new FakeEngine());
  assert.equal(findMenuItem(buildMenu(status(), NOW, actions, OPTS), 'restart-to-update'), undefined);
  const menu = buildMenu(status(), NOW, actions, { ...OPTS, updateVersion: '0.2.0' });
  const ids = menu.map((i) => i.id);
  assert.equal(item(menu, 'restart-to-update').label, 'Restart to update to v0.2.0');
  assert.equal(ids.indexOf('restart-to-update'), ids.indexOf('quit') - 1);
  click(menu, 'restart-to-update');
  assert.deepEqual(done, ['restart-to-update']);
});

test('the menu shows today\'s tokens and cost; with unpriced runs the cost reads as a lower bound', () => {
  const { actions } = actionsFor(new FakeEngine());
  const exact = buildMenu(status({ tokensToday: 12_345, costMicrosToday: 1_234_000 }), NOW, actions, OPTS);
  assert.equal(item(exact, 'today').label, 'Today: 12,345 tokens · $1.23');
  const one = buildMenu(status({ tokensToday: 12_345, costMicrosToday: 1_234_000, unpricedToday: 1 }), NOW, actions, OPTS);
  assert.equal(item(one, 'today').label, 'Today: 12,345 tokens · ≥ $1.23 (1 run unpriced)');
  const free = buildMenu(status({ tokensToday: 900, costMicrosToday: 0, unpricedToday: 3 }), NOW, actions, OPTS);
  assert.equal(item(free, 'today').label, 'Today: 900 tokens · ≥ $0.00 (3 runs unpriced)', 'unpriced usage never reads as free');
  assert.equal(item(free, 'today').enabled, false);
});
