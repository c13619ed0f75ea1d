import { z } from 'zod';
import { describeBase } from './http-failure.js';
import { getJson, patchJson, postJson, type HttpTarget } from './http.js';
import { DeliveryError } from './sink.js';

// Typed calls to the real AgentWatch API (src/api/main.py). Answers are checked only for what we read.

const Json = z.record(z.string(), z.unknown()).nullish();
const AgentRow = z.object({ id: z.string().min(1), config: Json }).passthrough();
const TraceRow = z.object({ id: z.string().min(1), attributes: Json }).passthrough();
const IngestAnswer = z.object({ costs_created: z.number().optional(), events_created: z.number().optional(), errors: z.array(z.unknown()).default([]) }).passthrough();

export type AgentRow = z.infer<typeof AgentRow>;
export type TraceRow = z.infer<typeof TraceRow>;
export type IngestAnswer = z.infer<typeof IngestAnswer>;

export interface AgentCreate {
  name: string;
  description: string;
  agent_type: string;
  config: Record<string, unknown>;
}

export interface TraceCreate {
  agent_id: string;
  session_id: string;
  task_type: string;
  input_summary: string;
  attributes: Record<string, unknown>;
}

export interface IngestBody {
  costs: Array<Record<string, unknown>>;
  events: Array<Record<string, unknown>>;
}

function parse<T>(schema: z.ZodType<T>, value: unknown, target: HttpTarget, call: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new DeliveryError(
    'garbage',
    `AgentWatch at ${describeBase(target.baseUrl)} answered ${call} with an unexpected shape (${r.error.issues[0]?.message ?? 'invalid'}) — will retry; is the URL an AgentWatch API?`,
  );
}

export async function listAgents(target: HttpTarget, skip: number, limit: number, signal?: AbortSignal): Promise<AgentRow[]> {
  const res = await getJson(target, `/api/agents?skip=${skip}&limit=${limit}`, signal);
  return parse(z.array(AgentRow), res.body, target, 'GET /api/agents');
}

export async function createAgent(target: HttpTarget, body: AgentCreate, signal?: AbortSignal): Promise<string> {
  const res = await postJson(target, '/api/agents', body, { signal, answer: 'json' });
  return parse(AgentRow, res.body, target, 'POST /api/agents').id;
}

export async function listTraces(target: HttpTarget, agentId: string, skip: number, limit: number, signal?: AbortSignal): Promise<TraceRow[]> {
  const query = `agent_id=${encodeURIComponent(agentId)}&skip=${skip}&limit=${limit}`;
  const res = await getJson(target, `/api/traces?${query}`, signal);
  return parse(z.array(TraceRow), res.body, target, 'GET /api/traces');
}

export async function createTrace(target: HttpTarget, body: TraceCreate, signal?: AbortSignal): Promise<string> {
  const res = await postJson(target, '/api/traces', body, { signal, answer: 'json' });
  return parse(TraceRow, res.body, target, 'POST /api/traces').id;
}

export async function patchTraceStatus(target: HttpTarget, traceId: string, status: string, signal?: AbortSignal): Promise<void> {
  await patchJson(target, `/api/traces/${encodeURIComponent(traceId)}`, { status }, { signal, answer: 'any' });
}

export async function ingest(target: HttpTarget, body: IngestBody, signal?: AbortSignal): Promise<IngestAnswer> {
  const res = await postJson(target, '/api/ingest', body, { signal, answer: 'json' });
  return parse(IngestAnswer, res.body, target, 'POST /api/ingest');
}

// Paging stops here: 100 pages of 1000 rows is far past any real dashboard, and a server that ignores `skip`
// must not keep us looping.
const PAGE_SIZE = 1000;
const MAX_PAGES = 100;

export async function collectPages<T>(fetchPage: (skip: number, limit: number) => Promise<T[]>): Promise<T[]> {
  const rows: T[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const batch = await fetchPage(page * PAGE_SIZE, PAGE_SIZE);
    rows.push(...batch);
    if (batch.length < PAGE_SIZE) break;
  }
  return rows;
}
