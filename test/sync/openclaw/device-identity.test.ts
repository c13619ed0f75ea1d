import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SyncError } from '../../../src/sync/errors.js';
import { buildDeviceAuth, deviceAuthPayload, loadOrCreateDeviceIdentity } from '../../../src/sync/openclaw/device-identity.js';

const input = {
  clientId: 'gateway-client',
  clientMode: 'backend',
  role: 'operator',
  scopes: ['operator.read', 'operator.write'],
  token: 'tok-123',
  nonce: '07094651-faaa-4fbc-a695-391ea9be343e',
  ts: 1795541359749,
  platform: 'Linux',
  deviceFamily: 'Desktop',
};

test('the identity is created once, stored 0600 and reloaded with the same id', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'aw-device-'));
  try {
    const first = await loadOrCreateDeviceIdentity(join(dir, 'state'));
    const file = join(dir, 'state', 'device-identity.json');
    if (process.platform !== 'win32') assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.match(await readFile(file, 'utf8'), /BEGIN PRIVATE KEY/);
    const again = await loadOrCreateDeviceIdentity(join(dir, 'state'));
    assert.equal(again.deviceId, first.deviceId);
    const raw = Buffer.from(first.publicKey, 'base64url');
    assert.equal(raw.length, 32);
    assert.equal(first.deviceId, createHash('sha256').update(raw).digest('hex'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the v3 payload is byte-exact and the signature verifies with the raw public key', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'aw-device-'));
  try {
    const identity = await loadOrCreateDeviceIdentity(dir);
    const expected = `v3|${identity.deviceId}|gateway-client|backend|operator|operator.read,operator.write|1795541359749|tok-123|07094651-faaa-4fbc-a695-391ea9be343e|linux|desktop`;
    assert.equal(deviceAuthPayload(identity.deviceId, input), expected);
    const auth = buildDeviceAuth(identity, input);
    assert.deepEqual({ ...auth, signature: undefined }, {
      id: identity.deviceId,
      publicKey: identity.publicKey,
      signature: undefined,
      signedAt: 1795541359749,
      nonce: input.nonce,
    });
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: identity.publicKey }, format: 'jwk' });
    assert.equal(verify(null, Buffer.from(expected), key, Buffer.from(auth.signature, 'base64url')), true);
    assert.equal(verify(null, Buffer.from(expected.replace('tok-123', 'tok-124')), key, Buffer.from(auth.signature, 'base64url')), false);
    assert.equal(deviceAuthPayload('d', { ...input, deviceFamily: undefined }).endsWith('|linux|'), true);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a corrupt identity file is a STATE error telling the user to delete it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'aw-device-'));
  try {
    await writeFile(join(dir, 'device-identity.json'), '{"privateKeyPem":"nope"}');
    const error = await loadOrCreateDeviceIdentity(dir).catch((e: unknown) => e);
    assert.ok(error instanceof SyncError);
    assert.equal(error.code, 'STATE');
    assert.match(error.message, /Delete it/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
