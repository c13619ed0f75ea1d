import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoWorld } from '../../../src/sim/demo-world.js';
import { startSimAgentWatch, type SimAgentWatch } from '../../../src/sim/agentwatch-server.js';
import { ALERT_STATE_FILE, alertsFromSettings } from '../../../src/sync/alerts/alerts-from-settings.js';
import { startAlerts } from '../../../src/sync/alerts/alert-service.js';
import { realSleep, type Sleep } from '../../../src/sync/ports.js';
import { captureLog, engineFor, FixedClock, settingsFor, startPeers, tempDir, type Peers } from '../../support/engine-kit.js';
import { startPagerDutyReceiver, startSlackReceiver } from '../../support/webhook-receivers.js';
import { waitUntil } from '../sinks/wait-until.js';

const MIN = 60_000;
const ROUTING_KEY = 'e2e0123456789abcdef0123456789abc';
// Waits between delivery retries move the test clock instead of passing: a failed poll costs milliseconds.
const RETRY = { initialMs: 1_000, multiplier: 2, maxMs: 4_000, jitter: 0 };

interface World {
  clock: FixedClock;
  peers: Peers;
  world: ReturnType<typeof demoWorld>;
  sleep: Sleep;
  /** AgentWatch down (closed) or up again on the same port. */
  agentwatch(up: boolean): Promise<void>;
  close(): Promise<void>;
}

async function world(): Promise<World> {
  const clock = new FixedClock(Date.now());
  const w = demoWorld(clock);
  // Lifetime tokens 1010 + 101·i; the sixth (cron) is filtered out.
  w.keys().forEach((k, i) => w.finishRun(k, 1_000 + i * 100, 10 + i));
  const peers = await startPeers({ sessions: () => w.rows(), usage: () => w.usagePayload(), now: () => clock.now() });
  let aw: SimAgentWatch | null = peers.agentwatch;
  // Retry waits (≤ RETRY.maxMs) are virtual; longer ones are deadlines (the gateway handshake) and stay real.
  const sleep: Sleep = async (ms, signal) => {
    if (ms > RETRY.maxMs) return realSleep(ms, signal);
    if (signal?.aborted) throw signal.reason;
    clock.t += ms;
    await new Promise((r) => setImmediate(r));
  };
  return {
    clock, peers, world: w, sleep,
    agentwatch: async (up) => {
      if (!up) {
        await aw?.close();
        aw = null;
      } else aw ??= await startSimAgentWatch({ port: peers.agentwatch.port });
    },
    close: async () => {
      await peers.gateway.close();
      await aw?.close();
    },
  };
}

const count = (lines: string[], re: RegExp) => lines.filter((l) => re.test(l)).length;

interface Stoppable {
  stop(): Promise<unknown>;
}

/** The world, both webhook receivers and a state dir; `own` hands over the engine and alerts, and all is closed after the test. */
async function arrange(t: TestContext) {
  const w = await world();
  const slack = await startSlackReceiver();
  const pd = await startPagerDutyReceiver(ROUTING_KEY);
  const dir = await tempDir();
  const owned: Stoppable[] = [];
  t.after(async () => {
    for (const o of owned) await o.stop();
    await slack.close();
    await pd.close();
    await w.close();
    await dir.remove();
  });
  return { w, slack, pd, dir, own: (...o: Stoppable[]) => void owned.push(...o) };
}

test('AgentWatch down → sync-failing to Slack and PagerDuty after the window; back up → resolved with the same dedup key; one token-limit alert', async (t) => {
  const { w, slack, pd, dir, own } = await arrange(t);
  const secrets: string[] = [w.peers.token];
  const { log, lines } = captureLog('INFO', secrets);
  const settings = settingsFor(w.peers, { sink: 'agentwatch', live: false, pollIntervalSec: 5, alerts: { pagerdutyUrl: pd.endpoint, failingMinutes: 5, sessionTokenLimit: 1_400 } });
  const engine = await engineFor(w.peers, dir.path, log, settings, { clock: w.clock, sleep: w.sleep, retry: RETRY });
  own(engine);
  const env = { AGENTWATCH_SLACK_WEBHOOK_URL: slack.endpoint, AGENTWATCH_PAGERDUTY_ROUTING_KEY: ROUTING_KEY };
  const alerts = await alertsFromSettings(engine, settings, { env, readFile: async () => '', hostname: 'sync-host', secrets, log }, { clock: w.clock, sleep: realSleep, log, random: () => 0.5 });
  assert.ok(alerts, 'alerts start when a target is configured');
  own(alerts);
  assert.ok(secrets.includes(slack.endpoint) && secrets.includes(ROUTING_KEY), 'both secrets are registered for redaction');
  await w.agentwatch(false);
  assert.equal((await engine.runOnce()).ok, false);
  w.clock.t += 4 * MIN;
  assert.equal((await engine.runOnce()).ok, false);
  assert.equal(count(lines, /Alert trigger: sync-failing/), 0, 'not before the 5-minute window');

  // The window ends at the next status change: the third poll starting, two failures in.
  w.clock.t += MIN;
  assert.equal((await engine.runOnce()).ok, false);
  assert.equal((await engine.runOnce()).ok, false);
  await waitUntil(() => slack.accepted.length === 1 && pd.accepted.length === 1);
  assert.equal(count(lines, /Alert trigger: sync-failing/), 1, 'once, not on every failed poll');
  const trigger = pd.accepted[0]!;
  assert.equal(trigger.event_action, 'trigger');
  assert.equal(trigger.payload?.severity, 'critical');
  assert.equal(trigger.payload?.source, 'sync-host');
  assert.match(trigger.payload!.summary, /AgentWatch sync failing for 5 minutes \(2 failed polls\): AgentWatch at .* refused the connection/);
  assert.match(slack.accepted[0]!.text, /failing for 5 minutes/);

  await w.agentwatch(true);
  const back = await engine.runOnce();
  assert.equal(back.ok, true, back.error?.message);
  await waitUntil(() => pd.accepted.length === 3 && slack.accepted.length === 3);
  const resolve = pd.accepted.find((e) => e.event_action === 'resolve')!;
  assert.equal(resolve.dedup_key, trigger.dedup_key);
  assert.equal(resolve.dedup_key, `agentwatch-sync:${settings.openclawUrl.replace('http://', '')}:sync-failing`);
  assert.ok(slack.accepted.some((m) => /^:white_check_mark: Resolved: AgentWatch sync recovered/.test(m.text)));
  const overLimit = pd.accepted.filter((e) => e.dedup_key.includes(':session-tokens:'));
  assert.equal(overLimit.length, 1, 'exactly one session crossed 1,400 tokens');
  assert.match(overLimit[0]!.payload!.summary, /agent:ops:main used 1,414 tokens \(limit 1,400\)/);

  w.world.finishRun('agent:ops:main', 500, 5);
  assert.equal((await engine.runOnce()).ok, true);
  assert.equal(count(lines, /Alert trigger: session-tokens:/), 1, 'a session over its limit is announced once');
  assert.deepEqual(slack.problems, []);
  assert.deepEqual(pd.problems, []);
  const logText = lines.join('\n');
  assert.ok(!logText.includes(slack.endpoint) && !logText.includes(ROUTING_KEY) && !logText.includes('/services/T0TEST000'), 'secrets never reach the log');
});

test('a hanging Slack webhook never holds the sync: polls finish, PagerDuty still gets trigger and resolve, stop() keeps its deadline', async (t) => {
  const { w, slack, pd, dir, own } = await arrange(t);
  const { log, lines } = captureLog('INFO', [w.peers.token, slack.endpoint, ROUTING_KEY]);
  const settings = settingsFor(w.peers, { sink: 'agentwatch', live: false, pollIntervalSec: 5 });
  const engine = await engineFor(w.peers, dir.path, log, settings, { clock: w.clock, sleep: w.sleep, retry: RETRY });
  own(engine);
  const alerts = startAlerts(
    engine,
    { rules: { failingMinutes: 0, failedSessions: true }, gatewayId: 'gw', source: 'sync-host', slackWebhookUrl: slack.endpoint, pagerduty: { url: pd.endpoint, routingKey: ROUTING_KEY }, timeoutMs: 60_000, stopDeadlineMs: 100 },
    { clock: w.clock, sleep: realSleep, log, random: () => 0.5 },
  );
  own(alerts);
  slack.fail({ hang: true, once: false });
  await w.agentwatch(false);
  assert.equal((await engine.runOnce()).ok, false);
  await waitUntil(() => slack.hanging === 1 && pd.accepted.length === 1);
  await w.agentwatch(true);
  const started = Date.now();
  const back = await engine.runOnce();
  assert.equal(back.ok, true, back.error?.message);
  assert.ok(back.delivered > 0);
  assert.ok(Date.now() - started < 5_000, 'the poll did not wait for the webhook');
  assert.equal(slack.hanging, 1, 'the Slack request is still open while the sync delivered');
  await waitUntil(() => pd.accepted.length === 2);
  assert.deepEqual(pd.accepted.map((e) => [e.event_action, e.dedup_key]), [['trigger', 'agentwatch-sync:gw:sync-failing'], ['resolve', 'agentwatch-sync:gw:sync-failing']]);
  await engine.stop();
  const stopAt = Date.now();
  await alerts.stop();
  assert.ok(Date.now() - stopAt < 2_000, 'stop() kept its 100 ms deadline');
  assert.ok(lines.some((l) => /Slack: 2 alert\(s\) not sent before shutdown/.test(l)), lines.join('\n'));
  assert.deepEqual(pd.problems, []);
});

test('a restart in the middle of an incident resolves it once and re-announces nothing; a day budget alert is sent once across restarts', async (t) => {
  const { w, slack, pd, dir, own } = await arrange(t);
  const secrets: string[] = [w.peers.token];
  const { log, lines } = captureLog('INFO', secrets);
  const settings = settingsFor(w.peers, { sink: 'agentwatch', live: false, pollIntervalSec: 5, alerts: { pagerdutyUrl: pd.endpoint, failingMinutes: 5, dayTokenLimit: 1_000 } });
  const env = { AGENTWATCH_SLACK_WEBHOOK_URL: slack.endpoint, AGENTWATCH_PAGERDUTY_ROUTING_KEY: ROUTING_KEY };
  const start = async () => {
    const engine = await engineFor(w.peers, dir.path, log, settings, { clock: w.clock, sleep: w.sleep, retry: RETRY });
    const alerts = await alertsFromSettings(engine, settings, { env, readFile: async () => '', hostname: 'sync-host', secrets, log, stateDir: dir.path }, { clock: w.clock, sleep: realSleep, log, random: () => 0.5 });
    assert.ok(alerts);
    return { engine, alerts, stop: async () => { await alerts.stop(); await engine.stop(); } };
  };
  const triggers = (key: RegExp) => pd.accepted.filter((e) => e.event_action === 'trigger' && key.test(e.dedup_key)).length;

  const first = await start();
  assert.equal((await first.engine.runOnce()).ok, true);
  await waitUntil(() => triggers(/:day-tokens:/) === 1);
  await w.agentwatch(false);
  const failingPoll = async () => {
    w.clock.t += 1_000;
    w.world.finishRun('agent:ops:main', 10, 1); // something to deliver, so the poll fails
    assert.equal((await first.engine.runOnce()).ok, false);
  };
  await failingPoll();
  w.clock.t += 5 * MIN;
  await failingPoll();
  await failingPoll();
  await waitUntil(() => triggers(/:sync-failing$/) === 1);
  await first.stop();
  assert.equal((statSync(join(dir.path, ALERT_STATE_FILE)).mode & 0o777).toString(8), '600', 'the alert state is private');

  const second = await start();
  own(second);
  w.clock.t += 1_000;
  w.world.finishRun('agent:ops:main', 500, 5);
  await w.agentwatch(true);
  const back = await second.engine.runOnce();
  assert.equal(back.ok, true, back.error?.message);
  await waitUntil(() => pd.accepted.some((e) => e.event_action === 'resolve'));
  await second.alerts.stop();
  assert.equal(triggers(/:sync-failing$/), 1, 'the open incident is not announced again after the restart');
  assert.equal(pd.accepted.filter((e) => e.event_action === 'resolve' && /:sync-failing$/.test(e.dedup_key)).length, 1, 'it is resolved, once');
  assert.equal(triggers(/:day-tokens:/), 1, 'the day budget alert is not sent again the same day');
  assert.equal(count(lines, /Alert trigger: day-tokens/), 1);
  assert.equal(count(slack.accepted.map((m) => m.text), /daily limit/), 1);
});

test('an unreadable alert state file is one warning and a fresh start, never a crash', async (t) => {
  const { w, slack, pd, dir, own } = await arrange(t);
  const { log, lines } = captureLog('INFO', [w.peers.token]);
  writeFileSync(join(dir.path, ALERT_STATE_FILE), '{not json');
  const settings = settingsFor(w.peers, { sink: 'agentwatch', live: false, pollIntervalSec: 5, alerts: { pagerdutyUrl: pd.endpoint } });
  const engine = await engineFor(w.peers, dir.path, log, settings, { clock: w.clock, sleep: w.sleep, retry: RETRY });
  own(engine);
  const env = { AGENTWATCH_SLACK_WEBHOOK_URL: slack.endpoint };
  const alerts = await alertsFromSettings(engine, settings, { env, readFile: async () => '', hostname: 'sync-host', secrets: [], log, stateDir: dir.path }, { clock: w.clock, sleep: realSleep, log, random: () => 0.5 });
  assert.ok(alerts);
  own(alerts);
  assert.equal((await engine.runOnce()).ok, true);
  assert.equal(count(lines, /The alert state .* is not valid alert state; alerts start fresh/), 1, lines.join('\n'));
});
