import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startSimAgentWatch, type SimAgentWatch } from '../../src/sim/agentwatch-server.js';

let sim: SimAgentWatch;
let clock = Date.UTC(2026, 1, 10, 20, 31, 15);
before(async () => {
  sim = await startSimAgentWatch({ now: () => clock });
});
after(() => sim.close());

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any; text: string }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  const res = await fetch(sim.url + path, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

// Test-only: the simulator's answers are read field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const jsonOf = async (res: Promise<Response>): Promise<any> => (await res).json();

async function newTrace(): Promise<string> {
  const agent = await call('POST', '/api/agents', { name: 'a' });
  const trace = await call('POST', '/api/traces', { agent_id: agent.json.id });
  return trace.json.id as string;
}

test("the seed's 'execution' event type is a 422 with FastAPI's detail", async () => {
  const res = await call('POST', '/api/events', { trace_id: 't', event_type: 'execution' });
  assert.equal(res.status, 422);
  assert.deepEqual(res.json.detail, [
    {
      type: 'enum',
      loc: ['body', 'event_type'],
      msg: "Input should be 'tool_call', 'llm_call', 'decision', 'error' or 'custom'",
      input: 'execution',
      ctx: { expected: "'tool_call', 'llm_call', 'decision', 'error' or 'custom'" },
    },
  ]);
});

test('unknown paths are 404, the seed bulk path included; bad JSON and missing fields are 422', async () => {
  assert.deepEqual(await call('POST', '/api/events/bulk', { events: [] }).then((r) => [r.status, r.json]), [404, { detail: 'Not Found' }]);
  const bad = await call('POST', '/api/agents', '{"name": ');
  assert.deepEqual([bad.status, bad.json.detail[0].type], [422, 'json_invalid']);
  const missing = await call('POST', '/api/costs', { trace_id: 't', category: 'llm' });
  assert.deepEqual(missing.json.detail.map((d: { loc: unknown[] }) => d.loc), [['body', 'amount']]);
  assert.equal((await call('DELETE', '/api/agents')).status, 405);
});

test('an ingest with one bad item stores nothing; a good one stores all and books no cost for events', async () => {
  const traceId = await newTrace();
  const event = { trace_id: traceId, event_type: 'llm_call', model: 'gpt-4', input_tokens: 1000, output_tokens: 1000 };
  const cost = { trace_id: traceId, amount: 0.123456, category: 'llm', input_tokens: 10, output_tokens: 2 };
  const before = [sim.events.length, sim.costs.length];
  const rejected = await call('POST', '/api/ingest', { events: [event], costs: [cost, { ...cost, category: 'execution' }] });
  assert.equal(rejected.status, 422);
  assert.deepEqual(rejected.json.detail[0].loc, ['body', 'costs', 1, 'category']);
  assert.deepEqual([sim.events.length, sim.costs.length], before);
  const accepted = await call('POST', '/api/ingest', { events: [event], costs: [cost] });
  assert.deepEqual(accepted.json, { traces_created: 0, events_created: 1, costs_created: 1, compliance_events_created: 0, errors: [] });
  assert.deepEqual([sim.events.length, sim.costs.length], [before[0]! + 1, before[1]! + 1]);
  assert.equal(sim.totals().byTrace.get(traceId)?.costMicros, 123_456);
});

test('POST /api/events books a priced Cost row for an llm_call with model and both token counts', async () => {
  const traceId = await newTrace();
  await call('POST', '/api/events', { trace_id: traceId, event_type: 'llm_call', model: 'gpt-4', input_tokens: 1000, output_tokens: 500 });
  await call('POST', '/api/events', { trace_id: traceId, event_type: 'llm_call', model: 'mystery', input_tokens: 1000, output_tokens: 1000 });
  await call('POST', '/api/events', { trace_id: traceId, event_type: 'llm_call', model: 'gpt-4', input_tokens: 1000, output_tokens: 0 });
  assert.deepEqual(sim.totals().byTrace.get(traceId), { input: 2000, output: 1500, costMicros: 60_000 + 3_000 });
});

test('PATCH to a terminal status sets ended_at and duration; attributes merge; unknown trace is 404', async () => {
  const agent = await call('POST', '/api/agents', { name: 'p' });
  const created = await call('POST', '/api/traces', { agent_id: agent.json.id, attributes: { a: 1 } });
  assert.deepEqual([created.json.status, created.json.ended_at, created.json.environment], ['running', null, 'production']);
  clock += 2500;
  const done = await call('PATCH', `/api/traces/${created.json.id}`, { status: 'success', attributes: { b: 2 } });
  assert.deepEqual([done.json.status, done.json.duration_ms, done.json.attributes], ['success', 2500, { a: 1, b: 2 }]);
  assert.equal((await call('PATCH', `/api/traces/${created.json.id}`, { status: 'done' })).status, 422);
  assert.deepEqual((await call('PATCH', '/api/traces/nope', { status: 'error' })).json, { detail: 'Trace not found' });
  const listed = await call('GET', `/api/traces?agent_id=${agent.json.id}&status=success&limit=5`);
  assert.deepEqual(listed.json.map((t: { id: string }) => t.id), [created.json.id]);
  assert.equal((await call('GET', '/api/traces?limit=abc')).json.detail[0].type, 'int_parsing');
});

test('analytics summary rounds cost to cents and sums tokens from Cost rows of the last 7 days', async () => {
  const fresh = await startSimAgentWatch({ now: () => clock });
  try {
    const agent = await jsonOf(fetch(`${fresh.url}/api/agents`, { method: 'POST', body: JSON.stringify({ name: 'x' }) }));
    const trace = await jsonOf(fetch(`${fresh.url}/api/traces`, { method: 'POST', body: JSON.stringify({ agent_id: agent.id }) }));
    const cost = { trace_id: trace.id, amount: 0.016962, category: 'llm', input_tokens: 5620, output_tokens: 7 };
    await fetch(`${fresh.url}/api/costs`, { method: 'POST', body: JSON.stringify(cost) });
    const summary = await jsonOf(fetch(`${fresh.url}/api/analytics/summary`));
    assert.deepEqual([summary.total_traces, summary.total_cost, summary.total_input_tokens, summary.total_output_tokens], [1, 0.02, 5620, 7]);
    const costs = await jsonOf(fetch(`${fresh.url}/api/costs/summary`));
    assert.deepEqual(costs.breakdown, [{ category: 'llm', amount: 0.016962, count: 1 }]);
  } finally {
    await fresh.close();
  }
});

test("faults: 'garbage' stores then answers non-JSON; 'status' stores nothing; oversized bodies are 413", async () => {
  const agents = sim.agents.length;
  sim.fail({ kind: 'garbage', path: '/api/agents' });
  const garbage = await call('POST', '/api/agents', { name: 'g' });
  assert.deepEqual([garbage.status, garbage.json, sim.agents.length], [200, undefined, agents + 1]);
  sim.fail({ status: 503, times: 2 });
  assert.equal((await call('POST', '/api/agents', { name: 'h' })).status, 503);
  assert.equal((await call('GET', '/health')).status, 503);
  assert.equal(sim.agents.length, agents + 1);
  const huge = await call('POST', '/api/agents', { name: 'x'.repeat(11 * 1024 * 1024) });
  assert.equal(huge.status, 413);
  assert.deepEqual(sim.requests.slice(-4).map((r) => r.status), [200, 503, 503, 413]);
});

test('seed mode serves /api/events/bulk and its openapi does not list /api/ingest', async () => {
  const seed = await startSimAgentWatch({ mode: 'seed' });
  try {
    const doc = await jsonOf(fetch(`${seed.url}/openapi.json`));
    assert.deepEqual(Object.keys(doc.paths).sort(), ['/api/events/bulk', '/health', '/openapi.json']);
    const event = { event_id: 'e1', agent_id: 'main', event_type: 'execution', trace_id: 't1', session_id: 's', input_tokens: 5, output_tokens: 2, cost_usd: 0.000123, timestamp: '2026-02-10T20:31:15Z' };
    const res = await fetch(`${seed.url}/api/events/bulk`, { method: 'POST', body: JSON.stringify({ events: [event, event] }) });
    assert.equal(res.status, 200);
    assert.deepEqual(seed.totals().byTrace.get('t1'), { input: 10, output: 4, costMicros: 246 });
    assert.equal((await fetch(`${seed.url}/api/ingest`, { method: 'POST', body: '{}' })).status, 404);
  } finally {
    await seed.close();
  }
});
