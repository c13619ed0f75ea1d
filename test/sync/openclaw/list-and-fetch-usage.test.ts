import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SyncError } from '../../../src/sync/errors.js';
import { GatewayClient } from '../../../src/sync/openclaw/gateway-client.js';
import type { RawAnswerReader } from '../../../src/sync/openclaw/raw-answer.js';
import { fetchUsage } from '../../../src/sync/openclaw/fetch-usage.js';
import { listSessions } from '../../../src/sync/openclaw/list-sessions.js';
import { SimRpcError, startSimGateway } from '../../../src/sim/gateway-server.js';
import { answerSessionsList } from '../../../src/sim/gateway-sessions.js';
import { clientDeps, fixtureRows, fixtureUsage, manyRows, manyUsageRows, recordingLogger, simToken, startValidatedSim, heldMethod, within } from './sim-kit.js';
import type { ValidatedSim } from './sim-kit.js';

async function withClient(sim: ValidatedSim, body: (client: GatewayClient) => Promise<void>): Promise<void> {
  const client = new GatewayClient({ url: sim.url, token: simToken, requestTimeoutMs: 2_000, clientVersion: '0.1.0-test' }, clientDeps());
  try {
    await body(client);
    sim.assertFramesValid();
  } finally {
    client.close();
    await sim.close();
  }
}

test('listSessions reads the fixture rows with the gateway snapshot time', async () => {
  const sim = await startValidatedSim({ now: () => 1795541460199 });
  await withClient(sim, async (client) => {
    const log = recordingLogger();
    const result = await listSessions(client, { log });
    assert.equal(result.rows.length, 6);
    assert.equal(result.invalid, 0);
    assert.equal(result.snapshotAt, 1795541460199);
    assert.deepEqual(result.rows.map((r) => r.key).sort(), fixtureRows().map((r) => r.key).sort());
    assert.deepEqual(sim.requests, [{ method: 'sessions.list', params: { limit: 50, offset: 0 } }]);
  });
});

test('listSessions follows nextOffset past one page without losing or repeating any', async () => {
  const sim = await startValidatedSim({ sessions: () => manyRows(250) });
  await withClient(sim, async (client) => {
    const result = await listSessions(client, { log: recordingLogger() });
    assert.equal(result.rows.length, 250);
    assert.equal(new Set(result.rows.map((r) => r.key)).size, 250);
    assert.deepEqual(
      sim.requests.map((r) => (r.params as { offset: number }).offset),
      [0, 50, 100, 150, 200],
    );
  });
});

test('after the first page the rest are requested four at a time and read in offset order', async () => {
  const rows = manyRows(250);
  const gated: Array<() => void> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const list = (params: Record<string, unknown>) => {
    const answer = answerSessionsList(params, rows, 1795541460199);
    if (params.offset === 0) return answer;
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    // Held until all four are outstanding (a client asking one at a time never gets here), then answered last first.
    return new Promise((resolve) => {
      gated.push(() => {
        inFlight -= 1;
        resolve(answer);
      });
      if (gated.length === 4) for (const release of gated.reverse()) release();
    });
  };
  const sim = await startValidatedSim({ methods: { 'sessions.list': list } });
  await withClient(sim, async (client) => {
    const result = await listSessions(client, { log: recordingLogger() });
    assert.equal(maxInFlight, 4);
    assert.deepEqual(result.rows.map((r) => r.key), rows.map((r) => r.key));
  });
});

test('rows that do not match SessionRow are counted and logged, not fatal', async () => {
  const [good] = fixtureRows();
  const rows = [good, { key: 'agent:main:broken', kind: 'direct' }];
  const sim = await startValidatedSim({ sessions: () => rows as Record<string, unknown>[] });
  await withClient(sim, async (client) => {
    const log = recordingLogger();
    const result = await listSessions(client, { log });
    assert.equal(result.rows.length, 1);
    assert.equal(result.invalid, 1);
    assert.ok(log.lines.some((l) => l.startsWith('WARN') && l.includes('agent:main:broken')));
  });
});

test('a nextOffset that does not advance is a PROTOCOL error, not an endless loop', async () => {
  const stuck = () => ({ ts: 1, count: 1, totalCount: 5, nextOffset: 0, hasMore: true, limitApplied: 1, sessions: [fixtureRows()[0]] });
  const sim = await startValidatedSim({ methods: { 'sessions.list': stuck } });
  await withClient(sim, async (client) => {
    const error = await listSessions(client, { log: recordingLogger() }).catch((e: unknown) => e);
    assert.ok(error instanceof SyncError);
    assert.equal(error.code, 'PROTOCOL');
    assert.match(error.message, /does not advance/);
  });
});

test('activeMinutes is passed through and filters on updatedAt at the server clock', async () => {
  const now = 1795541460199;
  const rows = manyRows(3, now - 10 * 60_000).concat(manyRows(1, now - 2 * 60 * 60_000).map((r) => ({ ...r, key: 'agent:main:old' })));
  const sim = await startValidatedSim({ sessions: () => rows, now: () => now });
  await withClient(sim, async (client) => {
    const result = await listSessions(client, { activeMinutes: 60, pageSize: 2, log: recordingLogger() });
    assert.deepEqual(result.rows.map((r) => r.key).sort(), ['agent:main:bulk:0', 'agent:main:bulk:1', 'agent:main:bulk:2']);
    assert.deepEqual(sim.requests[0]?.params, { limit: 2, offset: 0, activeMinutes: 60 });
  });
});

test('fetchUsage asks for all agents and all time and maps the fixture by sessionId and key', async () => {
  const sim = await startValidatedSim();
  await withClient(sim, async (client) => {
    const usage = await fetchUsage(client, { log: recordingLogger() });
    assert.deepEqual(sim.requests, [{ method: 'sessions.usage', params: { agentScope: 'all', range: 'all', limit: 100000 } }]);
    assert.equal(usage.fresh, true);
    assert.equal(usage.status, 'fresh');
    assert.equal(usage.updatedAt, 1795541467726);
    assert.equal(usage.bySessionId.size, 7);
    assert.equal(usage.bySessionId.get('0af38547-f2d1-40be-ae00-3d790c99bf06')?.usage?.totalTokens, 79120);
    assert.equal(usage.byKey.get('agent:main:main')?.usage?.totalCost, 0.238488);
  });
});

test('fetchUsage reports a refreshing cache as not fresh and respects limit', async () => {
  const refreshing = { ...fixtureUsage(), cacheStatus: { status: 'refreshing', refreshedAt: null } };
  const sim = await startValidatedSim({ usage: () => refreshing });
  await withClient(sim, async (client) => {
    const usage = await fetchUsage(client, { log: recordingLogger(), limit: 2 });
    assert.equal(usage.fresh, false);
    assert.equal(usage.status, 'refreshing');
    assert.equal(usage.byKey.size, 2);
  });
});

/** A client whose readers are counted, with how many of them read the answer (did not hand it back unread). */
function countingReads(client: GatewayClient) {
  const counts = { calls: 0, read: 0 };
  const request: GatewayClient['request'] = (method, params, opts = {}) => {
    const inner = opts.readRaw;
    const readRaw: RawAnswerReader | undefined =
      inner &&
      (async (text) => {
        counts.calls += 1;
        const frame = await inner(text);
        if (frame !== null) counts.read += 1;
        return frame;
      });
    return client.request(method, params, { ...opts, readRaw });
  };
  return { counts, request };
}

test('a large sessions.usage answer is read in slices into the same snapshot as one parsed whole', async () => {
  const payload = { ...fixtureUsage(), sessions: [...manyUsageRows(400), { key: 'agent:main:broken', usage: { input: 'lots' } }] };
  assert.ok(JSON.stringify(payload).length > 512 * 1024, 'the answer is well past the raw-read size');
  const sim = await startSimGateway({ token: simToken, sessions: fixtureRows, usage: () => payload });
  const client = new GatewayClient({ url: sim.url, token: simToken, requestTimeoutMs: 5_000, clientVersion: '0.1.0-test' }, clientDeps());
  try {
    const counting = countingReads(client);
    const slicedLog = recordingLogger();
    const sliced = await fetchUsage(counting, { log: slicedLog });
    assert.deepEqual(counting.counts, { calls: 1, read: 1 });
    const parsedLog = recordingLogger();
    const parsed = await fetchUsage({ request: async <T>() => structuredClone(payload) as T }, { log: parsedLog });
    assert.deepEqual(sliced, parsed);
    assert.equal(sliced.byKey.size, 400);
    assert.equal(sliced.invalid, 1);
    assert.equal(sliced.byKey.get('agent:main:bulk:399')?.label, 'bulk 399 ✓');
    assert.deepEqual(slicedLog.lines, parsedLog.lines);
    assert.ok(slicedLog.lines.some((l) => l.startsWith('WARN sessions.usage: skipping row agent:main:broken')));
  } finally {
    client.close();
    await sim.close();
  }
});

test('a malformed large answer is logged and skipped as before; the request still takes the good one', async () => {
  const payload = { ...fixtureUsage(), sessions: manyUsageRows(200) };
  const usageAsked = heldMethod();
  const sim = await startSimGateway({ token: simToken, sessions: fixtureRows, usage: fixtureUsage, methods: { 'sessions.usage': usageAsked.handler } });
  const deps = clientDeps();
  const client = new GatewayClient({ url: sim.url, token: simToken, requestTimeoutMs: 5_000, clientVersion: '0.1.0-test' }, deps);
  try {
    const counting = countingReads(client);
    const usage = fetchUsage(counting, { log: recordingLogger() });
    await within(usageAsked.reached, 'the sessions.usage request');
    assert.equal(sim.requests.length, 1, 'the only request so far');
    // Ids count from 1 per connection: connect was 1, so sessions.usage is 2.
    const good = JSON.stringify({ type: 'res', id: '2', ok: true, payload });
    const truncated = `{"type":"res","id":"2","ok":true,"payload":{"note":"${simToken}",${good.slice(good.indexOf('"updatedAt"'), -4000)}`;
    sim.sendRaw(truncated);
    sim.sendRaw(good);
    assert.equal((await usage).byKey.size, 200);
    assert.deepEqual(counting.counts, { calls: 2, read: 1 });
    const warnings = deps.log.lines.filter((l) => l.startsWith('WARN'));
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0] ?? '', /Ignoring a malformed gateway frame \(not JSON\)/);
    assert.ok(!deps.log.lines.some((l) => l.includes(simToken)), 'the token is redacted from the logged frame');
  } finally {
    client.close();
    await sim.close();
  }
});

test('an ok:false answer to sessions.usage still rejects with the gateway error, small or large', async () => {
  let answer = 0;
  const refuse = () => {
    answer += 1;
    throw new SimRpcError('INVALID_REQUEST', answer === 1 ? 'invalid sessions.usage params' : `too big ${'x'.repeat(300_000)}`);
  };
  const sim = await startValidatedSim({ methods: { 'sessions.usage': refuse } });
  await withClient(sim, async (client) => {
    for (const expected of [/invalid sessions.usage params/, /too big x/]) {
      const error = await fetchUsage(client, { log: recordingLogger() }).catch((e: unknown) => e);
      assert.ok(error instanceof SyncError);
      assert.equal(error.code, 'PROTOCOL');
      assert.match(error.message, expected);
    }
  });
});
