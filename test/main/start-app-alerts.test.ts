import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import test, { afterEach, beforeEach } from 'node:test';
import { startApp, type RunningApp } from '../../src/main/start-app.js';
import { DEFAULT_NOTIFICATION_PREFS } from '../../src/shared/notification-prefs.js';
import type { SyncStatus } from '../../src/shared/sync-status.js';
import { __test, app } from '../support/fake-electron/index.js';
import { startPagerDutyReceiver, startSlackReceiver, type PagerDutyPost, type SlackPost, type WebhookReceiver } from '../support/webhook-receivers.js';
import { waitUntil } from '../sync/sinks/wait-until.js';
import { FakeEngine } from './fake-engine.js';
import { startAppDeps } from './start-app-deps.js';

// The tray app's main process with the fake electron, FakeEngines for the sync and real loopback Slack and
// PagerDuty receivers: what the receivers got is what a user's channel and on-call would see.

const TOKEN = 'gw-token-5f1c2a9e7d3b';
const KEY = 'R0123456789abcdef0123456789abcde';
const PAGE = pathToFileURL(join('/app/dist', 'renderer', 'index.html')).href;
let root: string;
let receivers: Array<WebhookReceiver<unknown>> = [];
beforeEach(() => {
  root = fs.mkdtempSync(join(tmpdir(), 'start-app-alerts-'));
  __test.reset({ userData: join(root, 'userData'), logs: join(root, 'logs') });
});
afterEach(async () => {
  for (const r of receivers) await r.close();
  receivers = [];
  fs.rmSync(root, { recursive: true, force: true });
});

async function receiversUp() {
  const slack = await startSlackReceiver();
  const pd = await startPagerDutyReceiver(KEY);
  receivers.push(slack, pd);
  return { slack, pd };
}

const call = (channel: string, payload?: unknown) => __test.invoke(channel, payload, { webContents: __test.windows[0]!.webContents, frameUrl: PAGE });

async function quit(): Promise<void> {
  const done = new Promise<void>((resolve) => app.once('quit', () => resolve()));
  app.quit();
  await done;
}

/** Starts the app; each engine it builds starts with `first` (default: healthy). */
async function launch(first: Partial<SyncStatus> = { lastSuccessAt: Date.now() }) {
  const { d, engines } = startAppDeps(root, { OPENCLAW_GATEWAY_TOKEN: TOKEN });
  d.createEngine = async (_config, deps) => {
    // The real engine makes its state dir (0700) before the alerts start beside it; the fake one does not.
    fs.mkdirSync(deps.stateDir, { recursive: true, mode: 0o700 });
    const e = new FakeEngine(first);
    engines.push(e);
    return e;
  };
  const running = (await startApp(d)) as RunningApp;
  assert.ok(running);
  running.openSettings();
  return { running, engines, engine: () => engines.at(-1)! };
}

async function save(patch: Record<string, unknown>, alerts: Record<string, unknown> = {}) {
  const current = (await call('settings:get')).value;
  const r = await call('settings:save', { ...patch, settings: { ...current.settings, alerts: { ...current.settings.alerts, ...alerts } } });
  assert.equal(r.value.ok, true, JSON.stringify(r.value.errors));
  return r.value.view;
}

const failing = (at = Date.now()): Partial<SyncStatus> => ({ consecutiveErrors: 1, lastError: { code: 'NETWORK', message: 'AgentWatch at http://localhost:8765 did not answer.', at } });
const recovered = (): Partial<SyncStatus> => ({ consecutiveErrors: 0, lastSuccessAt: Date.now() + 1 });
/** The window's "Stopped" line for Slack once the lane has read the refusal (it lands just after the answer). */
async function refusedLine(): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const line = (await call('settings:get')).value.alerts.slack.refused as string | undefined;
    if (line) return line;
    await new Promise((r) => setTimeout(r, 5));
  }
  return 'no refusal shown';
}

const slackTexts = (r: WebhookReceiver<SlackPost>) => r.accepted.map((m) => m.text);
const pdActions = (r: WebhookReceiver<PagerDutyPost>) => r.accepted.map((e) => `${e.event_action} ${e.dedup_key.split(':').at(-1)}`);

test('secrets saved in Settings send Slack and PagerDuty alerts; a 4xx stops that target until its URL changes; the test button answers in one line', async () => {
  const { slack, pd } = await receiversUp();
  const { running, engines, engine } = await launch();
  const view = await save({ slackWebhookUrl: slack.endpoint, pagerdutyRoutingKey: KEY }, { failingMinutes: 0, pagerdutyUrl: pd.endpoint });
  assert.deepEqual(view.alerts, { slack: { stored: true }, pagerduty: { stored: true } });
  assert.equal(engines.length, 2, 'saving the secrets restarted the engine with alerts beside it');
  for (const file of ['settings.json', 'secrets.json']) {
    const text = fs.readFileSync(join(root, 'userData', file), 'utf8');
    assert.ok(!text.includes(slack.endpoint) && !text.includes('/services/T0TEST000') && !text.includes(KEY), `${file} holds no plain secret`);
  }

  const slackTest = (await call('alerts:test', { target: 'slack' })).value;
  assert.deepEqual(slackTest, { ok: true, message: "Slack accepted the test alert (HTTP 200): look for it in the webhook's channel." });
  assert.match(slackTexts(slack)[0]!, /Test alert from AgentWatch Sync/);
  const pdTest = (await call('alerts:test', { target: 'pagerduty' })).value;
  assert.equal(pdTest.ok, true);
  assert.deepEqual(pd.accepted.map((e) => e.event_action), ['trigger', 'resolve'], 'the PagerDuty test leaves no open incident');

  engine().emit(failing());
  await waitUntil(() => pdActions(pd).includes('trigger sync-failing') && slack.accepted.length === 2);
  engine().emit(recovered());
  await waitUntil(() => pdActions(pd).includes('resolve sync-failing') && slack.accepted.length === 3);
  assert.match(slackTexts(slack)[1]!, /sync failing/i);

  // The webhook is revoked: one refusal, then nothing more to Slack; PagerDuty goes on.
  slack.fail({ status: 404, body: 'no_service', once: false });
  engine().emit(failing());
  await waitUntil(() => slack.hits.length === 4 && pd.accepted.length === 5);
  engine().emit(recovered());
  await waitUntil(() => pd.accepted.length === 6);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(slack.hits.length, 4, 'a refused target is not sent to again');
  assert.equal(await refusedLine(), 'Slack refused the alert trigger "sync-failing" (HTTP 404 no_service) — the webhook was revoked or its channel deleted: create a new incoming webhook and put the new URL in Settings → Alerts → Slack webhook URL.');
  const retest = (await call('alerts:test', { target: 'slack' })).value;
  assert.equal(retest.ok, false);
  assert.match(retest.message, /^Slack refused the test alert \(HTTP 404 no_service\) — the webhook was revoked/);

  // A save that does not touch Slack keeps it stopped; a new URL starts it again.
  await save({}, { failingMinutes: 1 });
  engine().emit(failing(Date.now() - 120_000));
  await waitUntil(() => pd.accepted.length === 7);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(slack.hits.length, 5, 'only the test reached Slack: a save of other settings does not lift the stop');
  const fresh = await startSlackReceiver('/services/T0TEST000/B0NEW0000/zyxwvutsrqponmlkjihgfedc');
  receivers.push(fresh);
  const after = await save({ slackWebhookUrl: fresh.endpoint });
  assert.equal(after.alerts.slack.refused, undefined, 'the window no longer says stopped');
  engine().emit(recovered());
  await waitUntil(() => fresh.accepted.length === 1);
  assert.match(fresh.accepted[0]!.text, /recovered/i);

  // The off switch: PagerDuty keeps its key but gets nothing.
  const pdBefore = pd.hits.length;
  await save({}, { pagerdutyEnabled: false, failingMinutes: 0 });
  engine().emit(failing());
  await waitUntil(() => fresh.accepted.length === 2);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(pd.hits.length, pdBefore, 'a target switched off is not sent to');
  assert.equal((await call('settings:get')).value.alerts.pagerduty.stored, true, 'switching off keeps the key');

  // A test alert that gets through (the admin fixed the channel) lifts a stop without a new URL.
  fresh.fail({ status: 403, body: 'action_prohibited', once: false });
  engine().emit(recovered());
  await waitUntil(() => fresh.hits.length === 3);
  assert.match(await refusedLine(),  /^Slack refused the alert resolve "sync-failing" \(HTTP 403 action_prohibited\) — the workspace forbids/);
  fresh.fail(null);
  assert.equal((await call('alerts:test', { target: 'slack' })).value.ok, true);
  assert.equal((await call('settings:get')).value.alerts.slack.refused, undefined);
  engine().emit(failing());
  await waitUntil(() => fresh.accepted.length === 4);

  await quit();
  const log = fs.readFileSync(running.logPath, 'utf8');
  assert.match(log, /\[ERROR\] - Slack refused the alert trigger "sync-failing" \(HTTP 404 no_service\) .* Not retried; no more alerts go to Slack until its setting changes\./);
  assert.ok(!log.includes('/services/T0TEST000') && !log.includes(KEY), 'neither secret reaches the log');
});

test('a restart in the middle of an incident and after a day budget alert announces nothing twice', async () => {
  const { slack, pd } = await receiversUp();
  const first = await launch();
  await save({ slackWebhookUrl: slack.endpoint, pagerdutyRoutingKey: KEY }, { failingMinutes: 0, dayTokenLimit: 1_000, pagerdutyUrl: pd.endpoint });
  first.engine().emit({ tokensToday: 1_500 });
  first.engine().emit(failing());
  await waitUntil(() => pdActions(pd).includes('trigger sync-failing') && pd.accepted.some((e) => /day-tokens/.test(e.dedup_key)) && slack.accepted.length === 2);
  await quit();
  const state = join(root, 'userData', 'state', 'alert-state.json');
  assert.equal((fs.statSync(state).mode & 0o777).toString(8), '600', 'the alert state is private');

  // The new engine starts as a real one does: no errors yet, no success yet, today's tokens still over the budget.
  __test.reset({ userData: join(root, 'userData'), logs: join(root, 'logs') });
  const second = await launch({ tokensToday: 1_600, lastSuccessAt: null });
  second.engine().emit({ ...failing(), tokensToday: 1_600 });
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(pd.accepted.length, 2, 'neither the open incident nor the day budget is announced again');
  second.engine().emit({ ...recovered(), tokensToday: 1_700 });
  await waitUntil(() => pdActions(pd).includes('resolve sync-failing'));
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(pdActions(pd).filter((a) => /sync-failing/.test(a)), ['trigger sync-failing', 'resolve sync-failing']);
  assert.equal(slack.accepted.filter((m) => /daily limit/.test(m.text)).length, 1);
  assert.equal(slack.accepted.length, 3);
  await quit();
});

test('after a restart the tray shows neither the open failure nor today\'s budget again, and a webhook that refused stays stopped with its line', async () => {
  const { slack } = await receiversUp();
  const first = await launch();
  await save({ slackWebhookUrl: slack.endpoint, notifications: { ...DEFAULT_NOTIFICATION_PREFS, dailyTokenBudget: 1_000 } }, { failingMinutes: 0 });
  slack.fail({ status: 404, body: 'no_service', once: false });
  first.engine().emit({ tokensToday: 1_500 });
  first.engine().emit(failing());
  const line = await refusedLine();
  assert.match(line, /^Slack refused the alert trigger "sync-failing" \(HTTP 404 no_service\)/);
  assert.deepEqual(__test.notifications.map((n) => n.title).sort(), ['AgentWatch Sync stopped syncing', 'Daily token budget reached']);
  await quit();
  for (const file of ['alert-refusals.json', 'notification-state.json']) {
    const path = join(root, 'userData', 'state', file);
    assert.equal((fs.statSync(path).mode & 0o777).toString(8), '600', `${file} is private`);
    assert.ok(!fs.readFileSync(path, 'utf8').includes('/services/T0TEST000'), `${file} holds no webhook URL`);
  }

  __test.reset({ userData: join(root, 'userData'), logs: join(root, 'logs') });
  const hits = slack.hits.length;
  const second = await launch({ tokensToday: 1_600, lastSuccessAt: null });
  assert.equal((await call('settings:get')).value.alerts.slack.refused, line, 'the window still says why Slack is stopped');
  second.engine().emit({ ...failing(), tokensToday: 1_600 });
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(__test.notifications.map((n) => n.title), [], 'the open failure and today\'s budget are not shown again');
  second.engine().emit({ ...recovered(), tokensToday: 1_700 });
  await waitUntil(() => __test.notifications.length === 1);
  assert.equal(__test.notifications[0]!.title, 'AgentWatch Sync is syncing again');
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(slack.hits.length, hits, 'nothing more went to the webhook that refused');
  await quit();
});
