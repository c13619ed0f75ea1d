import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { afterEach, beforeEach } from 'node:test';
import { startApp } from '../../src/main/start-app.js';
import { invoke } from '../../src/shared/ipc-contract.js';
import { __test, app } from '../support/fake-electron/index.js';
import { startAppDeps } from './start-app-deps.js';

const TOKEN = 'gw-token-5f1c2a9e7d3b';
let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(join(tmpdir(), 'start-app-'));
  __test.reset({ userData: join(root, 'userData'), logs: join(root, 'logs') });
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const deps = (env: Record<string, string> = {}) => startAppDeps(root, env);

test('first run without a token: the app stays up, the tray shows the error, settings open', async () => {
  const { d, engines } = deps();
  const running = await startApp(d);
  assert.ok(running);
  assert.equal(engines.length, 0);
  const tray = __test.trays[0]!;
  assert.equal(tray.images.at(-1)?.path, '/app/assets/tray/tray-error.png');
  assert.match(tray.tooltips.at(-1)!, /error: No OpenClaw gateway token yet/);
  assert.equal(__test.windows.length, 1, 'settings window opened to paste the token');
  assert.deepEqual([...__test.handlers.keys()].sort(), Object.keys(invoke).sort());
  const quit = new Promise<void>((resolve) => app.once('quit', () => resolve()));
  app.quit();
  await quit;
});

test('with a token the engine runs, the tray drives it, status reaches tray and window, quit flushes and closes', async () => {
  const { d, engines, engineDeps, timers } = deps({ OPENCLAW_GATEWAY_TOKEN: TOKEN });
  const running = await startApp(d);
  assert.ok(running);
  assert.equal(engines.length, 1);
  assert.equal(engineDeps[0]?.gatewayToken, TOKEN);
  assert.equal(engineDeps[0]?.maxErrors, 0);
  assert.equal(engineDeps[0]?.stateDir, join(root, 'userData', 'state'));
  assert.equal(__test.windows.length, 0, 'no window when a token exists');
  const tray = __test.trays[0]!;
  assert.equal(tray.images.at(-1)?.path, '/app/assets/tray/tray-ok.png');

  const click = (id: string) => (tray.menus.at(-1)!.getMenuItemById(id)!.click as () => void)();
  click('toggle-pause');
  assert.deepEqual(engines[0]!.calls, ['start', 'pause']);
  assert.equal(tray.menus.at(-1)!.getMenuItemById('toggle-pause')!.label, 'Resume', 'menu rebuilt on the status change');
  assert.equal(tray.images.at(-1)?.path, '/app/assets/tray/tray-paused.png');
  click('toggle-pause');
  click('run-once');
  assert.deepEqual(engines[0]!.calls, ['start', 'pause', 'resume', 'runOnce']);

  running.openSettings();
  engines[0]!.emit({ pollCount: 5 });
  const sent = __test.windows[0]!.webContents.sent.at(-1);
  assert.equal(sent?.channel, 'sync:status-changed');
  assert.equal((sent?.args[0] as { pollCount: number }).pollCount, 5);

  engines[0]!.emit({ consecutiveErrors: 1, lastError: { code: 'AUTH', message: `Gateway rejected token ${TOKEN}.`, at: 1 } });
  assert.deepEqual(__test.notifications.map((n) => n.title), ['AgentWatch Sync stopped syncing']);
  timers.tick();

  const quit = new Promise<void>((resolve) => app.once('quit', () => resolve()));
  click('quit');
  await quit;
  assert.deepEqual(engines[0]!.calls.slice(-2), ['stop', 'stopped']);
  assert.equal(tray.destroyed, true);
  assert.equal(timers.stopped, 1);
  const logText = fs.readFileSync(running.logPath, 'utf8');
  assert.match(logText, /\[INFO\] - AgentWatch Sync 0\.1\.0 starting/);
  assert.equal(logText.includes(TOKEN), false, 'the log never holds the token');
});

test('a second instance resolves null and quits', async () => {
  __test.state.singleInstanceLock = false;
  assert.equal(await startApp(deps().d), null);
  assert.equal(__test.state.hasQuit, true);
  assert.equal(__test.trays.length, 0);
});
