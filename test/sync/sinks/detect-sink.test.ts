import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { startSimAgentWatch } from '../../../src/sim/agentwatch-server.js';
import { testAgentWatchConnection } from '../../../src/sync/sinks/connection-test-agentwatch.js';
import { SyncError } from '../../../src/sync/errors.js';
import { createSink } from '../../../src/sync/sinks/create-sink.js';
import { detectSink } from '../../../src/sync/sinks/detect-sink.js';

async function startOtherApi(paths: Record<string, unknown>) {
  const server = createServer((req, res) => {
    const body = req.url === '/openapi.json' ? JSON.stringify({ openapi: '3.1.0', paths }) : '{"detail":"Not Found"}';
    res.writeHead(req.url === '/openapi.json' ? 200 : 404, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise((r) => server.close(r)) };
}

test('the real API is detected from /api/ingest, the seed contract from /api/events/bulk', async () => {
  const aw = await startSimAgentWatch();
  const seed = await startSimAgentWatch({ mode: 'seed' });
  try {
    assert.equal(await detectSink({ baseUrl: aw.url, timeoutMs: 2000 }), 'agentwatch');
    assert.equal(await detectSink({ baseUrl: seed.url, timeoutMs: 2000 }), 'seed');
  } finally {
    await aw.close();
    await seed.close();
  }
});

test('a server with neither ingest path is a CONFIG error naming the URL and what it found', async () => {
  const other = await startOtherApi({ '/api/widgets': { get: {} } });
  try {
    const e = await detectSink({ baseUrl: other.url, timeoutMs: 2000 }).catch((x: unknown) => x);
    assert.ok(e instanceof SyncError);
    assert.equal(e.code, 'CONFIG');
    assert.match(e.message, new RegExp(`${other.url}/openapi.json lists neither .*found /api/widgets.*--sink`));
  } finally {
    await other.close();
  }
});

test('a closed port is a retryable NETWORK error', async () => {
  const gone = await startSimAgentWatch();
  await gone.close();
  const e = await detectSink({ baseUrl: gone.url, timeoutMs: 2000 }).catch((x: unknown) => x);
  assert.ok(e instanceof SyncError);
  assert.deepEqual([e.code, e.retryable], ['NETWORK', true]);
  assert.match(e.message, /refused the connection — is it running\?/);
});

test('the connection test reports health and the API it will use, and never throws', async () => {
  const aw = await startSimAgentWatch();
  try {
    const good = await testAgentWatchConnection({ baseUrl: aw.url, timeoutMs: 2000 });
    assert.deepEqual(good, {
      ok: true,
      sink: 'agentwatch',
      message: `AgentWatch at ${aw.url} reports "healthy"; syncing through the AgentWatch API (/api/ingest).`,
    });
    aw.fail({ status: 401, path: '/health' });
    const denied = await testAgentWatchConnection({ baseUrl: aw.url, apiKey: 'k-secret', timeoutMs: 2000 });
    assert.equal(denied.ok, false);
    assert.match(denied.message, /refused the API key/);
    assert.doesNotMatch(denied.message, /k-secret/);
  } finally {
    await aw.close();
  }
  const gone = await startSimAgentWatch();
  await gone.close();
  const down = await testAgentWatchConnection({ baseUrl: gone.url, timeoutMs: 2000 });
  assert.equal(down.ok, false);
  assert.match(down.message, /refused the connection/);
});

test('createSink builds the sink that was asked for', () => {
  const options = { baseUrl: 'http://127.0.0.1:1', timeoutMs: 1000, gatewayId: 'gw', jsonlPath: '-' };
  assert.deepEqual(
    (['agentwatch', 'seed', 'jsonl'] as const).map((k) => createSink(k, options).name),
    ['agentwatch', 'seed', 'jsonl'],
  );
});
