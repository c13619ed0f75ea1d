import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import test, { beforeEach } from 'node:test';
import { createSettingsWindow } from '../../src/main/settings-window.js';
import { __test, BrowserWindow } from '../support/fake-electron/index.js';
import { status } from './fake-engine.js';

const DIST = '/app/dist';
beforeEach(() => __test.reset());

const open = (errors: unknown[] = []) => createSettingsWindow({ createWindow: (o) => new BrowserWindow(o), distDir: DIST, onLoadError: (e) => errors.push(e) });

test('the window is locked down: isolation, sandbox, no node, our preload, hidden until ready', async () => {
  const win = open();
  win.open();
  const fake = __test.windows[0]!;
  assert.deepEqual(fake.options.webPreferences, {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    webSecurity: true,
    preload: join(DIST, 'preload', 'index.cjs'),
  });
  assert.equal(fake.options.show, false);
  assert.deepEqual(
    [fake.options.width, fake.options.height, fake.options.minWidth, fake.options.minHeight, fake.options.useContentSize],
    [760, 760, 620, 480, true],
  );
  assert.equal(fake.loadedFile, join(DIST, 'renderer', 'index.html'));
  assert.equal(win.pageUrl, pathToFileURL(join(DIST, 'renderer', 'index.html')).href);
  assert.equal(fake.visible, false);
  fake.emit('ready-to-show');
  assert.equal(fake.visible, true);
});

test('window.open is denied, navigation is prevented, every permission request is refused', () => {
  open().open();
  const fake = __test.windows[0]!;
  assert.deepEqual(fake.webContents.windowOpenHandler?.({ url: 'https://evil.example' }), { action: 'deny' });
  assert.equal(fake.webContents.navigate('https://evil.example'), true);
  const answers: boolean[] = [];
  __test.session.defaultSession.permissionRequestHandler?.(fake.webContents, 'media', (granted) => answers.push(granted));
  __test.session.defaultSession.permissionRequestHandler?.(fake.webContents, 'notifications', (granted) => answers.push(granted));
  assert.deepEqual(answers, [false, false]);
  assert.equal(__test.session.defaultSession.permissionCheckHandler?.(fake.webContents, 'clipboard-read'), false);
});

test('one instance: opening again focuses the existing window; after close a new one is made', () => {
  const win = open();
  win.open();
  const first = __test.windows[0]!;
  first.minimized = true;
  win.open();
  assert.equal(__test.windows.length, 1);
  assert.equal(first.focused, true);
  assert.equal(first.minimized, false);
  assert.equal(win.webContentsId(), first.webContents.id);
  first.close();
  assert.equal(win.webContentsId(), undefined, 'a closed window is no longer a trusted sender');
  win.open();
  assert.equal(__test.windows.length, 2);
});

test('status pushes go to the open window only', () => {
  const win = open();
  win.pushStatus(status());
  win.open();
  win.pushStatus(status({ pollCount: 7 }));
  const sent = __test.windows[0]!.webContents.sent;
  assert.equal(sent.length, 1);
  assert.equal(sent[0]?.channel, 'sync:status-changed');
});
