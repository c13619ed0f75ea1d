import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AlertDispatcher, type DispatcherOptions } from '../../../src/sync/alerts/alert-dispatcher.js';
import { alertTargets } from '../../../src/sync/alerts/alert-service.js';
import type { Alert } from '../../../src/sync/alerts/alert.js';
import { realSleep, type Sleep } from '../../../src/sync/ports.js';
import { captureLog, FixedClock } from '../../support/engine-kit.js';
import { startPagerDutyReceiver, startSlackReceiver, type PagerDutyPost, type SlackPost, type WebhookReceiver } from '../../support/webhook-receivers.js';
import { waitUntil } from '../sinks/wait-until.js';

const ROUTING_KEY = 'R0123456789abcdef0123456789abcde';
const GATEWAY = '127.0.0.1:18789';

const alert = (key: string, action: Alert['action'] = 'trigger'): Alert => ({ key, action, severity: 'error', summary: `problem ${key}`, details: { n: 1 } });

interface Rig {
  clock: FixedClock;
  sleeps: number[];
  slack: WebhookReceiver<SlackPost>;
  pd: WebhookReceiver<PagerDutyPost>;
  dispatcher: AlertDispatcher;
  lines: string[];
  close(): Promise<void>;
}

/** Virtual time: a sleep moves the fixed clock instead of waiting, so a minute-long rate window costs nothing. */
async function rig(options: Partial<DispatcherOptions> = {}, targets: Array<'slack' | 'pd'> = ['slack', 'pd'], sleep?: Sleep): Promise<Rig> {
  const clock = new FixedClock(Date.UTC(2026, 10, 20, 12));
  const sleeps: number[] = [];
  const virtualSleep: Sleep = async (ms, signal) => {
    if (signal?.aborted) throw signal.reason;
    sleeps.push(ms);
    clock.t += ms;
    await new Promise((r) => setImmediate(r));
  };
  const slack = await startSlackReceiver();
  const pd = await startPagerDutyReceiver(ROUTING_KEY);
  const secrets = [slack.endpoint, ROUTING_KEY];
  const { log, lines } = captureLog('DEBUG', secrets);
  const list = alertTargets({
    gatewayId: GATEWAY,
    source: 'test-host',
    ...(targets.includes('slack') ? { slackWebhookUrl: slack.endpoint } : {}),
    ...(targets.includes('pd') ? { pagerduty: { url: pd.endpoint, routingKey: ROUTING_KEY } } : {}),
  });
  const dispatcher = new AlertDispatcher(list, { timeoutMs: 2_000, retry: { initialMs: 1_000, multiplier: 2, maxMs: 8_000, jitter: 0 }, ...options }, { clock, sleep: sleep ?? virtualSleep, log, random: () => 0.5 });
  return {
    clock, sleeps, slack, pd, dispatcher, lines,
    close: async () => {
      await dispatcher.stop(1_000);
      await slack.close();
      await pd.close();
    },
  };
}

test('both targets get a valid payload: Slack 200 "ok", PagerDuty 202 with the stable dedup key', async () => {
  const r = await rig();
  try {
    r.dispatcher.enqueue(alert('sync-failing'));
    r.dispatcher.enqueue(alert('sync-failing', 'resolve'));
    await waitUntil(() => r.dispatcher.stats().Slack!.sent === 2 && r.dispatcher.stats().PagerDuty!.sent === 2);
    assert.deepEqual(r.slack.problems, []);
    assert.deepEqual(r.pd.problems, []);
    assert.match(r.slack.accepted[1]!.text, /Resolved: problem sync-failing/);
    assert.deepEqual(r.pd.accepted.map((e) => [e.event_action, e.dedup_key]), [['trigger', `agentwatch-sync:${GATEWAY}:sync-failing`], ['resolve', `agentwatch-sync:${GATEWAY}:sync-failing`]]);
    assert.deepEqual(r.dispatcher.stats().PagerDuty, { sent: 2, failed: 0, dropped: 0, coalesced: 0, skipped: 0, queued: 0 });
  } finally {
    await r.close();
  }
});

test('a 429 with Retry-After is retried after exactly that long, then delivered once', async () => {
  const r = await rig({}, ['slack']);
  try {
    r.slack.fail({ status: 429, retryAfter: '7', body: 'rate_limited' });
    r.dispatcher.enqueue(alert('dead-lettered:3'));
    await waitUntil(() => r.dispatcher.stats().Slack!.sent === 1);
    assert.deepEqual(r.slack.hits.map((h) => h.status), [429, 200]);
    assert.deepEqual(r.sleeps, [7_000]);
    assert.ok(r.lines.some((l) => /\[WARNING\] - Slack alert trigger "dead-lettered:3": HTTP 429 rate_limited — retry 1 in 7\.0s/.test(l)), r.lines.join('\n'));
    assert.equal(r.dispatcher.stats().Slack!.sent, 1);
  } finally {
    await r.close();
  }
});

test('5xx answers back off and retry; PagerDuty gets the event after two failures', async () => {
  const r = await rig({}, ['pd']);
  try {
    r.pd.fail({ status: 503, once: false });
    r.dispatcher.enqueue(alert('session-failed:t1'));
    await waitUntil(() => r.pd.hits.length === 2);
    r.pd.fail(null);
    await waitUntil(() => r.pd.accepted.length === 1);
    assert.deepEqual(r.pd.hits.map((h) => h.status), [503, 503, 202]);
    assert.deepEqual(r.sleeps, [1_000, 2_000]);
  } finally {
    await r.close();
  }
});

test('a 4xx other than 429 is not retried and the log says what to do, without the webhook URL', async () => {
  const r = await rig({}, ['slack', 'pd']);
  try {
    r.slack.fail({ status: 404, body: 'channel_not_found' });
    r.pd.fail({ status: 400, body: JSON.stringify({ status: 'invalid event', message: 'Event object is invalid', errors: ['Invalid routing key'] }) });
    r.dispatcher.enqueue(alert('sync-failing'));
    await waitUntil(() => r.dispatcher.stats().Slack!.failed === 1 && r.dispatcher.stats().PagerDuty!.failed === 1);
    assert.equal(r.slack.hits.length, 1);
    assert.equal(r.pd.hits.length, 1);
    assert.deepEqual(r.sleeps, []);
    const log = r.lines.join('\n');
    assert.match(log, /\[ERROR\] - Slack refused the alert trigger "sync-failing" \(HTTP 404 channel_not_found\) — the webhook was revoked or its channel deleted: create a new incoming webhook/);
    assert.match(log, /\[ERROR\] - PagerDuty refused the alert trigger "sync-failing" \(HTTP 400 Event object is invalid: Invalid routing key\) — PagerDuty rejected the event: the routing key/);
    assert.ok(!log.includes('/services/T0TEST000'), 'the secret webhook path never reaches the log');
    assert.match(log, /Not retried; no more alerts go to Slack until its setting changes\./);

    // Both targets refused: later alerts are counted, not sent, until the setting changes.
    r.dispatcher.enqueue(alert('dead-lettered:4'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(r.slack.hits.length, 1);
    assert.equal(r.pd.hits.length, 1);
    assert.equal(r.dispatcher.stats().Slack!.skipped, 1);
  } finally {
    await r.close();
  }
});

test('rate limit: at most 10 a minute per target; the 11th waits for the window instead of being sent', async () => {
  const r = await rig({}, ['slack']);
  try {
    for (let i = 0; i < 15; i++) r.dispatcher.enqueue(alert(`session-tokens:t${i}`));
    await waitUntil(() => r.slack.accepted.length === 15);
    assert.deepEqual(r.sleeps, [60_000]);
    assert.deepEqual(r.slack.accepted.map((m) => m.text.match(/t\d+/)![0]), Array.from({ length: 15 }, (_, i) => `t${i}`));
  } finally {
    await r.close();
  }
});

test('over the rate limit and a full queue, the oldest triggers are dropped (resolves kept) with one counted WARN', async () => {
  const r = await rig({ rateLimit: { max: 1, windowMs: 60_000 }, maxQueue: 3 }, ['slack']);
  try {
    for (const k of ['a', 'b', 'c', 'd', 'e', 'f']) r.dispatcher.enqueue(alert(`session-failed:${k}`));
    r.dispatcher.enqueue(alert('session-failed:a', 'resolve'));
    r.dispatcher.enqueue(alert('session-failed:a', 'resolve'));
    await waitUntil(() => r.dispatcher.stats().Slack!.sent === 4);
    assert.deepEqual(r.slack.accepted.map((m) => m.text.replace(/^\S+ /, '')), ['problem session-failed:a', 'problem session-failed:e', 'problem session-failed:f', 'Resolved: problem session-failed:a']);
    assert.deepEqual(r.dispatcher.stats().Slack, { sent: 4, failed: 0, dropped: 3, coalesced: 1, skipped: 0, queued: 0 });
    const warns = r.lines.filter((l) => l.includes('more alerts than the rate limit'));
    assert.equal(warns.length, 1);
    assert.match(warns[0]!, /\(1 per 60s\) and the queue \(3\) allow; dropped "session-failed:b" — 1 dropped so far/);
    assert.deepEqual(r.sleeps, [60_000, 60_000, 60_000]);
  } finally {
    await r.close();
  }
});

test('stop() waits for a hanging receiver only until its deadline, then cancels and counts what was left', async () => {
  const r = await rig({ timeoutMs: 60_000 }, ['slack'], realSleep);
  try {
    r.slack.fail({ hang: true, once: false });
    r.dispatcher.enqueue(alert('sync-failing'));
    r.dispatcher.enqueue(alert('dead-lettered:1'));
    await waitUntil(() => r.slack.hanging === 1);
    const started = Date.now();
    await r.dispatcher.stop(100);
    assert.ok(Date.now() - started < 2_000, 'stop returned near its deadline');
    assert.ok(r.lines.some((l) => /\[WARNING\] - Slack: 2 alert\(s\) not sent before shutdown \(waited 100 ms\)/.test(l)), r.lines.join('\n'));
    await waitUntil(() => r.slack.hanging === 0);
  } finally {
    await r.close();
  }
});
