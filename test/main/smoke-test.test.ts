import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { afterEach, beforeEach } from 'node:test';
import { startApp } from '../../src/main/start-app.js';
import { FakeBrowserWindow } from '../support/fake-electron/browser-window.js';
import { __test, app } from '../support/fake-electron/index.js';
import { startAppDeps } from './start-app-deps.js';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(join(tmpdir(), 'smoke-test-'));
  __test.reset({ userData: join(root, 'userData'), logs: join(root, 'logs') });
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const logText = () => fs.readFileSync(join(root, 'logs', 'agentwatch-sync.log'), 'utf8');

test('--smoke-test: the app starts, opens its settings window, and quits normally once the page loaded', async () => {
  const { d } = startAppDeps(root, { OPENCLAW_GATEWAY_TOKEN: 'gw-token-smoke' });
  const quit = new Promise<void>((resolve) => app.once('quit', () => resolve()));
  const running = await startApp({ ...d, argv: ['/usr/bin/electron', '.', '--smoke-test'] });
  assert.ok(running);
  assert.equal(__test.windows.length, 1, 'the window opens even though a token exists');
  assert.match(__test.windows[0]!.loadedFile ?? '', /renderer[/\\]index\.html$/);
  await quit;
  assert.equal(__test.state.exitCode, null, 'a normal quit (exit code 0), not app.exit');
  assert.match(logText(), /Smoke test passed: the app started and its settings window loaded/);
});

test('--smoke-test whose window cannot load exits 1 and says why', async (t) => {
  const load = t.mock.method(FakeBrowserWindow.prototype, 'loadFile', async () => {
    throw new Error('ERR_FILE_NOT_FOUND (-6) loading index.html');
  });
  const { d } = startAppDeps(root, { OPENCLAW_GATEWAY_TOKEN: 'gw-token-smoke' });
  await startApp({ ...d, argv: ['--smoke-test'] });
  for (let i = 0; i < 100 && __test.state.exitCode === null; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(load.mock.callCount(), 1);
  assert.equal(__test.state.exitCode, 1);
  assert.match(logText(), /Smoke test failed: ERR_FILE_NOT_FOUND/);
});

test('without --smoke-test and with a token the app does not open a window or quit', async () => {
  const { d } = startAppDeps(root, { OPENCLAW_GATEWAY_TOKEN: 'gw-token-smoke' });
  await startApp({ ...d, argv: ['/usr/bin/electron', '.'] });
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(__test.windows.length, 0);
  assert.equal(__test.state.hasQuit, false);
});
