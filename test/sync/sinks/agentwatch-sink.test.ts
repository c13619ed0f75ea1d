import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, test } from 'node:test';
import { startSimAgentWatch, type SimAgentWatch } from '../../../src/sim/agentwatch-server.js';
import { createAgentWatchSink } from '../../../src/sync/sinks/agentwatch-sink.js';
import { DeliveryError } from '../../../src/sync/sinks/sink.js';
import { MemorySinkMemory } from '../../support/memory-sink-memory.js';
import { deltaFromFixture, nextDelta } from './make-delta.js';

const MAIN = 'agent:main:main';
const SUB = 'agent:main:subagent:44e1f111-37d1-43be-b6ea-e9b171040991';
const OPS = 'agent:ops:main';

let sim: SimAgentWatch;
beforeEach(async () => {
  sim = await startSimAgentWatch();
});
afterEach(() => sim.close());

const sinkFor = (url: string, timeoutMs = 2000) => createAgentWatchSink({ baseUrl: url, timeoutMs, gatewayId: 'gw-test' });
const calls = (method: string, path: string) => sim.requests.filter((r) => r.method === method && r.path === path).length;

test('agents and traces are made once per OpenClaw agent/session, across batches and a restart', async () => {
  const memory = new MemorySinkMemory();
  const main1 = deltaFromFixture(MAIN);
  const sub1 = deltaFromFixture(SUB);
  const ops1 = deltaFromFixture(OPS);
  await sinkFor(sim.url).deliver([main1, sub1], { memory });
  const main2 = nextDelta(main1, { input: 1000, output: 20, costMicros: 3_300 });
  await sinkFor(sim.url).deliver([main2, ops1], { memory }); // a new instance: the restart case
  const main3 = nextDelta(main2, { input: 7, output: 1, costMicros: 1 }, { status: 'success', openclawStatus: 'done' });
  await sinkFor(sim.url).deliver([main3], { memory });

  assert.deepEqual(sim.agents.map((a) => [a.name, a.agent_type, a.config]).sort(), [
    ['main', 'openclaw', { source: 'agentwatch-live-sync', gateway_id: 'gw-test', openclaw_agent_id: 'main' }],
    ['ops', 'openclaw', { source: 'agentwatch-live-sync', gateway_id: 'gw-test', openclaw_agent_id: 'ops' }],
  ]);
  assert.equal(sim.traces.length, 3);
  const mainTrace = sim.traces.find((t) => t.attributes?.sync_trace_id === main1.traceId);
  assert.ok(mainTrace);
  assert.deepEqual([mainTrace.session_id, mainTrace.task_type, mainTrace.input_summary], [MAIN, 'main', 'main']);
  assert.equal(mainTrace.agent_id, sim.agents.find((a) => a.name === 'main')?.id);
  assert.equal(memory.get(`aw:trace:${main1.traceId}`), mainTrace.id);
  assert.equal(calls('POST', '/api/ingest'), 3);
  assert.equal(calls('POST', '/api/events'), 0, 'llm_call events never go through /api/events');

  const totals = sim.totals();
  assert.deepEqual(totals.byTrace.get(mainTrace.id), { input: 56200 + 1000 + 7, output: 68 + 20 + 1, costMicros: 169_620 + 3_300 + 1 });
  assert.equal(totals.costMicros, [main1, main2, main3, sub1, ops1].reduce((s, d) => s + d.costMicros, 0));
  assert.equal(sim.costs.length, 5, 'one Cost row per delta, none booked twice');
  assert.deepEqual(
    sim.costs.map((c) => Math.round(c.amount * 1e6)),
    [main1, sub1, main2, ops1, main3].map((d) => d.costMicros),
  );
  assert.deepEqual(
    sim.events.map((e) => [e.event_type, e.event_name, e.attributes?.sync_event_id]),
    [main1, sub1, main2, ops1, main3].map((d) => ['llm_call', 'openclaw.run', d.id]),
  );
  assert.deepEqual([mainTrace.status, typeof mainTrace.duration_ms], ['success', 'number']);
  assert.equal(calls('PATCH', `/api/traces/${mainTrace.id}`), 1);
});

test('a zero-token status-only delta patches the trace and sends no ingest', async () => {
  const memory = new MemorySinkMemory();
  const first = deltaFromFixture(SUB);
  const sink = sinkFor(sim.url);
  await sink.deliver([first], { memory });
  const done = nextDelta(first, { input: 0, output: 0, costMicros: 0 }, { status: 'error', openclawStatus: 'failed' });
  await sink.deliver([done], { memory });
  assert.equal(calls('POST', '/api/ingest'), 1);
  assert.equal(sim.traces[0]?.status, 'error');
  await sink.deliver([done], { memory });
  assert.equal(sim.requests.filter((r) => r.method === 'PATCH').length, 1, 'a remembered status is not patched again');
});

test('a crash between agent create and memory write reuses the agent the server already has', async () => {
  const memory = new MemorySinkMemory();
  memory.failNextSets(1);
  await assert.rejects(sinkFor(sim.url).deliver([deltaFromFixture(MAIN)], { memory }), /simulated crash/);
  assert.equal(sim.agents.length, 1);
  await sinkFor(sim.url).deliver([deltaFromFixture(MAIN)], { memory }); // after a restart
  assert.equal(sim.agents.length, 1, 'no second agent');
  assert.equal(memory.get('aw:agent:gw-test:main'), sim.agents[0]?.id);
  assert.equal(sim.traces[0]?.agent_id, sim.agents[0]?.id);
});

test('the same sink instance retries a failed memory write without another search or create', async () => {
  const memory = new MemorySinkMemory();
  const sink = sinkFor(sim.url);
  memory.failNextSets(1);
  await assert.rejects(sink.deliver([deltaFromFixture(MAIN)], { memory }));
  await sink.deliver([deltaFromFixture(MAIN)], { memory });
  assert.deepEqual([sim.agents.length, calls('GET', '/api/agents')], [1, 1]);
  assert.equal(sim.costs.length, 1);
});

test('a trace created while the client timed out is found on retry, not created twice', async () => {
  const memory = new MemorySinkMemory();
  const sink = sinkFor(sim.url, 200);
  sim.fail({ kind: 'accept-then-hang', method: 'POST', path: '/api/traces' });
  const e = await sink.deliver([deltaFromFixture(MAIN)], { memory }).catch((x: unknown) => x);
  assert.ok(e instanceof DeliveryError && e.failure === 'timeout');
  assert.equal(sim.traces.length, 1);
  await sink.deliver([deltaFromFixture(MAIN)], { memory });
  assert.equal(sim.traces.length, 1);
  assert.equal(sim.costs[0]?.trace_id, sim.traces[0]?.id);
});

test('an ingest rejected with 422 is a non-retryable rejection and stores nothing', async () => {
  const memory = new MemorySinkMemory();
  const bad = deltaFromFixture(MAIN, { tokens: { input: 0.5, output: 1, cacheRead: 0, cacheWrite: 0 } });
  const e = await sinkFor(sim.url).deliver([deltaFromFixture(SUB), bad], { memory }).catch((x: unknown) => x);
  assert.ok(e instanceof DeliveryError);
  assert.deepEqual([e.failure, e.retryable], ['rejected', false]);
  assert.match(e.message, /body\.costs\.1\.input_tokens/);
  assert.deepEqual([sim.costs.length, sim.events.length], [0, 0]);
});

test("an ingest answer with errors is a rejection carrying the server's errors", async () => {
  const answers: Record<string, unknown> = {
    'GET /api/agents': [],
    'POST /api/agents': { id: 'agent-1' },
    'GET /api/traces': [],
    'POST /api/traces': { id: 'trace-1' },
    'POST /api/ingest': { costs_created: 0, events_created: 0, errors: ['Cost error: database is locked'] },
  };
  const server = createServer((req, res) => {
    req.resume();
    const body = answers[`${req.method} ${(req.url ?? '').split('?')[0]}`];
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? { detail: 'Not Found' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const e = await sinkFor(url).deliver([deltaFromFixture(MAIN)], { memory: new MemorySinkMemory() }).catch((x: unknown) => x);
    assert.ok(e instanceof DeliveryError);
    assert.deepEqual([e.failure, e.retryable], ['rejected', false]);
    assert.match(e.message, /reported ingest errors \(Cost error: database is locked\)/);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});
