import assert from 'node:assert/strict';
import test, { beforeEach } from 'node:test';
import { setupLifecycle } from '../../src/main/app-lifecycle.js';
import { __test, app } from '../support/fake-electron/index.js';
import { deferred, FakeEngine, recordingLogger } from './fake-engine.js';

beforeEach(() => __test.reset());

const setup = (platform: NodeJS.Platform = 'linux', shutdown: () => Promise<void> = async () => {}) => {
  const focused: number[] = [];
  const primary = setupLifecycle({ app, platform, log: recordingLogger().log, focusSettings: () => focused.push(1), shutdown });
  return { primary, focused };
};

test('a second instance quits at once; the running one focuses its settings when launched again', () => {
  __test.state.singleInstanceLock = false;
  assert.equal(setup().primary, false);
  assert.equal(__test.state.hasQuit, true);

  __test.reset();
  const { primary, focused } = setup();
  assert.equal(primary, true);
  app.emit('second-instance');
  assert.equal(focused.length, 1);
  assert.equal(__test.state.hasQuit, false);
});

test('closing every window keeps the tray app running', () => {
  setup();
  assert.equal(app.listenerCount('window-all-closed'), 1);
  app.emit('window-all-closed');
  assert.equal(__test.state.hasQuit, false);
});

test('macOS hides the dock icon; Linux leaves it alone', () => {
  setup('linux');
  assert.equal(__test.state.dockHidden, false);
  __test.reset();
  setup('darwin');
  assert.equal(__test.state.dockHidden, true);
});

test('quitting waits for engine.stop (the outbox flush) before the app really quits', async () => {
  const engine = new FakeEngine();
  const gate = deferred();
  engine.stopGate = gate.promise;
  const stopped = deferred();
  setup('linux', async () => {
    await engine.stop();
    stopped.resolve();
  });
  app.quit();
  assert.deepEqual(engine.calls, ['stop']);
  assert.equal(__test.state.hasQuit, false, 'still running while the engine flushes');
  app.quit(); // an impatient second Quit does not start a second shutdown
  assert.deepEqual(engine.calls, ['stop']);
  gate.resolve();
  await stopped.promise;
  await new Promise<void>((resolve) => app.once('quit', () => resolve()));
  assert.deepEqual(engine.calls, ['stop', 'stopped']);
  assert.equal(__test.state.hasQuit, true);
});

test('a failing shutdown is logged and the app still quits', async () => {
  const rec = recordingLogger();
  const quit = new Promise<void>((resolve) => app.once('quit', () => resolve()));
  setupLifecycle({ app, platform: 'linux', log: rec.log, focusSettings: () => {}, shutdown: async () => { throw new Error('disk full'); } });
  app.quit();
  await quit;
  assert.ok(rec.lines.some((l) => l.level === 'error' && /disk full/.test(l.message)));
});
