import assert from 'node:assert/strict';
import test, { beforeEach } from 'node:test';
import { handle, pushStatus, trustedSender } from '../../src/main/ipc.js';
import { __test, FakeWebContents, ipcMain } from '../support/fake-electron/index.js';
import { recordingLogger, status } from './fake-engine.js';

const PAGE = 'file:///app/dist/renderer/index.html';
let ours: FakeWebContents;
beforeEach(() => {
  __test.reset();
  ours = new FakeWebContents();
});

function register(rec = recordingLogger()) {
  const seen: unknown[] = [];
  handle(ipcMain, trustedSender(() => ours.id, PAGE), 'usage:hourly', (req) => {
    seen.push(req);
    return [];
  }, rec.log);
  return { seen, rec };
}

test('our window on our page gets the handler result in the ok envelope', async () => {
  const { seen } = register();
  assert.deepEqual(await __test.invoke('usage:hourly', { hours: 24 }, { webContents: ours, frameUrl: PAGE }), { ok: true, value: [] });
  assert.deepEqual(seen, [{ hours: 24 }]);
});

test('query and hash on our page are still our page', async () => {
  const { seen } = register();
  assert.equal((await __test.invoke('usage:hourly', { hours: 1 }, { webContents: ours, frameUrl: `${PAGE}#status` })).ok, true);
  assert.equal((await __test.invoke('usage:hourly', { hours: 1 }, { webContents: ours, frameUrl: `${PAGE}?tab=usage` })).ok, true);
  assert.equal(seen.length, 2);
});

test('another webContents is refused with a WARN and the handler never runs', async () => {
  const { seen, rec } = register();
  const other = new FakeWebContents();
  assert.deepEqual(await __test.invoke('usage:hourly', { hours: 24 }, { webContents: other, frameUrl: PAGE }), { ok: false, error: 'untrusted sender' });
  assert.deepEqual(seen, []);
  assert.match(rec.warnings()[0] ?? '', /ignored usage:hourly from an untrusted sender/);
});

test('our webContents showing a foreign frame is refused', async () => {
  const { seen } = register();
  for (const frameUrl of ['https://evil.example/index.html', 'file:///tmp/other.html', `${PAGE}.evil.html`, '']) {
    assert.deepEqual(await __test.invoke('usage:hourly', { hours: 24 }, { webContents: ours, frameUrl }), { ok: false, error: 'untrusted sender' });
  }
  assert.deepEqual(seen, []);
});

test('once the window is gone, nothing is trusted', async () => {
  let id: number | undefined = ours.id;
  handle(ipcMain, trustedSender(() => id, PAGE), 'sync:status', () => status(), recordingLogger().log);
  id = undefined;
  assert.deepEqual(await __test.invoke('sync:status', undefined, { webContents: ours, frameUrl: PAGE }), { ok: false, error: 'untrusted sender' });
});

test('an invalid payload is rejected with the first zod issue and the handler never runs', async () => {
  const { seen } = register();
  const r = await __test.invoke('usage:hourly', { hours: 0 }, { webContents: ours, frameUrl: PAGE });
  assert.equal(r.ok, false);
  assert.match(r.error, /^hours: Too small: expected number to be >=1$/);
  const r2 = await __test.invoke('usage:hourly', 'all of them', { webContents: ours, frameUrl: PAGE });
  assert.match(r2.error, /expected object/);
  assert.deepEqual(seen, []);
});

test('a handler that throws answers with its message instead of rejecting the invoke', async () => {
  const rec = recordingLogger();
  handle(ipcMain, trustedSender(() => ours.id, PAGE), 'sync:run-once', () => {
    throw new Error('The sync engine is not running yet; try again in a moment.');
  }, rec.log);
  assert.deepEqual(await __test.invoke('sync:run-once', undefined, { webContents: ours, frameUrl: PAGE }), {
    ok: false,
    error: 'The sync engine is not running yet; try again in a moment.',
  });
});

test('pushStatus sends on the contract channel and skips a destroyed window', () => {
  pushStatus(ours, status({ pollCount: 3 }));
  assert.equal(ours.sent[0]?.channel, 'sync:status-changed');
  assert.equal((ours.sent[0]?.args[0] as { pollCount: number }).pollCount, 3);
  ours.destroyed = true;
  pushStatus(ours, status());
  assert.equal(ours.sent.length, 1);
});
