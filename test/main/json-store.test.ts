import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { afterEach, beforeEach } from 'node:test';
import { openJsonStore } from '../../src/main/json-store.js';
import { __test } from '../support/fake-electron/index.js';
import { recordingLogger } from './fake-engine.js';

const posixOnly = { skip: process.platform === 'win32' ? 'Windows has no POSIX modes (per-user folders instead)' : false };
const modeOf = (path: string): number => statSync(path).mode & 0o777;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'json-store-'));
  __test.reset({ userData: dir });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test("electron-store's file is written 0600", posixOnly, () => {
  const { log, lines } = recordingLogger();
  const store = openJsonStore(dir, 'settings', log);
  store.set('openclawUrl', 'http://127.0.0.1:18789');
  assert.equal(modeOf(store.path), 0o600);
  store.set('pollIntervalSec', 45);
  assert.equal(modeOf(store.path), 0o600, 'every write keeps it');
  assert.deepEqual(lines, []);
});

test('a settings file readable by others is tightened when the app opens it, with one line', posixOnly, () => {
  const path = join(dir, 'settings.json');
  writeFileSync(path, '{"openclawUrl":"http://gateway.internal:18789"}');
  chmodSync(path, 0o644);
  const { log, lines } = recordingLogger();
  const store = openJsonStore(dir, 'settings', log);
  assert.equal(modeOf(path), 0o600);
  assert.equal(store.get('openclawUrl'), 'http://gateway.internal:18789');
  assert.equal(lines.length, 1, JSON.stringify(lines));
  assert.match(lines[0]!.message, new RegExp(`Tightened permissions on ${path} \\(was 0644, now 0600\\)`));
});
