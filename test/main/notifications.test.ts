import assert from 'node:assert/strict';
import test from 'node:test';
import { DEFAULT_NOTIFICATION_PREFS, type NotificationPrefs } from '../../src/shared/notification-prefs.js';
import { createNotifier, notificationsFor, type AppNotification, type NotifierMemory } from '../../src/main/notifications.js';
import type { SyncStatus } from '../../src/shared/sync-status.js';
import { recordingLogger, status } from './fake-engine.js';

const DAY = '2026-11-03';
const opts = (prefs: Partial<NotificationPrefs> = {}, shown: ReadonlySet<string> = new Set()) => ({ prefs: { ...DEFAULT_NOTIFICATION_PREFS, ...prefs }, day: DAY, shown });
const ids = (prev: SyncStatus, next: SyncStatus, o = opts()) => notificationsFor(prev, next, o).map((n) => n.id);

const ok = status({ lastSuccessAt: 100 });
const failing = (n: number) => status({ lastSuccessAt: 100, consecutiveErrors: n, lastError: { code: 'NETWORK', message: 'Gateway unreachable at 127.0.0.1:18789. Is it running?', at: 200 } });

test('first failure after success notifies once with the actionable message; further failures stay quiet', () => {
  const [n] = notificationsFor(ok, failing(1), opts());
  assert.deepEqual(n, { id: 'failure', title: 'AgentWatch Sync stopped syncing', body: 'Gateway unreachable at 127.0.0.1:18789. Is it running?' });
  assert.deepEqual(ids(failing(1), failing(2)), []);
  assert.deepEqual(ids(failing(2), failing(3)), []);
});

test('recovery notifies only after a real success following failures', () => {
  assert.deepEqual(ids(failing(3), status({ lastSuccessAt: 500 })), ['recovery']);
  assert.deepEqual(ids(ok, status({ lastSuccessAt: 500 })), [], 'no recovery without a failure');
  // A restarted engine starts at zero errors but has not succeeded: not a recovery.
  assert.deepEqual(ids(failing(3), status()), []);
});

test('newly dead-lettered events notify with the count; an unchanged count does not', () => {
  const [n] = notificationsFor(status({ eventsDeadLettered: 2 }), status({ eventsDeadLettered: 5 }), opts());
  assert.equal(n?.id, 'dead-letter');
  assert.equal(n?.title, '3 events could not be delivered');
  assert.deepEqual(ids(status({ eventsDeadLettered: 5 }), status({ eventsDeadLettered: 5 })), []);
});

test('each kind can be turned off', () => {
  const off = opts({ failure: false, recovery: false, deadLetter: false });
  assert.deepEqual(ids(ok, failing(1), off), []);
  assert.deepEqual(ids(failing(1), status({ lastSuccessAt: 500 }), off), []);
  assert.deepEqual(ids(status(), status({ eventsDeadLettered: 1 }), off), []);
});

test('budgets are off by default and fire when reached, unless already shown that day', () => {
  assert.deepEqual(ids(status(), status({ tokensToday: 10_000_000 })), []);
  const budgets = { dailyTokenBudget: 100_000, dailyUsdBudget: 5 };
  const over = status({ tokensToday: 100_000, costMicrosToday: 5_500_000 });
  const list = notificationsFor(status(), over, opts(budgets));
  assert.deepEqual(list.map((n) => n.id), [`budget-tokens:${DAY}`, `budget-usd:${DAY}`]);
  assert.equal(list[1]?.body, '$5.50 today (budget $5.00).');
  assert.deepEqual(ids(status(), over, opts(budgets, new Set([`budget-tokens:${DAY}`, `budget-usd:${DAY}`]))), []);
  assert.deepEqual(ids(status(), status({ tokensToday: 99_999 }), opts(budgets)), []);
});

test('the notifier shows each transition once, and a budget once per day even across an engine restart', () => {
  const shown: AppNotification[] = [];
  let now = new Date(2026, 10, 3, 9).getTime();
  const notify = createNotifier(
    { show: (n) => shown.push(n), isSupported: () => true, prefs: () => ({ ...DEFAULT_NOTIFICATION_PREFS, dailyTokenBudget: 1000 }), now: () => now, log: recordingLogger().log },
    status(),
  );
  notify(ok);
  notify(failing(1));
  notify(failing(2));
  notify(failing(3));
  notify(status({ lastSuccessAt: 900, tokensToday: 1500 }));
  notify(status({ lastSuccessAt: 950, tokensToday: 1600 }));
  notify(status()); // engine restarted: counters back to zero
  notify(status({ lastSuccessAt: 990, tokensToday: 1700 }));
  assert.deepEqual(shown.map((n) => n.id), ['failure', 'recovery', 'budget-tokens:2026-11-03']);
  now = new Date(2026, 10, 4, 9).getTime();
  notify(status({ lastSuccessAt: 2000, tokensToday: 1200 }));
  assert.deepEqual(shown.map((n) => n.id).at(-1), 'budget-tokens:2026-11-04');
});

test('without notification support nothing is shown but the decision is logged', () => {
  const shown: AppNotification[] = [];
  const rec = recordingLogger();
  const notify = createNotifier({ show: (n) => shown.push(n), isSupported: () => false, prefs: () => DEFAULT_NOTIFICATION_PREFS, now: () => 0, log: rec.log }, ok);
  notify(failing(1));
  assert.deepEqual(shown, []);
  assert.ok(rec.lines.some((l) => l.level === 'info' && l.message.startsWith('Notification: AgentWatch Sync stopped syncing')));
});

test('a failure carried over from the last run is not shown again; a settings restart in this run makes the next failure news', () => {
  const shown: AppNotification[] = [];
  const saved: NotifierMemory[] = [];
  const now = new Date(2026, 10, 3, 9).getTime();
  const notify = createNotifier(
    {
      show: (n) => shown.push(n), isSupported: () => true, prefs: () => DEFAULT_NOTIFICATION_PREFS, now: () => now, log: recordingLogger().log,
      memory: { initial: { day: '2026-11-03', shown: [], failing: true }, save: (m) => saved.push(m) },
    },
    status(),
  );
  notify(failing(1)); // the new app's first poll fails as the last run's did
  assert.deepEqual(shown.map((n) => n.id), []);
  notify(status()); // the user changed a setting: a new engine, no error and no success yet
  notify(failing(1));
  assert.deepEqual(shown.map((n) => n.id), ['failure']);
  notify(status({ lastSuccessAt: 900 }));
  assert.deepEqual(shown.map((n) => n.id), ['failure', 'recovery']);
  assert.equal(saved.at(-1)?.failing, false, 'the recovery is kept too');
});

test('a cost budget figure with unpriced runs says so: over it reads as a lower bound, under it warns once a day', () => {
  const budgets = { dailyUsdBudget: 5 };
  const over = notificationsFor(status(), status({ costMicrosToday: 5_500_000, unpricedToday: 2 }), opts(budgets));
  assert.deepEqual(over.map((n) => [n.id, n.body]), [[`budget-usd:${DAY}`, '≥ $5.50 (2 runs unpriced) today (budget $5.00).']]);
  const under = notificationsFor(status(), status({ costMicrosToday: 1_000_000, unpricedToday: 1 }), opts(budgets));
  assert.deepEqual(under.map((n) => [n.id, n.title, n.body]), [[
    `budget-usd-unpriced:${DAY}`,
    'Daily cost budget: cost incomplete',
    "≥ $1.00 (1 run unpriced) today (budget $5.00): the unpriced runs' cost is unknown, so the budget may already be reached.",
  ]]);
  assert.deepEqual(ids(status(), status({ costMicrosToday: 1_000_000, unpricedToday: 1 }), opts(budgets, new Set([`budget-usd-unpriced:${DAY}`]))), [], 'once a day');
  assert.deepEqual(ids(status(), status({ costMicrosToday: 1_000_000, unpricedToday: 1 }), opts()), [], 'no budget, nothing to warn about');
  assert.deepEqual(ids(status(), status({ costMicrosToday: 1_000_000 }), opts(budgets)), [], 'an exact figure under budget stays quiet');
});
