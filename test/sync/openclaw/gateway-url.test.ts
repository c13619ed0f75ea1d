import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SyncError } from '../../../src/sync/errors.js';
import { isLoopbackUrl, toWebSocketUrl } from '../../../src/sync/openclaw/gateway-url.js';

test('http(s) maps to ws(s), ws(s) is kept and the path is preserved', () => {
  assert.equal(toWebSocketUrl('http://127.0.0.1:18789'), 'ws://127.0.0.1:18789/');
  assert.equal(toWebSocketUrl('https://gw.example.com/openclaw'), 'wss://gw.example.com/openclaw');
  assert.equal(toWebSocketUrl('ws://localhost:1/x'), 'ws://localhost:1/x');
  assert.equal(toWebSocketUrl('wss://gw.example.com'), 'wss://gw.example.com/');
});

test('an invalid URL is a CONFIG error naming it', () => {
  for (const bad of ['not a url', 'ftp://127.0.0.1:18789']) {
    assert.throws(
      () => toWebSocketUrl(bad),
      (e: unknown) => e instanceof SyncError && e.code === 'CONFIG' && e.message.includes(`"${bad}"`),
    );
  }
});

test('isLoopbackUrl recognises 127/8, localhost and ::1 only', () => {
  for (const u of ['http://127.0.0.1:18789', 'ws://127.8.9.10/', 'http://localhost:1', 'http://[::1]:18789']) assert.equal(isLoopbackUrl(u), true, u);
  for (const u of ['http://10.0.0.5:18789', 'https://gw.example.com', 'http://127.0.0.1.example.com', 'nonsense']) assert.equal(isLoopbackUrl(u), false, u);
});
