import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import test, { afterEach, beforeEach } from 'node:test';
import { startApp } from '../../src/main/start-app.js';
import { demoWorld } from '../../src/sim/demo-world.js';
import { startSimGateway } from '../../src/sim/gateway-server.js';
import { createEngine } from '../../src/sync/create-engine.js';
import { systemClock } from '../../src/sync/ports.js';
import { startAppDeps } from '../main/start-app-deps.js';
import { FAST_RETRY, captureLog, engineFor, settingsFor, startPeers, tempDir } from '../support/engine-kit.js';
import { __test, app } from '../support/fake-electron/index.js';
import { startLoopbackServer } from '../../src/sim/loopback-server.js';
import { startOtlpReceiver } from '../../src/sim/otlp-receiver.js';
import { waitUntil } from '../sync/sinks/wait-until.js';
import { startPagerDutyReceiver, startSlackReceiver } from '../support/webhook-receivers.js';
import { canary, findLeaks, seedDeviceKey, type Secrets } from './leak-kit.js';

/** The state dir's files but the device key's own: dead letters, journal and snapshot must not hold a secret. */
function stateFiles(dir: string): Record<string, string> {
  const names = fs.readdirSync(dir).filter((n) => n !== 'device-identity.json');
  return Object.fromEntries(names.map((n) => [`state file ${n}`, fs.readFileSync(join(dir, n), 'utf8')]));
}

const PAGE = pathToFileURL(join('/app/dist', 'renderer', 'index.html')).href;
let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(join(tmpdir(), 'aw-leak-app-'));
  __test.reset({ userData: join(root, 'userData'), logs: join(root, 'logs') });
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

test('findLeaks finds a secret as is and URL-encoded', () => {
  assert.deepEqual(findLeaks({ a: 'x tok/en+1 y', b: 'x tok%2Fen%2B1 y', c: 'clean' }, { s: 'tok/en+1' }), ['s in a', 's in b']);
});

// The tray app with secrets pasted into Settings, against a proxy that echoes the request's Authorization header
// in its error body (some do): the failure must not carry the key into a notification, /healthz or the diagnostics.
const scenarios = [
  // Sink detection fails: the poll fails, so the answer reaches lastError, the notification and /healthz.
  { sink: 'auto', awaited: (n: { title: string; body: string }) => n.title === 'AgentWatch Sync stopped syncing' && /openapi\.json \(400\)/.test(n.body) },
  // A request is rejected for good: its reason goes into the dead-letter file.
  { sink: 'agentwatch', awaited: (n: { title: string }) => /could not be delivered/.test(n.title) },
] as const;

for (const { sink, awaited } of scenarios) test(`no secret reaches the app log, notifications, the tray, /metrics, /healthz, the diagnostics or the state (sink ${sink})`, async (t) => {
  const secrets: Secrets = { 'gateway token': canary('gwtok'), 'AgentWatch API key': canary('awkey'), 'PagerDuty routing key': canary('pdkey') };
  const slackPath = `/services/TLEAK/BLEAK/${canary('slack')}`;
  secrets['Slack webhook URL'] = slackPath.slice(1);
  Object.assign(secrets, seedDeviceKey(join(root, 'userData', 'state')));
  const slack = await startSlackReceiver(slackPath);
  const pd = await startPagerDutyReceiver(secrets['PagerDuty routing key']!);
  const world = demoWorld(systemClock);
  world.keys().forEach((k, i) => world.finishRun(k, 1_500 + i, 15 + i));
  const gateway = await startSimGateway({ token: secrets['gateway token']!, sessions: () => world.rows(), usage: () => world.usagePayload() });
  const echo = await startLoopbackServer((req, res) => {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ detail: `upstream refused ${req.method} ${req.url} with authorization=${String(req.headers.authorization)}` }));
  });
  t.after(async () => {
    await gateway.close();
    await echo.close();
    await slack.close();
    await pd.close();
  });

  const { d } = startAppDeps(root);
  d.createEngine = (config, deps) => createEngine(config, { ...deps, retry: FAST_RETRY, random: () => 0.5 });
  const running = await startApp(d);
  assert.ok(running);
  const call = (channel: string, payload?: unknown) => __test.invoke(channel, payload, { webContents: __test.windows[0]!.webContents, frameUrl: PAGE });
  const initial = (await call('settings:get')).value;
  const saved = await call('settings:save', {
    settings: { ...initial.settings, openclawUrl: gateway.url, agentwatchUrl: echo.url, sink, deviceIdentity: 'always', metricsPort: 0, alerts: { ...initial.settings.alerts, failingMinutes: 0, pagerdutyUrl: pd.endpoint } },
    token: secrets['gateway token'],
    apiKey: secrets['AgentWatch API key'],
    slackWebhookUrl: slack.endpoint,
    pagerdutyRoutingKey: secrets['PagerDuty routing key'],
  });
  assert.equal(saved.value.ok, true, JSON.stringify(saved));
  const base = String(saved.value.view.metrics.url).replace(/\/metrics$/, '');

  // The first notification is the start without a token; this one is the echoing proxy's failure.
  await waitUntil(() => __test.notifications.some(awaited), 8_000).catch(() => {
    const logs = fs.readdirSync(join(root, 'logs')).map((n) => fs.readFileSync(join(root, 'logs', n), 'utf8')).join('\n');
    throw new Error(`no failure notification: ${JSON.stringify(__test.notifications)}\n${logs}`);
  });
  // The same failure as an alert to both webhooks, and the test button's answers, are scanned too.
  await waitUntil(() => slack.accepted.length > 0 && pd.accepted.length > 0, 8_000);
  const tests = JSON.stringify([(await call('alerts:test', { target: 'slack' })).value, (await call('alerts:test', { target: 'pagerduty' })).value]);
  const healthz = await (await fetch(`${base}/healthz`)).text();
  const metrics = await (await fetch(`${base}/metrics`)).text();
  const diagnostics = (await call('diagnostics:copy')).value.text as string;
  const view = JSON.stringify((await call('settings:get')).value);
  const quit = new Promise<void>((resolve) => app.once('quit', () => resolve()));
  app.quit();
  await quit;

  const logs = fs.readdirSync(join(root, 'logs')).map((n) => fs.readFileSync(join(root, 'logs', n), 'utf8')).join('\n');
  if (sink === 'auto') assert.match(healthz, /degraded.*400/, 'the failure reached /healthz');
  else assert.match(fs.readFileSync(join(root, 'userData', 'state', 'dead-letter.jsonl'), 'utf8'), /rejected GET \/api\/agents \(400/);
  assert.match(logs, /400/);
  const tray = __test.trays[0]!;
  const outputs = {
    'the log file': logs,
    notifications: JSON.stringify(__test.notifications),
    'the tray tooltip and menu': JSON.stringify([tray.tooltips, tray.menus]),
    '/metrics': metrics,
    '/healthz': healthz,
    'the diagnostics bundle': diagnostics,
    'the clipboard': __test.state.clipboard,
    'the settings view': view,
    'the settings file': fs.readFileSync(join(root, 'userData', 'settings.json'), 'utf8'),
    'the secrets file': fs.readFileSync(join(root, 'userData', 'secrets.json'), 'utf8'),
    'the alert text': JSON.stringify([slack.accepted, pd.accepted.map((e) => e.payload ?? null)]),
    'the test alert answers': tests,
    'the window status': JSON.stringify(__test.windows[0]!.webContents.sent),
    ...stateFiles(join(root, 'userData', 'state')),
  };
  assert.deepEqual(findLeaks(outputs, secrets), []);
});

test('no secret reaches OTLP span attributes or the engine status when the collector fails', async (t) => {
  const secrets: Secrets = { 'AgentWatch API key': canary('awkey') };
  const world = demoWorld(systemClock);
  world.keys().forEach((k, i) => world.finishRun(k, 1_500 + i, 15 + i));
  const peers = await startPeers({ sessions: () => world.rows(), usage: () => world.usagePayload() });
  const otlp = await startOtlpReceiver();
  const dir = await tempDir('aw-leak-otlp-');
  t.after(async () => {
    await peers.close();
    await otlp.close();
    await dir.remove();
  });
  secrets['gateway token'] = peers.token;
  Object.assign(secrets, seedDeviceKey(dir.path));
  otlp.fail({ status: 503, body: { message: `overloaded; key ${secrets['AgentWatch API key']}` } });
  const { log, lines } = captureLog('DEBUG', Object.values(secrets));
  const engine = await engineFor(peers, dir.path, log, settingsFor(peers, { sink: 'otlp', otlpUrl: otlp.url, deviceIdentity: 'always', live: false }), {
    apiKey: secrets['AgentWatch API key']!,
  });
  await engine.runOnce();
  await engine.runOnce();
  const status = JSON.stringify(engine.status());
  await engine.stop();
  assert.ok(otlp.spans.length > 0, 'spans arrived after the failure');
  const json = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  const outputs = { 'OTLP spans': json(otlp.spans), 'OTLP requests': json(otlp.requests), status, log: lines.join('\n') };
  assert.deepEqual(findLeaks(outputs, secrets), []);
});
