import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { afterEach, beforeEach } from 'node:test';
import { openJsonStore } from '../../src/main/json-store.js';
import { createSecretStore } from '../../src/main/secret-store.js';
import { isSyncError } from '../../src/sync/errors.js';
import { __test, safeStorage } from '../support/fake-electron/index.js';
import { recordingLogger } from './fake-engine.js';

const TOKEN = 'gw-token-5f1c2a9e7d3b';
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'secret-store-'));
  __test.reset({ userData: dir });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const open = (log = recordingLogger().log, platform: NodeJS.Platform = 'linux') =>
  createSecretStore(safeStorage, openJsonStore(dir, 'secrets', log), log, platform);

test('a token is stored encrypted: the file on disk never holds it, a new instance reads it back', () => {
  const secrets = open();
  assert.equal(secrets.storage, 'os');
  secrets.set('gatewayToken', TOKEN);
  const onDisk = readFileSync(join(dir, 'secrets.json'), 'utf8');
  assert.equal(onDisk.includes(TOKEN), false);
  assert.match(onDisk, /"gatewayToken": "[A-Za-z0-9+/=]+"/);
  assert.equal(open().get('gatewayToken'), TOKEN);
  assert.equal(open().get('apiKey'), undefined);
});

test('setting undefined or an empty string forgets the secret', () => {
  const secrets = open();
  secrets.set('apiKey', 'aw-key-123456');
  secrets.set('apiKey', '');
  assert.equal(secrets.get('apiKey'), undefined);
  secrets.set('apiKey', 'aw-key-123456');
  secrets.set('apiKey', undefined);
  assert.equal(open().get('apiKey'), undefined);
});

test('basic_text on Linux is reported as weak with a WARN, but still encrypts', () => {
  __test.state.storageBackend = 'basic_text';
  const rec = recordingLogger();
  const secrets = open(rec.log);
  assert.equal(secrets.storage, 'basic');
  assert.match(rec.warnings()[0] ?? '', /only basic text encryption is available/);
  secrets.set('gatewayToken', TOKEN);
  assert.equal(readFileSync(join(dir, 'secrets.json'), 'utf8').includes(TOKEN), false);
});

test('the backend is only asked on Linux (other platforms have no backends)', () => {
  __test.state.storageBackend = 'basic_text';
  assert.equal(open(recordingLogger().log, 'darwin').storage, 'os');
});

test('without encryption it refuses to store, with a next step, and never writes plain text', () => {
  __test.state.encryptionAvailable = false;
  const secrets = open();
  assert.equal(secrets.storage, 'none');
  assert.throws(
    () => secrets.set('gatewayToken', TOKEN),
    (e: unknown) => isSyncError(e) && e.code === 'CONFIG' && /tokenFile/.test(e.message) && !e.message.includes(TOKEN),
  );
  assert.equal(secrets.get('gatewayToken'), undefined);
  let onDisk = '';
  try {
    onDisk = readFileSync(join(dir, 'secrets.json'), 'utf8');
  } catch {
    onDisk = ''; // never created is fine too
  }
  assert.equal(onDisk.includes(TOKEN), false);
});

test('a secret that no longer decrypts is treated as missing with a WARN', () => {
  const rec = recordingLogger();
  const store = openJsonStore(dir, 'secrets', rec.log);
  store.set('gatewayToken', Buffer.from('garbage').toString('base64'));
  assert.equal(createSecretStore(safeStorage, store, rec.log, 'linux').get('gatewayToken'), undefined);
  assert.match(rec.warnings()[0] ?? '', /could not be decrypted/);
});
