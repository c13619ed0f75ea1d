import { analyticsSummary, costSummary } from './agentwatch-analytics.js';
import { AgentCreate, BulkIngestRequest, CostCreate, EventCreate, SeedBulkRequest, TraceCreate, TraceUpdate } from './agentwatch-schemas.js';
import { parsePyTimestamp, pyTimestamp, type SimStore } from './agentwatch-store.js';
import { validateModel, type Issue, type ModelSpec } from './agentwatch-validate.js';

export type SimMode = 'agentwatch' | 'seed';

export interface SimAnswer {
  status: number;
  body: unknown;
}

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Buffer;
}

type Fields = Record<string, unknown>;
type Handler = (req: SimRequest, store: SimStore, now: number, params: string[]) => SimAnswer;

const ok = (body: unknown): SimAnswer => ({ status: 200, body });
const invalid = (issues: Issue[]): SimAnswer => ({ status: 422, body: { detail: issues } });

class Invalid extends Error {
  constructor(readonly issues: Issue[]) {
    super('invalid request');
  }
}

/** The JSON body through one request model, FastAPI-style: missing body, bad JSON and bad fields are all 422. */
function parseBody(req: SimRequest, spec: ModelSpec): Fields {
  if (req.body.length === 0) throw new Invalid([{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }]);
  let json: unknown;
  try {
    json = JSON.parse(req.body.toString('utf8'));
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    throw new Invalid([{ type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {}, ctx: { error } }]);
  }
  const issues: Issue[] = [];
  const value = validateModel(spec, json, ['body'], issues);
  if (issues.length > 0) throw new Invalid(issues);
  return value;
}

function queryInt(req: SimRequest, name: string, fallback: number): number {
  const raw = req.query.get(name);
  if (raw === null) return fallback;
  if (!/^\s*[+-]?\d+\s*$/.test(raw)) {
    throw new Invalid([{ type: 'int_parsing', loc: ['query', name], msg: 'Input should be a valid integer, unable to parse string as an integer', input: raw }]);
  }
  return Number.parseInt(raw, 10);
}

function querySince(req: SimRequest): number | undefined {
  const raw = req.query.get('since');
  if (raw === null) return undefined;
  const at = parsePyTimestamp(raw);
  if (Number.isNaN(at)) throw new Invalid([{ type: 'datetime_from_date_parsing', loc: ['query', 'since'], msg: 'Input should be a valid datetime or date', input: raw }]);
  return at;
}

const page = <T>(rows: T[], req: SimRequest): T[] => {
  const skip = queryInt(req, 'skip', 0);
  return rows.slice(Math.max(0, skip), Math.max(0, skip) + Math.max(0, queryInt(req, 'limit', 100)));
};

const AGENTWATCH_ROUTES: Record<string, Record<string, Handler>> = {
  '/health': { GET: (_r, _s, now) => ok({ status: 'healthy', timestamp: pyTimestamp(now) }) },
  '/api/agents': {
    POST: (r, s) => ok(s.addAgent(parseBody(r, AgentCreate))),
    GET: (r, s) => ok(page(s.agents.filter((a) => a.is_active), r)),
  },
  '/api/traces': {
    POST: (r, s) => ok(s.addTrace(parseBody(r, TraceCreate))),
    GET: (r, s) => {
      const agentId = r.query.get('agent_id');
      const status = r.query.get('status');
      const environment = r.query.get('environment');
      const since = querySince(r);
      const rows = s.traces
        .filter((t) => (!agentId || t.agent_id === agentId) && (!status || t.status === status) && (!environment || t.environment === environment))
        .filter((t) => since === undefined || parsePyTimestamp(t.started_at) >= since)
        .reverse(); // newest first, as ORDER BY started_at DESC
      return ok(page(rows, r));
    },
  },
  '/api/traces/{trace_id}': {
    PATCH: (r, s, _now, [id]) => {
      const fields = parseBody(r, TraceUpdate);
      const row = s.traces.find((t) => t.id === id);
      return row ? ok(s.updateTrace(row, fields)) : { status: 404, body: { detail: 'Trace not found' } };
    },
  },
  '/api/events': { POST: (r, s) => ok(s.addEvent(parseBody(r, EventCreate), true)) },
  '/api/costs': { POST: (r, s) => ok(s.addCost(parseBody(r, CostCreate))) },
  '/api/ingest': {
    POST: (r, s) => {
      const body = parseBody(r, BulkIngestRequest);
      const traces = (body.traces as Fields[] | null) ?? [];
      const events = (body.events as Fields[] | null) ?? [];
      const costs = (body.costs as Fields[] | null) ?? [];
      traces.forEach((t) => s.addTrace(t));
      events.forEach((e) => s.addEvent(e, false));
      costs.forEach((c) => s.addCost(c));
      // Upstream never stores compliance_events sent here.
      return ok({ traces_created: traces.length, events_created: events.length, costs_created: costs.length, compliance_events_created: 0, errors: [] });
    },
  },
  '/api/costs/summary': { GET: (r, s, now) => ok(costSummary(s, now, querySince(r), r.query.get('agent_id') ?? undefined)) },
  '/api/analytics/summary': { GET: (r, s, now) => ok(analyticsSummary(s, now, querySince(r), r.query.get('agent_id') ?? undefined)) },
};

const SEED_ROUTES: Record<string, Record<string, Handler>> = {
  '/health': AGENTWATCH_ROUTES['/health'] as Record<string, Handler>,
  '/api/events/bulk': {
    POST: (r, s) => {
      const events = parseBody(r, SeedBulkRequest).events as Fields[];
      const raw = (JSON.parse(r.body.toString('utf8')) as { events: unknown[] }).events;
      s.bulkEvents.push(...raw);
      return ok({ ingested: events.length });
    },
  },
};

function openApi(routes: Record<string, Record<string, Handler>>): SimAnswer {
  const paths: Fields = { '/openapi.json': { get: {} } };
  for (const [path, methods] of Object.entries(routes)) {
    paths[path] = Object.fromEntries(Object.keys(methods).map((m) => [m.toLowerCase(), { summary: `${m} ${path}` }]));
  }
  return ok({ openapi: '3.1.0', info: { title: 'AgentWatch API (loopback simulator)', version: '0.1.0' }, paths });
}

function match(template: string, path: string): string[] | undefined {
  const t = template.split('/');
  const p = path.split('/');
  if (t.length !== p.length) return undefined;
  const params: string[] = [];
  for (let i = 0; i < t.length; i++) {
    if (t[i]?.startsWith('{')) params.push(decodeURIComponent(p[i] ?? ''));
    else if (t[i] !== p[i]) return undefined;
  }
  return params;
}

export function routeRequest(mode: SimMode, req: SimRequest, store: SimStore, now: number): SimAnswer {
  const routes = mode === 'seed' ? SEED_ROUTES : AGENTWATCH_ROUTES;
  if (req.path === '/openapi.json' && req.method === 'GET') return openApi(routes);
  for (const [template, methods] of Object.entries(routes)) {
    const params = match(template, req.path);
    if (!params) continue;
    const handler = methods[req.method];
    if (!handler) return { status: 405, body: { detail: 'Method Not Allowed' } };
    try {
      return handler(req, store, now, params);
    } catch (e) {
      if (e instanceof Invalid) return invalid(e.issues);
      throw e;
    }
  }
  return { status: 404, body: { detail: 'Not Found' } };
}
