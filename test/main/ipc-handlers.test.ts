import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { afterEach, beforeEach } from 'node:test';
import { EngineHost } from '../../src/main/engine-host.js';
import { trustedSender } from '../../src/main/ipc.js';
import { registerIpcHandlers, type AgentWatchTest, type GatewayTest } from '../../src/main/ipc-handlers.js';
import { openJsonStore } from '../../src/main/json-store.js';
import { createSecretStore } from '../../src/main/secret-store.js';
import { createSettingsRepo } from '../../src/main/settings-repo.js';
import { DEFAULT_NOTIFICATION_PREFS } from '../../src/shared/notification-prefs.js';
import { DEFAULT_SETTINGS } from '../../src/shared/settings.js';
import { __test, clipboard, FakeWebContents, ipcMain, safeStorage } from '../support/fake-electron/index.js';
import { FakeEngine, recordingLogger } from './fake-engine.js';

const PAGE = 'file:///app/dist/renderer/index.html';
const TOKEN = 'gw-token-5f1c2a9e7d3b';
const API_KEY = 'aw-key-77aa88bb99cc';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ipc-handlers-'));
  __test.reset({ userData: dir });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function setup() {
  const rec = recordingLogger();
  const log = rec.log;
  const repo = createSettingsRepo(openJsonStore(dir, 'settings', log), log);
  const secrets = createSecretStore(safeStorage, openJsonStore(dir, 'secrets', log), log, 'linux');
  const engines: FakeEngine[] = [];
  const order: string[] = [];
  const host = new EngineHost(async () => {
    order.push(`create ${engines.length + 1}`);
    const e = new FakeEngine();
    engines.push(e);
    return e;
  }, log);
  await host.start();
  const gatewayCalls: Parameters<GatewayTest>[0][] = [];
  const agentwatchCalls: Parameters<AgentWatchTest>[0][] = [];
  let openAtLogin = false;
  const wc = new FakeWebContents();
  const opened: string[] = [];
  registerIpcHandlers({
    ipc: ipcMain,
    trusted: trustedSender(() => wc.id, PAGE),
    log,
    repo,
    secrets,
    readSecret: async (name) => secrets.get(name),
    loginItem: { isEnabled: () => openAtLogin, set: (on) => void (openAtLogin = on) },
    engines: host,
    testGateway: async (input) => {
      gatewayCalls.push(input);
      return { ok: true, message: 'connected', scopes: ['operator.read'] };
    },
    testAgentWatch: async (input) => {
      agentwatchCalls.push(input);
      return { ok: true, message: 'ok', sink: 'agentwatch' };
    },
    clipboard,
    versions: { app: '0.1.0', electron: '45.5.0' },
    clientVersion: '0.1.0',
    recentProblems: () => [`2026-11-03T12:00:00.000Z [ERROR] gateway said: bad token ${TOKEN}`],
    about: {
      info: { appVersion: '0.1.0', stateDir: join(dir, 'state'), logFile: join(dir, 'logs', 'sync.log'), projectUrl: 'https://example.test/project' },
      open: async (target) => {
        opened.push(target);
        return target === 'logFile' ? 'No application is associated with this file' : '';
      },
    },
    now: () => Date.UTC(2026, 10, 3, 12),
  });
  const call = (channel: string, payload?: unknown) => __test.invoke(channel, payload, { webContents: wc, frameUrl: PAGE });
  return { rec, repo, secrets, host, engines, order, call, gatewayCalls, agentwatchCalls, wc, opened, isOpenAtLogin: () => openAtLogin };
}

test('every invoke channel of the contract has a handler', async () => {
  await setup();
  const { invoke } = await import('../../src/shared/ipc-contract.js');
  assert.deepEqual([...__test.handlers.keys()].sort(), Object.keys(invoke).sort());
});

test('settings:get shows defaults, no secrets, and where secrets would be kept', async () => {
  const { call } = await setup();
  assert.deepEqual(await call('settings:get'), {
    ok: true,
    value: { settings: DEFAULT_SETTINGS, hasToken: false, hasApiKey: false, secretStorage: 'os', openAtLogin: false, notifications: DEFAULT_NOTIFICATION_PREFS },
  });
});

test('notification preferences are saved with the settings and read back; a bad budget names its field and saves nothing', async () => {
  const { call, engines } = await setup();
  const bad = await call('settings:save', { settings: DEFAULT_SETTINGS, notifications: { ...DEFAULT_NOTIFICATION_PREFS, dailyUsdBudget: -3 } });
  assert.equal(bad.value.ok, false);
  assert.match(bad.value.errors['notifications.dailyUsdBudget'], /0/);
  const prefs = { failure: false, recovery: true, deadLetter: true, dailyTokenBudget: 500_000, dailyUsdBudget: 12.5 };
  const ok = await call('settings:save', { settings: DEFAULT_SETTINGS, notifications: prefs });
  assert.equal(ok.value.ok, true);
  assert.deepEqual(ok.value.view.notifications, prefs);
  assert.deepEqual((await call('settings:get')).value.notifications, prefs);
  assert.equal(engines.length, 1, 'notification preferences need no engine restart');
});

test('a valid save persists settings and secrets, toggles login, and restarts the engine (old one stopped first)', async () => {
  const { call, engines, order, isOpenAtLogin } = await setup();
  const settings = { ...DEFAULT_SETTINGS, openclawUrl: 'http://127.0.0.1:19001', pollIntervalSec: 60 };
  const r = await call('settings:save', { settings, token: TOKEN, apiKey: API_KEY, openAtLogin: true });
  assert.equal(r.ok, true);
  assert.equal(r.value.ok, true);
  assert.equal(r.value.view.hasToken, true);
  assert.equal(r.value.view.settings.pollIntervalSec, 60);
  assert.equal(isOpenAtLogin(), true);
  assert.equal(engines.length, 2);
  assert.deepEqual(engines[0]!.calls, ['start', 'stop', 'stopped']);
  assert.deepEqual(order, ['create 1', 'create 2']);
  assert.deepEqual(engines[1]!.calls, ['start']);

  const reread = createSettingsRepo(openJsonStore(dir, 'settings', recordingLogger().log), recordingLogger().log).load();
  assert.equal(reread.openclawUrl, 'http://127.0.0.1:19001');
  for (const name of ['settings.json', 'secrets.json']) {
    const text = readFileSync(join(dir, name), 'utf8');
    assert.equal(text.includes(TOKEN) || text.includes(API_KEY), false, `${name} holds no secret in clear`);
  }
});

test('saving the same settings without new secrets does not restart the engine', async () => {
  const { call, engines } = await setup();
  const r = await call('settings:save', { settings: DEFAULT_SETTINGS });
  assert.equal(r.value.ok, true);
  assert.equal(engines.length, 1);
});

test('an invalid save returns field errors, stores nothing and keeps the engine', async () => {
  const { call, engines, secrets } = await setup();
  const r = await call('settings:save', { settings: { ...DEFAULT_SETTINGS, pollIntervalSec: 2 }, token: TOKEN });
  assert.equal(r.ok, true);
  assert.equal(r.value.ok, false);
  assert.match(r.value.errors.pollIntervalSec, /Too small/);
  assert.equal(secrets.get('gatewayToken'), undefined);
  assert.equal(engines.length, 1);
});

test('without OS encryption a token is refused as a field error and nothing is saved', async () => {
  __test.state.encryptionAvailable = false;
  const { call, engines } = await setup();
  const r = await call('settings:save', { settings: { ...DEFAULT_SETTINGS, pollIntervalSec: 60 }, token: TOKEN });
  assert.equal(r.value.ok, false);
  assert.match(r.value.errors.token, /tokenFile/);
  assert.equal((await call('settings:get')).value.settings.pollIntervalSec, DEFAULT_SETTINGS.pollIntervalSec);
  assert.equal(engines.length, 1);
});

test('a save from a foreign frame is refused and changes nothing', async () => {
  const { wc, engines, rec } = await setup();
  const r = await __test.invoke('settings:save', { settings: { ...DEFAULT_SETTINGS, pollIntervalSec: 60 } }, { webContents: wc, frameUrl: 'https://evil.example/' });
  assert.deepEqual(r, { ok: false, error: 'untrusted sender' });
  assert.equal(engines.length, 1);
  assert.equal(rec.warnings().length, 1);
});

test('an invalid payload is rejected with the zod message', async () => {
  const { call } = await setup();
  const r = await call('settings:save', { settings: {}, token: 42 });
  assert.equal(r.ok, false);
  assert.match(r.error, /^token: Invalid input: expected string, received number$/);
});

test('pause, resume and run once reach the engine and answer with the status', async () => {
  const { call, engines } = await setup();
  assert.equal((await call('sync:pause')).value.phase, 'paused');
  assert.equal((await call('sync:resume')).value.phase, 'idle');
  assert.equal((await call('sync:run-once')).value.delivered, 2);
  assert.equal((await call('sync:status')).value.phase, 'idle');
  assert.deepEqual(engines[0]!.calls, ['start', 'pause', 'resume', 'runOnce']);
});

test('connection tests use the stored secret when none is typed, and the typed one otherwise', async () => {
  const { call, gatewayCalls, agentwatchCalls, secrets } = await setup();
  secrets.set('gatewayToken', TOKEN);
  secrets.set('apiKey', API_KEY);
  assert.equal((await call('connection:test-gateway', { openclawUrl: 'http://127.0.0.1:18789' })).value.ok, true);
  await call('connection:test-gateway', { openclawUrl: 'http://127.0.0.1:18789', token: 'typed-token-123456' });
  await call('connection:test-agentwatch', { agentwatchUrl: 'http://127.0.0.1:8765' });
  assert.deepEqual(gatewayCalls.map((c) => c.token), [TOKEN, 'typed-token-123456']);
  assert.deepEqual(gatewayCalls[0], { url: 'http://127.0.0.1:18789', token: TOKEN, timeoutMs: 15_000, clientVersion: '0.1.0' });
  assert.deepEqual(agentwatchCalls, [{ baseUrl: 'http://127.0.0.1:8765', apiKey: API_KEY, timeoutMs: 15_000 }]);
});

test('diagnostics hold versions, settings and status but no token or API key, and land on the clipboard', async () => {
  const { call, secrets, engines } = await setup();
  secrets.set('gatewayToken', TOKEN);
  secrets.set('apiKey', API_KEY);
  engines[0]!.emit({ lastError: { code: 'AUTH', message: `refused token ${TOKEN}`, at: 0, details: `Authorization: Bearer ${API_KEY}` } });
  const r = await call('diagnostics:copy');
  const text: string = r.value.text;
  assert.match(text, /electron: 45\.5\.0/);
  assert.match(text, /"openclawUrl": "http:\/\/127\.0\.0\.1:18789"/);
  assert.match(text, /gateway token: set; AgentWatch API key: set; storage: os/);
  assert.match(text, /gateway said: bad token \[redacted\]/);
  assert.equal(text.includes(TOKEN), false);
  assert.equal(text.includes(API_KEY), false);
  assert.equal(__test.state.clipboard, text);
});

test('usage:hourly asks the engine for the requested window', async () => {
  const { call, engines } = await setup();
  engines[0]!.usage = [{ hour: 0, agentId: 'main', tokens: 10, costMicros: 5, unpriced: 0 }];
  assert.deepEqual((await call('usage:hourly', { hours: 24 })).value, [{ hour: 0, agentId: 'main', tokens: 10, costMicros: 5, unpriced: 0 }]);
  assert.deepEqual(engines[0]!.calls.at(-1), 'usageByHour:24');
});

test('filter:preview rejects a missing, non-string or over-long expression before the engine sees it', async () => {
  const { call, engines } = await setup();
  assert.match((await call('filter:preview')).error, /expected object, received undefined/);
  assert.equal((await call('filter:preview', { expression: 7 })).error, 'expression: Invalid input: expected string, received number');
  assert.match((await call('filter:preview', { expression: 'x'.repeat(2001) })).error, /^expression: Too big: expected string to have <=2000 characters$/);
  assert.deepEqual(engines[0]!.calls.filter((c) => c.startsWith('previewFilter')), []);
});

test('filter:preview answers with the engine preview of the last poll', async () => {
  const { call, engines } = await setup();
  const decisions = [
    { key: 'agent:main:main', keep: true, reason: 'classification in (main) matched' },
    { key: 'agent:ops:cron:1', keep: false, reason: 'not classification in (main)' },
  ];
  engines[0]!.preview = { ok: true, decisions };
  assert.deepEqual(await call('filter:preview', { expression: 'classification in (main)' }), { ok: true, value: { ok: true, decisions } });
  engines[0]!.preview = { ok: false, error: 'Expected a value after "tokens" (column 10)', column: 10 };
  assert.deepEqual((await call('filter:preview', { expression: 'tokens >=' })).value, engines[0]!.preview);
  assert.deepEqual(engines[0]!.calls.slice(-2), ['previewFilter:classification in (main)', 'previewFilter:tokens >=']);
});

test('app:about answers the version and paths; app:open opens only the named targets and words a failure', async () => {
  const { call, opened } = await setup();
  assert.deepEqual(await call('app:about'), {
    ok: true,
    value: { appVersion: '0.1.0', stateDir: join(dir, 'state'), logFile: join(dir, 'logs', 'sync.log'), projectUrl: 'https://example.test/project' },
  });
  assert.deepEqual(await call('app:open', { target: 'stateDir' }), { ok: true, value: { error: '' } });
  assert.deepEqual(await call('app:open', { target: 'logFile' }), { ok: true, value: { error: 'No application is associated with this file' } });
  const arbitrary = (await call('app:open', { target: '/etc/passwd' })) as { ok: boolean };
  assert.equal(arbitrary.ok, false, 'a path the page makes up is refused before main opens anything');
  assert.deepEqual(opened, ['stateDir', 'logFile']);
});
